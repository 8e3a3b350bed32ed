//! Finding QR codes in a picture: a local-average binarizer, finder patterns (the 1:1:3:1:1
//! squares in three corners), the bottom-right alignment pattern, and a perspective transform
//! from module coordinates to the picture.

/// A binarized picture: true = dark.
pub struct Bitmap {
    pub width: usize,
    pub height: usize,
    pub bits: Vec<bool>,
}

impl Bitmap {
    pub fn get(&self, x: usize, y: usize) -> bool {
        self.bits[y * self.width + x]
    }

    /// The pixel at (x, y), or light outside the picture.
    fn at(&self, x: f32, y: f32) -> bool {
        if x < 0.0 || y < 0.0 {
            return false;
        }
        let (x, y) = (x as usize, y as usize);
        x < self.width && y < self.height && self.get(x, y)
    }

    /// Dark where the luminance is below the average of its neighbourhood (8×8 blocks, each
    /// compared with the 5×5 blocks around it); flat areas take their neighbours' threshold.
    pub fn binarize(width: usize, height: usize, luma: &[u8], invert: bool) -> Bitmap {
        const B: usize = 8;
        let (bw, bh) = (width.div_ceil(B), height.div_ceil(B));
        let mut thresholds = vec![0u8; bw * bh];
        for by in 0..bh {
            for bx in 0..bw {
                let (mut min, mut max, mut sum, mut n) = (255u8, 0u8, 0u32, 0u32);
                for y in by * B..((by + 1) * B).min(height) {
                    for &v in &luma[y * width + bx * B..y * width + ((bx + 1) * B).min(width)] {
                        min = min.min(v);
                        max = max.max(v);
                        sum += v as u32;
                        n += 1;
                    }
                }
                let mut average = (sum / n) as u8;
                if max - min <= 24 {
                    // Flat: all light, unless the neighbours say this level is dark.
                    average = min / 2;
                    if by > 0 && bx > 0 {
                        let t = |x: usize, y: usize| thresholds[y * bw + x] as u32;
                        let neighbours = ((t(bx, by - 1) + 2 * t(bx - 1, by) + t(bx - 1, by - 1)) / 4) as u8;
                        if min < neighbours {
                            average = neighbours;
                        }
                    }
                }
                thresholds[by * bw + bx] = average;
            }
        }
        let mut bits = vec![false; width * height];
        for by in 0..bh {
            for bx in 0..bw {
                let (x0, x1) = (bx.saturating_sub(2), (bx + 2).min(bw - 1));
                let (y0, y1) = (by.saturating_sub(2), (by + 2).min(bh - 1));
                let (mut sum, mut n) = (0u32, 0u32);
                for y in y0..=y1 {
                    for x in x0..=x1 {
                        sum += thresholds[y * bw + x] as u32;
                        n += 1;
                    }
                }
                let threshold = (sum / n) as u8;
                for y in by * B..((by + 1) * B).min(height) {
                    for x in bx * B..((bx + 1) * B).min(width) {
                        bits[y * width + x] = (luma[y * width + x] <= threshold) != invert;
                    }
                }
            }
        }
        Bitmap { width, height, bits }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

/// Sorts a short list by a key, smallest first (an insertion sort: a fraction of the code of the
/// standard library's sorts, which matters in the WebAssembly module; the lists have a dozen items).
fn sort_by<T: Copy>(items: &mut [T], key: impl Fn(&T) -> f32) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && key(&items[j]) < key(&items[j - 1]) {
            items.swap(j, j - 1);
            j -= 1;
        }
    }
}

fn dist(a: Point, b: Point) -> f32 {
    ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).sqrt()
}

/// A finder pattern seen in the picture: its centre, module size, and how many rows confirmed it.
#[derive(Debug, Clone, Copy)]
pub struct Finder {
    pub at: Point,
    pub module: f32,
    pub count: u32,
}

/// Run lengths in the proportions 1:1:3:1:1, within `tolerance` of a module each.
fn ratio_ok(runs: &[u32; 5], tolerance: f32) -> bool {
    let total: u32 = runs.iter().sum();
    if total < 7 {
        return false;
    }
    let module = total as f32 / 7.0;
    let max = module * tolerance;
    runs.iter().zip([1.0, 1.0, 3.0, 1.0, 1.0]).all(|(&r, m)| (module * m - r as f32).abs() < max * m)
}

/// Runs through (cx, cy) along (dx, dy), outwards both ways from a dark centre:
/// [outer dark, light, centre dark, light, outer dark], each at most `max` pixels, and where the
/// middle of the centre run is, in steps from (cx, cy).
fn cross_runs(bm: &Bitmap, cx: usize, cy: usize, dx: isize, dy: isize, max: u32) -> Option<([u32; 5], f32)> {
    let mut runs = [0u32; 5];
    let mut back = 0;
    for (sign, states) in [(-1isize, [2usize, 1, 0]), (1, [2, 3, 4])] {
        let (mut x, mut y) = (cx as isize, cy as isize);
        if sign > 0 {
            back = runs[2];
            x += dx;
            y += dy;
        }
        for (k, &state) in states.iter().enumerate() {
            let dark = k != 1;
            while x >= 0 && y >= 0 && (x as usize) < bm.width && (y as usize) < bm.height && bm.get(x as usize, y as usize) == dark {
                runs[state] += 1;
                if runs[state] > max {
                    return None;
                }
                x += sign * dx;
                y += sign * dy;
            }
            if runs[state] == 0 {
                return None;
            }
        }
    }
    // The centre run covers steps 1 - back ..= runs[2] - back.
    let forward = runs[2] - back;
    Some((runs, (forward as f32 - back as f32 + 1.0) / 2.0))
}

/// The centre of the middle run along a line whose runs end at `end`.
fn centre_from_end(runs: &[u32; 5], end: usize) -> f32 {
    end as f32 - runs[4] as f32 - runs[3] as f32 - runs[2] as f32 / 2.0
}

/// Looks for finder patterns row by row and confirms each candidate vertically, horizontally
/// and diagonally.
pub fn find_finders(bm: &Bitmap) -> Vec<Finder> {
    let mut found: Vec<Finder> = Vec::new();
    let step = (bm.height / 600).max(1);
    for y in (0..bm.height).step_by(step) {
        let mut runs = [0u32; 5];
        let mut state = 0usize;
        for x in 0..=bm.width {
            let dark = x < bm.width && bm.get(x, y);
            if dark == state.is_multiple_of(2) {
                runs[state] += 1;
                continue;
            }
            // A colour change.
            if state < 4 {
                if dark || runs[0] > 0 {
                    state += 1;
                    runs[state] += 1;
                }
                continue;
            }
            // Five runs ending in dark, now light: a candidate?
            if ratio_ok(&runs, 0.5) && confirm(bm, &runs, x, y, &mut found) {
                runs = [0; 5];
                state = 0;
            } else {
                runs = [runs[2], runs[3], runs[4], 1, 0];
                state = 3;
            }
        }
    }
    found
}

fn confirm(bm: &Bitmap, runs: &[u32; 5], end: usize, y: usize, found: &mut Vec<Finder>) -> bool {
    let total: u32 = runs.iter().sum();
    let cx = centre_from_end(runs, end);
    let max = runs[2] * 2;
    // Vertically through the centre.
    let Some((vertical, dy)) = cross_runs(bm, cx as usize, y, 0, 1, max) else { return false };
    let vertical_total: u32 = vertical.iter().sum();
    // (Seen at a steep angle, a finder may be up to twice as tall as it is wide, or half.)
    if !ratio_ok(&vertical, 0.5) || vertical_total > 2 * total || 2 * vertical_total < total {
        return false;
    }
    let cy = y as f32 + dy;
    // Horizontally again through the corrected centre.
    let Some((horizontal, dx)) = cross_runs(bm, cx as usize, cy as usize, 1, 0, max) else { return false };
    if !ratio_ok(&horizontal, 0.5) {
        return false;
    }
    let cx = (cx as usize) as f32 + dx;
    // And along a diagonal (either: one may graze a corner of a sheared pattern), which rules
    // out most lookalikes in text and pictures.
    let diagonal_ok = |dy| cross_runs(bm, cx as usize, cy as usize, 1, dy, max * 2).is_some_and(|(runs, _)| ratio_ok(&runs, 0.75));
    if !diagonal_ok(1) && !diagonal_ok(-1) {
        return false;
    }
    let module = (horizontal.iter().sum::<u32>() + vertical_total) as f32 / 14.0;
    // Pixel (x, y) covers [x, x + 1): its centre is at x + 0.5.
    let at = Point { x: cx + 0.5, y: cy + 0.5 };
    for f in found.iter_mut() {
        let near = f.module.max(module);
        if (f.at.x - at.x).abs() <= near && (f.at.y - at.y).abs() <= near && (f.module - module).abs() <= 1.0f32.max(module) {
            let n = f.count as f32;
            f.at = Point { x: (f.at.x * n + at.x) / (n + 1.0), y: (f.at.y * n + at.y) / (n + 1.0) };
            f.module = (f.module * n + module) / (n + 1.0);
            f.count += 1;
            return true;
        }
    }
    found.push(Finder { at, module, count: 1 });
    true
}

/// Three finder patterns that could be the corners of one symbol, best first:
/// (top-left, top-right, bottom-left) in picture orientation, with a score (lower is better).
pub fn triples(finders: &[Finder]) -> Vec<([Finder; 3], f32)> {
    let mut best: Vec<Finder> = finders.to_vec();
    sort_by(&mut best, |f| -(f.count as f32));
    best.truncate(12);
    let mut out = Vec::new();
    let n = best.len();
    for i in 0..n {
        for j in i + 1..n {
            for k in j + 1..n {
                let t = [best[i], best[j], best[k]];
                let modules = t.map(|f| f.module);
                let (lo, hi) = (modules.iter().cloned().fold(f32::MAX, f32::min), modules.iter().cloned().fold(0.0, f32::max));
                if hi > lo * 2.5 {
                    continue;
                }
                // The corner opposite the longest side is the top-left.
                let sides = [dist(t[1].at, t[2].at), dist(t[0].at, t[2].at), dist(t[0].at, t[1].at)];
                let corner = (0..3).max_by(|&a, &b| sides[a].total_cmp(&sides[b])).unwrap_or(0);
                let (tl, mut tr, mut bl) = (t[corner], t[(corner + 1) % 3], t[(corner + 2) % 3]);
                let (a, b) = (dist(tl.at, tr.at), dist(tl.at, bl.at));
                let c = sides[corner];
                let module = (lo + hi) / 2.0;
                // Two similar legs, a hypotenuse to match, and room for at least 21 modules.
                let legs = (a - b).abs() / a.max(b);
                let right = (c * c - a * a - b * b).abs() / (c * c);
                if legs > 0.5 || right > 0.5 || a.min(b) < 10.0 * module || a.max(b) > 190.0 * module {
                    continue;
                }
                let cross = (tr.at.x - tl.at.x) * (bl.at.y - tl.at.y) - (tr.at.y - tl.at.y) * (bl.at.x - tl.at.x);
                if cross < 0.0 {
                    std::mem::swap(&mut tr, &mut bl);
                }
                let size_mismatch = (hi - lo) / hi;
                let weak = 1.0 / (tl.count.min(tr.count).min(bl.count) as f32 + 1.0);
                out.push(([tl, tr, bl], legs + right + size_mismatch + weak));
            }
        }
    }
    sort_by(&mut out, |t| t.1);
    out
}

/// Length in pixels of dark-light-dark from `from` towards `to` (and as far the other way),
/// as in ZXing's detector: 7 modules along the line through a finder's centre.
fn bwb_run_both_ways(bm: &Bitmap, from: Point, to: Point) -> Option<f32> {
    let one = bwb_run(bm, from, to);
    let other = Point { x: 2.0 * from.x - to.x, y: 2.0 * from.y - to.y };
    let two = bwb_run(bm, from, other);
    match (one, two) {
        (Some(a), Some(b)) => Some(a + b),
        (Some(a), None) | (None, Some(a)) => Some(2.0 * a),
        _ => None,
    }
}

fn bwb_run(bm: &Bitmap, from: Point, to: Point) -> Option<f32> {
    let (dx, dy) = (to.x - from.x, to.y - from.y);
    let steps = dx.abs().max(dy.abs());
    if steps < 1.0 {
        return None;
    }
    let (sx, sy) = (dx / steps, dy / steps);
    let mut state = 0;
    let (mut x, mut y) = (from.x, from.y);
    for i in 0..steps as usize {
        // Dark in states 0 and 2, light in state 1.
        if (state == 1) == bm.at(x, y) {
            if state == 2 {
                // The edge lies between this step and the previous one.
                return Some((i as f32 - 0.5) * (sx * sx + sy * sy).sqrt());
            }
            state += 1;
        }
        x += sx;
        y += sy;
    }
    None
}

/// Module size measured along the lines between the finders' centres (right under rotation).
pub fn module_size(bm: &Bitmap, tl: Point, tr: Point, bl: Point) -> Option<f32> {
    let one_way = |a: Point, b: Point| match (bwb_run_both_ways(bm, a, b), bwb_run_both_ways(bm, b, a)) {
        (Some(x), Some(y)) => Some((x + y) / 14.0),
        (Some(x), None) | (None, Some(x)) => Some(x / 7.0),
        _ => None,
    };
    match (one_way(tl, tr), one_way(tl, bl)) {
        (Some(a), Some(b)) => Some((a + b) / 2.0),
        (Some(a), None) | (None, Some(a)) => Some(a),
        _ => None,
    }
}

/// Looks for alignment patterns (a dark module in a light ring in a dark ring) within `radius`
/// pixels of `estimate`, where modules are about `module` pixels: each light-dark-light run of
/// about a module each along a row, confirmed vertically. Nearest first.
pub fn find_alignments(bm: &Bitmap, estimate: Point, module: f32, radius: f32) -> Vec<Point> {
    let near = |run: u32| (run as f32 - module).abs() < module * 0.6;
    let x0 = (estimate.x - radius).max(0.0) as usize;
    let x1 = ((estimate.x + radius) as usize).min(bm.width);
    let y0 = (estimate.y - radius).max(0.0) as usize;
    let y1 = ((estimate.y + radius) as usize).min(bm.height);
    let mut seen: Vec<Point> = Vec::new();
    for y in y0..y1 {
        // Runs along the row: [light, dark, light] between dark pixels.
        let mut runs = [0u32; 3];
        let mut state = 0usize;
        let mut started = false;
        for x in x0..x1 {
            let dark = bm.get(x, y);
            if !started {
                started = dark;
                continue;
            }
            if dark == (state == 1) {
                runs[state] += 1;
                continue;
            }
            if state == 0 && runs[0] == 0 {
                // Still in the dark before the pattern.
                continue;
            }
            if state < 2 {
                state += 1;
                runs[state] = 1;
                continue;
            }
            // Light, dark, light, now dark again.
            if runs.iter().all(|&r| near(r)) {
                let cx = x as f32 - runs[2] as f32 - runs[1] as f32 / 2.0;
                if let Some(cy) = alignment_column(bm, cx as usize, y, &near) {
                    let at = Point { x: cx, y: cy };
                    if !seen.iter().any(|p| dist(*p, at) < module) {
                        seen.push(at);
                    }
                }
            }
            runs = [runs[2], 1, 0];
            state = 1;
        }
    }
    sort_by(&mut seen, |p| dist(*p, estimate));
    seen
}

/// Confirms an alignment pattern's centre vertically: the dark centre, light above and below,
/// dark beyond. Returns the centre's y.
fn alignment_column(bm: &Bitmap, x: usize, y: usize, near: &dyn Fn(u32) -> bool) -> Option<f32> {
    if !bm.get(x, y) {
        return None;
    }
    let run = |from: isize, step: isize, dark: bool| {
        let mut n = 0u32;
        let mut y = from;
        while y >= 0 && (y as usize) < bm.height && bm.get(x, y as usize) == dark {
            n += 1;
            y += step;
        }
        (n, y >= 0 && (y as usize) < bm.height)
    };
    let (up, _) = run(y as isize, -1, true);
    let (down, _) = run(y as isize + 1, 1, true);
    let top = y as isize + 1 - up as isize;
    let bottom = y as isize + down as isize;
    let (above, inside_above) = run(top - 1, -1, false);
    let (below, inside_below) = run(bottom + 1, 1, false);
    if !(near(up + down) && near(above) && near(below) && inside_above && inside_below) {
        return None;
    }
    Some((top + bottom + 1) as f32 / 2.0)
}

/// A projective transform (homography) as a 3×3 matrix, row-major.
#[derive(Debug, Clone, Copy)]
pub struct Transform([f32; 9]);

impl Transform {
    /// Maps the unit square's corners (0,0), (1,0), (1,1), (0,1) to the four points.
    fn square_to_quad(q: [Point; 4]) -> Transform {
        let [p0, p1, p2, p3] = q;
        let (dx3, dy3) = (p0.x - p1.x + p2.x - p3.x, p0.y - p1.y + p2.y - p3.y);
        if dx3 == 0.0 && dy3 == 0.0 {
            return Transform([p1.x - p0.x, p3.x - p0.x, p0.x, p1.y - p0.y, p3.y - p0.y, p0.y, 0.0, 0.0, 1.0]);
        }
        let (dx1, dx2, dy1, dy2) = (p1.x - p2.x, p3.x - p2.x, p1.y - p2.y, p3.y - p2.y);
        let den = dx1 * dy2 - dx2 * dy1;
        let g = (dx3 * dy2 - dx2 * dy3) / den;
        let h = (dx1 * dy3 - dx3 * dy1) / den;
        Transform([
            p1.x - p0.x + g * p1.x, p3.x - p0.x + h * p3.x, p0.x,
            p1.y - p0.y + g * p1.y, p3.y - p0.y + h * p3.y, p0.y,
            g, h, 1.0,
        ])
    }

    /// The inverse (adjugate; the scale does not matter for a homography).
    fn adjugate(&self) -> Transform {
        let [a, b, c, d, e, f, g, h, i] = self.0;
        Transform([e * i - f * h, c * h - b * i, b * f - c * e, f * g - d * i, a * i - c * g, c * d - a * f, d * h - e * g, b * g - a * h, a * e - b * d])
    }

    fn then(&self, next: &Transform) -> Transform {
        let (a, b) = (next.0, self.0);
        let mut m = [0.0; 9];
        for r in 0..3 {
            for c in 0..3 {
                m[r * 3 + c] = (0..3).map(|k| a[r * 3 + k] * b[k * 3 + c]).sum();
            }
        }
        Transform(m)
    }

    /// The transform taking the four points `from` to the four points `to`.
    pub fn between(from: [Point; 4], to: [Point; 4]) -> Transform {
        Transform::square_to_quad(from).adjugate().then(&Transform::square_to_quad(to))
    }

    pub fn apply(&self, p: Point) -> Point {
        let m = &self.0;
        let w = m[6] * p.x + m[7] * p.y + m[8];
        Point { x: (m[0] * p.x + m[1] * p.y + m[2]) / w, y: (m[3] * p.x + m[4] * p.y + m[5]) / w }
    }
}

/// Samples a `size`×`size` grid of modules through `t` (module coordinates → picture).
pub fn sample(bm: &Bitmap, t: &Transform, size: usize) -> Vec<bool> {
    let mut bits = Vec::with_capacity(size * size);
    for y in 0..size {
        for x in 0..size {
            let p = t.apply(Point { x: x as f32 + 0.5, y: y as f32 + 0.5 });
            bits.push(bm.at(p.x, p.y));
        }
    }
    bits
}
