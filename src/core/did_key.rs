//! `did:key` for P-256 keys: multicodec `p256-pub` (0x1200), compressed SEC1 point, multibase
//! base58btc, which always starts `did:key:zDn…` (<https://w3c-ccg.github.io/did-method-key/>).

use crate::core::quote::quoted;
use std::fmt;

use super::encoding::{b58_decode, b58_encode, EncodingError};

mod point;
use point::Point;

/// Varint encoding of the multicodec code 0x1200 (`p256-pub`).
const P256_PUB_MULTICODEC: [u8; 2] = [0x80, 0x24];

/// Bytes in lowercase hex, e.g. `ed01` (rather than `{:02x?}`, whose `Debug` of a list brings
/// the formatter's list machinery into the module).
fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let digit = |n: u8| char::from(DIGITS.get(usize::from(n)).copied().unwrap_or(b'0'));
    bytes.iter().flat_map(|&b| [digit(b >> 4), digit(b & 15)]).collect()
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DidKeyError {
    #[error("expected a did:key identifier, found {q0}", q0 = quoted(.0))]
    NotDidKey(String),
    #[error("did:key must use multibase base58btc ('z'), found prefix {q0}", q0 = quoted(.0))]
    Multibase(char),
    #[error("did:key identifier is not valid base58btc: {0}")]
    Encoding(#[from] EncodingError),
    #[error("did:key holds a key type other than P-256 (multicodec prefix {})", hex(.0))]
    UnsupportedKeyType(Vec<u8>),
    #[error("did:key holds {0} key bytes; a compressed P-256 point has 33")]
    KeyLength(usize),
    #[error("the key is not a point on the P-256 curve")]
    InvalidPoint,
    #[error("the key id fragment {q_fragment} does not name the key {q_did}", q_fragment = quoted(.fragment), q_did = quoted(.did))]
    FragmentMismatch { did: String, fragment: String },
}

/// The longest text (DID or key id) [`DidKey::parse`] reads.
pub const MAX_LEN: usize = 256;

/// A P-256 public key identified as `did:key:zDn…`.
#[derive(Clone, PartialEq, Eq)]
pub struct DidKey {
    did: String,
    point: Point,
}

impl DidKey {
    /// Parses `did:key:z…`, or a key id `did:key:z…#z…` whose fragment must be the same
    /// multibase value (the only verification method a did:key document has).
    pub fn parse(text: &str) -> Result<Self, DidKeyError> {
        if text.len() > MAX_LEN {
            return Err(DidKeyError::NotDidKey(format!("{}…", text.get(..32).unwrap_or(""))));
        }
        let (did, fragment) = match text.split_once('#') {
            Some((did, fragment)) => (did, Some(fragment)),
            None => (text, None),
        };
        let multibase = did
            .strip_prefix("did:key:")
            .ok_or_else(|| DidKeyError::NotDidKey(did.to_owned()))?;
        if let Some(fragment) = fragment {
            if fragment != multibase {
                return Err(DidKeyError::FragmentMismatch {
                    did: did.to_owned(),
                    fragment: fragment.to_owned(),
                });
            }
        }
        let mut chars = multibase.chars();
        match chars.next() {
            Some('z') => {}
            Some(other) => return Err(DidKeyError::Multibase(other)),
            None => return Err(DidKeyError::NotDidKey(did.to_owned())),
        }
        let bytes = b58_decode(chars.as_str())?;
        let key = bytes
            .strip_prefix(&P256_PUB_MULTICODEC[..])
            .ok_or_else(|| DidKeyError::UnsupportedKeyType(bytes.iter().take(2).copied().collect()))?;
        if key.len() != 33 {
            return Err(DidKeyError::KeyLength(key.len()));
        }
        let point = decode_point(key)?;
        Ok(Self { did: did.to_owned(), point })
    }

    /// Builds the did:key of a SEC1-encoded P-256 public key (33-byte compressed or 65-byte
    /// uncompressed, as WebCrypto's `raw` export gives it). The point is checked to be on the curve.
    pub fn from_sec1(bytes: &[u8]) -> Result<Self, DidKeyError> {
        let point = decode_point(bytes)?;
        Ok(Self { did: encode_compressed(&point.compressed()), point })
    }

    pub fn as_str(&self) -> &str {
        &self.did
    }

    /// The key id used in JOSE headers: `did:key:z…#z…`.
    pub fn key_id(&self) -> String {
        let fragment = self.did.strip_prefix("did:key:").unwrap_or(&self.did);
        format!("{}#{}", self.did, fragment)
    }

    /// The affine coordinates (x, y), big-endian, as a JWK carries them.
    pub fn coordinates(&self) -> ([u8; 32], [u8; 32]) {
        (*self.point.x(), *self.point.y())
    }

    /// The uncompressed SEC1 encoding (`04 || x || y`), which every WebCrypto accepts as `raw`.
    pub fn to_uncompressed(&self) -> Vec<u8> {
        self.point.uncompressed()
    }
}

/// `did:key:z…` of a compressed SEC1 point (33 bytes), as is.
fn encode_compressed(compressed: &[u8]) -> String {
    let mut multicodec = Vec::with_capacity(35);
    multicodec.extend_from_slice(&P256_PUB_MULTICODEC);
    multicodec.extend_from_slice(compressed);
    let mut did = String::from("did:key:z");
    did.push_str(&b58_encode(&multicodec));
    did
}

/// The did:key text of a public key that WebCrypto exported as `raw` (uncompressed SEC1,
/// `04 || x || y`), without checking that the point is on the curve: for the interface, which
/// only shows the identifiers of keys the browser made and carries no curve arithmetic.
/// [`DidKey::from_sec1`] checks the point and gives the same text.
pub fn did_of_trusted_raw_key(raw: &[u8]) -> Option<String> {
    let (&[4], x, y) = (raw.get(..1)?, raw.get(1..33)?, raw.get(33..65)?) else { return None };
    if raw.len() != 65 {
        return None;
    }
    let mut compressed = Vec::with_capacity(33);
    compressed.push(if y.last()? & 1 == 1 { 3 } else { 2 });
    compressed.extend_from_slice(x);
    Some(encode_compressed(&compressed))
}

/// Whether `text` has the form of a P-256 did:key (`did:key:z` and the base58btc of the
/// `p256-pub` multicodec and a 33-byte compressed point), without checking that the point is on
/// the curve (see [`did_of_trusted_raw_key`]). Everything that uses the key parses it as a
/// [`DidKey`], which does.
pub fn looks_like_p256_did_key(text: &str) -> bool {
    let Some(base58) = text.strip_prefix("did:key:z") else { return false };
    match b58_decode(base58) {
        Ok(bytes) => bytes.len() == 35 && bytes.starts_with(&P256_PUB_MULTICODEC) && matches!(bytes.get(2), Some(2 | 3)),
        Err(_) => false,
    }
}

fn decode_point(bytes: &[u8]) -> Result<Point, DidKeyError> {
    Point::from_sec1(bytes).ok_or(DidKeyError::InvalidPoint)
}

impl fmt::Display for DidKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.did)
    }
}

impl fmt::Debug for DidKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DidKey({})", self.did)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::encoding::{b64url_decode, b64url_encode};

    /// The P-256 vectors of the did:key specification
    /// (w3c-ccg/did-method-key, test-vectors/nist-curves.json).
    const SPEC_VECTORS: [(&str, &str, &str); 2] = [
        (
            "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv",
            "igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns",
            "efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM",
        ),
        (
            "did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169",
            "fyNYMN0976ci7xqiSdag3buk-ZCwgXU4kz9XNkBlNUI",
            "hW2ojTNfH7Jbi8--CJUo3OCbH3y5n91g-IMA9MLMbTU",
        ),
    ];

    #[test]
    fn spec_vectors_decode_to_their_jwk_coordinates() {
        for (did, x, y) in SPEC_VECTORS {
            let key = DidKey::parse(did).unwrap();
            let (kx, ky) = key.coordinates();
            assert_eq!(b64url_encode(&kx), x, "{did}");
            assert_eq!(b64url_encode(&ky), y, "{did}");
        }
    }

    #[test]
    fn spec_vectors_encode_from_their_jwk_coordinates() {
        for (did, x, y) in SPEC_VECTORS {
            let mut sec1 = vec![4u8];
            sec1.extend(b64url_decode(x).unwrap());
            sec1.extend(b64url_decode(y).unwrap());
            let key = DidKey::from_sec1(&sec1).unwrap();
            assert_eq!(key.as_str(), did);
            assert_eq!(did_of_trusted_raw_key(&sec1).as_deref(), Some(did));
            assert!(looks_like_p256_did_key(did));
            assert_eq!(key.key_id(), format!("{did}#{}", &did[8..]));
            assert_eq!(key.to_uncompressed(), sec1);
        }
    }

    #[test]
    fn dome_fixture_dids_are_valid_p256_keys() {
        // did:keys seen in DOME's request objects, VPs and trust framework.
        for did in [
            "did:key:zDnaekiwkWcXnHaW6au3BpmfWfrtVTJZrA3EHgLvcbm6EZnup",
            "did:key:zDnaeVYnWTZu5nbrH1qmBVMvNwSrtKnkRbCZ4xH5h2LQPnzdr",
            "did:key:zDnaepbQkLnywX4GHsnpTuGQkBHtJ4UnGM97ts7XuM273L1ih",
            "did:key:zDnaeTU39Wx9KXgmEwmfXsZSyEVxgCqwCVmoPyVQUTD8bhW8a",
        ] {
            let key = DidKey::parse(did).unwrap();
            assert_eq!(DidKey::from_sec1(&key.to_uncompressed()).unwrap().as_str(), did);
        }
    }

    #[test]
    fn the_interface_checks_only_the_form() {
        assert_eq!(did_of_trusted_raw_key(&[4; 64]), None);
        assert_eq!(did_of_trusted_raw_key(&[2; 65]), None);
        assert_eq!(did_of_trusted_raw_key(&[4; 66]), None);
        for bad in ["did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", "did:web:example.com", "did:key:zDn", "did:key:z0OIl"] {
            assert!(!looks_like_p256_did_key(bad), "{bad}");
        }
        let did = SPEC_VECTORS[0].0;
        assert!(!looks_like_p256_did_key(&format!("{did}#{}", &did[8..])));
    }

    #[test]
    fn key_ids_must_name_the_same_key() {
        let did = SPEC_VECTORS[0].0;
        let multibase = &did[8..];
        assert!(DidKey::parse(&format!("{did}#{multibase}")).is_ok());
        assert!(matches!(
            DidKey::parse(&format!("{did}#key-1")),
            Err(DidKeyError::FragmentMismatch { .. })
        ));
    }

    #[test]
    fn rejects_other_methods_encodings_and_key_types() {
        assert!(matches!(DidKey::parse("did:web:example.com"), Err(DidKeyError::NotDidKey(_))));
        assert!(matches!(DidKey::parse("did:key:"), Err(DidKeyError::NotDidKey(_))));
        assert!(matches!(DidKey::parse("did:key:uAAAA"), Err(DidKeyError::Multibase('u'))));
        // Ed25519 (multicodec 0xed).
        assert!(matches!(
            DidKey::parse("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"),
            Err(DidKeyError::UnsupportedKeyType(_))
        ));
        // P-384 (multicodec 0x1201).
        let p384 = DidKey::parse("did:key:z82Lm1MpAkeJcix9K8TMiLd5NMAhnwkjjCBeWHXyu3U4oT2MVJJKXkcVBgjGhnLBn2Kaau9");
        assert!(matches!(p384, Err(DidKeyError::UnsupportedKeyType(_))));
        assert_eq!(
            p384.unwrap_err().to_string(),
            "did:key holds a key type other than P-256 (multicodec prefix 8124)"
        );
        assert!(matches!(DidKey::parse("did:key:z0"), Err(DidKeyError::Encoding(_))));
    }

    #[test]
    fn rejects_points_off_the_curve_and_bad_lengths() {
        let mut bytes = P256_PUB_MULTICODEC.to_vec();
        bytes.push(0x02);
        bytes.extend([0xff; 32]); // x = 2^256 - 1 is not a field element
        let did = format!("did:key:z{}", b58_encode(&bytes));
        assert_eq!(DidKey::parse(&did), Err(DidKeyError::InvalidPoint));

        let short = format!("did:key:z{}", b58_encode(&bytes[..20]));
        assert_eq!(DidKey::parse(&short), Err(DidKeyError::KeyLength(18)));

        assert_eq!(DidKey::from_sec1(&[4u8; 65]), Err(DidKeyError::InvalidPoint));
        assert_eq!(DidKey::from_sec1(&[0u8]), Err(DidKeyError::InvalidPoint));
    }
}
