//! Requests written for drafts before 1.0, as Credo 0.6.3 sends them with `v1.draft24` and
//! `v1.draft21`: a bare DID client identifier, `client_id_scheme`, Presentation Exchange.

use super::*;
use crate::core::oid4vp::client_id::{ClientIdForm, Verification};
use crate::core::oid4vp::jwe::tests::{decrypt, public_jwk};
use crate::core::oid4vp::request::ResponseMode;
use crate::core::oid4vp::{ContentEncryption, Query};

fn did_header(verifier: &VerifierKey) -> Value {
    json!({"alg": "ES256", "typ": "oauth-authz-req+jwt", "kid": verifier.did().key_id()})
}

/// A definition in the style of Credo's tests: `$.vc.type.*` with a pattern, a `jwt_vc_json` format.
fn lear_definition() -> Value {
    json!({"id": "lear-login", "purpose": "Sign in to the marketplace", "input_descriptors": [{
        "id": "lear", "format": {"jwt_vc_json": {"alg": ["ES256", "RS256"]}},
        "constraints": {"fields": [{"path": ["$.vc.type.*", "$.type.*"], "filter": {"type": "string", "pattern": "^LEARCredentialEmployee$"}}]}}]})
}

#[test]
fn draft_24_bare_did_with_dcql_gets_one_presentation_per_query() {
    let verifier = VerifierKey::random();
    let client_id = verifier.did().to_string();
    let object = verifier.sign(
        &did_header(&verifier),
        &claims(&client_id, json!({"client_metadata": {"vp_formats": {"jwt_vc_json": {"alg": ["ES256"]}}}})),
    );
    let (http, request) = fetch_and_verify(&client_id, &object);
    let request = request.unwrap();
    http.assert_only_fetched();
    assert_eq!(request.verifier().form(), ClientIdForm::BareDid);

    let wallet = Wallet::with_lear();
    let form = fields(&wallet.respond(&request).unwrap());
    let token: Value = serde_json::from_str(form["vp_token"].as_str().unwrap()).unwrap();
    // Drafts 23–27: the value is the presentation itself, not an array.
    check_vp(token["lear"].as_str().unwrap(), &wallet.held[0].holder, &client_id, &[&wallet.held[0].jwt]);
}

#[test]
fn draft_24_bare_did_with_presentation_exchange() {
    let verifier = VerifierKey::random();
    let client_id = verifier.did().to_string();
    let object = verifier.sign(
        &did_header(&verifier),
        &claims(&client_id, json!({"dcql_query": null, "presentation_definition": lear_definition()})),
    );
    let (_, request) = fetch_and_verify(&client_id, &object);
    let request = request.unwrap();
    assert_eq!(request.purpose(), Some("Sign in to the marketplace"));
    let wallet = Wallet::with_lear();
    let form = fields(&wallet.respond(&request).unwrap());
    check_vp(form["vp_token"].as_str().unwrap(), &wallet.held[0].holder, &client_id, &[&wallet.held[0].jwt]);
    let submission: Value = serde_json::from_str(form["presentation_submission"].as_str().unwrap()).unwrap();
    assert_eq!(submission["definition_id"], "lear-login");
    assert!(submission["id"].as_str().unwrap().starts_with("urn:uuid:"));
    assert_eq!(
        submission["descriptor_map"],
        json!([{"id": "lear", "format": "jwt_vp_json", "path": "$", "path_nested": {"id": "lear", "format": "jwt_vc_json", "path": "$.vp.verifiableCredential[0]"}}])
    );
}

#[test]
fn draft_21_client_id_scheme_did_with_presentation_exchange_and_an_encrypted_answer() {
    // Credo v1.draft21: client_id_scheme "did", presentation_definition, direct_post.jwt with
    // authorization_encrypted_response_alg/enc (A256GCM, as ISO 18013-7 wants).
    let verifier = VerifierKey::random();
    let client_id = verifier.did().to_string();
    let encryption = p256::SecretKey::random(&mut rand_core::OsRng);
    let mut jwk = public_jwk(&encryption, "z-fingerprint");
    jwk.as_object_mut().unwrap().remove("alg");
    let metadata = json!({"jwks": {"keys": [jwk]}, "authorization_encrypted_response_alg": "ECDH-ES", "authorization_encrypted_response_enc": "A256GCM",
        "vp_formats": {"jwt_vc_json": {"alg": ["ES256"]}}});
    let object = verifier.sign(
        &did_header(&verifier),
        &claims(&client_id, json!({"client_id_scheme": "did", "dcql_query": null, "presentation_definition": lear_definition(), "response_mode": "direct_post.jwt", "client_metadata": metadata})),
    );
    let (_, request) = fetch_and_verify(&client_id, &object);
    let request = request.unwrap();
    assert_eq!(request.verifier().form(), ClientIdForm::ClientIdScheme);
    assert!(matches!(request.query(), Query::PresentationExchange(_)));
    assert!(matches!(request.response_mode(), ResponseMode::DirectPostJwt { enc: ContentEncryption::A256Gcm, .. }));

    let wallet = Wallet::with_lear();
    let form = fields(&wallet.respond(&request).unwrap());
    let (header, plain) = decrypt(form["response"].as_str().unwrap(), &encryption);
    assert_eq!(header["enc"], "A256GCM");
    assert_eq!(header["kid"], "z-fingerprint");
    let payload: Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(payload["state"], STATE);
    assert_eq!(
        payload["presentation_submission"]["definition_id"], "lear-login",
        "an object inside the JWE, not JSON text"
    );
    check_vp(payload["vp_token"].as_str().unwrap(), &wallet.held[0].holder, &client_id, &[&wallet.held[0].jwt]);
}

#[test]
fn draft_21_x509_san_dns_and_redirect_uri_with_a_bare_client_id() {
    let object = VerifierKey::leaf().sign(
        &json!({"alg": "ES256", "typ": "oauth-authz-req+jwt", "x5c": x5c(&[LEAF_CERT, CA_CERT])}),
        &claims("verifier.example.org", json!({"client_id_scheme": "x509_san_dns", "dcql_query": null, "presentation_definition": lear_definition()})),
    );
    let (_, request) = fetch_and_verify("verifier.example.org", &object);
    let request = request.unwrap();
    assert!(
        matches!(request.verifier().verification(), Verification::DnsName { dns_name, .. } if dns_name == "verifier.example.org")
    );
    let wallet = Wallet::with_lear();
    let form = fields(&wallet.respond(&request).unwrap());
    check_vp(
        form["vp_token"].as_str().unwrap(),
        &wallet.held[0].holder,
        "verifier.example.org",
        &[&wallet.held[0].jwt],
    );

    let definition = lear_definition().to_string();
    let params = link(&[
        ("client_id", RESPONSE_URI),
        ("client_id_scheme", "redirect_uri"),
        ("response_type", "vp_token"),
        ("response_mode", "direct_post"),
        ("response_uri", RESPONSE_URI),
        ("nonce", NONCE),
        ("presentation_definition", &definition),
    ]);
    let request = verify(&params, &MockHttp::default()).unwrap();
    assert!(!request.verifier().is_verified());
    let form = fields(&wallet.respond(&request).unwrap());
    assert!(!form.contains_key("state"), "no state was given");
    check_vp(form["vp_token"].as_str().unwrap(), &wallet.held[0].holder, RESPONSE_URI, &[&wallet.held[0].jwt]);
}

#[test]
fn presentation_exchange_with_credentials_of_two_keys_sends_two_presentations() {
    let verifier = VerifierKey::random();
    let client_id = verifier.did().to_string();
    let definition = json!({"id": "two", "input_descriptors": [
        {"id": "employee", "constraints": {"fields": [{"path": ["$.vc.type"], "filter": {"type": "array", "contains": {"const": "LEARCredentialEmployee"}}}]}},
        {"id": "machine", "constraints": {"fields": [{"path": ["$.vc.type"], "filter": {"type": "array", "contains": {"const": "LEARCredentialMachine"}}}]}}]});
    let object = verifier.sign(
        &did_header(&verifier),
        &claims(&client_id, json!({"dcql_query": null, "presentation_definition": definition})),
    );
    let (_, request) = fetch_and_verify(&client_id, &object);
    let request = request.unwrap();
    let mut wallet = Wallet::with_lear();
    let other = block_on(wallet.keys.create_key()).unwrap();
    wallet.issue("machine-1", &other, "LEARCredentialMachine", Seal::es256());

    let form = fields(&wallet.respond(&request).unwrap());
    let token: Value = serde_json::from_str(form["vp_token"].as_str().unwrap()).unwrap();
    check_vp(token[0].as_str().unwrap(), &wallet.held[0].holder, &client_id, &[&wallet.held[0].jwt]);
    check_vp(token[1].as_str().unwrap(), &other, &client_id, &[&wallet.held[1].jwt]);
    let submission: Value = serde_json::from_str(form["presentation_submission"].as_str().unwrap()).unwrap();
    assert_eq!(submission["descriptor_map"][0]["path"], "$[0]");
    assert_eq!(submission["descriptor_map"][1]["path"], "$[1]");
    assert_eq!(submission["descriptor_map"][1]["path_nested"]["path"], "$.vp.verifiableCredential[0]");
    assert_eq!(submission["descriptor_map"][1]["format"], "jwt_vp");

    // Leaving out a descriptor that has no submission requirement to excuse it is refused.
    let only_one = [Choice { query_id: "employee".into(), candidate_id: "lear-1".into() }];
    assert!(matches!(wallet.respond_with(&request, &only_one), Err(PresentationError::Selection(_))));
}
