//! Requests a wallet must refuse. Each is refused with a specific error, and the wallet makes no
//! request beyond fetching the request object: no DID document, no answer, nothing.

use super::*;
use crate::core::jws::JwsError;
use crate::core::oid4vp::QueryError;

fn did_verifier() -> (VerifierKey, String) {
    let verifier = VerifierKey::random();
    let client_id = format!("decentralized_identifier:{}", verifier.did());
    (verifier, client_id)
}

fn did_header(verifier: &VerifierKey) -> Value {
    json!({"alg": "ES256", "typ": "oauth-authz-req+jwt", "kid": verifier.did().key_id()})
}

fn x509_header(chain: &[&[u8]]) -> Value {
    json!({"alg": "ES256", "typ": "oauth-authz-req+jwt", "x5c": x5c(chain)})
}

/// Verifies a by-reference request serving `object`, and checks that only the fetch happened.
fn refused(client_id: &str, object: &str) -> PresentationError {
    let (http, result) = fetch_and_verify(client_id, object);
    http.assert_only_fetched();
    let error = result.expect_err("the request must be refused");
    assert!(!error.user_message().en().is_empty());
    error
}

/// An unsigned JWT (`alg: none`).
fn unsigned(header: &Value, claims: &Value) -> String {
    format!("{}.{}.", b64url_encode(header.to_string().as_bytes()), b64url_encode(claims.to_string().as_bytes()))
}

#[test]
fn alg_none_and_unsigned_requests() {
    let (verifier, client_id) = did_verifier();
    let none = unsigned(
        &json!({"alg": "none", "typ": "oauth-authz-req+jwt", "kid": verifier.did().key_id()}),
        &claims(&client_id, json!({})),
    );
    assert_eq!(refused(&client_id, &none), PresentationError::Jws(JwsError::AlgNone));

    // The same parameters without any request object, for a client that must sign.
    let dcql = lear_dcql().to_string();
    let params = link(&[
        ("client_id", &client_id),
        ("response_type", "vp_token"),
        ("response_mode", "direct_post"),
        ("response_uri", RESPONSE_URI),
        ("nonce", NONCE),
        ("dcql_query", &dcql),
    ]);
    let http = MockHttp::default();
    assert!(matches!(verify(&params, &http), Err(PresentationError::Unsigned { .. })));
    assert!(http.sent().is_empty());

    // An x509_san_dns client sending plain parameters is just as unsigned.
    let params =
        link(&[("client_id", "x509_san_dns:verifier.example.org"), ("response_type", "vp_token"), ("nonce", NONCE)]);
    assert!(matches!(verify(&params, &http), Err(PresentationError::Unsigned { .. })));
}

#[test]
fn signed_by_a_key_other_than_the_clients() {
    let (verifier, client_id) = did_verifier();
    let impostor = VerifierKey::random();
    // The header names the client's key, the signature is the impostor's.
    let forged = impostor.sign(&did_header(&verifier), &claims(&client_id, json!({})));
    assert_eq!(refused(&client_id, &forged), PresentationError::Jws(JwsError::BadSignature));
    // The header names the impostor's own key.
    let own = impostor.sign(&did_header(&impostor), &claims(&client_id, json!({})));
    assert!(matches!(refused(&client_id, &own), PresentationError::ClientNotVerified { .. }));
    // No kid at all.
    let bare = verifier.sign(&json!({"alg": "ES256", "typ": "oauth-authz-req+jwt"}), &claims(&client_id, json!({})));
    assert!(matches!(refused(&client_id, &bare), PresentationError::ClientNotVerified { .. }));
    // An x5c leaf with the right name, signed by another key.
    let client_id = "x509_san_dns:verifier.example.org";
    let forged = impostor.sign(&x509_header(&[LEAF_CERT, CA_CERT]), &claims(client_id, json!({})));
    assert_eq!(refused(client_id, &forged), PresentationError::Jws(JwsError::BadSignature));
}

#[test]
fn certificates_that_do_not_prove_the_client_identifier() {
    let leaf = VerifierKey::leaf();
    // The certificate is not for this DNS name.
    let client_id = "x509_san_dns:evil.example";
    let object = leaf.sign(
        &x509_header(&[LEAF_CERT, CA_CERT]),
        &claims(client_id, json!({"response_uri": "https://evil.example/post"})),
    );
    assert!(matches!(refused(client_id, &object), PresentationError::ClientNotVerified { .. }));
    // A chain whose second certificate has the right name but did not sign the leaf.
    let client_id = "x509_san_dns:verifier.example.org";
    let object = leaf.sign(&x509_header(&[LEAF_CERT, ROGUE_CA_CERT]), &claims(client_id, json!({})));
    assert!(
        matches!(refused(client_id, &object), PresentationError::ClientNotVerified { reason, .. } if reason.contains("signature"))
    );
    // No x5c.
    let object = leaf.sign(&json!({"alg": "ES256", "typ": "oauth-authz-req+jwt"}), &claims(client_id, json!({})));
    assert!(matches!(refused(client_id, &object), PresentationError::ClientNotVerified { .. }));
    // The hash of another certificate.
    let client_id = format!("x509_hash:{}", b64url_encode(&[0u8; 32]));
    let object = leaf.sign(&x509_header(&[LEAF_CERT]), &claims(&client_id, json!({})));
    assert!(matches!(refused(&client_id, &object), PresentationError::ClientNotVerified { .. }));
    // A certificate past its validity (the request itself still in date).
    let late = 5_000_000_000;
    let client_id = "x509_san_dns:verifier.example.org";
    let object =
        leaf.sign(&x509_header(&[LEAF_CERT, CA_CERT]), &claims(client_id, json!({"iat": late, "exp": late + 300})));
    let http = MockHttp::serving(&object);
    let result = block_on(AuthorizationRequest::from_link_params(&by_reference(client_id), &http, &NativeCrypto, late));
    assert!(matches!(result, Err(PresentationError::ClientNotVerified { reason, .. }) if reason.contains("validity")));
    http.assert_only_fetched();
}

#[test]
fn expired_undated_and_future_requests() {
    let (verifier, client_id) = did_verifier();
    let sign = |changes| verifier.sign(&did_header(&verifier), &claims(&client_id, changes));
    assert_eq!(
        refused(&client_id, &sign(json!({"exp": NOW - 3600}))),
        PresentationError::Expired { exp: NOW - 3600, now: NOW }
    );
    let expired = refused(&client_id, &sign(json!({"exp": NOW - 3600})));
    assert_eq!(
        expired.user_message().en(),
        "The login request has expired: scan a new QR code."
    );
    assert_eq!(
        refused(&client_id, &sign(json!({"exp": null}))),
        PresentationError::NoExpiry
    );
    assert!(matches!(
        refused(&client_id, &sign(json!({"iat": NOW + 3600}))),
        PresentationError::NotYetValid { claim: "iat", .. }
    ));
    assert!(matches!(
        refused(&client_id, &sign(json!({"nbf": NOW + 3600}))),
        PresentationError::NotYetValid { claim: "nbf", .. }
    ));
    assert!(matches!(refused(&client_id, &sign(json!({"exp": "tomorrow"}))), PresentationError::Malformed(_)));
}

#[test]
fn wrong_or_missing_typ() {
    let (verifier, client_id) = did_verifier();
    for typ in [json!("JWT"), json!("openid4vci-proof+jwt"), Value::Null] {
        let mut header = did_header(&verifier);
        merge(&mut header, json!({"typ": typ}));
        let object = verifier.sign(&header, &claims(&client_id, json!({})));
        assert!(matches!(refused(&client_id, &object), PresentationError::Jws(JwsError::WrongTyp { .. })), "{typ}");
    }
}

#[test]
fn client_id_of_the_link_and_of_the_object_differ() {
    let (verifier, client_id) = did_verifier();
    let (other, other_id) = did_verifier();
    // Properly signed by another verifier, for another client id, behind this client's link.
    let object = other.sign(&did_header(&other), &claims(&other_id, json!({})));
    assert!(matches!(refused(&client_id, &object), PresentationError::ClientIdMismatch { .. }));
    // The same client without its prefix in the object.
    let object = verifier.sign(&did_header(&verifier), &claims(&verifier.did().to_string(), json!({})));
    assert!(matches!(refused(&client_id, &object), PresentationError::ClientIdMismatch { .. }));
    let object = verifier.sign(&did_header(&verifier), &claims(&client_id, json!({"client_id": null})));
    assert!(matches!(refused(&client_id, &object), PresentationError::ClientIdMismatch { object: None, .. }));
}

#[test]
fn response_uri_not_bound_to_the_client_identifier() {
    let leaf = VerifierKey::leaf();
    let client_id = "x509_san_dns:verifier.example.org";
    for elsewhere in ["https://collector.example/post", "https://verifier.example.org.collector.example/post"] {
        let object =
            leaf.sign(&x509_header(&[LEAF_CERT, CA_CERT]), &claims(client_id, json!({"response_uri": elsewhere})));
        assert!(matches!(refused(client_id, &object), PresentationError::ResponseUriNotBound { .. }), "{elsewhere}");
    }
    let client_id = format!("redirect_uri:{RESPONSE_URI}");
    let dcql = lear_dcql().to_string();
    let params = link(&[
        ("client_id", &client_id),
        ("response_type", "vp_token"),
        ("response_mode", "direct_post"),
        ("response_uri", "https://collector.example/post"),
        ("nonce", NONCE),
        ("dcql_query", &dcql),
    ]);
    let http = MockHttp::default();
    assert!(matches!(verify(&params, &http), Err(PresentationError::ResponseUriNotBound { .. })));
    assert!(http.sent().is_empty());
}

#[test]
fn unknown_and_unsupported_client_identifiers() {
    let verifier = VerifierKey::random();
    for client_id in [
        "made_up:verifier",
        "verifier_attestation:verifier.example.org",
        "openid_federation:https://verifier.example.org",
        "pre-registered-client",
    ] {
        let object = verifier.sign(&did_header(&verifier), &claims(client_id, json!({})));
        let error = refused(client_id, &object);
        assert!(matches!(error, PresentationError::UnsupportedClientId(_)), "{client_id}: {error:?}");
        assert_eq!(
            error.user_message().en(),
            "This login request comes from a kind of verifier the wallet cannot check, so nothing was shared."
        );
    }
    let object = verifier.sign(&did_header(&verifier), &claims("x", json!({"client_id_scheme": "entity_id"})));
    assert!(matches!(refused("x", &object), PresentationError::UnsupportedClientId(_)));
}

#[test]
fn a_signed_redirect_uri_request() {
    let verifier = VerifierKey::random();
    let client_id = format!("redirect_uri:{RESPONSE_URI}");
    let object = verifier.sign(&did_header(&verifier), &claims(&client_id, json!({})));
    assert_eq!(refused(&client_id, &object), PresentationError::SignedRedirectUri);
}

#[test]
fn malformed_or_empty_queries() {
    let (verifier, client_id) = did_verifier();
    let sign = |changes| verifier.sign(&did_header(&verifier), &claims(&client_id, changes));
    for (changes, expected) in [
        (json!({"dcql_query": {"credentials": []}}), "dcql"),
        (json!({"dcql_query": {}}), "dcql"),
        (json!({"dcql_query": "not json"}), "dcql"),
        (
            json!({"dcql_query": {"credentials": [{"id": "x", "format": "jwt_vc_json", "claims": [{"path": []}]}]}}),
            "dcql",
        ),
        (json!({"dcql_query": null, "presentation_definition": {"id": "d", "input_descriptors": []}}), "pd"),
        (json!({"dcql_query": null, "presentation_definition": {"input_descriptors": [{"id": "x"}]}}), "pd"),
        (json!({"dcql_query": null, "presentation_definition": 7}), "pd"),
        (json!({"dcql_query": null}), "nothing"),
        (json!({"dcql_query": null, "scope": "com.example.unknown"}), "scope"),
        (json!({"presentation_definition": {"id": "d", "input_descriptors": [{"id": "x"}]}}), "ambiguous"),
    ] {
        let error = refused(&client_id, &sign(changes.clone()));
        let ok = matches!(
            (expected, &error),
            ("dcql", PresentationError::Query(QueryError::Dcql(_)))
                | ("pd", PresentationError::Query(QueryError::PresentationDefinition(_)))
                | ("nothing", PresentationError::Query(QueryError::NothingAsked))
                | ("scope", PresentationError::Query(QueryError::UnknownScope(_)))
                | ("ambiguous", PresentationError::Query(QueryError::Ambiguous(_)))
        );
        assert!(ok, "{changes}: {error:?}");
    }
}

#[test]
fn other_parameters_the_wallet_cannot_honour() {
    let (verifier, client_id) = did_verifier();
    let sign = |changes| verifier.sign(&did_header(&verifier), &claims(&client_id, changes));
    assert_eq!(refused(&client_id, &sign(json!({"transaction_data": ["e30"]}))), PresentationError::TransactionData);
    assert!(matches!(
        refused(&client_id, &sign(json!({"response_mode": "fragment"}))),
        PresentationError::ResponseMode(_)
    ));
    assert!(matches!(refused(&client_id, &sign(json!({"response_mode": null}))), PresentationError::ResponseMode(_)));
    assert!(matches!(
        refused(&client_id, &sign(json!({"response_mode": "dc_api"}))),
        PresentationError::ResponseMode(_)
    ));
    assert!(matches!(
        refused(&client_id, &sign(json!({"response_type": "vp_token id_token"}))),
        PresentationError::ResponseType(_)
    ));
    assert_eq!(refused(&client_id, &sign(json!({"nonce": null}))), PresentationError::MissingNonce);
    assert_eq!(refused(&client_id, &sign(json!({"nonce": ""}))), PresentationError::MissingNonce);
    assert!(matches!(
        refused(&client_id, &sign(json!({"response_uri": "http://verifier.example.org/post"}))),
        PresentationError::InsecureUrl { .. }
    ));
    assert!(matches!(
        refused(&client_id, &sign(json!({"response_uri": "javascript:alert(1)"}))),
        PresentationError::InsecureUrl { .. }
    ));
    assert!(matches!(refused(&client_id, &sign(json!({"response_uri": null}))), PresentationError::Malformed(_)));
    assert!(matches!(
        refused(&client_id, &sign(json!({"redirect_uri": "https://verifier.example.org/cb"}))),
        PresentationError::Malformed(_)
    ));
    // direct_post.jwt without a key to encrypt to.
    assert!(matches!(
        refused(&client_id, &sign(json!({"response_mode": "direct_post.jwt"}))),
        PresentationError::Encryption(_)
    ));
    // An encrypted request object (five parts) is never asked for.
    assert_eq!(refused(&client_id, "eyJhbGciOiJFQ0RILUVTIn0..aXY.Y3Q.dGFn"), PresentationError::EncryptedRequestObject);
    assert!(matches!(refused(&client_id, "not a jwt"), PresentationError::Jws(_)));
}

#[test]
fn bad_links_cause_no_traffic_at_all() {
    let http = MockHttp::default();
    for (params, insecure) in [
        (link(&[("request_uri", REQUEST_URI)]), false),
        (link(&[("client_id", "x"), ("request_uri", "http://verifier.example.org/request")]), true),
        (link(&[("client_id", "x"), ("request_uri", "file:///etc/passwd")]), true),
        (link(&[("client_id", "x"), ("request_uri", REQUEST_URI), ("request", "e30.e30.")]), false),
        (link(&[("client_id", "x"), ("request_uri_method", "post")]), false),
        (link(&[("client_id", "x"), ("client_id", "y"), ("request_uri", REQUEST_URI)]), false),
    ] {
        let result = verify(&params, &http);
        match result {
            Err(PresentationError::InsecureUrl { .. }) if insecure => {}
            Err(PresentationError::Link(_)) if !insecure => {}
            other => panic!("{params:?}: {other:?}"),
        }
    }
    let bad_method = link(&[("client_id", "x"), ("request_uri", REQUEST_URI), ("request_uri_method", "PUT")]);
    assert_eq!(verify(&bad_method, &http).unwrap_err(), PresentationError::RequestUriMethod("PUT".into()));
    assert!(http.sent().is_empty());
}

#[test]
fn a_request_uri_that_answers_with_an_error_or_too_much() {
    let (_, client_id) = did_verifier();
    let http = MockHttp::default().on(Method::Get, REQUEST_URI, 404, b"gone".to_vec());
    let error = verify(&by_reference(&client_id), &http).unwrap_err();
    assert_eq!(error, PresentationError::RequestFetch(404));
    assert!(
        error.user_message().en().contains("scan a new QR code")
            || error.user_message().en().contains("Scan a new QR code")
    );
    let http = MockHttp::default().on(Method::Get, REQUEST_URI, 200, vec![b'a'; 200 * 1024]);
    assert!(matches!(verify(&by_reference(&client_id), &http), Err(PresentationError::TooLarge { .. })));
}

#[test]
fn unsafe_redirects_after_sending_are_not_followed() {
    let (verifier, client_id) = did_verifier();
    let (_, request) =
        fetch_and_verify(&client_id, &verifier.sign(&did_header(&verifier), &claims(&client_id, json!({}))));
    let request = request.unwrap();
    let wallet = Wallet::with_lear();
    for body in [
        r#"{"redirect_uri":"javascript:alert(document.cookie)"}"#,
        r#"{"redirect_uri":"data:text/html,<script>alert(1)</script>"}"#,
        r#"{"redirect_uri":"http://verifier.example.org/done"}"#,
        r#"{"redirect_uri":"intent://scan/#Intent;scheme=zxing;end"}"#,
        r#"{"redirect_uri":42}"#,
    ] {
        let (outcome, _) = deliver(wallet.respond(&request).unwrap(), 200, body);
        let outcome = outcome.unwrap();
        assert!(
            matches!(outcome, Outcome::RedirectRefused { .. }),
            "{body}: {outcome:?}"
        );
        assert!(outcome.user_message().en().contains("did not open it"));
    }
    // A loopback http redirect is a local test verifier's, and allowed.
    let (outcome, _) =
        deliver(wallet.respond(&request).unwrap(), 200, r#"{"redirect_uri":"http://127.0.0.1:8080/done"}"#);
    assert!(matches!(outcome.unwrap(), Outcome::Redirect(_)));
}

#[test]
fn an_answer_too_large_for_the_browser_is_told_as_such_not_as_unreachable() {
    // The browser adapter refuses any answer over 2 MB with NetworkError::TooLarge (a 5 MB request
    // object, or a 5 MB error from the verifier): the verifier was reached, and sent too much.
    let error = PresentationError::Network(crate::core::error::NetworkError::TooLarge {
        host: "v.example".into(),
        limit: 2 << 20,
    });
    assert!(
        error
            .user_message()
            .en()
            .contains("far more data than expected"),
        "{}",
        error.user_message().en()
    );
    assert!(!error.user_message().en().contains("could not reach"));
}
