//! Text encodings used on the wire: base64url (JOSE) and base58btc (multibase `z`, did:key).
//!
//! Decoders take untrusted text, so they cap their input before allocating and return errors
//! instead of panicking.

use crate::core::quote::quoted;

/// Largest encoded input any decoder here accepts (a LEARCredential JWT is ~10 KB; a status
/// list credential ~25 KB). Bigger inputs are refused before decoding.
pub const MAX_ENCODED_LEN: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodingError {
    #[error("input of {0} bytes exceeds the limit of {MAX_ENCODED_LEN} bytes")]
    TooLong(usize),
    #[error("invalid base64url")]
    Base64,
    #[error("invalid base58btc character {q0}", q0 = quoted(.0))]
    Base58(char),
}

const B64URL_ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding (RFC 7515 §2).
///
/// A table codec of its own rather than `base64ct`, whose constant-time arithmetic (for
/// secrets; everything encoded here is public or already in the clear) weighed twice as much.
pub fn b64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        // The chunk's bytes, most significant first, in the top 24 of 32 bits.
        let bits = chunk.iter().enumerate().fold(0u32, |bits, (i, &b)| bits | u32::from(b) << (24 - 8 * i));
        for i in 0..=chunk.len() {
            let sextet = (bits >> (26 - 6 * i)) & 63;
            out.push(char::from(B64URL_ALPHABET.get(sextet as usize).copied().unwrap_or(b'A')));
        }
    }
    out
}

fn sextet(c: u8) -> Option<u32> {
    let value = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'-' => 62,
        b'_' => 63,
        _ => return None,
    };
    Some(u32::from(value))
}

/// Decodes base64url, accepting and ignoring trailing `=` padding, which some issuers add.
///
/// Strict otherwise: only the alphabet, no length that leaves a lone character, and the unused
/// bits of the last character zero, so one byte string has one encoding (a signature cannot be
/// written two ways).
pub fn b64url_decode(text: &str) -> Result<Vec<u8>, EncodingError> {
    if text.len() > MAX_ENCODED_LEN {
        return Err(EncodingError::TooLong(text.len()));
    }
    let text = text.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    for chunk in text.chunks(4) {
        let mut bits = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            bits |= sextet(c).ok_or(EncodingError::Base64)? << (26 - 6 * i);
        }
        // Two characters make one byte, three two, four three; one makes none.
        let len = chunk.len().checked_sub(1).filter(|&n| n > 0).ok_or(EncodingError::Base64)?;
        if bits << (8 * len) != 0 {
            return Err(EncodingError::Base64);
        }
        out.extend(bits.to_be_bytes().iter().take(len));
    }
    Ok(out)
}

/// Decodes standard base64 (with or without padding), as used by `x5c` (RFC 7517 §4.7).
///
/// The two alphabets differ only in `+ /` versus `- _`, so this maps one onto the other and uses
/// the base64url decoder (one decoder in the WebAssembly modules, not two); `-` and `_`, which
/// standard base64 does not have, are refused first.
pub fn b64_decode(text: &str) -> Result<Vec<u8>, EncodingError> {
    if text.len() > MAX_ENCODED_LEN {
        return Err(EncodingError::TooLong(text.len()));
    }
    if text.contains(['-', '_']) {
        return Err(EncodingError::Base64);
    }
    let url_safe: String = text
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    b64url_decode(&url_safe)
}

const B58_ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// base58btc (the Bitcoin alphabet), as used by multibase `z`.
pub fn b58_encode(bytes: &[u8]) -> String {
    let zeros = bytes.iter().take_while(|&&b| b == 0).count();
    // Base-58 digits, least significant first.
    let mut digits: Vec<u8> = Vec::with_capacity(bytes.len() * 138 / 100 + 1);
    for &byte in bytes {
        let mut carry = u32::from(byte);
        for digit in digits.iter_mut() {
            carry += u32::from(*digit) << 8;
            *digit = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let mut out = String::with_capacity(zeros + digits.len());
    out.extend(std::iter::repeat_n('1', zeros));
    for &d in digits.iter().rev() {
        // d < 58 by construction.
        out.push(char::from(B58_ALPHABET.get(usize::from(d)).copied().unwrap_or(b'1')));
    }
    out
}

pub fn b58_decode(text: &str) -> Result<Vec<u8>, EncodingError> {
    // did:key identifiers are short; this cap also bounds the quadratic loop below.
    const MAX_B58_LEN: usize = 512;
    if text.len() > MAX_B58_LEN {
        return Err(EncodingError::TooLong(text.len()));
    }
    let zeros = text.bytes().take_while(|&c| c == b'1').count();
    // Bytes, least significant first.
    let mut bytes: Vec<u8> = Vec::with_capacity(text.len());
    for c in text.chars() {
        let value = u8::try_from(c)
            .ok()
            .and_then(|b| B58_ALPHABET.iter().position(|&a| a == b))
            .ok_or(EncodingError::Base58(c))?;
        let mut carry = value as u32;
        for byte in bytes.iter_mut() {
            carry += u32::from(*byte) * 58;
            *byte = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            bytes.push((carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let mut out = vec![0u8; zeros];
    out.extend(bytes.iter().rev());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base58_round_trips_with_leading_zeros() {
        for input in [&b""[..], b"\0", b"\0\0abc", b"hello world", &[0xff; 40]] {
            assert_eq!(b58_decode(&b58_encode(input)).unwrap(), input);
        }
    }

    #[test]
    fn base58_known_values() {
        // From the IETF base58 draft (draft-msporny-base58-03 §5).
        assert_eq!(b58_encode(b"Hello World!"), "2NEpo7TZRRrLZSi2U");
        assert_eq!(
            b58_encode(b"The quick brown fox jumps over the lazy dog."),
            "USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z"
        );
        assert_eq!(b58_encode(&[0, 0, 0x28, 0x7f, 0xb4, 0xcd]), "11233QC4");
    }

    #[test]
    fn base58_rejects_characters_outside_the_alphabet() {
        assert_eq!(b58_decode("0OIl"), Err(EncodingError::Base58('0')));
        assert_eq!(b58_decode("abc€"), Err(EncodingError::Base58('€')));
        assert!(matches!(b58_decode(&"z".repeat(600)), Err(EncodingError::TooLong(600))));
    }

    #[test]
    fn standard_base64_decodes_like_the_standard_decoder() {
        use base64ct::Encoding;
        for text in ["", "aGk", "aGk=", "+/8=", "+/8", "//++", "AAEC", "AAE", "a", "ab=c", "a b", "-_8", "_w", "aGk==", "é", "+/+/+/+/"] {
            let expected = base64ct::Base64Unpadded::decode_vec(text.trim_end_matches('=')).map_err(|_| EncodingError::Base64);
            assert_eq!(b64_decode(text), expected, "{text}");
        }
        assert_eq!(b64_decode("+/8").unwrap(), [0xfb, 0xff]);
    }

    /// Against `base64ct` (a native dev-dependency, which the wallet used before): the same
    /// bytes for every input it accepts, and the same refusals.
    #[test]
    fn base64url_decodes_and_encodes_as_base64ct_does() {
        use base64ct::{Base64UrlUnpadded, Encoding};
        let mut rng = crate::core::testing::Xorshift(0x005e_edb6);
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len).map(|_| rng.below(256) as u8).collect();
            let ours = b64url_encode(&bytes);
            assert_eq!(ours, Base64UrlUnpadded::encode_string(&bytes));
            assert_eq!(b64url_decode(&ours).unwrap(), bytes);
        }
        const CHARS: &[u8] = b"AQgw_-9z+/=. ";
        for _ in 0..20_000 {
            let text: String = (0..rng.below(9)).map(|_| char::from(CHARS[rng.below(CHARS.len())])).collect();
            let theirs = Base64UrlUnpadded::decode_vec(text.trim_end_matches('=')).map_err(|_| EncodingError::Base64);
            assert_eq!(b64url_decode(&text), theirs, "{text:?}");
        }
    }

    #[test]
    fn base64url_accepts_padding_and_rejects_garbage() {
        assert_eq!(b64url_decode("aGk").unwrap(), b"hi");
        assert_eq!(b64url_decode("aGk=").unwrap(), b"hi");
        assert_eq!(b64url_decode("a+b/"), Err(EncodingError::Base64));
        assert_eq!(b64url_encode(&[0xfb, 0xff]), "-_8");
    }
}
