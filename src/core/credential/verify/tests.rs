use serde_json::{json, Map, Value};

use super::*;
use crate::core::credential::jwt_vc::{Bound, MAX_CREDENTIAL_LEN};
use crate::core::credential::test_support::{compact, read_shared, Seal, DOME_CREDENTIAL};
use crate::core::encoding::b64url_encode;
use crate::core::jws;
use crate::core::native::{NativeCrypto, SoftwareKeys};
use crate::core::ports::HolderKeys;
use crate::core::testing::block_on;

/// 2027-01-15T08:00:00Z; every test passes its own clock.
const NOW: i64 = 1_800_000_000;
const ELSI: &str = "did:elsi:VATES-B60645900";
const EMPLOYEE: &[&str] = &["LEARCredentialEmployee"];

fn new_key(keys: &SoftwareKeys) -> DidKey {
    block_on(keys.create_key()).unwrap()
}

/// A v2-shaped LEARCredentialEmployee JWT payload, valid for a year around NOW.
fn claims(issuer: &str, holder: &str) -> Value {
    json!({
        "sub": holder, "iss": issuer, "nbf": NOW - 3600, "iat": NOW - 3600, "exp": NOW + 366 * 86_400,
        "jti": "urn:uuid:6f1c1a0e-0000-4000-8000-000000000001",
        "vc": {
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.dome-marketplace.eu/2025/credentials/learcredentialemployee/v2"],
            "id": "urn:uuid:6f1c1a0e-0000-4000-8000-000000000002",
            "type": ["LEARCredentialEmployee", "VerifiableCredential"],
            "issuer": {"id": issuer, "organization": "IN2 Test", "commonName": "Test Seal", "organizationIdentifier": "VATES-B60645900"},
            "validFrom": "2027-01-15T07:00:00Z",
            "validUntil": "2028-01-15T08:00:00.5Z",
            "credentialSubject": {"id": holder, "mandate": {
                "mandatee": {"id": holder, "firstName": "Ana", "lastName": "García"},
                "mandator": {"organizationIdentifier": "VATES-B60645900", "organization": "IN2 Test"},
                "power": [{"type": "Domain", "domain": "DOME", "function": "Onboarding", "action": "Execute"}]
            }}
        }
    })
}

/// Signs `claims` with a did:key issuer, `kid` as DOME-style issuers write it.
fn sign_did_key(keys: &SoftwareKeys, issuer: &DidKey, claims: &Value) -> String {
    let mut header = Map::new();
    header.insert("typ".into(), json!("JWT"));
    header.insert("kid".into(), json!(issuer.key_id()));
    block_on(jws::sign_es256(header, claims, issuer, keys)).unwrap()
}

fn verify(jwt: &str, holder: &DidKey, now: i64) -> Result<VerifiedCredential, CredentialError> {
    block_on(verify_credential(jwt, &Expectations { holder: Some(holder), types: EMPLOYEE, now }, &NativeCrypto))
}

fn err(jwt: &str, holder: &DidKey) -> CredentialError {
    verify(jwt, holder, NOW).unwrap_err()
}

/// Replaces the payload but keeps header and signature.
fn with_payload(jwt: &str, claims: &Value) -> String {
    let mut parts = jwt.split('.');
    let (h, _, s) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
    format!("{h}.{}.{s}", b64url_encode(claims.to_string().as_bytes()))
}

struct World {
    keys: SoftwareKeys,
    issuer: DidKey,
    holder: DidKey,
}

fn world() -> World {
    let keys = SoftwareKeys::default();
    let issuer = new_key(&keys);
    let holder = new_key(&keys);
    World { keys, issuer, holder }
}

#[test]
fn accepts_a_did_key_issued_credential() {
    let w = world();
    let jwt = sign_did_key(&w.keys, &w.issuer, &claims(w.issuer.as_str(), w.holder.as_str()));
    let vc = verify(&jwt, &w.holder, NOW).unwrap();
    assert_eq!(vc.jwt(), jwt);
    assert_eq!(vc.holder(), Some(w.holder.as_str()));
    assert_eq!(vc.types(), ["LEARCredentialEmployee", "VerifiableCredential"]);
    assert_eq!(vc.validity().from, Some(Bound { at: NOW - 3600, source: DateSource::Nbf }));
    assert_eq!(vc.validity().until, Some(Bound { at: NOW + 365 * 86_400, source: DateSource::ValidUntil }));
    let issuer = vc.issuer();
    assert_eq!(issuer.id(), w.issuer.as_str());
    assert_eq!(issuer.key(), &IssuerKey::DidKey(w.issuer.clone()));
    assert_eq!((issuer.name(), issuer.organization()), (Some("Test Seal"), Some("IN2 Test")));
    assert!(issuer.signature_verified() && issuer.certificate_subject().is_none());
    // A bare DID as kid is the same key.
    let mut header = Map::new();
    header.insert("kid".into(), json!(w.issuer.as_str()));
    let bare_kid =
        block_on(jws::sign_es256(header, &claims(w.issuer.as_str(), w.holder.as_str()), &w.issuer, &w.keys)).unwrap();
    assert!(verify(&bare_kid, &w.holder, NOW).is_ok());
    let mut header = Map::new();
    header.insert("kid".into(), json!(format!("#{}", &w.issuer.as_str()["did:key:".len()..])));
    let relative_kid =
        block_on(jws::sign_es256(header, &claims(w.issuer.as_str(), w.holder.as_str()), &w.issuer, &w.keys)).unwrap();
    assert!(verify(&relative_kid, &w.holder, NOW).is_ok());
}

#[test]
fn accepts_x5c_sealed_credentials_es256_and_rs256() {
    let holder = new_key(&SoftwareKeys::default());
    for seal in [Seal::es256(), Seal::rs256()] {
        let jwt = seal.sign(&seal.header(), &claims(ELSI, holder.as_str()));
        let vc = verify(&jwt, &holder, NOW).unwrap_or_else(|e| panic!("{}: {e}", seal.alg()));
        let issuer = vc.issuer();
        assert_eq!(issuer.id(), ELSI);
        assert_eq!(issuer.organization_identifier(), Some("VATES-B60645900"));
        assert_eq!(issuer.certificate_subject().and_then(Name::organization_identifier), Some("VATES-B60645900"));
        let ca = issuer.certificate_issuer().and_then(Name::common_name);
        assert_eq!(ca, Some(if seal.alg() == "ES256" { "Test ES256 Seal" } else { "Test RSA CA G1" }));
        assert!(matches!(issuer.key(), IssuerKey::Certificate(cert) if cert.der() == seal.cert()));
        assert_eq!(block_on(verify_signature_only(&jwt, &NativeCrypto)).unwrap(), issuer.key().clone());
    }
}

#[test]
fn x5t_s256_must_match_the_leaf() {
    let holder = new_key(&SoftwareKeys::default());
    let seal = Seal::rs256();
    let thumbprint = b64url_encode(&block_on(NativeCrypto.sha256(seal.cert())).unwrap());
    let mut header = seal.header();
    header["x5t#S256"] = json!(thumbprint);
    assert!(verify(&seal.sign(&header, &claims(ELSI, holder.as_str())), &holder, NOW).is_ok());
    header["x5t#S256"] = json!(b64url_encode(&[0; 32]));
    assert_eq!(err(&seal.sign(&header, &claims(ELSI, holder.as_str())), &holder), CredentialError::ThumbprintMismatch);
}

#[test]
fn refuses_a_credential_for_another_holder() {
    let w = world();
    let someone_else = new_key(&w.keys);
    let jwt = sign_did_key(&w.keys, &w.issuer, &claims(w.issuer.as_str(), someone_else.as_str()));
    assert_eq!(
        err(&jwt, &w.holder),
        CredentialError::HolderMismatch {
            expected: w.holder.as_str().into(),
            found: Some(someone_else.as_str().into())
        }
    );
    // Without an expected holder (showing someone else's credential) it passes.
    let any = Expectations { holder: None, types: &[], now: NOW };
    assert!(block_on(verify_credential(&jwt, &any, &NativeCrypto)).is_ok());
}

#[test]
fn cnf_must_name_the_holder() {
    let w = world();
    let other = new_key(&w.keys);
    let mut c = claims(w.issuer.as_str(), w.holder.as_str());
    c["cnf"] = json!({"kid": w.holder.key_id()});
    assert!(verify(&sign_did_key(&w.keys, &w.issuer, &c), &w.holder, NOW).is_ok());
    c["cnf"] = json!({"kid": other.as_str()});
    assert_eq!(
        err(&sign_did_key(&w.keys, &w.issuer, &c), &w.holder),
        CredentialError::ConfirmationMismatch { holder: w.holder.as_str().into(), cnf: other.as_str().into() }
    );
    let (x, y) = w.holder.coordinates();
    c["cnf"] = json!({"jwk": {"kty": "EC", "crv": "P-256", "x": b64url_encode(&x), "y": b64url_encode(&y)}});
    assert!(verify(&sign_did_key(&w.keys, &w.issuer, &c), &w.holder, NOW).is_ok());
    let (x, y) = other.coordinates();
    c["cnf"] = json!({"jwk": {"kty": "EC", "crv": "P-256", "x": b64url_encode(&x), "y": b64url_encode(&y)}});
    assert!(matches!(
        err(&sign_did_key(&w.keys, &w.issuer, &c), &w.holder),
        CredentialError::ConfirmationMismatch { .. }
    ));
}

#[test]
fn refuses_expired_and_not_yet_valid_credentials_with_a_minute_of_leeway() {
    let w = world();
    let jwt = sign_did_key(&w.keys, &w.issuer, &claims(w.issuer.as_str(), w.holder.as_str()));
    let until = NOW + 365 * 86_400;
    assert!(verify(&jwt, &w.holder, until + CLOCK_LEEWAY - 1).is_ok());
    assert_eq!(
        verify(&jwt, &w.holder, until + CLOCK_LEEWAY).unwrap_err(),
        CredentialError::Expired { expired_at: until, claim: DateSource::ValidUntil, now: until + CLOCK_LEEWAY }
    );
    let from = NOW - 3600;
    assert!(verify(&jwt, &w.holder, from - CLOCK_LEEWAY).is_ok());
    let early = verify(&jwt, &w.holder, from - CLOCK_LEEWAY - 1).unwrap_err();
    assert_eq!(
        early,
        CredentialError::NotYetValid { valid_from: from, claim: DateSource::Nbf, now: from - CLOCK_LEEWAY - 1 }
    );
    assert_eq!(
        early.to_string(),
        "not valid before 2027-01-15T07:00:00Z (JWT nbf); the time is now 2027-01-15T06:58:59Z"
    );
}

#[test]
fn refuses_the_wrong_type() {
    let w = world();
    let mut c = claims(w.issuer.as_str(), w.holder.as_str());
    c["vc"]["type"] = json!(["VerifiableCredential", "VerifiableCertification"]);
    let jwt = sign_did_key(&w.keys, &w.issuer, &c);
    assert_eq!(
        err(&jwt, &w.holder),
        CredentialError::WrongType {
            expected: vec!["LEARCredentialEmployee".into()],
            found: vec!["VerifiableCredential".into(), "VerifiableCertification".into()],
        }
    );
    let either = Expectations {
        holder: Some(&w.holder),
        types: &["LEARCredentialMachine", "VerifiableCertification"],
        now: NOW,
    };
    assert!(block_on(verify_credential(&jwt, &either, &NativeCrypto)).is_ok());
}

#[test]
fn refuses_alg_none() {
    let w = world();
    let jwt = compact(&json!({"alg": "none"}), &claims(w.issuer.as_str(), w.holder.as_str()), |_| Vec::new());
    assert_eq!(err(&jwt, &w.holder), CredentialError::Jws(JwsError::AlgNone));
}

#[test]
fn refuses_a_tampered_payload() {
    let w = world();
    let jwt = sign_did_key(&w.keys, &w.issuer, &claims(w.issuer.as_str(), w.holder.as_str()));
    let mut forged = claims(w.issuer.as_str(), w.holder.as_str());
    forged["vc"]["credentialSubject"]["mandate"]["power"][0]["function"] = json!("ProductOffering");
    assert_eq!(err(&with_payload(&jwt, &forged), &w.holder), CredentialError::BadSignature);

    let seal = Seal::rs256();
    let jwt = seal.sign(&seal.header(), &claims(ELSI, w.holder.as_str()));
    assert_eq!(err(&with_payload(&jwt, &forged_for(ELSI, &w.holder)), &w.holder), CredentialError::BadSignature);
}

fn forged_for(issuer: &str, holder: &DidKey) -> Value {
    let mut c = claims(issuer, holder.as_str());
    c["exp"] = json!(NOW + 10 * 365 * 86_400);
    c
}

#[test]
fn refuses_a_kid_naming_another_did() {
    let w = world();
    let other = new_key(&w.keys);
    let mut header = Map::new();
    header.insert("kid".into(), json!(other.key_id()));
    let jwt =
        block_on(jws::sign_es256(header, &claims(w.issuer.as_str(), w.holder.as_str()), &w.issuer, &w.keys)).unwrap();
    assert_eq!(
        err(&jwt, &w.holder),
        CredentialError::KidMismatch { kid: other.key_id(), issuer: w.issuer.as_str().into() }
    );
    // A did:key whose fragment names another key is not the issuer either.
    let mut header = Map::new();
    let fragment = &other.as_str()["did:key:".len()..];
    header.insert("kid".into(), json!(format!("{}#{fragment}", w.issuer.as_str())));
    let jwt =
        block_on(jws::sign_es256(header, &claims(w.issuer.as_str(), w.holder.as_str()), &w.issuer, &w.keys)).unwrap();
    assert!(matches!(err(&jwt, &w.holder), CredentialError::KidMismatch { .. }));
}

#[test]
fn refuses_a_did_elsi_whose_certificate_belongs_to_another_organisation() {
    let holder = new_key(&SoftwareKeys::default());
    let seal = Seal::es256();
    let jwt = seal.sign(&seal.header(), &claims("did:elsi:VATES-A11111111", holder.as_str()));
    let e = err(&jwt, &holder);
    assert_eq!(
        e,
        CredentialError::OrganizationMismatch {
            claimed: "VATES-A11111111".into(),
            certificate: Some("VATES-B60645900".into())
        }
    );
    assert_eq!(
        Error::from(e).user_message().en(),
        "The credential's seal does not belong to the organisation that claims to issue it. It was not stored."
    );
}

#[test]
fn refuses_iss_and_issuer_that_disagree() {
    let w = world();
    let other = new_key(&w.keys);
    let mut c = claims(w.issuer.as_str(), w.holder.as_str());
    c["vc"]["issuer"] = json!(other.as_str());
    let jwt = sign_did_key(&w.keys, &w.issuer, &c);
    assert_eq!(
        err(&jwt, &w.holder),
        CredentialError::IssuerMismatch { jwt: w.issuer.as_str().into(), vc: other.as_str().into() }
    );
    // With no "iss", the credential's issuer is the issuer.
    c["vc"]["issuer"] = json!({"id": w.issuer.as_str()});
    c.as_object_mut().unwrap().remove("iss");
    assert!(verify(&sign_did_key(&w.keys, &w.issuer, &c), &w.holder, NOW).is_ok());
    c["vc"].as_object_mut().unwrap().remove("issuer");
    assert_eq!(err(&sign_did_key(&w.keys, &w.issuer, &c), &w.holder), CredentialError::MissingIssuer);
}

#[test]
fn refuses_huge_input_before_decoding_it() {
    let w = world();
    let huge = format!("eyJhbGciOiJFUzI1NiJ9.{}.AAAA", "A".repeat(MAX_CREDENTIAL_LEN));
    assert!(matches!(err(&huge, &w.holder), CredentialError::Malformed(JwtVcError::TooLong { .. })));
    assert!(matches!(
        block_on(verify_signature_only(&huge, &NativeCrypto)),
        Err(CredentialError::Malformed(JwtVcError::TooLong { .. }))
    ));
}

#[test]
fn issuers_whose_key_cannot_be_found_are_refused_clearly() {
    let w = world();
    let sign = |header: Value, issuer: &str| compact(&header, &claims(issuer, w.holder.as_str()), |_| vec![0; 64]);
    let (x, y) = w.issuer.coordinates();
    let jwk = json!({"kty": "EC", "crv": "P-256", "x": b64url_encode(&x), "y": b64url_encode(&y)});
    assert_eq!(
        err(&sign(json!({"alg": "ES256", "jwk": jwk}), w.issuer.as_str()), &w.holder),
        CredentialError::UnsupportedIssuerKey(UnsupportedKey::EmbeddedJwk)
    );
    assert_eq!(
        err(&sign(json!({"alg": "ES256", "kid": "did:web:issuer.example#key-1"}), "did:web:issuer.example"), &w.holder),
        CredentialError::UnsupportedIssuerKey(UnsupportedKey::DidMethod("did:web".into()))
    );
    assert_eq!(
        err(&sign(json!({"alg": "RS256"}), ELSI), &w.holder),
        CredentialError::UnsupportedIssuerKey(UnsupportedKey::NeedsCertificate(ELSI.into()))
    );
    assert_eq!(
        err(&sign(json!({"alg": "ES256"}), "https://issuer.example"), &w.holder),
        CredentialError::UnsupportedIssuerKey(UnsupportedKey::NeedsCertificate("https://issuer.example".into()))
    );
    assert!(matches!(
        err(&sign(json!({"alg": "ES256"}), "IN2"), &w.holder),
        CredentialError::UnsupportedIssuerKey(UnsupportedKey::Unrecognised(_))
    ));
    assert!(matches!(
        err(&sign(json!({"alg": "ES256"}), "did:key:zQ3invalid"), &w.holder),
        CredentialError::IssuerDid(_)
    ));
    let message = Error::from(err(&sign(json!({"alg": "ES256"}), "did:web:x"), &w.holder))
        .user_message()
        .en();
    assert_eq!(
        message,
        "The wallet cannot check this issuer's signature, so the credential was not stored."
    );
}

#[test]
fn a_certificate_must_be_able_to_name_the_issuer() {
    let holder = new_key(&SoftwareKeys::default());
    let seal = Seal::es256();
    // Its SAN has issuer.example.org.
    assert!(verify(&seal.sign(&seal.header(), &claims("https://issuer.example.org", holder.as_str())), &holder, NOW)
        .is_ok());
    assert_eq!(
        err(&seal.sign(&seal.header(), &claims("https://evil.example", holder.as_str())), &holder),
        CredentialError::HostMismatch {
            host: "evil.example".into(),
            dns_names: vec!["issuer.example.org".into(), "wallet.example".into()],
        }
    );
    let other = new_key(&SoftwareKeys::default());
    assert_eq!(
        err(&seal.sign(&seal.header(), &claims(other.as_str(), holder.as_str())), &holder),
        CredentialError::UnsupportedIssuerKey(UnsupportedKey::CertificateCannotName(other.as_str().into()))
    );
}

#[test]
fn the_algorithm_must_fit_the_certificate_key() {
    let holder = new_key(&SoftwareKeys::default());
    let mut header = Seal::rs256().header();
    header["alg"] = json!("ES256");
    let jwt = compact(&header, &claims(ELSI, &holder.to_string()), |_| vec![1; 64]);
    assert_eq!(
        err(&jwt, &holder),
        CredentialError::KeyAlgorithmMismatch { alg: "ES256", needed: "EC P-256", found: "RSA".into() }
    );
    header["x5c"] = json!(["not base64!"]);
    assert_eq!(
        err(&compact(&header, &claims(ELSI, holder.as_str()), |_| vec![1; 64]), &holder),
        CredentialError::BadX5c("standard base64 in x5c")
    );
    header["x5c"] = json!([]);
    assert!(matches!(
        err(&compact(&header, &claims(ELSI, holder.as_str()), |_| vec![1; 64]), &holder),
        CredentialError::BadX5c(_)
    ));
    header["x5c"] = json!(["MAA="]);
    assert!(matches!(
        err(&compact(&header, &claims(ELSI, holder.as_str()), |_| vec![1; 64]), &holder),
        CredentialError::Certificate(_)
    ));
}

// ---- The real DOME credential (../shared/dome/captured), signed by DOME's sandbox issuer. ----

/// 2024-06-10T09:29:13Z, the JAdES `sigT` of the real credential.
const DOME_SIGNED_AT: i64 = 1_718_011_753;

#[test]
fn the_real_dome_signature_verifies_with_its_x5c_leaf() {
    let Some(jwt) = read_shared(DOME_CREDENTIAL) else { return };
    let jwt = jwt.trim();
    let key = block_on(verify_signature_only(jwt, &NativeCrypto)).unwrap();
    let IssuerKey::Certificate(cert) = &key else { panic!("expected the x5c leaf, got {key:?}") };
    assert_eq!(cert.subject().organization_identifier(), Some("VATES-Q0000000J"));
    assert_eq!(cert.issuer().common_name(), Some("DIGITEL TS ADVANCED CA G1"));

    // One bit changed in the signature, or in the payload, and it no longer verifies.
    let (input, signature) = jwt.rsplit_once('.').unwrap();
    let mut sig = crate::core::encoding::b64url_decode(signature).unwrap();
    sig[100] ^= 0x01;
    let bad_sig = format!("{input}.{}", b64url_encode(&sig));
    assert_eq!(block_on(verify_signature_only(&bad_sig, &NativeCrypto)), Err(CredentialError::BadSignature));
    let (header, payload) = input.split_once('.').unwrap();
    let mut claims = crate::core::encoding::b64url_decode(payload).unwrap();
    let at = claims.windows(6).position(|w| w == b"Modami").unwrap();
    claims[at] ^= 0x01; // "Modamio" -> "Ledamio": still valid JSON
    let bad_payload = format!("{header}.{}.{signature}", b64url_encode(&claims));
    assert_eq!(block_on(verify_signature_only(&bad_payload, &NativeCrypto)), Err(CredentialError::BadSignature));
}

#[test]
fn the_real_dome_credential_is_refused_for_its_real_faults() {
    let Some(jwt) = read_shared(DOME_CREDENTIAL) else { return };
    let holder = DidKey::parse("did:key:zDnaepbQkLnywX4GHsnpTuGQkBHtJ4UnGM97ts7XuM273L1ih").unwrap();
    // Its seal certificate belongs to VATES-Q0000000J (DOME Marketplace), but it claims to be
    // issued by did:elsi:VATES-B60645900 (IN2). Refused even on the day it was sealed.
    let at_signing = verify(&jwt, &holder, DOME_SIGNED_AT).unwrap_err();
    assert_eq!(
        at_signing,
        CredentialError::OrganizationMismatch {
            claimed: "VATES-B60645900".into(),
            certificate: Some("VATES-Q0000000J".into())
        }
    );
    let today = 1_795_427_983; // 2026-11-23
    assert_eq!(verify(&jwt, &holder, today).unwrap_err(), at_signing);

    // And it expired in 2024: the mandate ended on 2024-06-29, before the JWT exp (2024-07-03).
    let view = JwtVc::parse(&jwt).unwrap();
    assert_eq!(check_validity(&view.validity(), DOME_SIGNED_AT), Ok(()));
    let expired = check_validity(&view.validity(), today).unwrap_err();
    assert_eq!(
        expired,
        CredentialError::Expired { expired_at: 1_719_647_258, claim: DateSource::MandateEnd, now: today }
    );
    assert_eq!(
        expired.to_string(),
        "expired at 2024-06-29T07:47:38Z (mandate life_span end); the time is now 2026-11-23T09:59:43Z"
    );
    // Its holder binding and type are right.
    assert_eq!(check_holder(&view, Some(&holder)), Ok(()));
    assert_eq!(check_types(&view, EMPLOYEE), Ok(()));
}

/// `names_did` answers exactly what comparing `did_of`'s result did, without decoding points.
#[test]
fn names_did_agrees_with_did_of() {
    let did = "did:key:zDnaepbQkLnywX4GHsnpTuGQkBHtJ4UnGM97ts7XuM273L1ih";
    let multibase = did.strip_prefix("did:key:").unwrap();
    let other = "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv";
    let long = format!("{did}#{}", "z".repeat(crate::core::did_key::MAX_LEN));
    let kids = [
        did.to_owned(),
        format!("{did}#{multibase}"),
        format!("{did}#{multibase}x"),
        format!("{did}#"),
        format!("{did}#{multibase}#{multibase}"),
        format!("{other}#{multibase}"),
        other.to_owned(),
        format!("{did}x"),
        "did:web:example.com#key-1".to_owned(),
        "did:web:example.com".to_owned(),
        "#".to_owned() + multibase,
        String::new(),
        long,
    ];
    for expected in [Some(did.to_owned()), Some("did:web:example.com".to_owned()), None] {
        for kid in &kids {
            let before = did_of(kid).is_some() && did_of(kid) == expected;
            assert_eq!(names_did(kid, expected.as_deref()), before, "{kid} naming {expected:?}");
        }
    }
}
