//! DOME's production verifier (in2-eudistack-verifier-core-api v2.0): a request object with
//! `client_id_scheme: "did:key"`, a bare did:key `kid` and a `scope`, answered with base64url of
//! the VP JWT in a `direct_post` form.

use super::*;
use crate::core::credential::test_support::{read_shared, read_shared_json};
use crate::core::encoding::b64url_decode;
use crate::core::oid4vp::client_id::{ClientIdForm, Verification};
use crate::core::oid4vp::request::{Delivery, ResponseMode};
use crate::core::oid4vp::Query;

const DOME_REQUEST_URI: &str =
    "https://verifier.dome-marketplace.eu/oid4vp/auth-request/8854ac25-2e1b-43c9-b4bb-26cacfb585e2";
const DOME_RESPONSE_URI: &str = "https://verifier.dome-marketplace.eu/oid4vp/auth-response";

/// A request object in exactly the shape of `profile/verifier-v2.0-request-object.json` (the
/// fixture itself when `../shared` is there), signed by `verifier`.
fn dome_request_object(verifier: &VerifierKey, changes: Value) -> String {
    let did = verifier.did();
    let did = did.as_str();
    let (mut header, mut payload) = match read_shared_json("dome/profile/verifier-v2.0-request-object.json") {
        Some(fixture) => (fixture["header"].clone(), fixture["payload"].clone()),
        None => (
            json!({"alg": "ES256", "kid": "", "typ": "oauth-authz-req+jwt"}),
            json!({"client_id_scheme": "did:key", "response_uri": DOME_RESPONSE_URI, "scope": "dome.credentials.presentation.LEARCredentialEmployee",
                   "response_type": "vp_token", "response_mode": "direct_post", "jti": "j"}),
        ),
    };
    header["kid"] = Value::from(did);
    merge(
        &mut payload,
        json!({"iss": did, "aud": did, "client_id": did, "iat": NOW - 10, "exp": NOW + 10 * 86_400, "nonce": NONCE, "state": STATE}),
    );
    assert_eq!(header.as_object().unwrap().len(), 3, "alg, kid, typ");
    merge(&mut payload, changes);
    verifier.sign(&header, &payload)
}

fn dome_link(did: &str) -> Vec<(String, String)> {
    // The QR code: openid4vp://?client_id=<did:key>&request_uri=<https url>
    link(&[("client_id", did), ("request_uri", DOME_REQUEST_URI)])
}

fn dome_verify(object: &str, did: &str) -> (MockHttp, Result<VerifiedRequest, PresentationError>) {
    let http = MockHttp::default().on(Method::Get, DOME_REQUEST_URI, 200, object.as_bytes().to_vec());
    let result = verify(&dome_link(did), &http);
    (http, result)
}

#[test]
fn dome_request_is_verified_and_answered_with_a_base64url_vp_token() {
    let verifier = VerifierKey::random();
    let did = verifier.did();
    let (http, request) = dome_verify(&dome_request_object(&verifier, json!({})), did.as_str());
    let request = request.unwrap();
    http.assert_only_fetched_from(DOME_REQUEST_URI);

    assert_eq!(request.verifier().client_id(), did.as_str());
    assert_eq!(request.verifier().form(), ClientIdForm::ClientIdScheme);
    assert_eq!(request.verifier().verification(), &Verification::Did { did: did.as_str().into() });
    assert_eq!(request.delivery(), Delivery::ByReference { post: false });
    assert_eq!(request.response_mode(), &ResponseMode::DirectPost);
    assert_eq!(request.response_uri().as_str(), DOME_RESPONSE_URI);
    assert_eq!((request.nonce(), request.state()), (NONCE, Some(STATE)));
    assert!(
        matches!(request.query(), Query::Scope { credential_type, .. } if credential_type == "LEARCredentialEmployee")
    );

    let mut wallet = Wallet::with_lear();
    let holder = wallet.held[0].holder.clone();
    wallet.issue("machine-1", &holder, "LEARCredentialMachine", Seal::es256());
    let candidates = wallet.candidates();
    let matches = request.match_credentials(&candidates);
    assert!(matches.is_satisfiable());
    assert_eq!(matches.queries.len(), 1);
    assert_eq!(matches.queries[0].asked, "a LEARCredentialEmployee credential");
    assert_eq!(matches.queries[0].candidates.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(), vec!["lear-1"]);
    assert!(matches.queries[0].candidates[0]
        .disclosed
        .contains(&"credentialSubject.mandate.mandatee.email".to_string()));

    let response = wallet.respond(&request).unwrap();
    let form = fields(&response);
    assert_eq!(
        form.keys().collect::<Vec<_>>(),
        vec!["state", "vp_token"],
        "like 13-authorization-response-form.json, without the ignored submission"
    );
    assert_eq!(form["state"], STATE);
    // DOME's verifier base64-decodes vp_token: base64url without padding.
    let vp_token = form["vp_token"].as_str().unwrap();
    assert!(!vp_token.contains(['.', '=', '+', '/']));
    let vp = String::from_utf8(b64url_decode(vp_token).unwrap()).unwrap();
    let (header, claims) = check_vp(&vp, &holder, did.as_str(), &[&wallet.held[0].jwt]);
    assert_same_shape(&header, &claims);

    let (outcome, posted) = deliver(response, 200, "");
    assert_eq!(outcome.unwrap(), Outcome::Done);
    assert_eq!(posted.method, Method::Post);
    assert_eq!(posted.url.as_str(), DOME_RESPONSE_URI);
    assert!(posted.headers.contains(&("Content-Type", "application/x-www-form-urlencoded".into())));
    assert_eq!(form_pairs(&posted), form);
    assert_eq!(
        Outcome::Done.user_message().en(),
        "Done. You are signed in on the other device."
    );
}

/// The VP has the header and claims DOME's verifier reads (`verifier-expected-vp-jwt.json`), the
/// DOME wallet sends (`12-vp-jwt.json`), and the real captured VP has.
fn assert_same_shape(header: &Map<String, Value>, claims: &Map<String, Value>) {
    let keys = |v: &Value| -> Vec<String> {
        let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    let ours_header = keys(&Value::Object(header.clone()));
    let ours_claims = keys(&Value::Object(claims.clone()));
    let ours_vp = keys(&claims["vp"]);
    for fixture in ["dome/profile/verifier-expected-vp-jwt.json", "dome/wallet-side/12-vp-jwt.json"] {
        let Some(expected) = read_shared_json(fixture) else { continue };
        assert_eq!(ours_header, keys(&expected["header"]), "{fixture}");
        assert_eq!(ours_claims, keys(&expected["payload"]), "{fixture}");
        assert_eq!(ours_vp, keys(&expected["payload"]["vp"]), "{fixture}");
    }
    if let Some(captured) = read_shared("dome/captured/dome-vcverifier-test-vp1.jwt") {
        let jws = Jws::parse(&captured).unwrap();
        assert_eq!(ours_header, keys(&Value::Object(jws.header().clone())));
        let real = jws.claims().unwrap();
        // The captured VP predates DOME's nonce and aud checks; everything else matches.
        let mut ours: Vec<String> = ours_claims.iter().filter(|k| *k != "nonce" && *k != "aud").cloned().collect();
        ours.sort();
        assert_eq!(ours, keys(&Value::Object(real.clone())));
        assert_eq!(ours_vp, keys(&real["vp"]));
    }
}

#[test]
fn dome_wallet_fixture_11_shape_with_client_id_scheme_did_and_a_loopback_response_uri() {
    // 11-request-object.json: client_id_scheme "did", response_uri http://localhost:9000/…
    let verifier = VerifierKey::random();
    let did = verifier.did();
    let object = dome_request_object(
        &verifier,
        json!({"client_id_scheme": "did", "response_uri": "http://localhost:9000/oid4vp/auth-response"}),
    );
    let (_, request) = dome_verify(&object, did.as_str());
    let request = request.unwrap();
    assert_eq!(request.response_uri().as_str(), "http://localhost:9000/oid4vp/auth-response");
    assert_eq!(request.verifier().form(), ClientIdForm::ClientIdScheme);
}

#[test]
fn dome_qr_code_from_the_fixture_parses() {
    let Some(text) = read_shared("dome/profile/verifier-v2.0-authorization-request.txt") else { return };
    let qr = text.lines().find(|l| l.starts_with("openid4vp://")).unwrap();
    let url = url::Url::parse(qr).unwrap();
    let pairs: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let request = AuthorizationRequest::parse(&pairs).unwrap();
    assert_eq!(request.client_id(), "did:key:zDnaeVYnWTZu5nbrH1qmBVMvNwSrtKnkRbCZ4xH5h2LQPnzdr");
    assert_eq!(request.request_uri().unwrap().host_str(), Some("verifier.dome-marketplace.eu"));
}

#[test]
fn dome_refuses_the_old_typ_jwt_header_and_a_foreign_iss() {
    let verifier = VerifierKey::random();
    let did = verifier.did();
    // 11-request-object.json's "header_test_fixture" used typ JWT; wallets ≥ 1.4.5 refuse it.
    let mut payload = Jws::parse(&dome_request_object(&verifier, json!({}))).unwrap().claims().unwrap();
    let old =
        verifier.sign(&json!({"alg": "ES256", "kid": did.as_str(), "typ": "JWT"}), &Value::Object(payload.clone()));
    let (http, result) = dome_verify(&old, did.as_str());
    assert!(matches!(result, Err(PresentationError::Jws(crate::core::jws::JwsError::WrongTyp { .. }))), "{result:?}");
    http.assert_only_fetched_from(DOME_REQUEST_URI);

    payload.insert("iss".into(), json!("did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169"));
    let foreign = verifier
        .sign(&json!({"alg": "ES256", "kid": did.as_str(), "typ": "oauth-authz-req+jwt"}), &Value::Object(payload));
    let (_, result) = dome_verify(&foreign, did.as_str());
    assert!(matches!(result, Err(PresentationError::ClientNotVerified { .. })), "{result:?}");
}

#[test]
fn dome_verifier_errors_are_told_in_plain_words() {
    let verifier = VerifierKey::random();
    let did = verifier.did();
    let (_, request) = dome_verify(&dome_request_object(&verifier, json!({})), did.as_str());
    let request = request.unwrap();
    let wallet = Wallet::with_lear();
    for (status, body, words) in [
        (
            401,
            r#"{"error":"invalid_vp_token","error_description":"credential expired"}"#,
            "the credential may have expired",
        ),
        (403, "", "revoked"),
        (500, "<html>oops</html>", "could not accept"),
        (400, r#"{"error":"invalid_request"}"#, "Scan a new QR code"),
    ] {
        let (outcome, _) = deliver(wallet.respond(&request).unwrap(), status, body);
        let error = outcome.unwrap_err();
        assert!(matches!(&error, PresentationError::Rejected { status: s, .. } if *s == status));
        assert!(
            error.user_message().en().contains(words),
            "{status}: {}",
            error.user_message().en()
        );
        assert!(crate::core::Error::from(error.clone())
            .user_message()
            .en()
            .contains(words));
        if status == 401 {
            assert_eq!(
                error,
                PresentationError::Rejected {
                    status,
                    error: Some("invalid_vp_token".into()),
                    description: Some("credential expired".into())
                }
            );
        }
    }
}

#[test]
fn dome_scope_with_no_matching_credential_says_what_is_missing() {
    let verifier = VerifierKey::random();
    let did = verifier.did();
    let (_, request) = dome_verify(&dome_request_object(&verifier, json!({})), did.as_str());
    let request = request.unwrap();
    let mut wallet = Wallet::default();
    let holder = block_on(wallet.keys.create_key()).unwrap();
    wallet.issue("machine-1", &holder, "LEARCredentialMachine", Seal::es256());
    let matches = request.match_credentials(&wallet.candidates());
    assert!(!matches.is_satisfiable());
    assert_eq!(matches.missing().as_deref(), Some("a LEARCredentialEmployee credential"));
    let result = wallet.respond(&request);
    assert!(matches!(result, Err(PresentationError::Selection(_))), "{result:?}");
}

impl MockHttp {
    pub fn assert_only_fetched_from(&self, uri: &str) {
        let sent = self.sent();
        assert_eq!(sent.len(), 1, "expected only the request fetch, got {sent:#?}");
        assert_eq!((sent[0].method, sent[0].url.as_str()), (Method::Get, uri));
    }
}
