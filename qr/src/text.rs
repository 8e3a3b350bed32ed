//! The data bit stream: segments in numeric, alphanumeric, byte and kanji mode (ISO/IEC
//! 18004:2015 §7.4), to bytes, then to text (UTF-8, else ISO-8859-1, the standard's default).

struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Bits<'_> {
    fn left(&self) -> usize {
        self.data.len() * 8 - self.pos
    }

    /// The next `n` bits (n ≤ 24), or None past the end.
    fn take(&mut self, n: usize) -> Option<u32> {
        if n > self.left() {
            return None;
        }
        let mut v = 0u32;
        for _ in 0..n {
            let bit = (self.data[self.pos / 8] >> (7 - self.pos % 8)) & 1;
            v = (v << 1) | bit as u32;
            self.pos += 1;
        }
        Some(v)
    }
}

const ALPHANUMERIC: &[u8; 45] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/// Decodes the (corrected) data codewords of a symbol of `version`.
pub fn decode(data: &[u8], version: usize) -> Option<String> {
    let size_class = match version {
        1..=9 => 0,
        10..=26 => 1,
        _ => 2,
    };
    let mut bits = Bits { data, pos: 0 };
    let mut out: Vec<u8> = Vec::new();
    while bits.left() >= 4 {
        let mode = bits.take(4)?;
        match mode {
            0 => break,
            // Numeric: three digits in 10 bits, then 7 bits for two or 4 for one.
            1 => {
                let mut count = bits.take([10, 12, 14][size_class])? as usize;
                while count > 0 {
                    let digits = count.min(3);
                    let v = bits.take([4, 7, 10][digits - 1])?;
                    if v >= [10, 100, 1000][digits - 1] {
                        return None;
                    }
                    let s = [(v / 100) as u8, (v / 10 % 10) as u8, (v % 10) as u8];
                    out.extend(s[3 - digits..].iter().map(|d| b'0' + d));
                    count -= digits;
                }
            }
            // Alphanumeric: two characters in 11 bits, one in 6.
            2 => {
                let mut count = bits.take([9, 11, 13][size_class])? as usize;
                while count > 0 {
                    if count >= 2 {
                        let v = bits.take(11)? as usize;
                        if v >= 45 * 45 {
                            return None;
                        }
                        out.push(ALPHANUMERIC[v / 45]);
                        out.push(ALPHANUMERIC[v % 45]);
                        count -= 2;
                    } else {
                        let v = bits.take(6)? as usize;
                        out.push(*ALPHANUMERIC.get(v)?);
                        count -= 1;
                    }
                }
            }
            4 => {
                let count = bits.take([8, 16, 16][size_class])?;
                for _ in 0..count {
                    out.push(bits.take(8)? as u8);
                }
            }
            // Kanji (Shift JIS pairs in 13 bits): no conversion table in the wallet; shown as U+FFFD.
            8 => {
                let count = bits.take([8, 10, 12][size_class])?;
                for _ in 0..count {
                    bits.take(13)?;
                    out.extend_from_slice("\u{FFFD}".as_bytes());
                }
            }
            // ECI designator (1 to 3 bytes): the text is read as UTF-8 when it is valid UTF-8 anyway.
            7 => {
                let first = bits.take(8)?;
                if first & 0x80 != 0 {
                    bits.take(if first & 0x40 == 0 { 8 } else { 16 })?;
                }
            }
            // Structured append header (symbol position, parity); FNC1 markers.
            3 => {
                bits.take(16)?;
            }
            5 => {}
            9 => {
                bits.take(8)?;
            }
            _ => return None,
        }
    }
    Some(match String::from_utf8(out) {
        Ok(text) => text,
        Err(e) => e.into_bytes().iter().map(|&b| b as char).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Packs (value, bit count) pairs into bytes.
    fn pack(fields: &[(u32, usize)]) -> Vec<u8> {
        let mut bits = Vec::new();
        for &(v, n) in fields {
            for i in (0..n).rev() {
                bits.push((v >> i) & 1 == 1);
            }
        }
        bits.chunks(8).map(|c| c.iter().enumerate().fold(0u8, |b, (i, &bit)| b | ((bit as u8) << (7 - i)))).collect()
    }

    #[test]
    fn mixed_segments() {
        // "01234567" numeric, "AC-42" alphanumeric, "é" in bytes (UTF-8), terminator.
        let data = pack(&[
            (1, 4), (8, 10), (12, 10), (345, 10), (67, 7),
            (2, 4), (5, 9), (10 * 45 + 12, 11), (41 * 45 + 4, 11), (2, 6),
            (4, 4), (2, 8), (0xC3, 8), (0xA9, 8),
            (0, 4),
        ]);
        assert_eq!(decode(&data, 1).as_deref(), Some("01234567AC-42é"));
    }

    #[test]
    fn latin1_when_not_utf8_and_eci_is_skipped() {
        let data = pack(&[(7, 4), (26, 8), (4, 4), (2, 8), (b'a' as u32, 8), (0xE9, 8), (0, 4)]);
        assert_eq!(decode(&data, 1).as_deref(), Some("aé"));
    }

    #[test]
    fn wide_counts_in_large_versions() {
        let data = pack(&[(4, 4), (3, 16), (b'x' as u32, 8), (b'y' as u32, 8), (b'z' as u32, 8), (0, 4)]);
        assert_eq!(decode(&data, 10).as_deref(), Some("xyz"));
        assert_eq!(decode(&data, 40).as_deref(), Some("xyz"));
    }

    #[test]
    fn refuses_bad_streams() {
        assert_eq!(decode(&pack(&[(1, 4), (3, 10), (1000, 10)]), 1), None, "digits out of range");
        assert_eq!(decode(&pack(&[(6, 4), (0, 4)]), 1), None, "unknown mode");
        assert_eq!(decode(&pack(&[(4, 4), (200, 8), (1, 8)]), 1), None, "count past the end");
    }
}
