//! A DCQL query (OpenID4VP 1.0 §6), and its match against a LEARCredentialEmployee.
#![no_main]
#[path = "common/mod.rs"]
mod common;

use dome_wallet::core::oid4vp::dcql::DcqlQuery;
use dome_wallet::core::oid4vp::{Candidate, Query};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(value) = common::json(data) else { return };
    let Ok(query) = DcqlQuery::parse(&value) else { return };
    let payload = common::lear_payload();
    let types = common::lear_types();
    let holder = common::holder();
    let candidate = Candidate { id: "c1", format: "jwt_vc_json", types: &types, payload: &payload, jwt: "e30.e30.e30", holder: &holder };
    let matches = Query::Dcql(query).match_candidates(&[candidate]);
    let _ = (matches.missing(), matches.default_choices(), matches.is_satisfiable());
});
