//! JWS compact serialization (RFC 7515) and JWT claims (RFC 7519), for ES256 and RS256.
//!
//! Parsing is strict: `alg: none` and unknown algorithms are refused, every `crit` extension
//! must be one the wallet understands (JAdES `sigT`), and sizes are capped before decoding.

use crate::core::quote::quoted;
use serde_json::{Map, Value};

use super::did_key::DidKey;
use super::encoding::{b64url_decode, b64url_encode};
use super::error::Error;
use super::ports::{Crypto, HolderKeys, SignatureAlgorithm, VerifyingKey};

/// Largest compact JWS accepted (a DOME LEARCredential with its x5c is ~7 KB; a VP ~10 KB).
pub const MAX_JWS_LEN: usize = 256 * 1024;

/// `crit` header parameters this implementation understands (RFC 7515 §4.1.11).
/// `sigT` is the JAdES signing time DOME's issuer puts in every credential.
const UNDERSTOOD_CRIT: &[&str] = &["sigT"];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwsError {
    #[error("JWS of {0} bytes exceeds the limit of {MAX_JWS_LEN}")]
    TooLong(usize),
    #[error("a compact JWS has three dot-separated parts; found {0}")]
    Parts(usize),
    #[error("the JWS {0} is not valid base64url")]
    Base64(&'static str),
    #[error("the JWS {0} is not a JSON object")]
    NotJsonObject(&'static str),
    #[error("the JWS header has no \"alg\"")]
    MissingAlg,
    #[error("\"alg\": \"none\" is never accepted")]
    AlgNone,
    #[error("unsupported algorithm {q0} (accepted: ES256, RS256)", q0 = quoted(.0))]
    UnsupportedAlg(String),
    #[error("algorithm {q_found} where {q_expected} is required", q_found = quoted(.found), q_expected = quoted(.expected))]
    WrongAlg { expected: &'static str, found: &'static str },
    #[error("unknown critical header extension {q0}", q0 = quoted(.0))]
    UnknownCrit(String),
    #[error("malformed \"crit\" header: {0}")]
    BadCrit(&'static str),
    #[error("header \"typ\" is {q_found}; expected one of {q_expected}", q_found = quoted(.found), q_expected = quoted(.expected))]
    WrongTyp { expected: &'static [&'static str], found: Option<String> },
    #[error("an ES256 signature has 64 bytes; found {0}")]
    SignatureLength(usize),
    #[error("the signature does not verify")]
    BadSignature,
}

/// A parsed, not yet verified, compact JWS. Nothing in it is trusted until [`Jws::verify`]
/// succeeds with a key the caller has good reason to trust.
#[derive(Debug, Clone)]
pub struct Jws {
    alg: SignatureAlgorithm,
    header: Map<String, Value>,
    payload: Vec<u8>,
    signing_input_len: usize,
    compact: String,
    signature: Vec<u8>,
}

impl Jws {
    pub fn parse(compact: &str) -> Result<Self, JwsError> {
        let compact = compact.trim();
        if compact.len() > MAX_JWS_LEN {
            return Err(JwsError::TooLong(compact.len()));
        }
        let mut parts = compact.split('.');
        let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(JwsError::Parts(compact.split('.').count()));
        };
        let header_bytes = b64url_decode(h).map_err(|_| JwsError::Base64("header"))?;
        let header = match super::json::parse(&header_bytes) {
            Ok(Value::Object(map)) => map,
            _ => return Err(JwsError::NotJsonObject("header")),
        };
        let alg = match header.get("alg") {
            None => return Err(JwsError::MissingAlg),
            Some(Value::String(alg)) => parse_alg(alg)?,
            Some(other) => return Err(JwsError::UnsupportedAlg(super::json::write(other))),
        };
        check_crit(&header)?;
        let payload = b64url_decode(p).map_err(|_| JwsError::Base64("payload"))?;
        let signature = b64url_decode(s).map_err(|_| JwsError::Base64("signature"))?;
        if alg == SignatureAlgorithm::Es256 && signature.len() != 64 {
            return Err(JwsError::SignatureLength(signature.len()));
        }
        Ok(Self {
            alg,
            header,
            payload,
            signing_input_len: h.len() + 1 + p.len(),
            compact: compact.to_owned(),
            signature,
        })
    }

    pub fn alg(&self) -> SignatureAlgorithm {
        self.alg
    }

    pub fn header(&self) -> &Map<String, Value> {
        &self.header
    }

    pub fn header_str(&self, name: &str) -> Option<&str> {
        self.header.get(name).and_then(Value::as_str)
    }

    pub fn typ(&self) -> Option<&str> {
        self.header_str("typ")
    }

    /// Refuses the JWS unless its `typ` is one of `expected` (compared case-insensitively,
    /// as media types are).
    pub fn expect_typ(&self, expected: &'static [&'static str]) -> Result<(), JwsError> {
        match self.typ() {
            Some(typ) if expected.iter().any(|e| e.eq_ignore_ascii_case(typ)) => Ok(()),
            found => Err(JwsError::WrongTyp { expected, found: found.map(str::to_owned) }),
        }
    }

    /// The payload bytes (unverified until [`Jws::verify`] succeeds).
    pub fn payload(&self) -> &[u8] {
        &self.payload
    }

    /// The payload as a JSON object (JWT claims).
    pub fn claims(&self) -> Result<Map<String, Value>, JwsError> {
        match super::json::parse(&self.payload) {
            Ok(Value::Object(map)) => Ok(map),
            _ => Err(JwsError::NotJsonObject("payload")),
        }
    }

    /// The exact compact text it was parsed from.
    pub fn as_str(&self) -> &str {
        &self.compact
    }

    fn signing_input(&self) -> &[u8] {
        self.compact.as_bytes().get(..self.signing_input_len).unwrap_or_default()
    }

    /// Verifies the signature with `key`. The key type must fit the algorithm: a did:key can
    /// only verify ES256.
    pub async fn verify(&self, key: &VerifyingKey, crypto: &impl Crypto) -> Result<(), Error> {
        if matches!(key, VerifyingKey::P256(_)) && self.alg != SignatureAlgorithm::Es256 {
            return Err(JwsError::WrongAlg { expected: "ES256", found: alg_name(self.alg) }.into());
        }
        if crypto.verify(self.alg, key, self.signing_input(), &self.signature).await? {
            Ok(())
        } else {
            Err(JwsError::BadSignature.into())
        }
    }
}

fn parse_alg(alg: &str) -> Result<SignatureAlgorithm, JwsError> {
    match alg {
        "ES256" => Ok(SignatureAlgorithm::Es256),
        "RS256" => Ok(SignatureAlgorithm::Rs256),
        a if a.eq_ignore_ascii_case("none") => Err(JwsError::AlgNone),
        other => Err(JwsError::UnsupportedAlg(other.chars().take(32).collect())),
    }
}

pub fn alg_name(alg: SignatureAlgorithm) -> &'static str {
    match alg {
        SignatureAlgorithm::Es256 => "ES256",
        SignatureAlgorithm::Rs256 => "RS256",
    }
}

fn check_crit(header: &Map<String, Value>) -> Result<(), JwsError> {
    let Some(crit) = header.get("crit") else { return Ok(()) };
    let Value::Array(names) = crit else { return Err(JwsError::BadCrit("not an array")) };
    if names.is_empty() {
        return Err(JwsError::BadCrit("empty array"));
    }
    for name in names {
        let Value::String(name) = name else { return Err(JwsError::BadCrit("not a string")) };
        if !UNDERSTOOD_CRIT.contains(&name.as_str()) {
            return Err(JwsError::UnknownCrit(name.chars().take(64).collect()));
        }
        if !header.contains_key(name) {
            return Err(JwsError::BadCrit("names a parameter the header lacks"));
        }
    }
    Ok(())
}

/// Signs `claims` as a compact JWS with ES256 and the holder key `key`.
/// `header` gets `alg` set here; the caller supplies `typ` and `kid`.
pub async fn sign_es256(
    mut header: Map<String, Value>,
    claims: &Value,
    key: &DidKey,
    keys: &impl HolderKeys,
) -> Result<String, Error> {
    header.insert("alg".into(), Value::from("ES256"));
    let header_json = super::json::write(&Value::Object(header));
    let mut out = b64url_encode(header_json.as_bytes());
    out.push('.');
    out.push_str(&b64url_encode(super::json::write(claims).as_bytes()));
    let signature = keys.sign_es256(key, out.as_bytes()).await?;
    out.push('.');
    out.push_str(&b64url_encode(&signature));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::native::{NativeCrypto, SoftwareKeys};
    use crate::core::testing::block_on;
    use serde_json::json;

    fn encode(header: &Value, payload: &Value, sig: &[u8]) -> String {
        format!(
            "{}.{}.{}",
            b64url_encode(header.to_string().as_bytes()),
            b64url_encode(payload.to_string().as_bytes()),
            b64url_encode(sig)
        )
    }

    #[test]
    fn signs_and_verifies_es256_with_a_did_key() {
        let keys = SoftwareKeys::default();
        let did = block_on(keys.create_key()).unwrap();
        let mut header = Map::new();
        header.insert("typ".into(), json!("JWT"));
        header.insert("kid".into(), json!(did.key_id()));
        let jwt = block_on(sign_es256(header, &json!({"iss": did.as_str()}), &did, &keys)).unwrap();
        let jws = Jws::parse(&jwt).unwrap();
        assert_eq!(jws.alg(), SignatureAlgorithm::Es256);
        assert_eq!(jws.header_str("kid"), Some(did.key_id().as_str()));
        assert_eq!(jws.claims().unwrap()["iss"], json!(did.as_str()));
        block_on(jws.verify(&VerifyingKey::P256(did.clone()), &NativeCrypto)).unwrap();

        // Another key must not verify it.
        let other = block_on(keys.create_key()).unwrap();
        assert_eq!(
            block_on(jws.verify(&VerifyingKey::P256(other), &NativeCrypto)),
            Err(Error::Jws(JwsError::BadSignature))
        );
        // Nor must a tampered payload.
        let mut parts: Vec<&str> = jwt.split('.').collect();
        let forged = b64url_encode(br#"{"iss":"did:key:attacker"}"#);
        parts[1] = &forged;
        let tampered = Jws::parse(&parts.join(".")).unwrap();
        assert_eq!(
            block_on(tampered.verify(&VerifyingKey::P256(did), &NativeCrypto)),
            Err(Error::Jws(JwsError::BadSignature))
        );
    }

    #[test]
    fn refuses_alg_none_and_unknown_algorithms() {
        let payload = json!({"sub": "x"});
        for (alg, expected) in [
            (json!("none"), JwsError::AlgNone),
            (json!("NONE"), JwsError::AlgNone),
            (json!("HS256"), JwsError::UnsupportedAlg("HS256".into())),
            (json!(7), JwsError::UnsupportedAlg("7".into())),
        ] {
            let jws = encode(&json!({"alg": alg}), &payload, &[0; 64]);
            assert_eq!(Jws::parse(&jws).unwrap_err(), expected);
        }
        assert_eq!(Jws::parse(&encode(&json!({}), &payload, &[0; 64])).unwrap_err(), JwsError::MissingAlg);
    }

    #[test]
    fn accepts_jades_sigt_but_no_other_critical_extension() {
        let payload = json!({});
        let ok = encode(&json!({"alg": "RS256", "sigT": "2024-06-10T09:29:13Z", "crit": ["sigT"]}), &payload, &[1; 256]);
        assert!(Jws::parse(&ok).is_ok());
        let unknown = encode(&json!({"alg": "ES256", "b64": false, "crit": ["b64"]}), &payload, &[1; 64]);
        assert_eq!(Jws::parse(&unknown).unwrap_err(), JwsError::UnknownCrit("b64".into()));
        let absent = encode(&json!({"alg": "ES256", "crit": ["sigT"]}), &payload, &[1; 64]);
        assert!(matches!(Jws::parse(&absent).unwrap_err(), JwsError::BadCrit(_)));
        let empty = encode(&json!({"alg": "ES256", "crit": []}), &payload, &[1; 64]);
        assert!(matches!(Jws::parse(&empty).unwrap_err(), JwsError::BadCrit(_)));
    }

    #[test]
    fn refuses_malformed_structure() {
        assert_eq!(Jws::parse("a.b").unwrap_err(), JwsError::Parts(2));
        assert_eq!(Jws::parse("a.b.c.d").unwrap_err(), JwsError::Parts(4));
        assert_eq!(Jws::parse("!!.b.c").unwrap_err(), JwsError::Base64("header"));
        let not_object = format!("{}.e30.", b64url_encode(b"[1]"));
        assert_eq!(Jws::parse(&not_object).unwrap_err(), JwsError::NotJsonObject("header"));
        let short_sig = encode(&json!({"alg": "ES256"}), &json!({}), &[0; 63]);
        assert_eq!(Jws::parse(&short_sig).unwrap_err(), JwsError::SignatureLength(63));
        let huge = "a".repeat(MAX_JWS_LEN + 1);
        assert_eq!(Jws::parse(&huge).unwrap_err(), JwsError::TooLong(MAX_JWS_LEN + 1));
    }

    #[test]
    fn a_did_key_cannot_verify_rs256() {
        let keys = SoftwareKeys::default();
        let did = block_on(keys.create_key()).unwrap();
        let jws = Jws::parse(&encode(&json!({"alg": "RS256"}), &json!({}), &[0; 256])).unwrap();
        assert!(matches!(
            block_on(jws.verify(&VerifyingKey::P256(did), &NativeCrypto)),
            Err(Error::Jws(JwsError::WrongAlg { .. }))
        ));
    }

    #[test]
    fn typ_is_checked_case_insensitively() {
        let jws = Jws::parse(&encode(&json!({"alg": "ES256", "typ": "OAuth-Authz-Req+JWT"}), &json!({}), &[0; 64])).unwrap();
        assert!(jws.expect_typ(&["oauth-authz-req+jwt"]).is_ok());
        assert!(matches!(jws.expect_typ(&["openid4vci-proof+jwt"]), Err(JwsError::WrongTyp { .. })));
    }
}
