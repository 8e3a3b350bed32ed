//! JWS / JWT compact serialisation: parsing, header and claims, `typ`, a did:key `kid`, and
//! signature verification with the native crypto.
#![no_main]
#[path = "common/mod.rs"]
mod common;

use dome_wallet::core::did_key::DidKey;
use dome_wallet::core::jws::Jws;
use dome_wallet::core::native::NativeCrypto;
use dome_wallet::core::ports::VerifyingKey;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // The did:key parser sees `kid`s and client identifiers from peers too.
    let _ = DidKey::parse(text);
    let Ok(jws) = Jws::parse(text) else { return };
    let _ = (jws.alg(), jws.typ(), jws.payload().len(), jws.as_str().len());
    let _ = jws.expect_typ(&["JWT", "oauth-authz-req+jwt"]);
    let _ = jws.claims();
    let key = match jws.header_str("kid").map(|kid| DidKey::parse(kid.split('#').next().unwrap_or_default())) {
        Some(Ok(did)) => did,
        _ => common::holder(),
    };
    let _ = common::block_on(jws.verify(&VerifyingKey::P256(key), &NativeCrypto));
    let _ = common::block_on(jws.verify(&VerifyingKey::Spki(data.to_vec()), &NativeCrypto));
});
