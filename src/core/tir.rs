//! Trusted issuers registry: whether an issuer is listed, as DOME's verifier checks before it
//! accepts a credential.
//!
//! The registry speaks the EBSI Trusted Issuers Registry API v4 as FIWARE's trusted-issuers-list
//! and DOME's registry serve it: `GET <registry>/v4/issuers/{did}` answers 200 with
//! `{"did": …, "attributes": [{"hash": …, "body": …, "issuerType": …}]}`, or 404 when the issuer
//! is not listed. `body` describes what the issuer may issue (`credentialsType`, `validFor`); it
//! is base64 of JSON in FIWARE's registry and plain JSON in DOME's newer one: both are read.
//! DOME's production registry is not public, so its URL is a setting (off by default).

use crate::core::quote::quoted;
use serde_json::Value;

use super::collections::TryCollect;
use super::encoding::b64_decode;
use super::error::NetworkError;
use super::json;
use super::net::{self, PeerUrl, PeerUrlError};
use super::ports::HttpClient;

/// The largest registry answer read.
pub const MAX_ANSWER: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TirError {
    #[error("the registry address is not usable: {0}")]
    BadUrl(PeerUrlError),
    #[error("the registry could not be reached: {0}")]
    Network(NetworkError),
    #[error("the registry answered HTTP {0}")]
    Refused(u16),
    #[error("the registry's answer is not a TIR v4 issuer: {0}")]
    Malformed(String),
    #[error("asked for {q_asked}, the registry answered for {q_answered}", q_asked = quoted(.asked), q_answered = quoted(.answered))]
    OtherIssuer { asked: String, answered: String },
}

/// What the registry says about an issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listing {
    /// Listed; with the credential types its attributes name (possibly none).
    Listed { credential_types: Vec<String> },
    NotListed,
}

/// The registry's base URL from the setting (https, or http on loopback; no query or fragment).
pub fn registry(setting: &str) -> Result<PeerUrl, TirError> {
    PeerUrl::parse_identifier(setting.trim()).map_err(TirError::BadUrl)
}

/// `<registry>/v4/issuers/<did>` (the DID one path segment, escaped where needed).
pub fn issuer_url(registry: &PeerUrl, did: &str) -> Result<PeerUrl, TirError> {
    // The registry has no query or fragment (see `registry`): the path is extended in place.
    let base = registry.url().as_str().trim_end_matches('/');
    let mut segment = String::with_capacity(did.len());
    for byte in did.bytes() {
        // RFC 3986 pchar: unreserved, sub-delims, ':' and '@' stay; anything else is escaped.
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@".contains(&byte) {
            segment.push(char::from(byte));
        } else {
            segment.push_str(&format!("%{byte:02X}"));
        }
    }
    PeerUrl::parse(&format!("{base}/v4/issuers/{segment}")).map_err(TirError::BadUrl)
}

/// Looks `did` up in the registry at `registry`.
pub async fn lookup(http: &impl HttpClient, registry: &PeerUrl, did: &str) -> Result<Listing, TirError> {
    let url = issuer_url(registry, did)?;
    let reply = net::get(http, &url, MAX_ANSWER).await.map_err(TirError::Network)?;
    match reply.status {
        200 => read_issuer(&reply.body, did),
        404 => Ok(Listing::NotListed),
        status => Err(TirError::Refused(status)),
    }
}

/// Reads a TIR v4 issuer answer for `did`.
pub fn read_issuer(body: &[u8], did: &str) -> Result<Listing, TirError> {
    let malformed = TirError::Malformed;
    let issuer = json::parse_object(body).map_err(malformed)?;
    let answered = json::string(&issuer, "did").map_err(malformed)?;
    if answered != did {
        return Err(TirError::OtherIssuer { asked: did.to_owned(), answered });
    }
    let attributes = json::opt_array(&issuer, "attributes").map_err(malformed)?.map(Vec::as_slice).unwrap_or_default();
    let mut credential_types = Vec::new();
    for attribute in attributes {
        let attribute = json::as_object("attributes", attribute).map_err(malformed)?;
        let Some(body) = attribute.get("body") else { continue };
        for t in credentials_types(body)? {
            if !credential_types.contains(&t) {
                credential_types.push(t);
            }
        }
    }
    Ok(Listing::Listed { credential_types })
}

/// `credentialsType` of an attribute body: a JSON object, or a string holding base64 of one (or
/// the JSON text itself).
fn credentials_types(body: &Value) -> Result<Vec<String>, TirError> {
    let decoded;
    let object = match body {
        Value::Object(object) => object,
        Value::String(text) => {
            let bytes = b64_decode(text.trim()).unwrap_or_else(|_| text.as_bytes().to_vec());
            decoded = json::parse_object(&bytes).map_err(|e| TirError::Malformed(format!("attribute body: {e}")))?;
            &decoded
        }
        _ => return Err(TirError::Malformed("an attribute body is neither JSON nor base64 of JSON".into())),
    };
    match object.get("credentialsType") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(t)) => Ok(vec![t.clone()]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|t| t.as_str().map(str::to_owned).ok_or_else(|| TirError::Malformed("credentialsType is not a list of strings".into())))
            .try_vec(),
        Some(_) => Err(TirError::Malformed("credentialsType is not a string".into())),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::core::net::mock::MockHttp;
    use crate::core::testing::block_on;

    const DID: &str = "did:elsi:VATES-B60645900";

    fn example() -> Value {
        let text = include_str!("tests/fixtures/tir/tir-v4-issuer-example.json");
        serde_json::from_str::<Value>(text).unwrap()["response_200_example"].clone()
    }

    #[test]
    fn fiware_base64_bodies_and_dome_plain_json_bodies() {
        // FIWARE's trusted-issuers-list: base64 of the attribute JSON (the example's own body).
        let fiware = example();
        let listed = Listing::Listed { credential_types: vec!["LEARCredentialEmployee".into()] };
        assert_eq!(read_issuer(fiware.to_string().as_bytes(), DID), Ok(listed.clone()));
        // DOME's registry: the same attribute as JSON.
        let mut dome = fiware.clone();
        dome["attributes"][0]["body"] = example()["attributes"][0]["body"].as_str().map(|b| {
            serde_json::from_slice::<Value>(&b64_decode(b).unwrap()).unwrap()
        }).unwrap();
        assert!(dome["attributes"][0]["body"].is_object());
        assert_eq!(read_issuer(dome.to_string().as_bytes(), DID), Ok(listed));
        // Several types, repeated across attributes, and an attribute without a body.
        let several = json!({"did": DID, "attributes": [
            {"body": {"credentialsType": ["LEARCredentialEmployee", "LEARCredentialMachine"]}},
            {"body": {"credentialsType": "LEARCredentialEmployee"}},
            {"hash": "x"}
        ]});
        assert_eq!(
            read_issuer(several.to_string().as_bytes(), DID),
            Ok(Listing::Listed { credential_types: vec!["LEARCredentialEmployee".into(), "LEARCredentialMachine".into()] })
        );
        assert_eq!(read_issuer(json!({"did": DID, "attributes": []}).to_string().as_bytes(), DID), Ok(Listing::Listed { credential_types: vec![] }));
    }

    #[test]
    fn refuses_answers_for_another_issuer_or_malformed() {
        let other = json!({"did": "did:elsi:VATES-B99999999", "attributes": []});
        assert!(matches!(read_issuer(other.to_string().as_bytes(), DID), Err(TirError::OtherIssuer { .. })));
        for bad in [json!([]), json!({"attributes": []}), json!({"did": DID, "attributes": [{"body": "!!not base64 nor json"}]}), json!({"did": DID, "attributes": [{"body": 7}]}), json!({"did": DID, "attributes": "x"})] {
            assert!(matches!(read_issuer(bad.to_string().as_bytes(), DID), Err(TirError::Malformed(_))), "{bad}");
        }
    }

    #[test]
    fn looks_the_issuer_up_by_its_did() {
        let registry = registry("https://tir.example.org/registry/").unwrap();
        let url = issuer_url(&registry, DID).unwrap();
        assert_eq!(url.as_str(), "https://tir.example.org/registry/v4/issuers/did:elsi:VATES-B60645900");
        assert_eq!(issuer_url(&registry, "did:web:a/b?c").unwrap().as_str(), "https://tir.example.org/registry/v4/issuers/did:web:a%2Fb%3Fc");
        let http = MockHttp::new();
        http.get(url.as_str(), 200, example().to_string()).get(url.as_str(), 404, "").get(url.as_str(), 503, "");
        assert!(matches!(block_on(lookup(&http, &registry, DID)), Ok(Listing::Listed { .. })));
        assert_eq!(block_on(lookup(&http, &registry, DID)), Ok(Listing::NotListed));
        assert_eq!(block_on(lookup(&http, &registry, DID)), Err(TirError::Refused(503)));
        assert!(matches!(block_on(lookup(&http, &registry, DID)), Err(TirError::Network(_))));
        for bad in ["http://tir.example.org", "tir.example.org", "https://tir.example.org/?x=1", ""] {
            assert!(matches!(super::registry(bad), Err(TirError::BadUrl(_))), "{bad}");
        }
    }
}
