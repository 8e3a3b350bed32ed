use serde_json::{json, Map, Value};

use super::*;
use crate::core::credential::test_support::{compact, Seal};
use crate::core::credential::verify::CredentialError;
use crate::core::did_key::DidKey;
use crate::core::gzip::Miniz;
use crate::core::jws;
use crate::core::native::{NativeCrypto, SoftwareKeys};
use crate::core::net::mock::MockHttp;
use crate::core::ports::{HolderKeys, Method};
use crate::core::testing::block_on;

/// 2027-01-15T08:00:00Z.
const NOW: i64 = 1_800_000_000;
const ELSI: &str = "did:elsi:VATES-B60645900";
const DOME_LIST: &str = "https://issuer.dome-marketplace.eu/w3c/v1/credentials/status/1";
const SPEC_LIST: &str = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA";
const PYTHON_BITS: [u64; 5] = [0, 7, 8, 94567, 131071];

fn fixture(name: &str) -> String {
    let path = format!("{}/src/core/tests/fixtures/status/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap()
}

fn python_list() -> String {
    fixture("python-gzip-bits-0-7-8-94567-131071.txt").trim().to_owned()
}

/// An `encodedList` of `bits` bits with `set` set, made with the wallet's own GZIP writer.
fn encoded(bits: usize, set: &[u64]) -> String {
    let mut bytes = vec![0u8; bits / 8];
    for &i in set {
        bytes[(i / 8) as usize] |= 0x80 >> (i % 8);
    }
    format!("u{}", crate::core::encoding::b64url_encode(&crate::core::gzip::compress(&bytes)))
}

/// A credential JWT whose payload is `payload` (not signed: the check reads the stored view).
fn credential(payload: Value) -> JwtVc {
    JwtVc::parse(&compact(&json!({"alg": "ES256"}), &payload, |_| vec![0; 64])).unwrap()
}

/// A v3 LEARCredentialEmployee as DOME's issuer shapes it, with the given status entries.
fn dome_credential(status: Value) -> JwtVc {
    credential(json!({
        "iss": ELSI, "sub": "did:key:zDnaeHolder", "nbf": NOW - 60, "exp": NOW + 86_400,
        "vc": {
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://credentials.eudistack.eu/.well-known/credentials/lear_credential_employee/w3c/v3"],
            "type": ["LEARCredentialEmployee", "VerifiableCredential"],
            "issuer": {"id": ELSI, "organizationIdentifier": "VATES-B60645900", "organization": "IN2"},
            "credentialSubject": {"id": "did:key:zDnaeHolder", "mandate": {}},
            "credentialStatus": status
        }
    }))
}

fn dome_entry(index: u64) -> Value {
    let mut entry = fixture_json("dome-v3-credential-status.json")["bitstring"].clone();
    entry["statusListIndex"] = json!(index.to_string());
    entry
}

/// The status list credential as DOME's issuer builds it (a bare payload, no `vc`), sealed like
/// its credentials (JAdES RS256 with x5c) by a test certificate of organisation VATES-B60645900.
fn dome_list(issuer: &str, encoded_list: &str) -> String {
    let payload = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://w3c.github.io/vc-bitstring-status-list/contexts/v1.jsonld"],
        "id": DOME_LIST,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "credentialSubject": {"type": "BitstringStatusList", "statusPurpose": "revocation", "encodedList": encoded_list}
    });
    let seal = Seal::rs256();
    seal.sign(&seal.header(), &payload)
}

fn serve_list(http: &MockHttp, url: &str, body: &str) {
    http.answer(
        Method::Get,
        url,
        Ok(crate::core::ports::HttpResponse { status: 200, content_type: Some("application/vc+jwt".into()), body: body.as_bytes().to_vec() }),
    );
}

fn check(http: &MockHttp, credential: &JwtVc) -> StatusReport {
    block_on(StatusLists::new(http, &NativeCrypto, &Miniz, NOW).check(credential))
}

fn decode(encoded: &str) -> Result<Bitstring, StatusListError> {
    block_on(Bitstring::decode(encoded, &Miniz))
}

fn decode_2021(encoded: &str) -> Result<Bitstring, StatusListError> {
    block_on(Bitstring::decode_2021(encoded, &Miniz))
}

// --- decoding ----------------------------------------------------------------------------------

#[test]
fn the_specifications_example_list_is_131072_zero_bits() {
    // Bitstring Status List v1.0, Example 3.
    let example = fixture_json("w3c-bsl-example-3-status-list-credential.json");
    let encoded = example["credentialSubject"]["encodedList"].as_str().unwrap();
    assert_eq!(encoded, SPEC_LIST);
    let bits = decode(encoded).unwrap();
    assert_eq!(bits.len(), 131_072);
    assert_eq!(bits.entries(1), MIN_ENTRIES);
    assert!((0..bits.len()).all(|i| bits.get(i, 1) == Ok(0)));
    // Example 1's entries point into such lists: neither is set.
    let example_1 = fixture_json("w3c-bsl-example-1-credential.json");
    let entries = crate::core::credential::status::parse(&example_1["credentialStatus"]).unwrap();
    for entry in entries {
        let CredentialStatus::BitstringStatusListEntry { index, size, .. } = entry else { panic!("{entry:?}") };
        assert_eq!(bits.get(index, size), Ok(0));
    }
}

#[test]
fn bits_are_read_most_significant_first_as_another_encoder_wrote_them() {
    let bits = decode(&python_list()).unwrap();
    assert_eq!(bits.len(), 131_072);
    let set: Vec<u64> = (0..bits.len()).filter(|&i| bits.get(i, 1) == Ok(1)).collect();
    assert_eq!(set, PYTHON_BITS);
    // The wallet's own writer agrees with Python's.
    assert_eq!(decode(&encoded(131_072, &PYTHON_BITS)).unwrap(), bits);
}

#[test]
fn multi_bit_entries_and_range() {
    let bits = Bitstring::from_bytes(vec![0b1011_0010, 0b0100_0000]);
    assert_eq!((bits.get(0, 1), bits.get(1, 1), bits.get(2, 1)), (Ok(1), Ok(0), Ok(1)));
    assert_eq!([0, 1, 2, 3, 4].map(|i| bits.get(i, 2)), [Ok(0b10), Ok(0b11), Ok(0b00), Ok(0b10), Ok(0b01)]);
    assert_eq!(bits.get(1, 8), Ok(0b0100_0000));
    assert_eq!(bits.get(16, 1), Err(StatusListError::OutOfRange { index: 16, entries: 16 }));
    assert_eq!(bits.get(2, 8), Err(StatusListError::OutOfRange { index: 2, entries: 2 }));
    assert!(bits.get(u64::MAX, 8).is_err(), "no overflow");
    assert!(Bitstring::from_bytes(Vec::new()).get(0, 1).is_err());
}

#[test]
fn refuses_lists_that_are_not_multibase_base64url_gzip() {
    assert_eq!(decode(&SPEC_LIST[1..]), Err(StatusListError::NotMultibase));
    assert_eq!(decode("u!!!"), Err(StatusListError::Base64));
    assert_eq!(decode("uAAAA"), Err(StatusListError::Gzip(GzipError::NotGzip)));
    assert!(matches!(decode(&SPEC_LIST[..40]), Err(StatusListError::Gzip(_))));
    // A list that expands beyond the cap (a "zip bomb") is refused, not allocated.
    let bomb = format!("u{}", crate::core::encoding::b64url_encode(&crate::core::gzip::compress(&vec![0; MAX_LIST_BYTES + 1])));
    assert_eq!(decode(&bomb), Err(StatusListError::Gzip(GzipError::TooLarge { limit: MAX_LIST_BYTES })));
    // Status List 2021 has no multibase prefix, but one added is tolerated.
    assert_eq!(decode_2021(&SPEC_LIST[1..]).unwrap().len(), 131_072);
    assert_eq!(decode_2021(SPEC_LIST).unwrap().len(), 131_072);
}

#[test]
fn legacy_plain_lists() {
    let list = PlainList::parse(br#"[{"nonce": "a"}, {"nonce": "SYC908RIQQqeUXR19nh3EQ", "listId": 1}]"#).unwrap();
    assert_eq!(list.revoked, ["a", "SYC908RIQQqeUXR19nh3EQ"]);
    assert_eq!(PlainList::parse(b"[]").unwrap().revoked, Vec::<String>::new());
    for bad in [&br#"{"nonce": "a"}"#[..], br#"[{"id": "a"}]"#, br#"["a"]"#, b"[", br#"[{"nonce": 1}]"#] {
        assert!(matches!(PlainList::parse(bad), Err(StatusListError::BadPlainList(_))), "{}", String::from_utf8_lossy(bad));
    }
}

// --- checking a credential ------------------------------------------------------------------------

#[test]
fn a_dome_credential_against_dome_lists() {
    let http = MockHttp::new();
    serve_list(&http, DOME_LIST, &dome_list(ELSI, &python_list()));
    let mut lists = StatusLists::new(&http, &NativeCrypto, &Miniz, NOW);
    let revoked = block_on(lists.check(&dome_credential(dome_entry(94567))));
    assert_eq!(revoked, StatusReport { entries: 1, listed: Some(Listed::Revoked), problem: None });
    let valid = block_on(lists.check(&dome_credential(dome_entry(94568))));
    assert_eq!(valid, StatusReport { entries: 1, listed: Some(Listed::Valid), problem: None });
    // Two credentials, one list: fetched once, asking for a signed list.
    assert_eq!(lists.fetched(), 1);
    let requests = http.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.as_str(), DOME_LIST);
    assert_eq!(requests[0].headers, [("accept", ACCEPT.to_owned())]);
    assert!(ACCEPT.starts_with("application/vc+jwt"));
}

#[test]
fn a_standard_es256_list_with_a_vc_claim_for_revocation_and_suspension() {
    let keys = SoftwareKeys::default();
    let issuer = block_on(keys.create_key()).unwrap();
    let list = |purpose: &str, set: &[u64]| {
        let claims = json!({
            "iss": issuer.as_str(), "nbf": NOW - 10, "exp": NOW + 3600, "jti": format!("https://issuer.example/status/{purpose}"),
            "vc": {
                "@context": ["https://www.w3.org/2018/credentials/v1"],
                "type": ["VerifiableCredential", "BitstringStatusListCredential"],
                "issuer": issuer.as_str(),
                "credentialSubject": {"id": format!("https://issuer.example/status/{purpose}#list"), "type": "BitstringStatusList", "statusPurpose": purpose, "encodedList": encoded(131_072, set)}
            }
        });
        let mut header = Map::new();
        header.insert("kid".into(), json!(issuer.key_id()));
        block_on(jws::sign_es256(header, &claims, &issuer, &keys)).unwrap()
    };
    let holder_credential = |revocation: u64, suspension: u64| {
        credential(json!({"iss": issuer.as_str(), "vc": {
            "type": ["VerifiableCredential", "LEARCredentialEmployee"], "credentialSubject": {},
            "credentialStatus": [
                {"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": revocation.to_string(), "statusListCredential": "https://issuer.example/status/revocation"},
                {"type": "BitstringStatusListEntry", "statusPurpose": "suspension", "statusListIndex": suspension.to_string(), "statusListCredential": "https://issuer.example/status/suspension"}
            ]
        }}))
    };
    let http = MockHttp::new();
    for _ in 0..3 {
        serve_list(&http, "https://issuer.example/status/revocation", &list("revocation", &[5]));
        serve_list(&http, "https://issuer.example/status/suspension", &list("suspension", &[6]));
    }
    let report = |revocation, suspension| check(&http, &holder_credential(revocation, suspension));
    assert_eq!(report(1, 2), StatusReport { entries: 2, listed: Some(Listed::Valid), problem: None });
    assert_eq!(report(1, 6).listed, Some(Listed::Suspended));
    assert_eq!(report(5, 6).listed, Some(Listed::Revoked), "revoked says more than suspended");
}

#[test]
fn a_list_with_a_broken_signature_is_not_believed() {
    let jwt = dome_list(ELSI, &python_list());
    let (signed, signature) = jwt.rsplit_once('.').unwrap();
    let mut flipped = signature.as_bytes().to_vec();
    flipped[20] = if flipped[20] == b'A' { b'B' } else { b'A' };
    let broken = format!("{signed}.{}", String::from_utf8(flipped).unwrap());
    let http = MockHttp::new();
    serve_list(&http, DOME_LIST, &broken);
    let report = check(&http, &dome_credential(dome_entry(94567)));
    assert_eq!(report.listed, None, "a bit set in a list that does not verify says nothing");
    assert_eq!(report.problem.as_deref().cloned(), Some(Unchecked::Credential(CredentialError::BadSignature)));
    assert_eq!(report.problem.as_deref().cloned().unwrap().kind(), Unverifiable::Invalid);
    // Changed content under the original signature: the same.
    let (header, rest) = jwt.split_once('.').unwrap();
    let (_, signature) = rest.split_once('.').unwrap();
    let forged_payload = dome_list(ELSI, &encoded(131_072, &[]));
    let forged_payload = forged_payload.split('.').nth(1).unwrap();
    let http = MockHttp::new();
    serve_list(&http, DOME_LIST, &format!("{header}.{forged_payload}.{signature}"));
    assert_eq!(check(&http, &dome_credential(dome_entry(94567))).problem.as_deref().cloned(), Some(Unchecked::Credential(CredentialError::BadSignature)));
}

#[test]
fn the_list_must_come_from_the_credentials_issuer() {
    // Signed by the VATES-B60645900 seal, but naming another organisation: its certificate
    // cannot speak for it.
    let http = MockHttp::new();
    serve_list(&http, DOME_LIST, &dome_list("did:elsi:VATES-B99999999", &python_list()));
    let report = check(&http, &dome_credential(dome_entry(94567)));
    assert!(matches!(report.problem.as_deref().cloned(), Some(Unchecked::Credential(CredentialError::OrganizationMismatch { .. }))), "{report:?}");
    // A well-signed list of another issuer.
    let keys = SoftwareKeys::default();
    let other: DidKey = block_on(keys.create_key()).unwrap();
    let claims = json!({"iss": other.as_str(), "vc": {"type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": other.as_str(),
        "credentialSubject": {"type": "BitstringStatusList", "statusPurpose": "revocation", "encodedList": python_list()}}});
    let http = MockHttp::new();
    serve_list(&http, DOME_LIST, &block_on(jws::sign_es256(Map::new(), &claims, &other, &keys)).unwrap());
    let report = check(&http, &dome_credential(dome_entry(94567)));
    assert_eq!(
        report.problem.as_deref().cloned(),
        Some(Unchecked::List(StatusListError::IssuerMismatch { list: other.as_str().into(), credential: ELSI.into() }))
    );
    assert_eq!(report.listed, None);
}

#[test]
fn purpose_length_range_and_shape_are_checked() {
    let case = |list_jwt: String, entry: Value| {
        let http = MockHttp::new();
        serve_list(&http, DOME_LIST, &list_jwt);
        check(&http, &dome_credential(entry)).problem.as_deref().cloned()
    };
    let mut suspension_entry = dome_entry(7);
    suspension_entry["statusPurpose"] = json!("suspension");
    assert!(matches!(case(dome_list(ELSI, &python_list()), suspension_entry), Some(Unchecked::List(StatusListError::PurposeMismatch { .. }))));
    assert_eq!(case(dome_list(ELSI, &encoded(16 * 8, &[])), dome_entry(7)), Some(Unchecked::List(StatusListError::TooShort { entries: 128 })));
    assert_eq!(
        case(dome_list(ELSI, &python_list()), dome_entry(131_072)),
        Some(Unchecked::List(StatusListError::OutOfRange { index: 131_072, entries: 131_072 }))
    );
    // Two-bit entries need twice the bits.
    let mut wide = dome_entry(7);
    wide["statusSize"] = json!(2);
    assert_eq!(case(dome_list(ELSI, &python_list()), wide), Some(Unchecked::List(StatusListError::TooShort { entries: 65_536 })));
    assert_eq!(case(dome_list(ELSI, &SPEC_LIST[1..]), dome_entry(7)), Some(Unchecked::List(StatusListError::NotMultibase)));
    // Signed, but not a status list.
    let seal = Seal::rs256();
    let not_a_list = seal.sign(&seal.header(), &json!({"type": ["VerifiableCredential", "LEARCredentialEmployee"], "issuer": ELSI, "credentialSubject": {}}));
    assert!(matches!(case(not_a_list, dome_entry(7)), Some(Unchecked::Credential(CredentialError::WrongType { .. }))));
    let wrong_subject = seal.sign(&seal.header(), &json!({"type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": ELSI,
        "credentialSubject": {"type": "StatusList2021", "statusPurpose": "revocation", "encodedList": python_list()}}));
    assert!(matches!(case(wrong_subject, dome_entry(7)), Some(Unchecked::List(StatusListError::NotAList(_)))));
    let expired = seal.sign(&seal.header(), &json!({"type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": ELSI, "validUntil": "2027-01-01T00:00:00Z",
        "credentialSubject": {"type": "BitstringStatusList", "statusPurpose": "revocation", "encodedList": python_list()}}));
    assert!(matches!(case(expired, dome_entry(7)), Some(Unchecked::Credential(CredentialError::Expired { .. }))));
}

#[test]
fn when_the_list_cannot_be_had() {
    let entry = dome_entry(94567);
    let http = MockHttp::new(); // answers nothing: unreachable
    let report = check(&http, &dome_credential(entry.clone()));
    assert_eq!((report.entries, report.listed), (1, None));
    assert!(matches!(report.problem.as_deref().cloned(), Some(Unchecked::Network(_))));
    assert_eq!(report.problem.as_deref().cloned().unwrap().kind(), Unverifiable::Unreachable);
    let http = MockHttp::new();
    http.get(DOME_LIST, 406, "");
    assert_eq!(check(&http, &dome_credential(entry.clone())).problem.as_deref().cloned(), Some(Unchecked::Refused(406)));
    let http = MockHttp::new();
    http.get(DOME_LIST, 200, r#"{"@context": [], "type": ["BitstringStatusListCredential"], "proof": {}}"#);
    let problem = check(&http, &dome_credential(entry.clone())).problem.as_deref().cloned().unwrap();
    assert_eq!((problem.kind(), problem), (Unverifiable::Unsupported, Unchecked::List(StatusListError::UnknownFormat)));
    // Plain http is only for loopback peers.
    let mut insecure = entry;
    insecure["statusListCredential"] = json!("http://issuer.example/status/1");
    let http = MockHttp::new();
    let problem = check(&http, &dome_credential(insecure)).problem.as_deref().cloned().unwrap();
    assert_eq!(problem.kind(), Unverifiable::Invalid);
    assert!(matches!(problem, Unchecked::BadUrl(_)));
    assert!(http.requests().is_empty(), "nothing fetched over plain http");
}

#[test]
fn several_entries_combine() {
    let http = MockHttp::new();
    serve_list(&http, DOME_LIST, &dome_list(ELSI, &python_list()));
    // Revoked, and a second entry that cannot be checked: revoked is the answer.
    let unknown = json!({"type": "SomeStatusMethod2030", "id": "x"});
    let report = check(&http, &dome_credential(json!([dome_entry(94567), unknown])));
    assert_eq!(report, StatusReport { entries: 2, listed: Some(Listed::Revoked), problem: None });
    // Not revoked, but the other entry is unknown: no result, and why.
    let http = MockHttp::new();
    serve_list(&http, DOME_LIST, &dome_list(ELSI, &python_list()));
    let report = check(&http, &dome_credential(json!([dome_entry(1), unknown])));
    assert_eq!(report.listed, None);
    assert_eq!(report.problem.as_deref().cloned().as_ref().map(Unchecked::kind), Some(Unverifiable::Unsupported));
    // Purposes that say nothing about validity are not fetched.
    let http = MockHttp::new();
    let mut message = dome_entry(1);
    message["statusPurpose"] = json!("message");
    message["statusSize"] = json!(2);
    let mut refresh = dome_entry(1);
    refresh["statusPurpose"] = json!("refresh");
    assert_eq!(check(&http, &dome_credential(json!([message, refresh]))), StatusReport::default());
    assert!(http.requests().is_empty());
    // No entries at all.
    let none = credential(json!({"vc": {"type": ["VerifiableCredential"], "credentialSubject": {}}}));
    assert_eq!(check(&http, &none), StatusReport::default());
}

#[test]
fn dome_legacy_plain_list_entity() {
    let entry = fixture_json("dome-v3-credential-status.json")["plain"].clone();
    let url = entry["statusListCredential"].as_str().unwrap().to_owned();
    let revoked_list = r#"[{"nonce":"Fk3qW0eY1s9XbLq8u2Xh3Q"},{"nonce":"SYC908RIQQqeUXR19nh3EQ"}]"#;
    let http = MockHttp::new();
    http.get(&url, 200, revoked_list).get(&url, 200, "[]").get(&url, 200, r#"[{"credentialNonce":"x"}]"#);
    assert_eq!(check(&http, &dome_credential(entry.clone())).listed, Some(Listed::Revoked));
    assert_eq!(check(&http, &dome_credential(entry.clone())).listed, Some(Listed::Valid));
    let problem = check(&http, &dome_credential(entry.clone())).problem.as_deref().cloned().unwrap();
    assert!(matches!(problem, Unchecked::List(StatusListError::BadPlainList(_))));
    assert_eq!(problem.kind(), Unverifiable::Invalid);
    // A signed list where a plain one is expected is not read as one.
    let http = MockHttp::new();
    serve_list(&http, &url, &dome_list(ELSI, &python_list()));
    assert!(matches!(check(&http, &dome_credential(entry)).problem.as_deref().cloned(), Some(Unchecked::List(StatusListError::NotAList(_)))));
}

#[test]
fn status_list_2021() {
    let seal = Seal::es256();
    let url = "https://issuer.example/status/2021";
    let list = seal.sign(&seal.header(), &json!({
        "@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/vc/status-list/2021/v1"],
        "type": ["VerifiableCredential", "StatusList2021Credential"], "issuer": ELSI,
        "credentialSubject": {"id": format!("{url}#list"), "type": "StatusList2021", "statusPurpose": "revocation", "encodedList": &python_list()[1..]}
    }));
    let entry = |index: u64| json!({"type": "StatusList2021Entry", "statusPurpose": "revocation", "statusListIndex": index.to_string(), "statusListCredential": url});
    let http = MockHttp::new();
    serve_list(&http, url, &list);
    serve_list(&http, url, &list);
    assert_eq!(check(&http, &dome_credential(entry(8))).listed, Some(Listed::Revoked));
    assert_eq!(check(&http, &dome_credential(entry(9))).listed, Some(Listed::Valid));
}
