//! GZIP (RFC 1952) decompression of untrusted input, with a cap on the output.
//!
//! A status list's `encodedList` is the GZIP of a bitstring; the core reads it through the
//! [`Gunzip`](crate::core::ports::Gunzip) port. In the browser the engine's adapter uses the
//! browser's own `DecompressionStream` (`adapters::gunzip`), which made the engine about 4 KB
//! (brotli) smaller than inflating in Rust. Natively (tests, fuzzing) [`Miniz`] reads one member:
//! its header (`1f 8b`, method 8 = deflate, the optional extra field, name, comment and header
//! CRC), the deflate data (inflated by `miniz_oxide`), and the trailer, whose CRC-32 and length
//! must match what was inflated. Nothing may follow the member.

#[cfg(not(target_arch = "wasm32"))]
use miniz_oxide::inflate::{self, TINFLStatus};

/// Flag bits of the header (RFC 1952 §2.3.1).
#[cfg(not(target_arch = "wasm32"))]
const FHCRC: u8 = 1 << 1;
#[cfg(not(target_arch = "wasm32"))]
const FEXTRA: u8 = 1 << 2;
#[cfg(not(target_arch = "wasm32"))]
const FNAME: u8 = 1 << 3;
#[cfg(not(target_arch = "wasm32"))]
const FCOMMENT: u8 = 1 << 4;
#[cfg(not(target_arch = "wasm32"))]
const RESERVED: u8 = 0b1110_0000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GzipError {
    #[error("not GZIP data (expected the bytes 1f 8b and method 8)")]
    NotGzip,
    #[error("the GZIP header is cut short or malformed")]
    BadHeader,
    #[error("the compressed data is corrupt or cut short")]
    Corrupt,
    #[error("the data expands to more than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("the GZIP trailer is missing or does not match the data (CRC-32 or length)")]
    BadTrailer,
}

/// The [`Gunzip`](crate::core::ports::Gunzip) port in plain Rust ([`decompress`]).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Debug, Default, Clone, Copy)]
pub struct Miniz;

#[cfg(not(target_arch = "wasm32"))]
impl crate::core::ports::Gunzip for Miniz {
    async fn gunzip(&self, data: &[u8], limit: usize) -> Result<Vec<u8>, GzipError> {
        decompress(data, limit)
    }
}

/// Reads one GZIP member from `data` and returns what it expands to, refusing more than `limit`
/// bytes of output.
#[cfg(not(target_arch = "wasm32"))]
pub fn decompress(data: &[u8], limit: usize) -> Result<Vec<u8>, GzipError> {
    let (deflated, trailer) = split_member(data)?;
    let inflated = inflate::decompress_to_vec_with_limit(deflated, limit).map_err(|e| match e.status {
        TINFLStatus::HasMoreOutput => GzipError::TooLarge { limit },
        _ => GzipError::Corrupt,
    })?;
    let word = |at: usize| trailer.get(at..at + 4).and_then(|b| <[u8; 4]>::try_from(b).ok()).map(u32::from_le_bytes);
    let (Some(crc), Some(size)) = (word(0), word(4)) else { return Err(GzipError::BadTrailer) };
    // ISIZE is the length modulo 2^32.
    if crc != crc32(&inflated) || size != inflated.len() as u32 {
        return Err(GzipError::BadTrailer);
    }
    Ok(inflated)
}

/// The deflate data and the 8-byte trailer of the member that makes up all of `data`.
#[cfg(not(target_arch = "wasm32"))]
fn split_member(data: &[u8]) -> Result<(&[u8], &[u8]), GzipError> {
    let mut rest = match data {
        [0x1f, 0x8b, 8, ..] => data,
        _ => return Err(GzipError::NotGzip),
    };
    let flags = *rest.get(3).ok_or(GzipError::BadHeader)?;
    if flags & RESERVED != 0 {
        return Err(GzipError::BadHeader);
    }
    // ID1 ID2 CM FLG MTIME(4) XFL OS
    rest = rest.get(10..).ok_or(GzipError::BadHeader)?;
    if flags & FEXTRA != 0 {
        let len = match rest {
            [lo, hi, ..] => usize::from(u16::from_le_bytes([*lo, *hi])),
            _ => return Err(GzipError::BadHeader),
        };
        rest = rest.get(2 + len..).ok_or(GzipError::BadHeader)?;
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            let end = rest.iter().position(|&b| b == 0).ok_or(GzipError::BadHeader)?;
            rest = rest.get(end + 1..).ok_or(GzipError::BadHeader)?;
        }
    }
    if flags & FHCRC != 0 {
        rest = rest.get(2..).ok_or(GzipError::BadHeader)?;
    }
    let split = rest.len().checked_sub(8).ok_or(GzipError::BadTrailer)?;
    Ok(rest.split_at(split))
}

/// CRC-32 (ISO 3309, as GZIP uses it), bit by bit (a status list is a few KB).
#[cfg(not(target_arch = "wasm32"))]
pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// GZIP for tests: one member, no optional header fields.
#[cfg(test)]
pub fn compress(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    out.extend(miniz_oxide::deflate::compress_to_vec(data, 9));
    out.extend(crc32(data).to_le_bytes());
    out.extend((data.len() as u32).to_le_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_known_value() {
        // The check value of CRC-32/ISO-HDLC.
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        assert_eq!(crc32(b""), 0);
    }

    #[test]
    fn reads_what_python_gzip_wrote() {
        // `gzip.compress(b"hello status list\n" * 3, mtime=0)` with the file name "a.txt"
        // (FNAME set) as written by Python's gzip.GzipFile.
        let member = include_bytes!("tests/fixtures/status/hello.txt.gz");
        assert_eq!(decompress(member, 1024).unwrap(), b"hello status list\n".repeat(3));
    }

    #[test]
    fn round_trips_and_caps_the_output() {
        let data = vec![0u8; 16 * 1024];
        let packed = compress(&data);
        assert!(packed.len() < 100, "{} bytes", packed.len());
        assert_eq!(decompress(&packed, data.len()).unwrap(), data);
        assert_eq!(decompress(&packed, data.len() - 1), Err(GzipError::TooLarge { limit: data.len() - 1 }));
    }

    #[test]
    fn refuses_damaged_members() {
        let packed = compress(b"some bits");
        assert_eq!(decompress(b"", 100), Err(GzipError::NotGzip));
        assert_eq!(decompress(&[0x1f, 0x8b, 7, 0], 100), Err(GzipError::NotGzip));
        assert_eq!(decompress(&packed[..9], 100), Err(GzipError::BadHeader));
        let mut reserved = packed.clone();
        reserved[3] = 0x20;
        assert_eq!(decompress(&reserved, 100), Err(GzipError::BadHeader));
        let mut name_without_end = packed[..10].to_vec();
        name_without_end[3] = FNAME;
        name_without_end.extend(b"name");
        assert_eq!(decompress(&name_without_end, 100), Err(GzipError::BadHeader));
        // Cut anywhere in the data or the trailer.
        for cut in 11..packed.len() {
            assert!(decompress(&packed[..cut], 100).is_err(), "cut at {cut}");
        }
        let mut wrong_crc = packed.clone();
        let at = wrong_crc.len() - 8;
        wrong_crc[at] ^= 1;
        assert_eq!(decompress(&wrong_crc, 100), Err(GzipError::BadTrailer));
        let mut wrong_size = packed.clone();
        let at = wrong_size.len() - 4;
        wrong_size[at] ^= 1;
        assert_eq!(decompress(&wrong_size, 100), Err(GzipError::BadTrailer));
        let mut trailing = packed.clone();
        trailing.push(0);
        assert!(decompress(&trailing, 100).is_err(), "nothing may follow the member");
        let mut corrupt = packed;
        corrupt[10] = 0xff; // an invalid block type
        assert!(decompress(&corrupt, 100).is_err());
    }
}
