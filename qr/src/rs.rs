//! Reed–Solomon error correction over GF(256) as QR codes use it: the field polynomial
//! x⁸+x⁴+x³+x²+1 (0x11D), generator roots α⁰…αⁿ⁻¹. The log and antilog tables are computed
//! at run time (512 bytes of memory, nothing in the module's data).

pub struct Gf {
    exp: [u8; 512],
    log: [u8; 256],
}

impl Gf {
    pub fn new() -> Gf {
        let mut gf = Gf { exp: [0; 512], log: [0; 256] };
        let mut x: u16 = 1;
        for i in 0..255 {
            gf.exp[i] = x as u8;
            gf.log[x as usize] = i as u8;
            x <<= 1;
            if x & 0x100 != 0 {
                x ^= 0x11D;
            }
        }
        for i in 255..512 {
            gf.exp[i] = gf.exp[i - 255];
        }
        gf
    }

    fn mul(&self, a: u8, b: u8) -> u8 {
        if a == 0 || b == 0 {
            0
        } else {
            self.exp[self.log[a as usize] as usize + self.log[b as usize] as usize]
        }
    }

    /// a / b, with b ≠ 0.
    fn div(&self, a: u8, b: u8) -> u8 {
        if a == 0 {
            0
        } else {
            self.exp[self.log[a as usize] as usize + 255 - self.log[b as usize] as usize]
        }
    }

    /// αⁱ
    fn pow(&self, i: usize) -> u8 {
        self.exp[i % 255]
    }

    /// Corrects `block` (data then `ecc` error correction codewords, the first codeword being the
    /// highest power) in place, fixing at most `max_errors` codewords. Returns false when the
    /// errors are beyond repair.
    pub fn correct(&self, block: &mut [u8], ecc: usize, max_errors: usize) -> bool {
        let n = block.len();
        if ecc == 0 || ecc > 64 || n > 255 {
            return false;
        }
        // Syndromes S_i = r(αⁱ).
        let mut syn = [0u8; 64];
        let mut clean = true;
        for (i, s) in syn.iter_mut().enumerate().take(ecc) {
            let a = self.pow(i);
            *s = block.iter().fold(0, |acc, &c| self.mul(acc, a) ^ c);
            clean &= *s == 0;
        }
        if clean {
            return true;
        }
        // Berlekamp–Massey: the error locator Λ(x), lowest power first.
        let mut lambda = [0u8; 65];
        let mut prev = [0u8; 65];
        lambda[0] = 1;
        prev[0] = 1;
        let (mut len, mut shift, mut b) = (0usize, 1usize, 1u8);
        for k in 0..ecc {
            let mut d = syn[k];
            for i in 1..=len {
                d ^= self.mul(lambda[i], syn[k - i]);
            }
            if d == 0 {
                shift += 1;
                continue;
            }
            let coef = self.div(d, b);
            let saved = lambda;
            for i in 0..=ecc - shift {
                lambda[i + shift] ^= self.mul(coef, prev[i]);
            }
            if 2 * len <= k {
                len = k + 1 - len;
                prev = saved;
                b = d;
                shift = 1;
            } else {
                shift += 1;
            }
        }
        if len == 0 || len > max_errors || 2 * len > ecc {
            return false;
        }
        // Ω(x) = S(x)·Λ(x) mod xᵉᶜᶜ.
        let mut omega = [0u8; 64];
        for i in 0..ecc {
            for j in 0..=i.min(len) {
                omega[i] ^= self.mul(syn[i - j], lambda[j]);
            }
        }
        // Chien search over the positions, then Forney for the values.
        let mut found = 0;
        for (pos, codeword) in block.iter_mut().enumerate() {
            // The codeword at `pos` is the coefficient of x^(n-1-pos): its locator is X = α^(n-1-pos).
            let power = n - 1 - pos;
            let x_inv = self.pow(255 - power % 255);
            let mut value = 0u8;
            let mut xi = 1u8;
            for &c in lambda.iter().take(len + 1) {
                value ^= self.mul(c, xi);
                xi = self.mul(xi, x_inv);
            }
            if value != 0 {
                continue;
            }
            // Λ'(X⁻¹): the odd terms of Λ, one power lower.
            let mut deriv = 0u8;
            let mut xi = 1u8;
            let x_inv2 = self.mul(x_inv, x_inv);
            for i in (1..=len).step_by(2) {
                deriv ^= self.mul(lambda[i], xi);
                xi = self.mul(xi, x_inv2);
            }
            let mut om = 0u8;
            let mut xi = 1u8;
            for &c in omega.iter().take(ecc) {
                om ^= self.mul(c, xi);
                xi = self.mul(xi, x_inv);
            }
            if deriv == 0 {
                return false;
            }
            // With first root α⁰: e = X · Ω(X⁻¹) / Λ'(X⁻¹).
            *codeword ^= self.mul(self.pow(power), self.div(om, deriv));
            found += 1;
        }
        if found != len {
            return false;
        }
        // The corrected block must be a codeword.
        (0..ecc).all(|i| {
            let a = self.pow(i);
            block.iter().fold(0, |acc, &c| self.mul(acc, a) ^ c) == 0
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Appends `ecc` Reed–Solomon codewords to `data` (a plain encoder, for the tests).
    pub fn encode(gf: &Gf, data: &[u8], ecc: usize) -> Vec<u8> {
        // Generator ∏ (x - αⁱ), highest power first.
        let mut g = vec![1u8];
        for i in 0..ecc {
            let mut next = vec![0u8; g.len() + 1];
            for (j, &c) in g.iter().enumerate() {
                next[j] ^= c;
                next[j + 1] ^= gf.mul(c, gf.pow(i));
            }
            g = next;
        }
        let mut rem = vec![0u8; ecc];
        for &d in data {
            let factor = d ^ rem[0];
            rem.remove(0);
            rem.push(0);
            for j in 0..ecc {
                rem[j] ^= gf.mul(g[j + 1], factor);
            }
        }
        let mut out = data.to_vec();
        out.extend(rem);
        out
    }

    #[test]
    fn corrects_up_to_half_the_ecc_codewords() {
        let gf = Gf::new();
        let mut seed = 7u32;
        let mut rand = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
            (seed >> 16) as usize
        };
        for &(data_len, ecc) in &[(19usize, 7usize), (16, 10), (13, 13), (9, 17), (100, 30), (225, 30), (1, 2)] {
            for errors in 0..=ecc / 2 {
                let data: Vec<u8> = (0..data_len).map(|_| rand() as u8).collect();
                let good = encode(&gf, &data, ecc);
                let mut bad = good.clone();
                let mut positions = Vec::new();
                while positions.len() < errors {
                    let p = rand() % bad.len();
                    if !positions.contains(&p) {
                        positions.push(p);
                        bad[p] ^= (rand() % 255 + 1) as u8;
                    }
                }
                assert!(gf.correct(&mut bad, ecc, ecc / 2), "{data_len}+{ecc} with {errors} errors");
                assert_eq!(bad, good);
            }
        }
    }

    #[test]
    fn refuses_too_many_errors_or_a_lower_limit() {
        let gf = Gf::new();
        let data: Vec<u8> = (0..20).collect();
        let good = encode(&gf, &data, 10);
        let mut bad = good.clone();
        for p in [1, 5, 9] {
            bad[p] ^= 0x55;
        }
        assert!(!gf.correct(&mut bad.clone(), 10, 2), "three errors, two allowed");
        assert!(gf.correct(&mut bad, 10, 5));
        assert_eq!(bad, good);
        // Far too many errors: refused (not "corrected" into another codeword by luck here).
        let mut garbage: Vec<u8> = (0..30).map(|i| (i * 37 + 11) as u8).collect();
        assert!(!gf.correct(&mut garbage, 10, 5));
    }
}
