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
    let second = store.create_key().await.unwrap();
    assert_ne!(first, second);

    // A new connection (as after a reload) sees both keys, and both still sign.
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
    for store in [schema::KEYS, schema::SETTINGS, schema::CREDENTIALS, schema::ACTIVITY, schema::SEEN_REQUESTS] {
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

#[wasm_bindgen_test]
async fn credentials_round_trip_and_delete_together_with_their_key() {
    use dome_wallet::adapters::records;
    let db = schema::open_at(&unique_db_name("creds"), schema::VERSION).await.unwrap();
    let keys = KeyStore::new(db.clone());
    let k1 = keys.create_key().await.unwrap();
    let k2 = keys.create_key().await.unwrap();
    let older = sample_credential("c1", k1.as_str(), 1.0);
    let newer = sample_credential("c2", k2.as_str(), 2.0);
    records::put_credential(&db, &older).await.unwrap();
    records::put_credential(&db, &newer).await.unwrap();
    // A malformed record does not hide the others.
    idb::put(&db, schema::CREDENTIALS, &dome_wallet::bridge::obj(&[("id", "bad".into())]).into(), None).await.unwrap();

    assert_eq!(records::credentials(&db).await.unwrap(), vec![newer.clone(), older.clone()]);
    assert_eq!(records::credential(&db, "c1").await.unwrap(), Some(older.clone()));
    assert_eq!(records::credential(&db, "nope").await.unwrap(), None);

    records::delete_credential(&db, &older).await.unwrap();
    assert_eq!(records::credentials(&db).await.unwrap(), vec![newer]);
    let remaining: Vec<String> = keys.list().await.unwrap().into_iter().map(|k| k.did.to_string()).collect();
    assert_eq!(remaining, vec![k2.to_string()], "the credential's key went with it");
}

/// A status result is written into the stored record alone: the rest of the record as it is
/// then, and a credential deleted meanwhile is not brought back.
#[wasm_bindgen_test]
async fn a_status_is_kept_with_its_credential_and_never_revives_a_deleted_one() {
    use dome_wallet::adapters::records;
    use dome_wallet::core::credential::standing::{Listed, StatusRecord, Unverifiable};
    let db = schema::open_at(&unique_db_name("status"), schema::VERSION).await.unwrap();
    let keys = KeyStore::new(db.clone());
    let key = keys.create_key().await.unwrap();
    let stored = sample_credential("c1", key.as_str(), 1.0);
    records::put_credential(&db, &stored).await.unwrap();
    // Another writer changed the record after this status check had read it.
    let renamed = records::StoredCredential { issuer_name: Some("Renamed".into()), ..stored.clone() };
    records::put_credential(&db, &renamed).await.unwrap();
    let status = StatusRecord { entries: 2, listed: Some(Listed::Revoked), checked_at: Some(5.0), problem: Some(Unverifiable::Unreachable), attempted_at: Some(6.0) };
    assert!(records::set_status(&db, "c1", &status).await.unwrap());
    let read = records::credential(&db, "c1").await.unwrap().unwrap();
    assert_eq!(read, records::StoredCredential { status: Some(status.clone()), ..renamed });
    let without_result = StatusRecord { entries: 0, attempted_at: Some(7.0), ..StatusRecord::default() };
    assert!(records::set_status(&db, "c1", &without_result).await.unwrap());
    assert_eq!(records::credential(&db, "c1").await.unwrap().unwrap().status, Some(without_result));
    records::delete_credential(&db, &read).await.unwrap();
    assert!(!records::set_status(&db, "c1", &status).await.unwrap(), "nothing to update");
    assert_eq!(records::credential(&db, "c1").await.unwrap(), None, "still deleted");
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
    records::add_activity(&db, &entry(1.0, Outcome::Success)).await.unwrap();
    records::add_activity(&db, &entry(2.0, Outcome::Declined)).await.unwrap();
    let log = records::activity(&db).await.unwrap();
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
