//! Test helpers: fixtures from `../shared` (optional) and from `src/core/tests/fixtures`, and
//! issuers that sign credentials natively.

use std::path::PathBuf;

use p256::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer};
use serde_json::Value;
use sha2::Sha256;

use crate::core::encoding::b64url_encode;

/// The real credential DOME's verifier tests with (JAdES RS256, x5c, `did:elsi` issuer).
pub const DOME_CREDENTIAL: &str = "dome/captured/dome-vcverifier-test-vp1-vc1.jwt";

/// Reads `../shared/<rel>` beside the repository. The project must not need it, so a test that
/// gets `None` prints why and returns without asserting.
pub fn read_shared(rel: &str) -> Option<String> {
    let path = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/")).join(rel);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            eprintln!("SKIPPED: {} is not available ({e}); ../shared is optional", path.display());
            None
        }
    }
}

/// Reads a shared JSON fixture, skipping its `_source` note.
pub fn read_shared_json(rel: &str) -> Option<Value> {
    let mut value: Value = serde_json::from_str(&read_shared(rel)?).expect("fixture is JSON");
    if let Some(map) = value.as_object_mut() {
        map.remove("_source");
    }
    Some(value)
}

pub const ES256_SEAL_CERT: &[u8] = include_bytes!("../tests/fixtures/x509/es256-seal.der");
pub const RS256_SEAL_CERT: &[u8] = include_bytes!("../tests/fixtures/x509/rs256-seal.der");
pub const RSA_CA_CERT: &[u8] = include_bytes!("../tests/fixtures/x509/rsa-ca.der");
pub const ES384_CERT: &[u8] = include_bytes!("../tests/fixtures/x509/es384-self-signed.der");
const ES256_SEAL_KEY: &[u8] = include_bytes!("../tests/fixtures/x509/es256-seal.pk8");
const RS256_SEAL_KEY: &[u8] = include_bytes!("../tests/fixtures/x509/rs256-seal.pk8");

/// Joins header, claims and a signature over them into a compact JWS.
pub fn compact(header: &Value, claims: &Value, sign: impl FnOnce(&[u8]) -> Vec<u8>) -> String {
    let mut out = b64url_encode(header.to_string().as_bytes());
    out.push('.');
    out.push_str(&b64url_encode(claims.to_string().as_bytes()));
    let signature = sign(out.as_bytes());
    out.push('.');
    out.push_str(&b64url_encode(&signature));
    out
}

/// An issuer with a test certificate (organizationIdentifier `VATES-B60645900`) and its key.
pub enum Seal {
    Es256(p256::ecdsa::SigningKey),
    Rs256(Box<rsa::pkcs1v15::SigningKey<Sha256>>),
}

impl Seal {
    pub fn es256() -> Self {
        let secret = p256::SecretKey::from_pkcs8_der(ES256_SEAL_KEY).expect("test key");
        Self::Es256(secret.into())
    }

    pub fn rs256() -> Self {
        let key = rsa::RsaPrivateKey::from_pkcs8_der(RS256_SEAL_KEY).expect("test key");
        Self::Rs256(Box::new(rsa::pkcs1v15::SigningKey::new(key)))
    }

    pub fn cert(&self) -> &'static [u8] {
        match self {
            Self::Es256(_) => ES256_SEAL_CERT,
            Self::Rs256(_) => RS256_SEAL_CERT,
        }
    }

    pub fn alg(&self) -> &'static str {
        match self {
            Self::Es256(_) => "ES256",
            Self::Rs256(_) => "RS256",
        }
    }

    /// A JAdES-style header as DOME's issuer writes it.
    pub fn header(&self) -> Value {
        use base64ct::Encoding;
        serde_json::json!({
            "alg": self.alg(),
            "cty": "json",
            "x5c": [base64ct::Base64::encode_string(self.cert())],
            "sigT": "2025-01-01T00:00:00Z",
            "crit": ["sigT"],
        })
    }

    pub fn sign(&self, header: &Value, claims: &Value) -> String {
        compact(header, claims, |input| match self {
            Self::Es256(key) => {
                let signature: p256::ecdsa::Signature = key.sign(input);
                signature.to_bytes().to_vec()
            }
            Self::Rs256(key) => key.sign(input).to_vec(),
        })
    }
}
