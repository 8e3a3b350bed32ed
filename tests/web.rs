//! In-browser tests of the adapters (WebCrypto, IndexedDB), run in headless Chromium by
//! `wasm-bindgen-test-runner`. The protocol logic is tested natively; these check only that the
//! browser behaves as the adapters assume.
#![cfg(target_arch = "wasm32")]

use dome_wallet::adapters::{idb, keystore::KeyStore, platform, schema, webcrypto};
use dome_wallet::core::did_key::DidKey;
use dome_wallet::core::encoding::{b64url_decode, b64url_encode};
use dome_wallet::core::jws::Jws;
use dome_wallet::core::key_check;
use dome_wallet::core::ports::{Crypto, HolderKeys, SignatureAlgorithm, VerifyingKey};
use dome_wallet::core::url;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn unique_db_name(prefix: &str) -> String {
    format!("{prefix}-{}", js_sys::Math::random().to_bits())
}

#[wasm_bindgen_test]
async fn holder_keys_are_non_extractable_p256_and_sign_es256() {
    let pair = webcrypto::generate_holder_key().await.unwrap();
    let private = pair.get_private_key();
    assert!(!private.extractable());
    assert_eq!(private.type_(), "private");
    // Exporting the private key must be refused by the browser itself.
    let export = webcrypto::subtle().unwrap().export_key("pkcs8", &private).unwrap();
    let refused = JsFuture::from(export).await.unwrap_err();
    assert_eq!(refused.unchecked_into::<web_sys::DomException>().name(), "InvalidAccessError");

    let raw = webcrypto::export_public_raw(&pair.get_public_key()).await.unwrap();
    assert_eq!(raw.len(), 65);
    let did = DidKey::from_sec1(&raw).unwrap();
    assert!(did.as_str().starts_with("did:key:zDn"));
    // The interface's did:key text (no curve arithmetic) is the engine's.
    assert_eq!(dome_wallet::core::did_key::did_of_trusted_raw_key(&raw).as_deref(), Some(did.as_str()));

    let message = b"header.payload";
    let signature = webcrypto::sign_es256(&private, message).await.unwrap();
    assert_eq!(signature.len(), 64, "JOSE ES256 signatures are r||s");
    let key = VerifyingKey::P256(did);
    let crypto = webcrypto::WebCrypto;
    assert!(crypto.verify(SignatureAlgorithm::Es256, &key, message, &signature).await.unwrap());
    assert!(!crypto.verify(SignatureAlgorithm::Es256, &key, b"header.payloaD", &signature).await.unwrap());
}

/// RFC 7515 Appendix A.3: an ES256 JWS verifies through WebCrypto with its published key.
#[wasm_bindgen_test]
async fn webcrypto_verifies_the_rfc7515_es256_example() {
    let x = b64url_decode("f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU").unwrap();
    let y = b64url_decode("x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0").unwrap();
    let mut point = vec![4u8];
    point.extend(x);
    point.extend(y);
    let key = VerifyingKey::P256(DidKey::from_sec1(&point).unwrap());
    let jws = Jws::parse(concat!(
        "eyJhbGciOiJFUzI1NiJ9.",
        "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.",
        "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"
    ))
    .unwrap();
    jws.verify(&key, &webcrypto::WebCrypto).await.unwrap();
}

/// RFC 7515 Appendix A.2: an RS256 JWS verifies through WebCrypto from a DER SubjectPublicKeyInfo
/// (the form an x5c certificate gives).
#[wasm_bindgen_test]
async fn webcrypto_verifies_the_rfc7515_rs256_example() {
    let n = b64url_decode(concat!(
        "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMs",
        "D1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdV",
        "MTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"
    ))
    .unwrap();
    let spki = rsa_spki(&n, &[1, 0, 1]);
    let jws = Jws::parse(concat!(
        "eyJhbGciOiJSUzI1NiJ9.",
        "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.",
        "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjb",
        "KBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZES",
        "c6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw"
    ))
    .unwrap();
    jws.verify(&VerifyingKey::Spki(spki), &webcrypto::WebCrypto).await.unwrap();
}

/// DER SubjectPublicKeyInfo for an RSA key (rsaEncryption, RFC 3279).
fn rsa_spki(n: &[u8], e: &[u8]) -> Vec<u8> {
    fn tlv(tag: u8, body: &[u8]) -> Vec<u8> {
        let mut out = vec![tag];
        let len = body.len();
        if len < 128 {
            out.push(len as u8);
        } else if len < 256 {
            out.extend([0x81, len as u8]);
        } else {
            out.extend([0x82, (len >> 8) as u8, len as u8]);
        }
        out.extend_from_slice(body);
        out
    }
    let unsigned = |v: &[u8]| if v[0] & 0x80 != 0 { [&[0u8][..], v].concat() } else { v.to_vec() };
    let rsa_key = tlv(0x30, &[tlv(0x02, &unsigned(n)), tlv(0x02, &unsigned(e))].concat());
    let algorithm = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];
    tlv(0x30, &[&algorithm[..], &tlv(0x03, &[&[0u8][..], &rsa_key].concat())].concat())
}

#[wasm_bindgen_test]
async fn key_store_keeps_many_keys_across_connections_and_signs_with_each() {
    let name = unique_db_name("keys");
    let store = KeyStore::new(schema::open_at(&name, schema::VERSION).await.unwrap());
    let first = store.create_key().await.unwrap();
    // Keys are dated to the millisecond: the second must be made in a later one to be newer.
    let made_at = js_sys::Date::now();
    while js_sys::Date::now() <= made_at {
        let tick = js_sys::Promise::new(&mut |resolve, _| {
            let _ = web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 1);
        });
        JsFuture::from(tick).await.unwrap();
    }
    let second = store.create_key().await.unwrap();
    assert_ne!(first, second);

    // A new connection (as after a reload) sees both keys, oldest first, and both still sign.
    let reopened = KeyStore::new(schema::open_at(&name, schema::VERSION).await.unwrap());
    let dids: Vec<String> = reopened.list().await.unwrap().into_iter().map(|k| k.did).collect();
    assert_eq!(dids, vec![first.to_string(), second.to_string()]);
    for did in [&first, &second] {
        let statement = key_check::run(did, &reopened, &webcrypto::WebCrypto, 1_700_000_000).await.unwrap();
        assert_eq!(Jws::parse(&statement).unwrap().claims().unwrap()["iss"], did.as_str());
    }
    // A key the store does not hold cannot sign.
    let foreign = DidKey::parse("did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169").unwrap();
    assert!(reopened.sign_es256(&foreign, b"x").await.is_err());
}

#[wasm_bindgen_test]
async fn stored_key_records_hold_only_a_non_extractable_private_key() {
    let name = unique_db_name("records");
    let db = schema::open_at(&name, schema::VERSION).await.unwrap();
    let store = KeyStore::new(db.clone());
    let did = store.ensure_holder_key().await.unwrap().remove(0).did;
    let record = idb::get(&db, schema::KEYS, &did.as_str().into()).await.unwrap();
    let fields: Vec<String> = js_sys::Object::keys(record.unchecked_ref::<js_sys::Object>()).iter().filter_map(|k| k.as_string()).collect();
    assert_eq!(fields, vec!["did", "keyPair", "createdAt"]);
    let pair: web_sys::CryptoKeyPair = js_sys::Reflect::get(&record, &"keyPair".into()).unwrap().unchecked_into();
    assert!(!pair.get_private_key().extractable());
    // Starting again does not create a second key.
    assert_eq!(store.ensure_holder_key().await.unwrap().len(), 1);
}

#[wasm_bindgen_test]
async fn sha256_and_random_come_from_the_browser() {
    let crypto = webcrypto::WebCrypto;
    let digest = crypto.sha256(b"abc").await.unwrap();
    assert_eq!(b64url_encode(&digest), "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    let a = crypto.random_bytes(70_000).unwrap();
    let b = crypto.random_bytes(70_000).unwrap();
    assert_eq!(a.len(), 70_000);
    assert_ne!(a, b);
}

#[wasm_bindgen_test]
async fn persistence_request_gets_an_answer() {
    // Headless Chromium answers (usually "not granted"); the point is that the API is reached.
    assert_ne!(platform::request_persistence().await, platform::Persistence::Unsupported);
}

#[wasm_bindgen_test]
async fn a_database_from_a_newer_wallet_is_refused_not_touched() {
    let name = unique_db_name("newer");
    // Simulate a newer wallet: open the raw database at a higher version than this wallet knows.
    let newer = idb::open(&name, schema::VERSION + 1, |_, _, _, _| Ok(())).await.unwrap();
    newer.close();
    let err = schema::open_at(&name, schema::VERSION).await.unwrap_err();
    assert!(matches!(err, dome_wallet::core::error::StorageError::NewerVersion { .. }), "{err:?}");
}

#[wasm_bindgen_test]
async fn fetch_adapter_returns_status_type_and_body() {
    use dome_wallet::adapters::http::FetchHttp;
    use dome_wallet::core::ports::{HttpClient, HttpRequest, Method};
    let request = HttpRequest {
        method: Method::Get,
        url: url::Url::parse("data:application/json,%7B%22a%22%3A1%7D").unwrap(),
        headers: vec![],
        body: None,
    };
    let response = FetchHttp.send(request).await.unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.content_type.as_deref(), Some("application/json"));
    assert_eq!(response.body, br#"{"a":1}"#);
}

#[wasm_bindgen_test]
async fn fetch_adapter_reports_an_unreachable_peer() {
    use dome_wallet::adapters::http::FetchHttp;
    use dome_wallet::core::error::NetworkError;
    use dome_wallet::core::ports::{HttpClient, HttpRequest, Method};
    let request = HttpRequest {
        method: Method::Post,
        url: url::Url::parse("http://127.0.0.1:9/token").unwrap(),
        headers: vec![("content-type", "application/x-www-form-urlencoded".into())],
        body: Some(b"a=b".to_vec()),
    };
    match FetchHttp.send(request).await {
        Err(NetworkError::Unreachable { host, .. }) => assert_eq!(host, "127.0.0.1"),
        other => panic!("expected an unreachable peer, got {other:?}"),
    }
}

/// A wallet written by the previous schema version opens with the current one, losing nothing:
/// its key still signs, its settings are still there, and the new stores exist.
#[wasm_bindgen_test]
async fn the_previous_schema_version_migrates_without_loss() {
    let name = unique_db_name("migrate");
    let previous = schema::VERSION - 1;
    let old_db = schema::open_at(&name, previous).await.unwrap();
    let did = KeyStore::new(old_db.clone()).create_key().await.unwrap();
    idb::put(&old_db, schema::SETTINGS, &"es".into(), Some(&"language".into())).await.unwrap();
    let old_stores = old_db.object_store_names().length();
    old_db.close();

    let db = schema::open_at(&name, schema::VERSION).await.unwrap();
    assert_eq!(db.version() as u32, schema::VERSION);
    assert!(db.object_store_names().length() > old_stores, "the new version adds stores");
    for store in [schema::KEYS, schema::SETTINGS, schema::CREDENTIALS, schema::ACTIVITY, schema::SEEN_REQUESTS, schema::VAULT] {
        assert!(db.object_store_names().contains(store), "store {store} exists");
    }
    let store = KeyStore::new(db.clone());
    let keys = store.list().await.unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].did, did.as_str());
    let statement = key_check::run(&did, &store, &webcrypto::WebCrypto, 1_700_000_000).await.unwrap();
    assert!(!statement.is_empty());
    let language = idb::get(&db, schema::SETTINGS, &"language".into()).await.unwrap();
    assert_eq!(language.as_string().as_deref(), Some("es"));
}

fn sample_credential(id: &str, holder_did: &str, received_at: f64) -> dome_wallet::adapters::records::StoredCredential {
    use dome_wallet::adapters::records::*;
    StoredCredential {
        id: id.into(),
        state: CredentialState::Valid,
        jwt: Some("eyJhbGciOiJFUzI1NiJ9.e30.sig".into()),
        format: "jwt_vc_json".into(),
        configuration_id: "LEARCredentialEmployee".into(),
        issuer_url: "https://issuer.example".into(),
        issuer_name: Some("Example Issuer".into()),
        holder_did: holder_did.into(),
        received_at,
        summary: Summary {
            credential_type: "LEARCredentialEmployee".into(),
            organisation: Some("GoodAir S.L.".into()),
            mandatee: Some("Jane Doe".into()),
            valid_from: Some(1_700_000_000.0),
            valid_until: None,
        },
        deferred: None,
        notification: Some(r#"{"id":"n1"}"#.into()),
        status: None,
    }
}

/// A credential as the interface lists it: without the credential itself and its tokens.
fn as_listed(credential: &dome_wallet::adapters::records::StoredCredential) -> dome_wallet::adapters::records::StoredCredential {
    dome_wallet::adapters::records::StoredCredential { jwt: None, deferred: None, notification: None, ..credential.clone() }
}

#[wasm_bindgen_test]
async fn credentials_round_trip_and_delete_together_with_their_key() {
    use dome_wallet::adapters::records;
    let db = schema::open_at(&unique_db_name("creds"), schema::VERSION).await.unwrap();
    let keys = KeyStore::new(db.clone());
    let k1 = keys.create_key().await.unwrap();
    let k2 = keys.create_key().await.unwrap();
    let older = sample_credential("c1", k1.as_str(), 1.0);
    let newer = sample_credential("c2", k2.as_str(), 2.0);
    let plain = records::Access::Plain;
    records::put_credential(&db, &older, &plain).await.unwrap();
    records::put_credential(&db, &newer, &plain).await.unwrap();
    // A malformed record does not hide the others.
    idb::put(&db, schema::CREDENTIALS, &dome_wallet::bridge::obj(&[("id", "bad".into())]).into(), None).await.unwrap();

    assert_eq!(records::credentials(&db, &plain).await.unwrap(), vec![newer.clone(), older.clone()]);
    assert_eq!(records::credentials_in_clear(&db).await.unwrap(), (vec![as_listed(&newer), as_listed(&older)], false), "listed without the credential itself and its tokens");
    assert_eq!(records::credential(&db, "c1", &plain).await.unwrap(), Some(older.clone()));
    assert_eq!(records::credential(&db, "nope", &plain).await.unwrap(), None);

    records::delete_credential(&db, &older).await.unwrap();
    assert_eq!(records::credentials(&db, &plain).await.unwrap(), vec![newer]);
    let remaining: Vec<String> = keys.list().await.unwrap().into_iter().map(|k| k.did.to_string()).collect();
    assert_eq!(remaining, vec![k2.to_string()], "the credential's key went with it");
}

/// A status result is written into the stored record alone: the rest of the record as it is
/// then, and a credential deleted meanwhile is not brought back; the same with the lock on (the
/// status beside the seal).
#[wasm_bindgen_test]
async fn a_status_is_kept_with_its_credential_and_never_revives_a_deleted_one() {
    use dome_wallet::adapters::records::{self, Access};
    use dome_wallet::core::credential::standing::{Listed, StatusRecord, Unverifiable};
    let (key, _) = new_data_key_for("correct horse battery").await;
    for access in [Access::Plain, Access::Sealed(key)] {
        let db = schema::open_at(&unique_db_name("status"), schema::VERSION).await.unwrap();
        let keys = KeyStore::new(db.clone());
        let key = keys.create_key().await.unwrap();
        let stored = sample_credential("c1", key.as_str(), 1.0);
        records::put_credential(&db, &stored, &access).await.unwrap();
        // Another writer changed the record after this status check had read it.
        let renamed = records::StoredCredential { issuer_name: Some("Renamed".into()), ..stored.clone() };
        records::put_credential(&db, &renamed, &access).await.unwrap();
        let status = StatusRecord { entries: 2, listed: Some(Listed::Revoked), checked_at: Some(5.0), problem: Some(Unverifiable::Unreachable), attempted_at: Some(6.0) };
        assert!(records::set_status(&db, "c1", &status).await.unwrap());
        let read = records::credential(&db, "c1", &access).await.unwrap().unwrap();
        assert_eq!(read, records::StoredCredential { status: Some(status.clone()), ..renamed });
        let without_result = StatusRecord { entries: 0, attempted_at: Some(7.0), ..StatusRecord::default() };
        assert!(records::set_status(&db, "c1", &without_result).await.unwrap());
        assert_eq!(records::credential(&db, "c1", &access).await.unwrap().unwrap().status, Some(without_result));
        records::delete_credential(&db, &read).await.unwrap();
        assert!(!records::set_status(&db, "c1", &status).await.unwrap(), "nothing to update");
        assert_eq!(records::credential(&db, "c1", &access).await.unwrap(), None, "still deleted");
    }
}

#[wasm_bindgen_test]
async fn activity_is_listed_newest_first_and_replays_are_detected() {
    use dome_wallet::adapters::records::{self, ActivityEntry, ActivityKind, Outcome};
    let db = schema::open_at(&unique_db_name("activity"), schema::VERSION).await.unwrap();
    let entry = |at: f64, outcome| ActivityEntry {
        at,
        kind: ActivityKind::Presentation,
        peer_name: "Marketplace".into(),
        peer_id: "did:key:zDnae".into(),
        credential_type: Some("LEARCredentialEmployee".into()),
        claims: vec!["credentialSubject.mandate.mandatee.firstName".into()],
        outcome,
        reason: None,
    };
    records::add_activity(&db, &entry(1.0, Outcome::Success), &records::Access::Plain).await.unwrap();
    records::add_activity(&db, &entry(2.0, Outcome::Declined), &records::Access::Plain).await.unwrap();
    let log = records::activity(&db, &records::Access::Plain).await.unwrap();
    assert_eq!(records::activity_in_clear(&db).await.unwrap(), log);
    assert_eq!(log, vec![entry(2.0, Outcome::Declined), entry(1.0, Outcome::Success)]);

    assert!(records::remember_request(&db, "client#nonce-1", 1.0).await.unwrap());
    assert!(!records::remember_request(&db, "client#nonce-1", 2.0).await.unwrap(), "a replay");
    assert!(records::remember_request(&db, "client#nonce-2", 3.0).await.unwrap());
}

/// ECDH-ES key agreement through WebCrypto agrees with the recipient's side, and AES-GCM gives
/// ciphertext followed by the tag, as JWE needs (checked against NIST's GCM test case 2).
#[wasm_bindgen_test]
async fn webcrypto_jwe_primitives() {
    use dome_wallet::core::oid4vp::JweCrypto;
    let subtle = webcrypto::subtle().unwrap();
    let ecdh = js_sys::Object::new();
    js_sys::Reflect::set(&ecdh, &"name".into(), &"ECDH".into()).unwrap();
    js_sys::Reflect::set(&ecdh, &"namedCurve".into(), &"P-256".into()).unwrap();
    let usages: js_sys::Array = [wasm_bindgen::JsValue::from_str("deriveBits")].into_iter().collect();
    let recipient: web_sys::CryptoKeyPair =
        JsFuture::from(subtle.generate_key_with_object(&ecdh, true, &usages).unwrap()).await.unwrap().unchecked_into();
    let recipient_public = webcrypto::export_public_raw(&recipient.get_public_key()).await.unwrap();
    let out = webcrypto::WebCrypto.ecdh_p256_ephemeral(&recipient_public).await.unwrap();
    assert_eq!(out.ephemeral_public.len(), 65);
    assert_eq!(out.shared_secret.len(), 32);
    // The recipient derives the same secret from the ephemeral public key.
    let ephemeral: web_sys::CryptoKey = JsFuture::from(
        subtle
            .import_key_with_object("raw", &js_sys::Uint8Array::from(out.ephemeral_public.as_slice()), &ecdh, true, &js_sys::Array::new())
            .unwrap(),
    )
    .await
    .unwrap()
    .unchecked_into();
    let params = js_sys::Object::new();
    js_sys::Reflect::set(&params, &"name".into(), &"ECDH".into()).unwrap();
    js_sys::Reflect::set(&params, &"public".into(), &ephemeral).unwrap();
    let secret = JsFuture::from(subtle.derive_bits_with_object(&params, &recipient.get_private_key(), 256).unwrap()).await.unwrap();
    assert_eq!(js_sys::Uint8Array::new(&secret).to_vec(), out.shared_secret);

    // NIST GCM test case 2: zero key and IV, one zero block.
    let sealed = webcrypto::WebCrypto.aes_gcm_encrypt(&[0; 16], &[0; 12], &[], &[0; 16]).await.unwrap();
    let hex: String = sealed.iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(hex, "0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf");
}

// ---- The wallet lock (adapters::vault, sealed records, wrapped holder keys) ----

use dome_wallet::adapters::records::{self, Access, LockChange};
use dome_wallet::adapters::vault::{self, LockRecord, PassphraseSlot};
use dome_wallet::core::error::{CryptoError, StorageError};
use dome_wallet::core::lock::{self as lock_rules, Attempts, AutoLock};

/// Every string and byte in a stored value, as text (bytes as Latin-1), to look for plaintext
/// the way someone reading the disk would.
fn dump(value: &wasm_bindgen::JsValue, out: &mut String) {
    if let Some(text) = value.as_string() {
        out.push_str(&text);
    } else if value.is_instance_of::<js_sys::Uint8Array>() || value.is_instance_of::<js_sys::ArrayBuffer>() {
        out.extend(js_sys::Uint8Array::new(value).to_vec().into_iter().map(char::from));
    } else if value.is_object() {
        for key in js_sys::Object::keys(value.unchecked_ref::<js_sys::Object>()).iter() {
            out.push_str(&key.as_string().unwrap_or_default());
            out.push(' ');
            dump(&js_sys::Reflect::get(value, &key).unwrap(), out);
            out.push(' ');
        }
    } else if let Some(n) = value.as_f64() {
        out.push_str(&n.to_string());
    }
}

async fn raw_store(db: &web_sys::IdbDatabase, store: &str) -> String {
    let mut out = String::new();
    dump(&idb::get_all(db, store).await.unwrap().into(), &mut out);
    out
}

/// The plaintext of `sample_credential` that must never be on disk while the lock is on.
const SECRETS: [&str; 5] = ["Jane Doe", "GoodAir", "eyJhbGciOiJFUzI1NiJ9", "Example Issuer", "\"n1\""];

async fn new_data_key_for(passphrase: &str) -> (vault::DataKey, LockRecord) {
    let exposed = vault::generate_data_key().await.unwrap();
    let salt = vault::random(lock_rules::PASSPHRASE_SALT_LEN).unwrap();
    let kek = vault::passphrase_kek(passphrase, &salt, lock_rules::PBKDF2_ITERATIONS).await.unwrap();
    let wrapped = vault::wrap_data_key(&exposed, &kek).await.unwrap();
    let key = vault::unwrap_data_key(&wrapped, &kek).await.unwrap();
    let record = LockRecord {
        key_id: "k1".into(),
        passphrase: Some(PassphraseSlot { salt, iterations: lock_rules::PBKDF2_ITERATIONS, wrapped }),
        passkey: None,
        auto_lock: AutoLock::DEFAULT,
        attempts: Attempts::default(),
    };
    (key, record)
}

#[wasm_bindgen_test]
async fn the_passphrase_unwraps_the_data_key_and_a_wrong_one_is_refused() {
    let (key, record) = new_data_key_for("correct horse battery").await;
    let slot = record.passphrase.clone().unwrap();
    assert_eq!(slot.wrapped.len(), 40, "AES-KW of a 256-bit key");
    // The form in use cannot be exported.
    let in_use: web_sys::CryptoKey = key.to_js().unchecked_into();
    assert!(!in_use.extractable());
    let refused = JsFuture::from(webcrypto::subtle().unwrap().export_key("raw", &in_use).unwrap()).await.unwrap_err();
    assert_eq!(refused.unchecked_into::<web_sys::DomException>().name(), "InvalidAccessError");

    let sealed = vault::seal(&key, b"aad", b"hello").await.unwrap();
    // The same passphrase (a new derivation, as after a reload) gives a key that opens it.
    let again = vault::passphrase_kek("correct horse battery", &slot.salt, slot.iterations).await.unwrap();
    let reopened = vault::unwrap_data_key(&slot.wrapped, &again).await.unwrap();
    assert_eq!(vault::open(&reopened, b"aad", &sealed).await.unwrap(), b"hello");

    for (passphrase, salt) in [("correct horse batterY", slot.salt.clone()), ("correct horse battery", vec![0u8; 16])] {
        let kek = vault::passphrase_kek(passphrase, &salt, slot.iterations).await.unwrap();
        assert_eq!(vault::unwrap_data_key(&slot.wrapped, &kek).await.unwrap_err(), CryptoError::WrongSecret);
    }
    // A record naming too few iterations is not used.
    assert!(vault::passphrase_kek("correct horse battery", &slot.salt, 1000).await.is_err());
}

#[wasm_bindgen_test]
async fn a_passkey_prf_output_unwraps_the_data_key_and_another_does_not() {
    let exposed = vault::generate_data_key().await.unwrap();
    let salt = vec![7u8; lock_rules::PRF_SALT_LEN];
    let prf = vec![42u8; 32];
    let wrapped = vault::wrap_data_key(&exposed, &vault::prf_kek(&prf, &salt).await.unwrap()).await.unwrap();
    let key = vault::unwrap_data_key(&wrapped, &vault::prf_kek(&prf, &salt).await.unwrap()).await.unwrap();
    let sealed = vault::seal(&key, b"x", b"data").await.unwrap();
    // The same key comes back through a rewrap (adding a passphrase to a passkey).
    let exposed_again = vault::unwrap_for_rewrap(&wrapped, &vault::prf_kek(&prf, &salt).await.unwrap()).await.unwrap();
    let kek2 = vault::passphrase_kek("another passphrase", &[1u8; 16], lock_rules::PBKDF2_ITERATIONS).await.unwrap();
    let rewrapped = vault::wrap_data_key(&exposed_again, &kek2).await.unwrap();
    let via_passphrase = vault::unwrap_data_key(&rewrapped, &kek2).await.unwrap();
    assert_eq!(vault::open(&via_passphrase, b"x", &sealed).await.unwrap(), b"data");

    let other = vault::prf_kek(&[43u8; 32], &salt).await.unwrap();
    assert_eq!(vault::unwrap_data_key(&wrapped, &other).await.unwrap_err(), CryptoError::WrongSecret);
    assert_eq!(vault::prf_kek(&[1u8; 16], &salt).await.err(), Some(CryptoError::WrongSecret), "too short a PRF output");
}

#[wasm_bindgen_test]
async fn sealed_bytes_open_only_with_their_key_and_aad() {
    let (key, _) = new_data_key_for("first passphrase").await;
    let (other, _) = new_data_key_for("second passphrase").await;
    let sealed = vault::seal(&key, b"dome-wallet/credentials/a", b"secret").await.unwrap();
    assert_eq!(sealed.iv.len(), 12);
    assert_eq!(sealed.data.len(), 6 + 16, "ciphertext and tag");
    assert!(vault::open(&key, b"dome-wallet/credentials/b", &sealed).await.is_err(), "moved to another record");
    assert!(vault::open(&other, b"dome-wallet/credentials/a", &sealed).await.is_err(), "another key");
    let mut tampered = sealed.clone();
    tampered.data[0] ^= 1;
    assert!(vault::open(&key, b"dome-wallet/credentials/a", &tampered).await.is_err(), "altered");
    assert_ne!(vault::seal(&key, b"a", b"secret").await.unwrap().iv, sealed.iv, "a fresh IV each time");
}

#[wasm_bindgen_test]
async fn sealed_records_hold_no_plaintext_and_read_back_only_with_the_key() {
    use dome_wallet::adapters::records::{ActivityEntry, ActivityKind, Outcome};
    let db = schema::open_at(&unique_db_name("sealed"), schema::VERSION).await.unwrap();
    let (key, _) = new_data_key_for("correct horse battery").await;
    let sealed = Access::Sealed(key.clone());
    let credential = sample_credential("c1", "did:key:zDnaeHolder", 5.0);
    records::put_credential(&db, &credential, &sealed).await.unwrap();
    let entry = ActivityEntry {
        at: 9.0,
        kind: ActivityKind::Presentation,
        peer_name: "Marketplace Verifier".into(),
        peer_id: "did:key:zDnaeVerifier".into(),
        credential_type: Some("LEARCredentialEmployee".into()),
        claims: vec!["credentialSubject.mandate.mandatee.email".into()],
        outcome: Outcome::Success,
        reason: None,
    };
    records::add_activity(&db, &entry, &sealed).await.unwrap();

    let on_disk = raw_store(&db, schema::CREDENTIALS).await;
    for secret in SECRETS {
        assert!(!on_disk.contains(secret), "{secret:?} is on disk: {on_disk}");
    }
    // What stays readable: the record's key and its holder key's DID.
    assert!(on_disk.contains("c1") && on_disk.contains("did:key:zDnaeHolder"));
    let log_on_disk = raw_store(&db, schema::ACTIVITY).await;
    for secret in ["Marketplace", "zDnaeVerifier", "mandatee", "LEARCredential"] {
        assert!(!log_on_disk.contains(secret), "{secret:?} is on disk: {log_on_disk}");
    }

    // Without the key (the interface, or a locked engine) nothing reads.
    assert_eq!(records::credentials(&db, &Access::Plain).await.unwrap(), vec![]);
    assert_eq!(records::credential(&db, "c1", &Access::Plain).await.unwrap_err(), StorageError::Locked);
    assert_eq!(records::credentials_in_clear(&db).await.unwrap(), (vec![], true));
    assert_eq!(records::activity_in_clear(&db).await.unwrap(), vec![]);
    // Another key reads nothing either.
    let (other, _) = new_data_key_for("another passphrase").await;
    assert_eq!(records::credentials(&db, &Access::Sealed(other)).await.unwrap(), vec![]);
    // With the key, everything.
    assert_eq!(records::credentials(&db, &sealed).await.unwrap(), vec![credential.clone()]);
    assert_eq!(records::credential(&db, "c1", &sealed).await.unwrap(), Some(credential));
    assert_eq!(records::activity(&db, &sealed).await.unwrap(), vec![entry]);
    assert_eq!(records::holder_dids(&db).await.unwrap(), vec!["did:key:zDnaeHolder".to_owned()]);
}

#[wasm_bindgen_test]
async fn a_sealed_credential_moved_to_another_record_does_not_read() {
    let db = schema::open_at(&unique_db_name("moved"), schema::VERSION).await.unwrap();
    let (key, _) = new_data_key_for("correct horse battery").await;
    let sealed = Access::Sealed(key);
    records::put_credential(&db, &sample_credential("c1", "did:key:zDnaeA", 1.0), &sealed).await.unwrap();
    let record = idb::get(&db, schema::CREDENTIALS, &"c1".into()).await.unwrap();
    js_sys::Reflect::set(&record, &"id".into(), &"c2".into()).unwrap();
    idb::put(&db, schema::CREDENTIALS, &record, None).await.unwrap();
    assert!(records::credential(&db, "c2", &sealed).await.is_err());
}

#[wasm_bindgen_test]
async fn keys_made_under_the_lock_are_stored_wrapped_and_sign_only_while_unlocked() {
    let db = schema::open_at(&unique_db_name("wrapped"), schema::VERSION).await.unwrap();
    let (key, _) = new_data_key_for("correct horse battery").await;
    let unlocked = KeyStore::locked_by(db.clone(), Some(key.clone()));
    let did = unlocked.create_key().await.unwrap();
    let record = idb::get(&db, schema::KEYS, &did.as_str().into()).await.unwrap();
    let fields: Vec<String> = js_sys::Object::keys(record.unchecked_ref::<js_sys::Object>()).iter().filter_map(|k| k.as_string()).collect();
    assert_eq!(fields, vec!["did", "wrapped", "createdAt"], "no CryptoKey is stored");
    let wrapped = vault::Sealed::from_js(&js_sys::Reflect::get(&record, &"wrapped".into()).unwrap()).unwrap();
    let private = vault::unwrap_private_key(&wrapped, &key, &lock_rules::record_aad(schema::KEYS, did.as_str())).await.unwrap();
    assert!(!private.extractable(), "unwrapped for signing only");
    assert!(vault::unwrap_private_key(&wrapped, &key, &lock_rules::record_aad(schema::KEYS, "did:key:other")).await.is_err());

    let message = b"header.payload";
    let signature = unlocked.sign_es256(&did, message).await.unwrap();
    let verifying = VerifyingKey::P256(did.clone());
    assert!(webcrypto::WebCrypto.verify(SignatureAlgorithm::Es256, &verifying, message, &signature).await.unwrap());

    // Locked: no signature, no new key; a store without the lock's key cannot use it either.
    let locked = KeyStore::locked_by(db.clone(), None);
    let refused = locked.sign_es256(&did, message).await.unwrap_err();
    assert_eq!(refused, dome_wallet::core::Error::Storage(StorageError::Locked));
    assert!(locked.create_key().await.is_err());
    assert!(KeyStore::new(db.clone()).sign_es256(&did, message).await.is_err());
    // An older key (made before the lock, never extractable) is refused while locked as well.
    let old = KeyStore::new(db.clone()).create_key().await.unwrap();
    assert!(locked.sign_es256(&old, message).await.is_err());
    assert!(unlocked.sign_es256(&old, message).await.is_ok());
}

/// A wallet of the previous schema version (v2: no lock) opens with v3; turning the lock on
/// seals every record and writes the lock record in one transaction, and turning it off
/// restores every record in the clear, wrapped keys included.
#[wasm_bindgen_test]
async fn a_v2_wallet_migrates_then_the_lock_goes_on_and_off_whole() {
    use dome_wallet::adapters::records::{ActivityEntry, ActivityKind, Outcome};
    let name = unique_db_name("lock-migrate");
    let v2 = schema::open_at(&name, 2).await.unwrap();
    let old_key = KeyStore::new(v2.clone()).create_key().await.unwrap();
    let credential = sample_credential("c1", old_key.as_str(), 1.0);
    records::put_credential(&v2, &credential, &Access::Plain).await.unwrap();
    let entry = ActivityEntry {
        at: 3.0,
        kind: ActivityKind::Issuance,
        peer_name: "Example Issuer".into(),
        peer_id: "https://issuer.example".into(),
        credential_type: Some("LEARCredentialEmployee".into()),
        claims: vec![],
        outcome: Outcome::Success,
        reason: None,
    };
    records::add_activity(&v2, &entry, &Access::Plain).await.unwrap();
    v2.close();

    let db = schema::open_at(&name, schema::VERSION).await.unwrap();
    assert_eq!(schema::VERSION, 3);
    assert!(!vault::lock_is_on(&db).await.unwrap(), "no lock after the migration");
    assert_eq!(records::credentials_in_clear(&db).await.unwrap(), (vec![as_listed(&credential)], false));

    let (key, record) = new_data_key_for("correct horse battery").await;
    let sealed = Access::Sealed(key.clone());
    records::reseal(&db, &Access::Plain, &sealed, LockChange::Put(&record)).await.unwrap();
    assert!(vault::lock_is_on(&db).await.unwrap());
    assert_eq!(vault::load(&db).await.unwrap(), Some(record.clone()));
    let on_disk = format!("{} {}", raw_store(&db, schema::CREDENTIALS).await, raw_store(&db, schema::ACTIVITY).await);
    for secret in SECRETS {
        assert!(!on_disk.contains(secret), "{secret:?} is on disk after the lock went on");
    }
    assert_eq!(records::credentials(&db, &sealed).await.unwrap(), vec![credential.clone()]);
    assert_eq!(records::activity(&db, &sealed).await.unwrap(), vec![entry.clone()]);
    // A key made under the lock is wrapped.
    let new_key = KeyStore::locked_by(db.clone(), Some(key.clone())).create_key().await.unwrap();

    records::reseal(&db, &sealed, &Access::Plain, LockChange::Remove).await.unwrap();
    assert!(!vault::lock_is_on(&db).await.unwrap());
    assert_eq!(records::credentials_in_clear(&db).await.unwrap(), (vec![as_listed(&credential)], false));
    assert_eq!(records::activity_in_clear(&db).await.unwrap(), vec![entry]);
    // Both keys sign without the lock; the wrapped one is now a non-extractable key pair.
    let plain = KeyStore::new(db.clone());
    for did in [&old_key, &new_key] {
        let record = idb::get(&db, schema::KEYS, &did.as_str().into()).await.unwrap();
        let pair: web_sys::CryptoKeyPair = js_sys::Reflect::get(&record, &"keyPair".into()).unwrap().unchecked_into();
        assert!(!pair.get_private_key().extractable());
        let statement = key_check::run(did, &plain, &webcrypto::WebCrypto, 1_700_000_000).await.unwrap();
        assert!(!statement.is_empty());
    }
}

#[wasm_bindgen_test]
async fn the_lock_record_round_trips_and_a_damaged_one_is_refused() {
    let db = schema::open_at(&unique_db_name("lock-record"), schema::VERSION).await.unwrap();
    assert_eq!(vault::load(&db).await.unwrap(), None);
    let (_, mut record) = new_data_key_for("correct horse battery").await;
    record.passkey = Some(vault::PasskeySlot { credential_id: vec![1, 2, 3], salt: vec![9; 32], wrapped: vec![8; 40] });
    record.auto_lock = AutoLock::from_seconds(60.0).unwrap();
    record.attempts = Attempts { failures: 3, last_failure_ms: 12.0 };
    vault::save(&db, &record).await.unwrap();
    assert_eq!(vault::load(&db).await.unwrap(), Some(record));
    // A record with no way to unlock is damaged, not "no lock".
    idb::put(&db, schema::VAULT, &dome_wallet::bridge::obj(&[("v", 1.into()), ("keyId", "k".into())]).into(), Some(&vault::LOCK_RECORD.into())).await.unwrap();
    assert!(matches!(vault::load(&db).await, Err(StorageError::Corrupt(_))));
    assert!(vault::lock_is_on(&db).await.unwrap());
}

/// The browser's GZIP (the engine's `Gunzip`): what Python's gzip wrote, a status list as the
/// W3C specification's example and another encoder wrote them; damaged members and too much
/// output are refused.
#[wasm_bindgen_test]
async fn the_browsers_gzip_reads_status_lists_and_refuses_damage() {
    use dome_wallet::adapters::gunzip::BrowserGzip;
    use dome_wallet::core::credential::status_list::Bitstring;
    use dome_wallet::core::gzip::GzipError;
    use dome_wallet::core::ports::Gunzip;
    let member = include_bytes!("../src/core/tests/fixtures/status/hello.txt.gz");
    assert_eq!(BrowserGzip.gunzip(member, 1024).await.unwrap(), b"hello status list\n".repeat(3));
    assert_eq!(BrowserGzip.gunzip(member, 53).await, Err(GzipError::TooLarge { limit: 53 }));
    let mut wrong_crc = member.to_vec();
    let at = wrong_crc.len() - 8;
    wrong_crc[at] ^= 1;
    assert!(BrowserGzip.gunzip(&wrong_crc, 1024).await.is_err(), "CRC-32 checked");
    assert!(BrowserGzip.gunzip(&member[..member.len() - 3], 1024).await.is_err(), "cut short");
    let mut trailing = member.to_vec();
    trailing.extend(b"junk");
    assert!(BrowserGzip.gunzip(&trailing, 1024).await.is_err(), "nothing may follow the member");
    assert!(BrowserGzip.gunzip(b"not gzip", 1024).await.is_err());

    // Bitstring Status List v1.0, Example 3: 131,072 zero bits.
    let spec = Bitstring::decode("uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA", &BrowserGzip).await.unwrap();
    assert_eq!(spec.len(), 131_072);
    assert!((0..131_072).all(|i| spec.get(i, 1) == Ok(0)));
    let python = include_str!("../src/core/tests/fixtures/status/python-gzip-bits-0-7-8-94567-131071.txt");
    let bits = Bitstring::decode(python.trim(), &BrowserGzip).await.unwrap();
    let set: Vec<u64> = (0..bits.len()).filter(|&i| bits.get(i, 1) == Ok(1)).collect();
    assert_eq!(set, [0, 7, 8, 94567, 131071]);
}

/// Dates in the user's language through one cached `Intl.DateTimeFormat` per language and style
/// (noon UTC, so that the browser's time zone does not change the day).
#[wasm_bindgen_test]
fn dates_are_formatted_in_the_language_and_style_asked_for() {
    use dome_wallet::adapters::dates::{format, Style};
    use dome_wallet::i18n::Lang;
    let noon = 1_795_435_200_000.0; // 2026-11-23T12:00:00Z
    assert_eq!(format(Lang::En, Style::Medium, false, noon), "Nov 23, 2026");
    assert_eq!(format(Lang::En, Style::Long, false, noon), "November 23, 2026");
    assert_eq!(format(Lang::Es, Style::Long, false, noon), "23 de noviembre de 2026");
    assert_eq!(format(Lang::En, Style::Medium, false, noon + 86_400_000.0), "Nov 24, 2026", "the cached formatter formats any date");
    let with_time = format(Lang::En, Style::Medium, true, noon);
    assert!(with_time.starts_with("Nov 23, 2026") && with_time.contains(':'), "{with_time}");
}

/// In the browser, URLs are read by the browser's own parser (`adapters::url`): the parts the
/// core checks (scheme, host, port, query) come out as the native WHATWG parser gives them.
#[wasm_bindgen_test]
fn urls_are_read_by_the_browsers_parser() {
    let parts = |text: &str| {
        let u = url::Url::parse(text).unwrap();
        (u.scheme().to_owned(), u.host_str().map(str::to_owned), u.port(), u.path().to_owned(), u.query().map(str::to_owned), u.fragment().map(str::to_owned))
    };
    assert_eq!(
        parts(" HTTPS://Issuer.Example.COM:443/a/../b?q=1#f "),
        ("https".into(), Some("issuer.example.com".into()), None, "/b".into(), Some("q=1".into()), Some("f".into()))
    );
    assert_eq!(parts("http://[0:0::1]:8080/"), ("http".into(), Some("[::1]".into()), Some(8080), "/".into(), None, None));
    assert_eq!(
        url::Url::parse("http://0x7f.1/x").unwrap().host(),
        Some(url::Host::Ipv4(std::net::Ipv4Addr::LOCALHOST))
    );
    assert_eq!(parts("openid4vp://?client_id=a&request_uri=b"), ("openid4vp".into(), None, None, "".into(), Some("client_id=a&request_uri=b".into()), None));
    let user = url::Url::parse("https://us%40er:p%3Aw@example.com/").unwrap();
    assert_eq!((user.username(), user.password()), ("us%40er", Some("p%3Aw")));
    assert_eq!(url::Url::parse("x:/.//y").unwrap().path(), "//y");
    // A homograph: the browser writes it as punycode; the wallet refuses it.
    assert_eq!(url::Url::parse("https://\u{456}ssuer.example/offer").unwrap_err(), url::ParseError::IdnaError);
    // Also with its punycode written elsewhere in the link.
    let elsewhere = "https://\u{456}ssuer.example/xn--ssuer-3ve.example?h=xn--ssuer-3ve.example";
    assert_eq!(url::Url::parse(elsewhere).unwrap_err(), url::ParseError::IdnaError);
    assert!(url::Url::parse("https://xn--ssuer-3ve.example/offer").is_ok());
    assert_eq!(url::Url::parse("https://exa mple.com/").unwrap_err(), url::ParseError::Invalid);
    assert_eq!(url::Url::parse("not a url").unwrap_err(), url::ParseError::Invalid);
}

/// In the browser, floats are read and written by the browser (`adapters::numbers`): read
/// correctly rounded, written as the shortest text that reads back the same, floats as floats.
#[wasm_bindgen_test]
fn json_floats_are_read_and_written_by_the_browser() {
    use dome_wallet::core::json;
    let value = json::parse(b"[1.5,1e21,1.0,-0.0,5e-324,0.1,100,-7,123456789012345678901,18446744073709551615]").unwrap();
    let text = json::write(&value);
    // 123456789012345678901 is nearest to the float 123456789012345683968.
    assert_eq!(text, "[1.5,1e+21,1.0,-0.0,5e-324,0.1,100,-7,123456789012345680000.0,18446744073709551615]");
    assert_eq!(json::parse(text.as_bytes()).unwrap(), value);
    assert_eq!(json::parse(b"2.2250738585072011e-308").unwrap().as_f64(), Some(2.225_073_858_507_201e-308));
    // Out of range is refused, as natively.
    assert!(json::parse(b"1e400").is_err());
    assert!(json::parse(b"-1.5e999").is_err());
    assert_eq!(json::parse(b"1e-400").unwrap().as_f64(), Some(0.0));
}
