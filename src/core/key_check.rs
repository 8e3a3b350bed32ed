//! A self-test of a holder key: sign a statement with it, then verify the signature with the
//! public key decoded from its did:key. It proves that the stored private key still works and
//! belongs to the identifier issuers bind credentials to (after a browser update, a restore, a
//! migration of the wallet's data).

use serde_json::{Map, Value};

use super::did_key::DidKey;
use super::encoding::b64url_encode;
use super::error::Error;
use super::json;
use super::jws::{self, Jws};
use super::ports::{Crypto, HolderKeys, VerifyingKey};

/// Signs a short-lived statement with `key` and verifies it against the did:key.
/// Returns the signed statement (a compact JWS) so it can be checked elsewhere too.
pub async fn run(key: &DidKey, keys: &impl HolderKeys, crypto: &impl Crypto, now: i64) -> Result<String, Error> {
    let nonce = b64url_encode(&crypto.random_bytes(16)?);
    let mut header = Map::new();
    header.insert("typ".into(), Value::from("JWT"));
    header.insert("kid".into(), Value::from(key.key_id()));
    let claims = json::object(&mut [
        ("iss", key.as_str().into()),
        ("sub", key.as_str().into()),
        ("iat", now.into()),
        ("exp", (now + 300).into()),
        ("nonce", nonce.into()),
        ("purpose", "key-check".into()),
    ]);
    let compact = jws::sign_es256(header, &claims, key, keys).await?;
    let parsed = Jws::parse(&compact)?;
    parsed.verify(&VerifyingKey::P256(key.clone()), crypto).await?;
    Ok(compact)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::native::{NativeCrypto, SoftwareKeys};
    use crate::core::testing::block_on;

    #[test]
    fn a_working_key_passes_and_yields_a_verifiable_statement() {
        let keys = SoftwareKeys::default();
        let did = block_on(keys.create_key()).unwrap();
        let compact = block_on(run(&did, &keys, &NativeCrypto, 1_700_000_000)).unwrap();
        let jws = Jws::parse(&compact).unwrap();
        assert_eq!(jws.claims().unwrap()["iss"], did.as_str());
        assert_eq!(jws.header_str("kid"), Some(did.key_id().as_str()));
    }

    #[test]
    fn a_key_the_wallet_does_not_hold_fails() {
        let keys = SoftwareKeys::default();
        let foreign = DidKey::parse("did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169").unwrap();
        assert!(block_on(run(&foreign, &keys, &NativeCrypto, 0)).is_err());
    }
}
