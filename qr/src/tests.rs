//! The reader against codes drawn by an independent encoder (the `qrcode` crate), photographed
//! in software: scaled, rotated, tilted, blurred, unevenly lit and noisy.

use super::*;
use qrcode::{EcLevel, QrCode, Version};

const LEVELS: [EcLevel; 4] = [EcLevel::L, EcLevel::M, EcLevel::Q, EcLevel::H];

/// The modules of a code (true = dark), row-major, and its size.
fn modules(code: &QrCode) -> (Vec<bool>, usize) {
    (code.to_colors().iter().map(|c| *c == qrcode::Color::Dark).collect(), code.width())
}

struct Scene {
    width: usize,
    height: usize,
    /// Picture → module coordinates (the inverse of where the code is put).
    to_modules: Transform,
    /// Light and dark levels, and a left-to-right lighting gradient.
    light: f32,
    dark: f32,
    gradient: f32,
    noise: f32,
    seed: u32,
}

impl Scene {
    /// A code of `size` modules with `pixels` per module, centred, rotated by `degrees`.
    fn new(width: usize, height: usize, size: usize, pixels: f32, degrees: f32) -> Scene {
        let (s, c) = degrees.to_radians().sin_cos();
        let half = size as f32 * pixels / 2.0;
        let centre = Point { x: width as f32 / 2.0, y: height as f32 / 2.0 };
        let corner = |mx: f32, my: f32| {
            let (x, y) = (mx * pixels - half, my * pixels - half);
            Point { x: centre.x + x * c - y * s, y: centre.y + x * s + y * c }
        };
        let n = size as f32;
        Scene::quad(width, height, size, [corner(0.0, 0.0), corner(n, 0.0), corner(n, n), corner(0.0, n)])
    }

    /// A code whose four outer corners (clockwise from top-left) are at `quad` in the picture.
    fn quad(width: usize, height: usize, size: usize, quad: [Point; 4]) -> Scene {
        let n = size as f32;
        let square = [Point { x: 0.0, y: 0.0 }, Point { x: n, y: 0.0 }, Point { x: n, y: n }, Point { x: 0.0, y: n }];
        Scene { width, height, to_modules: Transform::between(quad, square), light: 220.0, dark: 30.0, gradient: 0.0, noise: 0.0, seed: 1 }
    }

    /// Renders with 3×3 supersampling (anti-aliased edges), lighting and noise.
    fn render(&mut self, bits: &[bool], size: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.width * self.height);
        for y in 0..self.height {
            for x in 0..self.width {
                let mut dark = 0;
                for sy in 0..3 {
                    for sx in 0..3 {
                        let p = self.to_modules.apply(Point { x: x as f32 + (sx as f32 + 0.5) / 3.0, y: y as f32 + (sy as f32 + 0.5) / 3.0 });
                        if p.x >= 0.0 && p.y >= 0.0 && (p.x as usize) < size && (p.y as usize) < size && bits[p.y as usize * size + p.x as usize] {
                            dark += 1;
                        }
                    }
                }
                let shade = 1.0 - self.gradient * x as f32 / self.width as f32;
                let level = (self.light + (self.dark - self.light) * dark as f32 / 9.0) * shade;
                self.seed = self.seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let noise = ((self.seed >> 16) % 1000) as f32 / 1000.0 - 0.5;
                out.push((level + noise * self.noise).clamp(0.0, 255.0) as u8);
            }
        }
        out
    }
}

/// The code's modules inside a light quiet zone of 4 modules.
fn with_quiet_zone(code: &QrCode) -> (Vec<bool>, usize) {
    let (bits, size) = modules(code);
    let outer = size + 8;
    let mut out = vec![false; outer * outer];
    for y in 0..size {
        for x in 0..size {
            out[(y + 4) * outer + x + 4] = bits[y * size + x];
        }
    }
    (out, outer)
}

fn picture(text: &str, level: EcLevel, width: usize, height: usize, pixels: f32, degrees: f32) -> Vec<u8> {
    let code = QrCode::with_error_correction_level(text, level).unwrap();
    let (bits, size) = with_quiet_zone(&code);
    Scene::new(width, height, size, pixels, degrees).render(&bits, size)
}

const OFFER: &str = "openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fissuer.dome-marketplace.eu%2Foid4vci%2Fv1%2Fcredential-offer%2F2b1f1a9e-6c1d-4f5e-9d3e-7d2a0c8b5f41";
const LOGIN: &str = "openid4vp://?client_id=did%3Akey%3AzDnaeVYnWTZu5nbrH1qmBVMvNwSrtKnkRbCZ4xH5h2LQPnzdr&request_uri=https%3A%2F%2Fverifier.dome-marketplace.eu%2Foid4vp%2Fauth-request%2F0e2c9a8f-5f54-4b1e-8a5f-3c6f2f3d1e77";

#[test]
fn every_version_and_level() {
    let mut masks = [false; 8];
    for version in 1..=40 {
        for level in LEVELS {
            // Fill nearly all of the symbol's capacity with varied text (UTF-8, digits, letters).
            let mut n = [17usize, 32, 53, 78, 106, 134, 154, 192, 230, 271, 321, 367, 425, 458, 520, 586, 644, 718, 792, 858, 929, 1003, 1091, 1171, 1273, 1367, 1465, 1528, 1628, 1732, 1840, 1952, 2068, 2188, 2303, 2431, 2563, 2699, 2809, 2953][version - 1];
            let (text, code) = loop {
                let text: String = (0..n).map(|i| ['a', 'Z', '7', '/', ':', '%', 'é', 'q'][(i * 7 + version) % 8]).collect();
                let text: String = text.chars().scan(0, |len, ch| {
                    *len += ch.len_utf8();
                    (*len <= n).then_some(ch)
                }).collect();
                if let Ok(code) = QrCode::with_version(text.as_bytes(), Version::Normal(version as i16), level) {
                    break (text, code);
                }
                n = n * 97 / 100;
            };
            let (bits, size) = with_quiet_zone(&code);
            let pixels = if version > 20 { 2.0 } else { 3.0 };
            let side = (size as f32 * pixels) as usize + 10;
            let luma = Scene::new(side, side, size, pixels, 0.0).render(&bits, size);
            assert_eq!(decode_luma(side, side, &luma, false).as_deref(), Some(text.as_str()), "version {version} level {level:?}");
            let grid = Grid { size: code.width(), bits: modules(&code).0 };
            masks[grid::read_format(&grid).unwrap().mask] = true;
        }
    }
    assert_eq!(masks, [true; 8], "every mask was read");
}

#[test]
fn numeric_and_alphanumeric_segments() {
    for text in ["0123456789012345678901234567890123456789", "HTTPS://EXAMPLE.ORG/ABC-123 $%*+", "12 apples and HTTPS://X.ORG/A?b=1"] {
        let luma = picture(text, EcLevel::M, 320, 320, 4.0, 0.0);
        assert_eq!(decode_luma(320, 320, &luma, false).as_deref(), Some(text));
    }
}

#[test]
fn rotated_at_any_angle() {
    for degrees in (0..360).step_by(15) {
        let luma = picture(LOGIN, EcLevel::L, 640, 480, 5.0, degrees as f32 + 3.0);
        assert_eq!(decode_luma(640, 480, &luma, false).as_deref(), Some(LOGIN), "{degrees}°");
    }
}

#[test]
fn small_and_large_in_the_frame() {
    let code = QrCode::with_error_correction_level(OFFER, EcLevel::M).unwrap();
    let size = with_quiet_zone(&code).1;
    // From about 2.2 pixels a module to a code filling the frame's height.
    for pixels in [2.2, 3.0, 4.5, 7.0, 480.0 / size as f32] {
        let luma = picture(OFFER, EcLevel::M, 640, 480, pixels, 0.0);
        assert_eq!(decode_luma(640, 480, &luma, false).as_deref(), Some(OFFER), "{pixels} px/module");
    }
}

#[test]
fn tilted_in_perspective() {
    let code = QrCode::with_error_correction_level(LOGIN, EcLevel::M).unwrap();
    let (bits, size) = with_quiet_zone(&code);
    let p = |x: f32, y: f32| Point { x, y };
    let quads = [
        [p(150.0, 60.0), p(470.0, 90.0), p(450.0, 420.0), p(170.0, 400.0)],
        [p(180.0, 80.0), p(460.0, 40.0), p(500.0, 450.0), p(140.0, 410.0)],
        [p(120.0, 100.0), p(520.0, 60.0), p(480.0, 380.0), p(160.0, 430.0)],
        [p(190.0, 50.0), p(450.0, 50.0), p(510.0, 440.0), p(130.0, 440.0)],
    ];
    for quad in quads {
        let luma = Scene::quad(640, 480, size, quad).render(&bits, size);
        assert_eq!(decode_luma(640, 480, &luma, false).as_deref(), Some(LOGIN), "{quad:?}");
    }
}

#[test]
fn dim_uneven_light_and_sensor_noise() {
    let code = QrCode::with_error_correction_level(OFFER, EcLevel::L).unwrap();
    let (bits, size) = with_quiet_zone(&code);
    let mut scene = Scene::new(640, 480, size, 5.0, 8.0);
    scene.light = 140.0;
    scene.dark = 60.0;
    scene.gradient = 0.6;
    scene.noise = 40.0;
    let luma = scene.render(&bits, size);
    assert_eq!(decode_luma(640, 480, &luma, false).as_deref(), Some(OFFER));
}

#[test]
fn damaged_modules_are_corrected() {
    let code = QrCode::with_error_correction_level(LOGIN, EcLevel::Q).unwrap();
    let (mut bits, size) = with_quiet_zone(&code);
    // A smudge of 6×6 modules in the data area.
    for y in 30..36 {
        for x in 30..36 {
            bits[y * size + x] = !bits[y * size + x];
        }
    }
    let luma = Scene::new(640, 480, size, 5.0, 0.0).render(&bits, size);
    assert_eq!(decode_luma(640, 480, &luma, false).as_deref(), Some(LOGIN));
}

#[test]
fn light_on_dark_and_mirrored_only_when_trying_harder() {
    let code = QrCode::with_error_correction_level(OFFER, EcLevel::M).unwrap();
    let (bits, size) = with_quiet_zone(&code);
    let inverted: Vec<bool> = bits.iter().map(|b| !b).collect();
    let luma = Scene::new(640, 480, size, 4.0, 0.0).render(&inverted, size);
    assert_eq!(decode_luma(640, 480, &luma, false), None);
    assert_eq!(decode_luma(640, 480, &luma, true).as_deref(), Some(OFFER));
    let mirrored: Vec<bool> = (0..size * size).map(|i| bits[(i / size) * size + size - 1 - i % size]).collect();
    let luma = Scene::new(640, 480, size, 4.0, 0.0).render(&mirrored, size);
    assert_eq!(decode_luma(640, 480, &luma, true).as_deref(), Some(OFFER));
}

#[test]
fn rgba_pictures() {
    let luma = picture("hello", EcLevel::M, 200, 150, 4.0, 0.0);
    let rgba: Vec<u8> = luma.iter().flat_map(|&l| [l, l, l, 255]).collect();
    assert_eq!(decode_rgba(200, 150, &rgba, false).as_deref(), Some("hello"));
    assert_eq!(decode_rgba(200, 150, &rgba[..100], false), None, "short buffer");
}

#[test]
fn nothing_in_blank_noisy_or_tiny_pictures() {
    assert_eq!(decode_luma(640, 480, &vec![200; 640 * 480], true), None);
    assert_eq!(decode_luma(10, 10, &[0; 100], true), None);
    assert_eq!(decode_luma(100, 100, &[0; 10], true), None, "short buffer");
    let mut seed = 99u32;
    for _ in 0..4 {
        let noise: Vec<u8> = (0..320 * 240)
            .map(|_| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                (seed >> 16) as u8
            })
            .collect();
        assert_eq!(decode_luma(320, 240, &noise, true), None);
    }
    // Blocky noise (finder-like runs everywhere).
    let blocks: Vec<u8> = (0..320 * 240)
        .map(|i| {
            let (x, y) = (i % 320 / 4, i / 320 / 4);
            if (x * 7 + y * 13 + x * y) % 3 == 0 { 20 } else { 230 }
        })
        .collect();
    assert_eq!(decode_luma(320, 240, &blocks, true), None);
}

#[test]
#[ignore = "timing: cargo test --release qr::tests::frame_time -- --ignored --nocapture"]
fn frame_time() {
    let code = QrCode::with_error_correction_level(LOGIN, EcLevel::M).unwrap();
    let (bits, size) = with_quiet_zone(&code);
    let with_code = Scene::new(640, 480, size, 5.0, 10.0).render(&bits, size);
    // No code: an evenly lit surface with sensor noise, and very noisy (dark room).
    let nowhere = |noise: f32| {
        let mut empty = Scene::new(640, 480, size, 5.0, 0.0);
        let square = [Point { x: 0.0, y: 0.0 }, Point { x: 1.0, y: 0.0 }, Point { x: 1.0, y: 1.0 }, Point { x: 0.0, y: 1.0 }];
        empty.to_modules = Transform::between(square, square.map(|p| Point { x: p.x - 9.0, y: p.y - 9.0 }));
        empty.noise = noise;
        empty.gradient = 0.3;
        empty.render(&bits, size)
    };
    let (without, noisy) = (nowhere(10.0), nowhere(40.0));
    for (name, luma) in [("with a code", &with_code), ("without", &without), ("without, very noisy", &noisy)] {
        let runs = 50;
        let start = std::time::Instant::now();
        for _ in 0..runs {
            std::hint::black_box(decode_luma(640, 480, luma, false));
        }
        println!("640×480 {name}: {:.2} ms", start.elapsed().as_secs_f64() * 1000.0 / runs as f64);
    }
}

#[test]
fn every_version_and_level_from_a_perfect_grid() {
    let gf = Gf::new();
    for version in 1..=40 {
        for level in LEVELS {
            let text = format!("{version}{level:?}") + &"x".repeat(version * 2);
            let code = QrCode::with_version(text.as_bytes(), Version::Normal(version as i16), level).unwrap();
            let grid = Grid { size: code.width(), bits: modules(&code).0 };
            let format = grid::read_format(&grid).unwrap();
            assert_eq!(format.level, level as usize, "v{version} {level:?}");
            if version >= 7 {
                assert_eq!(grid::read_version(&grid), Some(version));
            }
            let data = grid::read_data(&grid, format, &gf).unwrap_or_else(|| panic!("v{version} {level:?}"));
            assert_eq!(text::decode(&data, version).as_deref(), Some(text.as_str()));
        }
    }
}

