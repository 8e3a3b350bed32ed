//! Reading a sampled grid of modules: format and version information, function patterns, the
//! data codewords (unmasked, de-interleaved and corrected). ISO/IEC 18004:2015 §7–8.

use super::rs::Gf;

/// A square grid of modules, true = dark.
pub struct Grid {
    pub size: usize,
    pub bits: Vec<bool>,
}

impl Grid {
    pub fn get(&self, x: usize, y: usize) -> bool {
        self.bits[y * self.size + x]
    }

    pub fn version(&self) -> usize {
        (self.size - 17) / 4
    }
}

/// Error correction codewords per block, by level (L, M, Q, H) and version (index 0 unused).
const ECC_PER_BLOCK: [[u8; 41]; 4] = [
    [0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    [0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
    [0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    [0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
];

/// Number of error correction blocks, by level (L, M, Q, H) and version.
const BLOCKS: [[u8; 41]; 4] = [
    [0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
    [0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
    [0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
    [0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
];

/// Centres of the alignment patterns on each axis (empty for version 1).
pub fn alignment_positions(version: usize) -> Vec<usize> {
    if version < 2 {
        return Vec::new();
    }
    let count = version / 7 + 2;
    let size = version * 4 + 17;
    let step = (version * 8 + count * 3 + 5) / (count * 4 - 4) * 2;
    let mut positions: Vec<usize> = (0..count - 1).map(|i| size - 7 - i * step).collect();
    positions.push(6);
    positions.reverse();
    positions
}

/// Modules holding data or error correction codewords (not function patterns), row-major.
fn data_modules(version: usize) -> Vec<bool> {
    let size = version * 4 + 17;
    let mut data = vec![true; size * size];
    let mut clear = |x0: usize, y0: usize, w: usize, h: usize| {
        for y in y0..y0 + h {
            for x in x0..x0 + w {
                data[y * size + x] = false;
            }
        }
    };
    // Finder patterns with their separators and the format information (and the dark module).
    clear(0, 0, 9, 9);
    clear(size - 8, 0, 8, 9);
    clear(0, size - 8, 9, 8);
    // Timing patterns.
    clear(6, 0, 1, size);
    clear(0, 6, size, 1);
    let centres = alignment_positions(version);
    let last = centres.len().wrapping_sub(1);
    for (i, &cy) in centres.iter().enumerate() {
        for (j, &cx) in centres.iter().enumerate() {
            // Not where a finder pattern is.
            if (i == 0 || i == last) && (j == 0 || j == last) && !(i == last && j == last) {
                continue;
            }
            clear(cx - 2, cy - 2, 5, 5);
        }
    }
    if version >= 7 {
        clear(size - 11, 0, 3, 6);
        clear(0, size - 11, 6, 3);
    }
    data
}

/// The 15-bit BCH code of 5 bits of format information (before masking with 0x5412).
fn format_code(data: u32) -> u32 {
    let mut rem = data << 10;
    for i in (0..5).rev() {
        if rem & (1 << (i + 10)) != 0 {
            rem ^= 0x537 << i;
        }
    }
    (data << 10) | rem
}

/// The 18-bit BCH code of a version number.
pub fn version_code(version: u32) -> u32 {
    let mut rem = version << 12;
    for i in (0..6).rev() {
        if rem & (1 << (i + 12)) != 0 {
            rem ^= 0x1F25 << i;
        }
    }
    (version << 12) | rem
}

/// Error correction level (0..4: L, M, Q, H) and mask (0..8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Format {
    pub level: usize,
    pub mask: usize,
}

/// Reads the two copies of the format information; the nearest valid code within 3 bits wins.
pub fn read_format(grid: &Grid) -> Option<Format> {
    let size = grid.size;
    let bit = |x: usize, y: usize| grid.get(x, y) as u32;
    // Copy 1 around the top-left finder, most significant bit first.
    let mut first = 0u32;
    for i in 0..=5 {
        first = (first << 1) | bit(i, 8);
    }
    first = (first << 1) | bit(7, 8);
    first = (first << 1) | bit(8, 8);
    first = (first << 1) | bit(8, 7);
    for i in (0..=5).rev() {
        first = (first << 1) | bit(8, i);
    }
    // Copy 2, split between the other two finders.
    let mut second = 0u32;
    for i in 0..7 {
        second = (second << 1) | bit(8, size - 1 - i);
    }
    for i in 0..8 {
        second = (second << 1) | bit(size - 8 + i, 8);
    }
    let mut best = (4u32, 0u32);
    for data in 0..32 {
        let code = format_code(data) ^ 0x5412;
        for raw in [first, second] {
            let distance = (raw ^ code).count_ones();
            if distance < best.0 {
                best = (distance, data);
            }
        }
    }
    if best.0 > 3 {
        return None;
    }
    // Level bits: 01 L, 00 M, 11 Q, 10 H.
    Some(Format { level: ((best.1 >> 3) ^ 1) as usize, mask: (best.1 & 7) as usize })
}

/// Reads the version information (versions 7 and up); the nearest code within 3 bits wins.
pub fn read_version(grid: &Grid) -> Option<usize> {
    let size = grid.size;
    let (mut top_right, mut bottom_left) = (0u32, 0u32);
    for i in (0..18).rev() {
        let (a, b) = (i / 3, size - 11 + i % 3);
        top_right = (top_right << 1) | grid.get(b, a) as u32;
        bottom_left = (bottom_left << 1) | grid.get(a, b) as u32;
    }
    let mut best = (4u32, 0usize);
    for version in 7..=40 {
        let code = version_code(version as u32);
        for raw in [top_right, bottom_left] {
            let distance = (raw ^ code).count_ones();
            if distance < best.0 {
                best = (distance, version);
            }
        }
    }
    (best.0 <= 3).then_some(best.1)
}

fn masked(mask: usize, x: usize, y: usize) -> bool {
    let even = |v: usize| v.is_multiple_of(2);
    let third = |v: usize| v.is_multiple_of(3);
    match mask {
        0 => even(x + y),
        1 => even(y),
        2 => third(x),
        3 => third(x + y),
        4 => even(x / 3 + y / 2),
        5 => x * y % 2 + x * y % 3 == 0,
        6 => even(x * y % 2 + x * y % 3),
        _ => even((x + y) % 2 + x * y % 3),
    }
}

/// Codewords that the spec reserves for misdecode protection instead of correction (small
/// symbols): they lower the number of errors a block may have corrected.
fn protection_codewords(version: usize, level: usize) -> usize {
    match (version, level) {
        (1, 0) => 3,
        (1, 1) | (2, 0) => 2,
        (1, _) | (3, 0) => 1,
        _ => 0,
    }
}

/// The data codewords of the symbol, corrected; None when the grid cannot be read.
pub fn read_data(grid: &Grid, format: Format, gf: &Gf) -> Option<Vec<u8>> {
    let (size, version) = (grid.size, grid.version());
    let function_free = data_modules(version);
    // The codewords in placement order: two-module columns right to left, snaking up and down.
    let mut raw = Vec::with_capacity(size * size / 8);
    let (mut byte, mut nbits) = (0u8, 0);
    let mut right = size - 1;
    loop {
        let upward = (right + 1) & 2 == 0;
        for vert in 0..size {
            let y = if upward { size - 1 - vert } else { vert };
            for x in [right, right - 1] {
                if !function_free[y * size + x] {
                    continue;
                }
                byte = (byte << 1) | (grid.get(x, y) ^ masked(format.mask, x, y)) as u8;
                nbits += 1;
                if nbits == 8 {
                    raw.push(byte);
                    nbits = 0;
                }
            }
        }
        if right < 3 {
            break;
        }
        right -= 2;
        if right == 6 {
            right = 5;
        }
    }
    let blocks = BLOCKS[format.level][version] as usize;
    let ecc = ECC_PER_BLOCK[format.level][version] as usize;
    let total = raw.len();
    let short_blocks = blocks - total % blocks;
    let short_len = total / blocks;
    let short_data = short_len - ecc;
    let max_errors = (ecc - protection_codewords(version, format.level)) / 2;
    let mut data = Vec::with_capacity(total);
    let mut block = Vec::with_capacity(short_len + 1);
    for b in 0..blocks {
        let data_len = short_data + (b >= short_blocks) as usize;
        block.clear();
        // Data codewords are interleaved first (long blocks have one more), then the ecc codewords.
        for i in 0..data_len {
            let index = if i < short_data { i * blocks + b } else { short_data * blocks + (b - short_blocks) };
            block.push(raw[index]);
        }
        let ecc_start = short_data * blocks + (blocks - short_blocks);
        for i in 0..ecc {
            block.push(raw[ecc_start + i * blocks + b]);
        }
        if !gf.correct(&mut block, ecc, max_errors) {
            return None;
        }
        data.extend_from_slice(&block[..data_len]);
    }
    Some(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alignment_positions_match_the_standard() {
        assert_eq!(alignment_positions(1), Vec::<usize>::new());
        assert_eq!(alignment_positions(2), vec![6, 18]);
        assert_eq!(alignment_positions(7), vec![6, 22, 38]);
        assert_eq!(alignment_positions(32), vec![6, 34, 60, 86, 112, 138]);
        assert_eq!(alignment_positions(36), vec![6, 24, 50, 76, 102, 128, 154]);
        assert_eq!(alignment_positions(40), vec![6, 30, 58, 86, 114, 142, 170]);
    }

    #[test]
    fn bch_codes_match_the_standard() {
        assert_eq!(version_code(7), 0x07C94);
        assert_eq!(version_code(40), 0x28C69);
        // Level M, mask 0 masked: 101010000010010.
        assert_eq!(format_code(0) ^ 0x5412, 0b101010000010010);
    }

    #[test]
    fn capacity_tables_are_consistent() {
        // Data codewords of every version and level, from the standard's table 7 (spot checks).
        let data_codewords = |version: usize, level: usize| {
            let size = version * 4 + 17;
            let modules = data_modules(version).iter().filter(|&&d| d).count();
            assert_eq!(modules / 8, {
                let v = version;
                let mut r = (16 * v + 128) * v + 64;
                if v >= 2 {
                    let n = v / 7 + 2;
                    r -= (25 * n - 10) * n - 55;
                    if v >= 7 {
                        r -= 36;
                    }
                }
                r / 8
            }, "version {version} (size {size})");
            modules / 8 - BLOCKS[level][version] as usize * ECC_PER_BLOCK[level][version] as usize
        };
        assert_eq!(data_codewords(1, 0), 19);
        assert_eq!(data_codewords(1, 3), 9);
        assert_eq!(data_codewords(10, 1), 216);
        assert_eq!(data_codewords(40, 0), 2956);
        assert_eq!(data_codewords(40, 3), 1276);
        for v in 1..=40 {
            for l in 0..4 {
                data_codewords(v, l);
            }
        }
    }
}
