//! A compact QR code reader, for the Scan page where the browser has no `BarcodeDetector` (the
//! engine worker runs it: `src/engine/qr.rs` in the wallet).
//!
//! Plain Rust without dependencies (tested natively with `cargo test`): binarize the picture,
//! find the three finder patterns and the alignment pattern, sample the grid through a
//! perspective transform, read format and version, correct errors (Reed–Solomon), decode the
//! segments. It reads QR codes of every version (1–40) and level, rotated, tilted, mirrored
//! (when asked to try harder) or light on dark (idem); Micro QR and Kanji text are not read.
//! It weighs a fraction of general decoders' code (their GF(256) tables alone are larger):
//! it computes its tables at start and keeps no format machinery.

mod grid;
mod locate;
mod rs;
mod text;

use grid::Grid;
use locate::{Bitmap, Finder, Point, Transform};
use rs::Gf;

/// How many finder triples are tried per picture (the best-looking first).
const MAX_TRIPLES: usize = 6;
/// How many alignment pattern candidates are tried per symbol.
const MAX_ALIGNMENTS: usize = 4;

/// Reads the QR code in a picture of `width`×`height` RGBA pixels (as in `ImageData`).
/// `try_harder`: also look for light-on-dark and mirrored codes (for a still image; a camera
/// gets another frame soon instead).
pub fn decode_rgba(width: usize, height: usize, rgba: &[u8], try_harder: bool) -> Option<String> {
    if rgba.len() < width * height * 4 {
        return None;
    }
    let luma: Vec<u8> = rgba
        .chunks_exact(4)
        .take(width * height)
        .map(|p| ((p[0] as u32 * 77 + p[1] as u32 * 150 + p[2] as u32 * 29) >> 8) as u8)
        .collect();
    decode_luma(width, height, &luma, try_harder)
}

/// Reads the QR code in a picture of `width`×`height` luminance bytes.
pub fn decode_luma(width: usize, height: usize, luma: &[u8], try_harder: bool) -> Option<String> {
    if width < 21 || height < 21 || luma.len() < width * height {
        return None;
    }
    let gf = Gf::new();
    for invert in [false, true] {
        if invert && !try_harder {
            break;
        }
        let bm = Bitmap::binarize(width, height, luma, invert);
        let finders = locate::find_finders(&bm);
        for (triple, _) in locate::triples(&finders).into_iter().take(MAX_TRIPLES) {
            if let Some(text) = decode_at(&bm, triple, &gf, try_harder) {
                return Some(text);
            }
        }
    }
    None
}

fn decode_at(bm: &Bitmap, [tl, tr, bl]: [Finder; 3], gf: &Gf, try_harder: bool) -> Option<String> {
    let module = locate::module_size(bm, tl.at, tr.at, bl.at)?;
    if module < 1.0 {
        return None;
    }
    let span = (dist(tl.at, tr.at) + dist(tl.at, bl.at)) / 2.0 / module + 7.0;
    let estimate = ((span - 17.0) / 4.0).clamp(1.0, 40.0);
    let nearest = estimate.round() as usize;
    let other = if estimate > nearest as f32 { nearest + 1 } else { nearest - 1 };
    for mirrored in [false, true] {
        if mirrored && !try_harder {
            break;
        }
        // How much larger modules look at the bottom-right corner than on average (perspective),
        // extrapolated from the finders' sizes.
        let perspective = ((tr.module + bl.module - tl.module) * 3.0 / (tl.module + tr.module + bl.module)).clamp(0.6, 1.7);
        let corners = if mirrored { [tl.at, bl.at, tr.at] } else { [tl.at, tr.at, bl.at] };
        let mut versions = [0, nearest, other];
        // Symbols from version 7 say their version near the finders, where a first sampling
        // with an approximate size usually reads it (under strong perspective it may misread:
        // the estimates are tried next).
        for version in [nearest, other] {
            if (7..=40).contains(&version) {
                let grid = Grid { size: version * 4 + 17, bits: locate::sample(bm, &transform(corners, version, None), version * 4 + 17) };
                if let Some(read) = grid::read_version(&grid) {
                    versions = [read, if read == nearest { 0 } else { nearest }, if read == other { 0 } else { other }];
                    break;
                }
            }
        }
        for version in versions {
            if (1..=40).contains(&version) {
                if let Some(text) = read_symbol(bm, corners, version, perspective, gf) {
                    return Some(text);
                }
            }
        }
    }
    None
}

fn dist(a: Point, b: Point) -> f32 {
    ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).sqrt()
}

/// The transform from module coordinates of a symbol of `version` to the picture, from its
/// finders' centres and, when found, its bottom-right alignment pattern's.
fn transform([tl, tr, bl]: [Point; 3], version: usize, alignment: Option<Point>) -> Transform {
    let far = (version * 4 + 17) as f32 - 3.5;
    let modules = [Point { x: 3.5, y: 3.5 }, Point { x: far, y: 3.5 }, Point { x: far, y: far }, Point { x: 3.5, y: far }];
    let mut picture = [tl, tr, Point { x: tr.x + bl.x - tl.x, y: tr.y + bl.y - tl.y }, bl];
    let mut modules = modules;
    if let Some(found) = alignment {
        modules[2] = Point { x: far - 3.0, y: far - 3.0 };
        picture[2] = found;
    }
    Transform::between(modules, picture)
}

/// Samples and reads a symbol of `version` whose finder centres are at tl, tr, bl.
fn read_symbol(bm: &Bitmap, corners: [Point; 3], version: usize, perspective: f32, gf: &Gf) -> Option<String> {
    let [tl, tr, bl] = corners;
    let size = version * 4 + 17;
    let mut alignments = Vec::new();
    if version >= 2 {
        let n = size as f32 - 7.0;
        let ex = Point { x: (tr.x - tl.x) / n, y: (tr.y - tl.y) / n };
        let ey = Point { x: (bl.x - tl.x) / n, y: (bl.y - tl.y) / n };
        let k = size as f32 - 10.0;
        let estimate = Point { x: tl.x + k * (ex.x + ey.x), y: tl.y + k * (ex.y + ey.y) };
        let module = ((ex.x * ex.x + ex.y * ex.y).sqrt() + (ey.x * ey.x + ey.y * ey.y).sqrt()) / 2.0;
        alignments = locate::find_alignments(bm, estimate, module * perspective, 20.0 * module);
        alignments.truncate(MAX_ALIGNMENTS);
    }
    // The nearest alignment patterns to where one is expected (data can look like one), then
    // none: the parallelogram of the finders.
    for alignment in alignments.into_iter().map(Some).chain([None]) {
        let grid = Grid { size, bits: locate::sample(bm, &transform(corners, version, alignment), size) };
        let data = grid::read_format(&grid).and_then(|format| grid::read_data(&grid, format, gf));
        if let Some(data) = data {
            return text::decode(&data, version);
        }
    }
    None
}

#[cfg(test)]
mod tests;
