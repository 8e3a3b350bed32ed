//! Text encodings used on the wire: base64url (JOSE) and base58btc (multibase `z`, did:key).
//!
//! Decoders take untrusted text, so they cap their input before allocating and return errors
//! instead of panicking.

use crate::core::quote::quoted;
use base64ct::{Base64UrlUnpadded, Encoding};

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

/// base64url without padding (RFC 7515 §2).
pub fn b64url_encode(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// Decodes base64url, accepting and ignoring trailing `=` padding, which some issuers add.
pub fn b64url_decode(text: &str) -> Result<Vec<u8>, EncodingError> {
    if text.len() > MAX_ENCODED_LEN {
        return Err(EncodingError::TooLong(text.len()));
    }
    let text = text.trim_end_matches('=');
    Base64UrlUnpadded::decode_vec(text).map_err(|_| EncodingError::Base64)
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
        for text in ["", "aGk", "aGk=", "+/8=", "+/8", "//++", "AAEC", "AAE", "a", "ab=c", "a b", "-_8", "_w", "aGk==", "é", "+/+/+/+/"] {
            let expected = base64ct::Base64Unpadded::decode_vec(text.trim_end_matches('=')).map_err(|_| EncodingError::Base64);
            assert_eq!(b64_decode(text), expected, "{text}");
        }
        assert_eq!(b64_decode("+/8").unwrap(), [0xfb, 0xff]);
    }

    #[test]
    fn base64url_accepts_padding_and_rejects_garbage() {
        assert_eq!(b64url_decode("aGk").unwrap(), b"hi");
        assert_eq!(b64url_decode("aGk=").unwrap(), b"hi");
        assert_eq!(b64url_decode("a+b/"), Err(EncodingError::Base64));
        assert_eq!(b64url_encode(&[0xfb, 0xff]), "-_8");
    }
}
