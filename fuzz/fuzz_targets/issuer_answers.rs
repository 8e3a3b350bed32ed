//! The issuer's answers to the token, nonce, credential and deferred requests, and error bodies
//! (OAuth `error`, RFC 7807 problem details), with the status the first byte chooses.
#![no_main]
use dome_wallet::core::net::Reply;
use dome_wallet::core::oid4vci::messages::{error_extras, parse_credential_answer, parse_nonce, parse_token};
use dome_wallet::core::oid4vci::Step;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, body)) = data.split_first() else { return };
    let status = [200, 202, 400, 401, 403, 500][usize::from(first) % 6];
    let reply = Reply { status, body: body.to_vec() };
    let _ = parse_token(&reply);
    let _ = parse_nonce(&reply);
    let _ = parse_credential_answer(&reply, Step::Credential);
    let _ = parse_credential_answer(&reply, Step::Deferred);
    let extras = error_extras(&reply);
    let _ = (extras.c_nonce, extras.interval);
    let error = reply.error();
    let _ = (error.code(), error.description());
});
