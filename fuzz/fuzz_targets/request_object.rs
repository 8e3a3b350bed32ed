//! The authorization request: a request object fetched by reference or given by value, verified
//! with the native crypto, then its parameters (client identifier rules, response mode and
//! encryption key, DCQL / Presentation Exchange / scope), and the match against a credential.
//! The first byte chooses how the rest reaches the wallet:
//!   0: the answer of request_uri;  1: `request=` by value;
//!   2: claims (JSON) signed by the client's did:key (mostly given an `exp` in date), so that
//!      the parameters are read;
//!   3: plain link parameters (JSON object) for a `redirect_uri` client (never signed).
#![no_main]
#[path = "common/mod.rs"]
mod common;

use common::{block_on, FixedPeer, NoPeer, NOW};
use dome_wallet::core::native::NativeCrypto;
use dome_wallet::core::oid4vp::{AuthorizationRequest, Candidate, VerifiedRequest};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn client_ids() -> [String; 6] {
    [
        format!("decentralized_identifier:{}", common::signer().as_str()),
        "x509_san_dns:verifier.example.org".into(),
        "x509_hash:47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU".into(),
        "redirect_uri:https://verifier.example.org/cb".into(),
        common::signer().as_str().to_owned(),
        "decentralized_identifier:did:web:verifier.example.org".into(),
    ]
}

fn inspect(request: VerifiedRequest) {
    let payload = common::lear_payload();
    let types = common::lear_types();
    let holder = common::holder();
    let candidate = Candidate { id: "c1", format: "jwt_vc_json", types: &types, payload: &payload, jwt: "e30.e30.e30", holder: &holder };
    let matches = request.match_credentials(&[candidate]);
    let _ = (matches.missing(), matches.default_choices(), matches.is_satisfiable());
    let _ = (request.verifier().label(), request.hints(), request.purpose(), request.response_host(), request.replay_key());
    let _ = (request.nonce(), request.state(), request.response_mode(), request.delivery());
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let client_id = client_ids()[usize::from(mode >> 2) % 6].clone();
    let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
    let result = match mode % 4 {
        0 => {
            let pairs = [pair("client_id", &client_id), pair("request_uri", "https://verifier.example.org/request/1")];
            block_on(AuthorizationRequest::from_link_params(&pairs, &FixedPeer { status: 200, body: rest.to_vec() }, &NativeCrypto, NOW))
        }
        1 => {
            let Ok(text) = std::str::from_utf8(rest) else { return };
            block_on(AuthorizationRequest::from_link_params(&[pair("client_id", &client_id), pair("request", text)], &NoPeer, &NativeCrypto, NOW))
        }
        2 => {
            let Some(Value::Object(mut claims)) = common::json(rest) else { return };
            let client_id = format!("decentralized_identifier:{}", common::signer().as_str());
            claims.insert("client_id".into(), Value::from(client_id.as_str()));
            // Mostly in date, so that what the request asks is read; sometimes as the input says.
            if (mode >> 2) & 1 == 0 {
                claims.insert("exp".into(), Value::from(NOW + 300));
            }
            let (object, _) = common::sign("oauth-authz-req+jwt", &Value::Object(claims));
            block_on(AuthorizationRequest::from_link_params(&[pair("client_id", &client_id), pair("request", &object)], &NoPeer, &NativeCrypto, NOW))
        }
        _ => {
            let Some(Value::Object(params)) = common::json(rest) else { return };
            let mut pairs: Vec<(String, String)> = params
                .into_iter()
                .map(|(k, v)| match v {
                    Value::String(s) => (k, s),
                    other => (k, other.to_string()),
                })
                .collect();
            if !pairs.iter().any(|(k, _)| k == "client_id") {
                pairs.push(pair("client_id", "redirect_uri:https://verifier.example.org/cb"));
            }
            block_on(AuthorizationRequest::from_link_params(&pairs, &NoPeer, &NativeCrypto, NOW))
        }
    };
    match result {
        Ok(request) => inspect(request),
        Err(e) => {
            let _ = e.user_message();
        }
    }
});
