//! P-256 public keys as SEC1 points: decoding (compressed or not), checking that the point is
//! on the curve, and encoding. Public values only, so nothing here needs to run in constant time.
//!
//! The field arithmetic is plain Montgomery multiplication on four 64-bit limbs (about 1 KB of
//! WebAssembly), in place of the `p256` crate, whose point types brought SEC1 and DER code and
//! their error texts into the engine. Signing and verifying stay with WebCrypto.

/// A field element: four little-endian 64-bit limbs, less than `P`.
type Fe = [u64; 4];

/// p = 2^256 − 2^224 + 2^192 + 2^96 − 1.
const P: Fe = [0xffff_ffff_ffff_ffff, 0x0000_0000_ffff_ffff, 0, 0xffff_ffff_0000_0001];
/// R² mod p, with R = 2^256: turns a value into Montgomery form.
const R2: Fe = [0x0000_0000_0000_0003, 0xffff_fffb_ffff_ffff, 0xffff_ffff_ffff_fffe, 0x0000_0004_ffff_fffd];
/// The curve's b (y² = x³ − 3x + b).
const B: Fe = [0x3bce_3c3e_27d2_604b, 0x651d_06b0_cc53_b0f6, 0xb3eb_bd55_7698_86bc, 0x5ac6_35d8_aa3a_93e7];
/// (p + 1) / 4: as p ≡ 3 (mod 4), a square root of a is a^((p+1)/4).
const SQRT_EXP: Fe = [0, 0x0000_0000_4000_0000, 0x4000_0000_0000_0000, 0x3fff_ffff_c000_0000];

/// An affine point on P-256 (never the point at infinity), as big-endian coordinates.
#[derive(Clone, PartialEq, Eq)]
pub(super) struct Point {
    x: [u8; 32],
    y: [u8; 32],
}

impl Point {
    /// Decodes a compressed (`02`/`03` ‖ x) or uncompressed (`04` ‖ x ‖ y) SEC1 point, which
    /// must lie on the curve.
    pub(super) fn from_sec1(bytes: &[u8]) -> Option<Point> {
        let (&tag, rest) = bytes.split_first()?;
        let x_bytes: [u8; 32] = rest.get(..32)?.try_into().ok()?;
        let x = from_bytes(&x_bytes)?;
        // y² = x³ − 3x + b, in Montgomery form.
        let xm = mont_mul(&x, &R2);
        let three_x = add(&add(&xm, &xm), &xm);
        let rhs = add(&sub(&mont_mul(&mont_mul(&xm, &xm), &xm), &three_x), &mont_mul(&B, &R2));
        let y = match (tag, rest.len()) {
            (2 | 3, 32) => {
                let root = pow(&rhs, &SQRT_EXP);
                if mont_mul(&root, &root) != rhs {
                    return None; // x³ − 3x + b has no square root: x is not on the curve
                }
                let root = mont_mul(&root, &[1, 0, 0, 0]);
                // The root of the parity the tag names (0 has no other root).
                let odd = root.first().is_some_and(|l| l & 1 == 1);
                if odd == (tag == 3) {
                    root
                } else if root == [0; 4] {
                    return None;
                } else {
                    sub(&[0; 4], &root)
                }
            }
            (4, 64) => {
                let y = from_bytes(rest.get(32..)?.try_into().ok()?)?;
                let ym = mont_mul(&y, &R2);
                if mont_mul(&ym, &ym) != rhs {
                    return None;
                }
                y
            }
            _ => return None,
        };
        Some(Point { x: x_bytes, y: to_bytes(&y) })
    }

    pub(super) fn x(&self) -> &[u8; 32] {
        &self.x
    }

    pub(super) fn y(&self) -> &[u8; 32] {
        &self.y
    }

    /// `02`/`03` ‖ x.
    pub(super) fn compressed(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(33);
        out.push(if self.y.last().is_some_and(|b| b & 1 == 1) { 3 } else { 2 });
        out.extend_from_slice(&self.x);
        out
    }

    /// `04` ‖ x ‖ y.
    pub(super) fn uncompressed(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(65);
        out.push(4);
        out.extend_from_slice(&self.x);
        out.extend_from_slice(&self.y);
        out
    }
}

/// Big-endian bytes to a field element; `None` unless less than p.
fn from_bytes(bytes: &[u8; 32]) -> Option<Fe> {
    let mut limbs = [0u64; 4];
    for (limb, chunk) in limbs.iter_mut().rev().zip(bytes.chunks_exact(8)) {
        *limb = u64::from_be_bytes(chunk.try_into().ok()?);
    }
    sub_raw(&limbs, &P).1.then_some(limbs)
}

fn to_bytes(fe: &Fe) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (chunk, limb) in out.chunks_exact_mut(8).zip(fe.iter().rev()) {
        chunk.copy_from_slice(&limb.to_be_bytes());
    }
    out
}

/// a + b and the carry out.
fn add_raw(a: &Fe, b: &Fe) -> (Fe, bool) {
    let mut out = [0u64; 4];
    let mut carry = false;
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        let (s, c1) = x.overflowing_add(*y);
        let (s, c2) = s.overflowing_add(u64::from(carry));
        *o = s;
        carry = c1 || c2;
    }
    (out, carry)
}

/// a − b and the borrow out.
fn sub_raw(a: &Fe, b: &Fe) -> (Fe, bool) {
    let mut out = [0u64; 4];
    let mut borrow = false;
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        let (d, b1) = x.overflowing_sub(*y);
        let (d, b2) = d.overflowing_sub(u64::from(borrow));
        *o = d;
        borrow = b1 || b2;
    }
    (out, borrow)
}

/// (a + b) mod p, for a, b < p.
fn add(a: &Fe, b: &Fe) -> Fe {
    let (sum, carry) = add_raw(a, b);
    let (reduced, borrow) = sub_raw(&sum, &P);
    if carry || !borrow {
        reduced
    } else {
        sum
    }
}

/// (a − b) mod p, for a, b < p.
fn sub(a: &Fe, b: &Fe) -> Fe {
    let (difference, borrow) = sub_raw(a, b);
    if borrow {
        add_raw(&difference, &P).0
    } else {
        difference
    }
}

/// a · b · R⁻¹ mod p (Montgomery multiplication; −p⁻¹ mod 2^64 is 1 for this p).
fn mont_mul(a: &Fe, b: &Fe) -> Fe {
    let mut t = [0u64; 9];
    for (i, &ai) in a.iter().enumerate() {
        let mut carry = 0u128;
        for (tj, &bj) in t.iter_mut().skip(i).zip(b) {
            let s = u128::from(*tj) + u128::from(ai) * u128::from(bj) + carry;
            *tj = s as u64;
            carry = s >> 64;
        }
        for tj in t.iter_mut().skip(i + 4) {
            let s = u128::from(*tj) + carry;
            *tj = s as u64;
            carry = s >> 64;
        }
    }
    for i in 0..4 {
        let m = t.get(i).copied().unwrap_or_default();
        let mut carry = 0u128;
        for (tj, &pj) in t.iter_mut().skip(i).zip(&P) {
            let s = u128::from(*tj) + u128::from(m) * u128::from(pj) + carry;
            *tj = s as u64;
            carry = s >> 64;
        }
        for tj in t.iter_mut().skip(i + 4) {
            let s = u128::from(*tj) + carry;
            *tj = s as u64;
            carry = s >> 64;
        }
    }
    // t / R < 2p: one subtraction of p at most.
    let mut high = [0u64; 4];
    for (h, &tj) in high.iter_mut().zip(t.iter().skip(4)) {
        *h = tj;
    }
    let (reduced, borrow) = sub_raw(&high, &P);
    if t.get(8).is_some_and(|&top| top != 0) || !borrow {
        reduced
    } else {
        high
    }
}

/// base^exp, base in Montgomery form (and so the result).
fn pow(base: &Fe, exp: &Fe) -> Fe {
    // R mod p: one, in Montgomery form.
    let mut acc = mont_mul(&[1, 0, 0, 0], &R2);
    for limb in exp.iter().rev() {
        for bit in (0..64).rev() {
            acc = mont_mul(&acc, &acc);
            if (limb >> bit) & 1 == 1 {
                acc = mont_mul(&acc, base);
            }
        }
    }
    acc
}

#[cfg(test)]
mod tests {
    use p256::elliptic_curve::sec1::ToEncodedPoint;

    use super::*;

    #[test]
    fn constants_are_p256s() {
        // R² mod p: 2^512 mod p, by doubling 1 512 times.
        let mut r2 = [1, 0, 0, 0];
        for _ in 0..512 {
            r2 = add(&r2, &r2);
        }
        assert_eq!(r2, R2);
        let mut four_sqrt_exp = SQRT_EXP;
        for _ in 0..2 {
            four_sqrt_exp = add_raw(&four_sqrt_exp, &four_sqrt_exp).0;
        }
        assert_eq!(sub_raw(&four_sqrt_exp, &[1, 0, 0, 0]).0, P);
    }

    #[test]
    fn points_decode_and_encode_as_the_p256_crate_does() {
        let mut seed = [7u8; 32];
        for round in 0..200u32 {
            seed[..4].copy_from_slice(&round.to_be_bytes());
            let Ok(secret) = p256::SecretKey::from_slice(&seed) else { continue };
            let public = secret.public_key();
            let uncompressed = public.to_encoded_point(false);
            let compressed = public.to_encoded_point(true);
            let from_full = Point::from_sec1(uncompressed.as_bytes()).unwrap();
            let from_short = Point::from_sec1(compressed.as_bytes()).unwrap();
            assert!(from_full == from_short);
            assert_eq!(from_full.uncompressed(), uncompressed.as_bytes());
            assert_eq!(from_full.compressed(), compressed.as_bytes());
        }
    }

    #[test]
    fn points_off_the_curve_are_refused_as_by_the_p256_crate() {
        let mut x = [0u8; 32];
        let mut accepted = 0;
        for round in 0..400u32 {
            x[28..].copy_from_slice(&round.to_be_bytes());
            for tag in [2u8, 3] {
                let mut bytes = vec![tag];
                bytes.extend_from_slice(&x);
                let theirs = p256::PublicKey::from_sec1_bytes(&bytes).ok().map(|k| k.to_encoded_point(false));
                let ours = Point::from_sec1(&bytes).map(|p| p.uncompressed());
                assert_eq!(ours.as_deref(), theirs.as_ref().map(|e| e.as_bytes()), "{bytes:02x?}");
                accepted += usize::from(ours.is_some());
            }
        }
        assert!(accepted > 300, "about half of all x are on the curve: {accepted} of 800");
        // A valid point with y changed, x ≥ p, and bad tags or lengths.
        let good = Point::from_sec1(&[&[2u8][..], &[0u8; 31], &[3]].concat()).map(|p| p.uncompressed());
        if let Some(mut bad) = good {
            bad[64] ^= 1;
            assert!(Point::from_sec1(&bad).is_none());
        }
        let mut over = vec![2u8];
        over.extend(to_bytes(&P));
        assert!(Point::from_sec1(&over).is_none());
        for bad in [&[][..], &[0][..], &[4; 65][..], &[2; 32][..], &[2; 34][..], &[5; 33][..], &[4; 66][..]] {
            assert!(Point::from_sec1(bad).is_none(), "{bad:02x?}");
        }
    }
}
