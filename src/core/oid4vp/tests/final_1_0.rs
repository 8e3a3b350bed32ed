//! OpenID4VP 1.0 with DCQL, one test per client identifier prefix, both response modes, and
//! `request_uri_method=post`.

use super::*;
use crate::core::encoding::b64url_decode;
use crate::core::oid4vp::client_id::{CertificateInfo, ClientIdForm, Verification};
use crate::core::oid4vp::jwe::tests::{decrypt, public_jwk};
use crate::core::oid4vp::request::{Delivery, ResponseMode};
use crate::core::oid4vp::ContentEncryption;

fn did_header(verifier: &VerifierKey) -> Value {
    json!({"alg": "ES256", "typ": "oauth-authz-req+jwt", "kid": verifier.did().key_id()})
}

fn x509_header(chain: &[&[u8]]) -> Value {
    json!({"alg": "ES256", "typ": "oauth-authz-req+jwt", "x5c": x5c(chain)})
}

fn leaf_info() -> CertificateInfo {
    // RFC 4514 writes the last RDN first.
    CertificateInfo {
        subject: "O=Example Verifier,CN=verifier.example.org".into(),
        chain_issuer: "O=Wallet Tests,CN=Test Verifier Root CA".into(),
    }
}

#[test]
fn decentralized_identifier_did_key_with_an_encrypted_answer_like_credo() {
    // Credo 0.6.3 (v1): client_id decentralized_identifier:did:key, direct_post.jwt, an ECDH-ES key
    // in client_metadata.jwks, encrypted_response_enc_values_supported listing a CBC suite too.
    let verifier = VerifierKey::random();
    let client_id = format!("decentralized_identifier:{}", verifier.did());
    let encryption = p256::SecretKey::random(&mut rand_core::OsRng);
    let metadata = json!({"jwks": {"keys": [public_jwk(&encryption, "enc-1")]},
        "encrypted_response_enc_values_supported": ["A128GCM", "A256GCM", "A128CBC-HS256"],
        "vp_formats_supported": {"jwt_vc_json": {"alg_values": ["ES256", "RS256"]}}, "client_name": "Credo verifier"});
    let response_uri = "https://verifier.example.org/oid4vp/v1/authorize?session=4a1c";
    let object = verifier.sign(
        &did_header(&verifier),
        &claims(
            &client_id,
            json!({"response_mode": "direct_post.jwt", "response_uri": response_uri, "client_metadata": metadata}),
        ),
    );
    let (http, request) = fetch_and_verify(&client_id, &object);
    let request = request.unwrap();
    http.assert_only_fetched();
    assert_eq!(request.verifier().form(), ClientIdForm::Prefixed);
    assert_eq!(request.verifier().verification(), &Verification::Did { did: verifier.did().to_string() });
    assert!(matches!(request.response_mode(), ResponseMode::DirectPostJwt { enc: ContentEncryption::A128Gcm, .. }));
    assert_eq!(request.hints().name.as_deref(), Some("Credo verifier"));
    assert_eq!(request.response_host(), "verifier.example.org");

    let wallet = Wallet::with_lear();
    let matches = request.match_credentials(&wallet.candidates());
    assert_eq!(matches.queries[0].requested_claims, vec!["credentialSubject.mandate.mandatee.email"]);
    let response = wallet.respond(&request).unwrap();
    let form = fields(&response);
    assert_eq!(form.keys().collect::<Vec<_>>(), vec!["response"]);
    let (header, plain) = decrypt(form["response"].as_str().unwrap(), &encryption);
    assert_eq!(
        (header["alg"].as_str(), header["enc"].as_str(), header["kid"].as_str()),
        (Some("ECDH-ES"), Some("A128GCM"), Some("enc-1"))
    );
    assert_eq!(b64url_decode(header["apv"].as_str().unwrap()).unwrap(), NONCE.as_bytes());
    let payload: Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(payload["state"], STATE);
    // 1.0: an object keyed by the query id, each value an array of presentations.
    let vps = payload["vp_token"]["lear"].as_array().unwrap();
    assert_eq!(vps.len(), 1);
    check_vp(vps[0].as_str().unwrap(), &wallet.held[0].holder, &client_id, &[&wallet.held[0].jwt]);

    let (outcome, posted) =
        deliver(response, 200, r#"{"redirect_uri":"https://verifier.example.org/done#response_code=091535f6"}"#);
    assert_eq!(
        outcome.unwrap(),
        Outcome::Redirect(url::Url::parse("https://verifier.example.org/done#response_code=091535f6").unwrap())
    );
    assert_eq!(posted.url.as_str(), response_uri, "posted to response_uri exactly, query included");
}

#[test]
fn x509_san_dns_by_value_with_a_plain_form_answer() {
    let client_id = "x509_san_dns:verifier.example.org";
    let object = VerifierKey::leaf().sign(&x509_header(&[LEAF_CERT, CA_CERT]), &claims(client_id, json!({})));
    let http = MockHttp::default();
    let request = verify(&link(&[("client_id", client_id), ("request", &object)]), &http).unwrap();
    assert!(http.sent().is_empty(), "nothing fetched for a request by value");
    assert_eq!(request.delivery(), Delivery::ByValue);
    assert_eq!(
        request.verifier().verification(),
        &Verification::DnsName { dns_name: "verifier.example.org".into(), certificate: leaf_info() }
    );
    assert_eq!(request.verifier().label(), "verifier.example.org");

    let wallet = Wallet::with_lear();
    let response = wallet.respond(&request).unwrap();
    let form = fields(&response);
    assert_eq!(form.keys().collect::<Vec<_>>(), vec!["state", "vp_token"]);
    let token: Value = serde_json::from_str(form["vp_token"].as_str().unwrap()).unwrap();
    check_vp(token["lear"][0].as_str().unwrap(), &wallet.held[0].holder, client_id, &[&wallet.held[0].jwt]);
    let (outcome, _) = deliver(response, 200, "{}");
    assert_eq!(outcome.unwrap(), Outcome::Done);
}

#[test]
fn x509_san_dns_on_loopback_as_credo_serves_it() {
    // Credo on loopback puts 127.0.0.1 in a dNSName; the response goes to http://127.0.0.1.
    let client_id = "x509_san_dns:127.0.0.1";
    let response_uri = "http://127.0.0.1:3001/oid4vp/verifier/authorize?session=1";
    let object =
        VerifierKey::leaf().sign(&x509_header(&[LEAF_CERT]), &claims(client_id, json!({"response_uri": response_uri})));
    let (_, request) = fetch_and_verify(client_id, &object);
    let request = request.unwrap();
    assert_eq!(request.response_uri().as_str(), response_uri);
}

#[test]
fn x509_hash_with_request_uri_method_post_and_wallet_nonce() {
    let hash = b64url_encode(&block_on(crate::core::ports::Crypto::sha256(&NativeCrypto, LEAF_CERT)).unwrap());
    let client_id = format!("x509_hash:{hash}");
    let params = link(&[("client_id", &client_id), ("request_uri", REQUEST_URI), ("request_uri_method", "post")]);

    // The verifier answers the POST with a request object that must echo the wallet's nonce;
    // the mock cannot compute it, so the wallet's POST is read first and the answer built after.
    let probe = MockHttp::default();
    let _ = verify(&params, &probe);
    let post = probe.sent().remove(0);
    assert_eq!(post.method, Method::Post);
    assert!(post.headers.contains(&("Content-Type", "application/x-www-form-urlencoded".into())));
    assert!(post.headers.iter().any(|(k, v)| *k == "Accept" && v.starts_with("application/oauth-authz-req+jwt")));
    let body = form_pairs(&post);
    let metadata: Value = serde_json::from_str(body["wallet_metadata"].as_str().unwrap()).unwrap();
    assert!(metadata["vp_formats_supported"]["jwt_vc_json"].is_object());
    assert!(metadata["request_object_signing_alg_values_supported"].is_array());
    assert!(body["wallet_nonce"].as_str().unwrap().len() >= 16);

    // A fresh nonce per attempt: an echo of an old one is refused.
    let stale = VerifierKey::leaf()
        .sign(&x509_header(&[LEAF_CERT, CA_CERT]), &claims(&client_id, json!({"wallet_nonce": body["wallet_nonce"]})));
    let http = MockHttp::default().on(Method::Post, REQUEST_URI, 200, stale.into_bytes());
    assert_eq!(verify(&params, &http).unwrap_err(), PresentationError::WalletNonceMismatch);

    // With an echoing verifier the request verifies.
    let echo = EchoingVerifier { client_id: client_id.clone() };
    let request = block_on(AuthorizationRequest::from_link_params(&params, &echo, &NativeCrypto, NOW)).unwrap();
    assert_eq!(request.delivery(), Delivery::ByReference { post: true });
    assert_eq!(request.verifier().verification(), &Verification::CertificateHash { certificate: leaf_info() });
}

/// A verifier whose request endpoint signs a request object echoing the POSTed `wallet_nonce`.
struct EchoingVerifier {
    client_id: String,
}

impl HttpClient for EchoingVerifier {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, NetworkError> {
        let nonce = form_pairs(&request)["wallet_nonce"].clone();
        let object = VerifierKey::leaf()
            .sign(&x509_header(&[LEAF_CERT, CA_CERT]), &claims(&self.client_id, json!({"wallet_nonce": nonce})));
        Ok(HttpResponse {
            status: 200,
            content_type: Some("application/oauth-authz-req+jwt".into()),
            body: object.into_bytes(),
        })
    }
}

#[test]
fn redirect_uri_as_plain_parameters_is_shown_unverified() {
    let client_id = format!("redirect_uri:{RESPONSE_URI}");
    let dcql = lear_dcql().to_string();
    let metadata = json!({"client_name": "Example\u{7} Shop", "logo_uri": "javascript:alert(1)"}).to_string();
    let params = link(&[
        ("client_id", &client_id),
        ("response_type", "vp_token"),
        ("response_mode", "direct_post"),
        ("nonce", NONCE),
        ("state", STATE),
        ("dcql_query", &dcql),
        ("client_metadata", &metadata),
    ]);
    let http = MockHttp::default();
    let request = verify(&params, &http).unwrap();
    assert!(http.sent().is_empty());
    assert_eq!(request.delivery(), Delivery::Plain);
    assert!(!request.verifier().is_verified());
    assert_eq!(request.verifier().verification(), &Verification::Unverified { response_uri: RESPONSE_URI.into() });
    assert_eq!(request.verifier().label(), "verifier.example.org");
    assert_eq!(request.response_uri().as_str(), RESPONSE_URI, "response_uri defaults to the client identifier");
    assert_eq!(request.hints().name.as_deref(), Some("Example Shop"), "control characters dropped");
    assert_eq!(request.hints().logo_uri, None, "only https logos");

    let wallet = Wallet::with_lear();
    let form = fields(&wallet.respond(&request).unwrap());
    let token: Value = serde_json::from_str(form["vp_token"].as_str().unwrap()).unwrap();
    check_vp(token["lear"][0].as_str().unwrap(), &wallet.held[0].holder, &client_id, &[&wallet.held[0].jwt]);
}

#[test]
fn did_web_is_resolved_over_https() {
    let verifier = VerifierKey::random();
    let did = "did:web:verifier.example.org";
    let client_id = format!("decentralized_identifier:{did}");
    let document = json!({"id": did, "verificationMethod": [
        {"id": format!("{did}#key-0"), "type": "JsonWebKey2020", "controller": did, "publicKeyJwk": VerifierKey::random().jwk()},
        {"id": "#key-1", "type": "JsonWebKey2020", "controller": did, "publicKeyJwk": verifier.jwk()}],
        "assertionMethod": [format!("{did}#key-1")]});
    let object = verifier.sign(
        &json!({"alg": "ES256", "typ": "oauth-authz-req+jwt", "kid": format!("{did}#key-1")}),
        &claims(&client_id, json!({})),
    );
    let http = MockHttp::serving(&object).on(
        Method::Get,
        "https://verifier.example.org/.well-known/did.json",
        200,
        document.to_string().into_bytes(),
    );
    let request = verify(&by_reference(&client_id), &http).unwrap();
    assert_eq!(request.verifier().verification(), &Verification::Did { did: did.into() });
    assert_eq!(http.sent().len(), 2, "the request and the DID document, nothing else");

    // Signed with key-0's name but key-1's key: refused.
    let wrong = verifier.sign(
        &json!({"alg": "ES256", "typ": "oauth-authz-req+jwt", "kid": format!("{did}#key-0")}),
        &claims(&client_id, json!({})),
    );
    let http = MockHttp::serving(&wrong).on(
        Method::Get,
        "https://verifier.example.org/.well-known/did.json",
        200,
        document.to_string().into_bytes(),
    );
    assert!(matches!(verify(&by_reference(&client_id), &http), Err(PresentationError::Jws(_))));
}

#[test]
fn declining_tells_the_verifier_in_either_mode() {
    let verifier = VerifierKey::random();
    let client_id = format!("decentralized_identifier:{}", verifier.did());
    let (_, request) =
        fetch_and_verify(&client_id, &verifier.sign(&did_header(&verifier), &claims(&client_id, json!({}))));
    let declined = block_on(request.unwrap().decline(&NativeCrypto, &NativeJwe)).unwrap();
    assert_eq!(fields(&declined), json!({"error": "access_denied", "state": STATE}).as_object().unwrap().clone());
    let (outcome, posted) = deliver(declined, 200, "{}");
    assert_eq!(outcome.unwrap(), Outcome::Done);
    assert_eq!(posted.url.as_str(), RESPONSE_URI);

    let encryption = p256::SecretKey::random(&mut rand_core::OsRng);
    let metadata = json!({"jwks": {"keys": [public_jwk(&encryption, "k")]}});
    let object = verifier.sign(
        &did_header(&verifier),
        &claims(&client_id, json!({"response_mode": "direct_post.jwt", "client_metadata": metadata})),
    );
    let (_, request) = fetch_and_verify(&client_id, &object);
    let declined = block_on(request.unwrap().decline(&NativeCrypto, &NativeJwe)).unwrap();
    let (_, plain) = decrypt(fields(&declined)["response"].as_str().unwrap(), &encryption);
    assert_eq!(serde_json::from_slice::<Value>(&plain).unwrap(), json!({"error": "access_denied", "state": STATE}));
}

#[test]
fn credential_sets_multiple_and_the_replay_key() {
    let verifier = VerifierKey::random();
    let client_id = format!("decentralized_identifier:{}", verifier.did());
    let dcql = json!({"credentials": [
            {"id": "employee", "format": "jwt_vc_json", "multiple": true, "meta": {"type_values": [["LEARCredentialEmployee"]]}},
            {"id": "machine", "format": "jwt_vc_json", "meta": {"type_values": [["LEARCredentialMachine"]]}},
            {"id": "mdl", "format": "mso_mdoc", "meta": {"doctype_value": "org.iso.18013.5.1.mDL"}}],
        "credential_sets": [{"options": [["employee"], ["machine"]]}, {"options": [["mdl"]], "required": false}]});
    let object = verifier.sign(&did_header(&verifier), &claims(&client_id, json!({"dcql_query": dcql})));
    let (_, request) = fetch_and_verify(&client_id, &object);
    let request = request.unwrap();
    assert_eq!(request.replay_key(), json!(["oid4vp", client_id, NONCE]).to_string());

    let mut wallet = Wallet::with_lear();
    let holder = wallet.held[0].holder.clone();
    let other = block_on(wallet.keys.create_key()).unwrap();
    wallet.issue("lear-2", &other, "LEARCredentialEmployee", Seal::es256());
    wallet.issue("machine-1", &holder, "LEARCredentialMachine", Seal::es256());
    let matches = request.match_credentials(&wallet.candidates());
    assert!(matches.is_satisfiable());
    let by_id = |id: &str| matches.queries.iter().find(|q| q.id == id).unwrap();
    assert_eq!(by_id("employee").candidates.len(), 2);
    assert!(!by_id("employee").required && !by_id("mdl").required);
    assert!(by_id("mdl").candidates.is_empty());
    assert_eq!(by_id("mdl").asked, "a credential in the mso_mdoc format, which this wallet does not hold");

    let choose = |pairs: &[(&str, &str)]| {
        pairs.iter().map(|(q, c)| Choice { query_id: q.to_string(), candidate_id: c.to_string() }).collect::<Vec<_>>()
    };
    // `multiple`: both employee credentials, each in its own VP signed by its own key.
    let form =
        fields(&wallet.respond_with(&request, &choose(&[("employee", "lear-1"), ("employee", "lear-2")])).unwrap());
    let token: Value = serde_json::from_str(form["vp_token"].as_str().unwrap()).unwrap();
    assert_eq!(
        token.as_object().unwrap().keys().collect::<Vec<_>>(),
        vec!["employee"],
        "no entry for unanswered optional queries"
    );
    check_vp(token["employee"][0].as_str().unwrap(), &holder, &client_id, &[&wallet.held[0].jwt]);
    check_vp(token["employee"][1].as_str().unwrap(), &other, &client_id, &[&wallet.held[1].jwt]);
    // The other option of the required set.
    assert!(wallet.respond_with(&request, &choose(&[("machine", "machine-1")])).is_ok());
    // Nothing from the required set.
    assert!(matches!(wallet.respond_with(&request, &[]), Err(PresentationError::Selection(_))));
    // A credential that does not answer the query it is chosen for.
    assert!(matches!(
        wallet.respond_with(&request, &choose(&[("machine", "lear-1")])),
        Err(PresentationError::Selection(_))
    ));
    // The same credential twice for a query that takes one.
    assert!(matches!(
        wallet.respond_with(&request, &choose(&[("machine", "machine-1"), ("machine", "machine-1")])),
        Err(PresentationError::Selection(_))
    ));
    // A query the request does not have.
    assert!(matches!(
        wallet.respond_with(&request, &choose(&[("employee", "lear-1"), ("other", "lear-1")])),
        Err(PresentationError::Selection(_))
    ));
}

#[test]
fn a_credential_bound_to_another_key_is_not_presented() {
    let verifier = VerifierKey::random();
    let client_id = format!("decentralized_identifier:{}", verifier.did());
    let (_, request) =
        fetch_and_verify(&client_id, &verifier.sign(&did_header(&verifier), &claims(&client_id, json!({}))));
    let request = request.unwrap();
    let mut wallet = Wallet::with_lear();
    // The wallet's record says key B holds a credential issued to key A.
    wallet.held[0].holder = block_on(wallet.keys.create_key()).unwrap();
    assert!(matches!(wallet.respond(&request), Err(PresentationError::HolderMismatch { .. })));
}
