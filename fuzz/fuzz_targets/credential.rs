//! The credential data model: a `jwt_vc_json` credential (claims, VCDM 1.1 and 2.0, dates,
//! holder), the LEARCredential mandate in every DOME version, the summary the list shows, and
//! the checks before storing (`verify_credential`, native crypto). The first byte chooses:
//!   0: the rest is a credential JWT as an issuer sends it;
//!   1: the rest is a payload (JSON) signed by a did:key issuer, so every check after the
//!      signature runs;
//!   2: the rest is a credential object (the `vc` claim, or unsigned JSON).
#![no_main]
#[path = "common/mod.rs"]
mod common;

use common::{block_on, NOW};
use dome_wallet::core::credential::dates::parse_datetime;
use dome_wallet::core::credential::summary::summarize;
use dome_wallet::core::credential::{mandate, verify_credential, Expectations, JwtVc, Vc};
use dome_wallet::core::native::NativeCrypto;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn check(jwt: &str) {
    if let Ok(view) = JwtVc::parse(jwt) {
        let _ = (summarize(&view), mandate::read(view.vc()), view.validity(), view.holder(), view.issuer_id());
        let holder = view.holder().and_then(|h| dome_wallet::core::did_key::DidKey::parse(h).ok()).unwrap_or_else(common::holder);
        let expect = Expectations { holder: Some(&holder), types: &["LEARCredentialEmployee"], now: NOW };
        if let Ok(verified) = block_on(verify_credential(jwt, &expect, &NativeCrypto)) {
            let issuer = verified.issuer();
            let _ = (issuer.name(), issuer.organization(), issuer.organization_identifier(), issuer.certificate_subject().map(|s| s.to_rfc4514()));
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    match mode % 3 {
        0 => {
            let Ok(text) = std::str::from_utf8(rest) else { return };
            check(text);
            if text.len() < 64 {
                let _ = parse_datetime(text);
            }
        }
        1 => {
            let Some(Value::Object(mut payload)) = common::json(rest) else { return };
            payload.insert("iss".into(), Value::from(common::signer().as_str()));
            let (jwt, _) = common::sign("JWT", &Value::Object(payload));
            check(&jwt);
        }
        _ => {
            if let Some(Value::Object(object)) = common::json(rest) {
                if let Ok(vc) = Vc::from_json(&object) {
                    let _ = (mandate::read(&vc), vc.subject_id(), vc.mandatee_id(), vc.has_type("LEARCredentialEmployee"));
                }
            }
        }
    }
});
