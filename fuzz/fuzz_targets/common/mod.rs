//! What the fuzz targets share: an executor for the core's futures (the native ports never
//! wait), a peer that answers every request the same way, and a credential to match queries
//! against.
#![allow(dead_code)]

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use dome_wallet::core::did_key::DidKey;
use dome_wallet::core::error::NetworkError;
use dome_wallet::core::ports::{HttpClient, HttpRequest, HttpResponse};
use serde_json::{json, Value};

/// "Now" for every target: 2027-01-15 (inside the fixtures' validity).
pub const NOW: i64 = 1_800_000_000;

/// Runs a future of the core to completion. The native ports are synchronous, so it is ready
/// at once; a future that is not is a bug in the target.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..1000 {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
    panic!("a core future did not complete with native ports");
}

/// A peer that answers every request with the same status and body (the fuzz input).
pub struct FixedPeer {
    pub status: u16,
    pub body: Vec<u8>,
}

impl HttpClient for FixedPeer {
    async fn send(&self, _request: HttpRequest) -> Result<HttpResponse, NetworkError> {
        Ok(HttpResponse { status: self.status, content_type: Some("application/json".into()), body: self.body.clone() })
    }
}

/// A peer that answers nothing.
pub struct NoPeer;

impl HttpClient for NoPeer {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, NetworkError> {
        Err(NetworkError::Unreachable { host: request.url.host_str().unwrap_or_default().into(), detail: "fuzzing".into() })
    }
}

/// A fixed P-256 did:key (the holder of [`lear_payload`]).
pub fn holder() -> DidKey {
    DidKey::parse("did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv").expect("a valid did:key")
}

/// A LEARCredentialEmployee payload (VCDM 1.1 in `vc`), for matching queries.
pub fn lear_payload() -> Value {
    let holder = holder();
    json!({
        "iss": "did:elsi:VATES-B60645900", "sub": holder.as_str(), "nbf": NOW - 60, "exp": NOW + 86400,
        "vc": {
            "@context": ["https://www.w3.org/2018/credentials/v1"],
            "type": ["VerifiableCredential", "LEARCredentialEmployee"],
            "issuer": "did:elsi:VATES-B60645900",
            "credentialSubject": {
                "id": holder.as_str(),
                "mandate": {
                    "mandator": {"organization": "GoodAir", "organizationIdentifier": "VATES-B60645900", "country": "ES"},
                    "mandatee": {"id": holder.as_str(), "firstName": "Ana", "lastName": "García", "email": "ana@example.org"},
                    "power": [{"type": "domain", "domain": "DOME", "function": "Onboarding", "action": ["Execute"]}]
                }
            }
        }
    })
}

pub fn lear_types() -> Vec<String> {
    vec!["VerifiableCredential".into(), "LEARCredentialEmployee".into()]
}

/// JSON from fuzz bytes, when they are JSON.
pub fn json(data: &[u8]) -> Option<Value> {
    serde_json::from_slice(data).ok()
}

/// A signer the targets use to sign what the fuzzer writes, so that parsing goes past the
/// signature check into what a signed request object or credential says.
pub struct Signer {
    pub keys: dome_wallet::core::native::SoftwareKeys,
    pub did: DidKey,
}

thread_local! {
    static SIGNER: Signer = {
        use dome_wallet::core::ports::HolderKeys;
        let keys = dome_wallet::core::native::SoftwareKeys::default();
        let did = block_on(keys.create_key()).expect("a software key");
        Signer { keys, did }
    };
}

/// Signs `claims` (ES256, `kid` = the signer's key id) with `typ`; returns the compact JWS and
/// the signer's did:key.
pub fn sign(typ: &str, claims: &Value) -> (String, DidKey) {
    SIGNER.with(|s| {
        let mut header = serde_json::Map::new();
        header.insert("typ".into(), Value::from(typ));
        header.insert("kid".into(), Value::from(s.did.key_id()));
        let jws = block_on(dome_wallet::core::jws::sign_es256(header, claims, &s.did, &s.keys)).expect("signing");
        (jws, s.did.clone())
    })
}

/// The signer's did:key.
pub fn signer() -> DidKey {
    SIGNER.with(|s| s.did.clone())
}
