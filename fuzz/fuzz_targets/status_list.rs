//! `credentialStatus` entries (W3C Bitstring Status List, DOME's PlainListEntity, unknown kinds).
#![no_main]
#[path = "common/mod.rs"]
mod common;

use dome_wallet::core::credential::status;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(value) = common::json(data) else { return };
    let _ = status::parse(&value);
});
