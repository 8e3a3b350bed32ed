//! The flow against scripted issuers: DOME v2.2 and v1.6 (from `../shared` fixtures, skipped
//! when absent), an OpenID4VCI 1.0 issuer shaped like Credo (inline), and hostile answers. Every
//! test asserts exactly which requests were sent.

use serde_json::{json, Value};

use super::*;
use crate::core::did_key::DidKey;
use crate::core::encoding::b64url_encode;
use crate::core::invocation::Invocation;
use crate::core::jws::Jws;
use crate::core::native::{NativeCrypto, SoftwareKeys};
use crate::core::credential::test_support::read_shared;
use crate::core::net::mock::MockHttp;
use crate::core::net::PeerUrl;
use crate::core::ports::{HttpRequest, HttpResponse, VerifyingKey};
use crate::core::testing::block_on;
use crate::core::url;
use crate::core::Error;

const NOW: i64 = 1_735_689_600;
const DOME: &str = "https://issuer.dome-marketplace.eu";
const DOME_OFFER: &str = "https://issuer.dome-marketplace.eu/oid4vci/v1/credential-offer/abc-123";
const DOME_MD: &str = "https://issuer.dome-marketplace.eu/.well-known/openid-credential-issuer";
const DOME_AS: &str = "https://issuer.dome-marketplace.eu/.well-known/oauth-authorization-server";
const DOME_OIDC: &str = "https://issuer.dome-marketplace.eu/.well-known/openid-configuration";
const DOME_TOKEN: &str = "https://issuer.dome-marketplace.eu/oauth/token";
const DOME_CREDENTIAL: &str = "https://issuer.dome-marketplace.eu/oid4vci/v1/credential";
const DOME_DEFERRED: &str = "https://issuer.dome-marketplace.eu/oid4vci/v1/deferred-credential";
const DOME_NOTIFICATION: &str = "https://issuer.dome-marketplace.eu/oid4vci/v1/notification";
const TOKEN: &str = "eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJjb2RlLTEifQ.c2ln";
const PIN_MESSAGE: &str =
    "The PIN was not accepted or has expired. Check the PIN in your e-mail and try again; if it keeps failing, ask for a new offer.";

/// A credential as DOME issues it: JAdES, RS256 (the signature is not checked here).
fn credential_jwt() -> String {
    let header = json!({"alg": "RS256", "cty": "json", "sigT": "2024-06-10T09:29:13Z", "crit": ["sigT"]});
    let payload = json!({"iss": "did:elsi:VATES-B60645900", "vc": {"type": ["VerifiableCredential", "LEARCredentialEmployee"]}});
    format!("{}.{}.{}", b64url_encode(header.to_string().as_bytes()), b64url_encode(payload.to_string().as_bytes()), b64url_encode(&[7; 256]))
}

fn token_response(extra: Value) -> String {
    let mut token = json!({"access_token": TOKEN, "token_type": "bearer", "expires_in": 2591999, "refresh_token": "rt"});
    if let (Some(t), Value::Object(extra)) = (token.as_object_mut(), extra) {
        t.extend(extra);
    }
    token.to_string()
}

/// DOME's offer link, as the issuer e-mails or shows it.
fn dome_link() -> Option<String> {
    let text = read_shared("dome/profile/issuer-credential-offer-uri.txt")?;
    Some(text.lines().find(|l| l.starts_with("openid-credential-offer://"))?.replace("<id>", "abc-123"))
}

/// A mock DOME v2.2 issuer up to (not including) the token endpoint, and its offer link.
fn dome_v22() -> Option<(MockHttp, OfferSource)> {
    let offer = read_shared("dome/profile/issuer-v2.2-credential-offer.json")?.replace("<random nonce, valid 5 min>", "code-1");
    let http = dome_issuer()?;
    http.get(DOME_OFFER, 200, offer);
    Some((http, offer_source(&dome_link()?)))
}

/// DOME's metadata endpoints: issuer metadata, no oauth-authorization-server, openid-configuration.
fn dome_issuer() -> Option<MockHttp> {
    let http = MockHttp::new();
    http.get(DOME_MD, 200, read_shared("dome/profile/issuer-v2.2-openid-credential-issuer.json")?)
        .get(DOME_AS, 404, "")
        .get(DOME_OIDC, 200, read_shared("dome/profile/issuer-v2.2-openid-configuration.json")?);
    Some(http)
}

fn offer_source(link: &str) -> OfferSource {
    match Invocation::parse(link, None) {
        Ok(Invocation::CredentialOffer(source)) => source,
        other => panic!("{other:?}"),
    }
}

fn by_value(offer: Value) -> OfferSource {
    OfferSource::ByValue(Box::new(CredentialOffer::from_json(offer.to_string().as_bytes()).unwrap()))
}

fn dome_responses() -> Option<Value> {
    let text = read_shared("dome/profile/issuer-v2.2-credential-responses.json")?
        .replace("<JAdES compact JWT, RS256, x5c>", &credential_jwt())
        .replace("<JAdES JWT>", &credential_jwt());
    Some(serde_json::from_str(&text).unwrap())
}

fn form(request: &HttpRequest) -> Vec<(String, String)> {
    url::form_urlencoded::parse(request.body.as_deref().unwrap()).into_owned().collect()
}

fn body(request: &HttpRequest) -> Value {
    serde_json::from_slice(request.body.as_deref().unwrap()).unwrap()
}

fn headers(request: &HttpRequest) -> Vec<(&str, &str)> {
    request.headers.iter().map(|(n, v)| (*n, v.as_str())).collect()
}

const JSON_WITH_TOKEN: [(&str, &str); 2] = [("content-type", "application/json"), ("authorization", "Bearer eyJhbGciOiJFUzI1NiJ9.eyJqdGkiOiJjb2RlLTEifQ.c2ln")];

/// Parses and verifies a proof JWT; returns its signer and claims.
fn check_proof(jwt: &str) -> (DidKey, serde_json::Map<String, Value>) {
    let jws = Jws::parse(jwt).unwrap();
    jws.expect_typ(&["openid4vci-proof+jwt"]).unwrap();
    assert_eq!(jws.header_str("alg"), Some("ES256"));
    assert!(jws.header().get("jwk").is_none() && jws.header().get("x5c").is_none());
    let kid = jws.header_str("kid").unwrap();
    let holder = DidKey::parse(kid).unwrap();
    assert_eq!(kid, holder.key_id(), "kid is did:key:z…#z…");
    block_on(jws.verify(&VerifyingKey::P256(holder.clone()), &NativeCrypto)).unwrap();
    (holder, jws.claims().unwrap())
}

fn resolve(source: OfferSource, http: &MockHttp) -> ResolvedOffer {
    block_on(source.resolve(http)).unwrap()
}

fn pin(code: &str) -> Option<TxCode> {
    Some(TxCode::new(code.into()))
}

#[test]
fn dome_v22_pin_flow_sends_exactly_what_dome_reads() {
    let (Some((http, source)), Some(responses)) = (dome_v22(), dome_responses()) else { return };
    let offer = resolve(source, &http);
    assert_eq!(http.sent(), [format!("GET {DOME_OFFER}"), format!("GET {DOME_MD}"), format!("GET {DOME_AS}"), format!("GET {DOME_OIDC}")]);
    assert!(http.requests().iter().all(|r| r.headers.is_empty() && r.body.is_none()), "GETs carry nothing");
    let spec = offer.tx_code().unwrap();
    assert_eq!((spec.length(), spec.input_mode(), spec.description()), (Some(4), InputMode::Numeric, None));
    assert_eq!(offer.issuer_name("en"), "issuer.dome-marketplace.eu");
    let offered: Vec<_> = offer.credentials().map(|(id, c)| (id.to_owned(), c.name_for("en"))).collect();
    assert_eq!(offered, [("LEARCredentialEmployee".to_owned(), "LEARCredentialEmployee".to_owned())]);

    http.clear_log();
    let credential = credential_jwt();
    http.post(DOME_TOKEN, 200, token_response(json!({})));
    http.post(DOME_CREDENTIAL, 200, responses["sync_signed_200"].to_string().replace("<uuid>", "n-1"));
    let keys = SoftwareKeys::default();
    let issued = block_on(offer.accept(pin("1234"), &http, &keys, NOW)).unwrap();
    assert_eq!(http.sent(), [format!("POST {DOME_TOKEN}"), format!("POST {DOME_CREDENTIAL}")]);

    let sent = http.requests();
    assert_eq!(headers(&sent[0]), [("content-type", "application/x-www-form-urlencoded")]);
    let expected_form = [("grant_type", "urn:ietf:params:oauth:grant-type:pre-authorized_code"), ("pre-authorized_code", "code-1"), ("tx_code", "1234")];
    assert_eq!(form(&sent[0]), expected_form.map(|(n, v)| (n.to_owned(), v.to_owned())));

    assert_eq!(headers(&sent[1]), JSON_WITH_TOKEN);
    let request = body(&sent[1]);
    let proof = request["proof"]["jwt"].as_str().unwrap();
    assert_eq!(request, json!({"credential_configuration_id": "LEARCredentialEmployee", "format": "jwt_vc_json", "proof": {"proof_type": "jwt", "jwt": proof}}));
    let (holder, claims) = check_proof(proof);
    assert_eq!(Value::Object(claims), json!({"aud": DOME, "iat": NOW, "iss": holder.as_str()}), "no nonce: DOME v2.2 gives none");

    assert!(issued.deferred.is_empty() && issued.failed.is_empty());
    let [received] = &issued.ready[..] else { panic!("{issued:?}") };
    assert_eq!(received.jwt, credential);
    assert_eq!((received.configuration_id.as_str(), &received.types[..]), ("LEARCredentialEmployee", &["LEARCredentialEmployee".to_owned()][..]));
    assert_eq!(received.holder.as_ref(), Some(&holder));

    // The caller verifies and stores, then notifies.
    http.clear_log();
    http.post(DOME_NOTIFICATION, 204, "");
    block_on(notify(&http, received.notification.as_ref().unwrap(), NotificationEvent::Accepted)).unwrap();
    let sent = http.requests();
    assert_eq!(http.sent(), [format!("POST {DOME_NOTIFICATION}")]);
    assert_eq!(headers(&sent[0]), JSON_WITH_TOKEN);
    assert_eq!(body(&sent[0]), json!({"notification_id": "n-1", "notificationId": "n-1", "event": "credential_accepted"}));
}

#[test]
fn dome_wrong_pin_500_is_retried_without_fetching_the_offer_again() {
    let (Some((http, source)), Some(responses)) = (dome_v22(), dome_responses()) else { return };
    let offer = resolve(source, &http);
    // Spring's default error body for the unhandled exception.
    http.post(DOME_TOKEN, 500, r#"{"timestamp":"2025-01-01T00:00:00Z","status":500,"error":"Internal Server Error","path":"/oauth/token"}"#);
    http.post(DOME_TOKEN, 200, token_response(json!({})));
    http.post(DOME_CREDENTIAL, 200, responses["sync_signed_200"].to_string());
    let keys = SoftwareKeys::default();

    let wrong = block_on(offer.accept(pin("0000"), &http, &keys, NOW)).unwrap_err();
    assert!(matches!(wrong, IssuanceError::TxCodeRejected { status: 500, .. }), "{wrong:?}");
    let error = Error::from(wrong);
    assert_eq!(error.user_message().en(), PIN_MESSAGE);
    assert_eq!(
        error.user_detail(),
        None,
        "Spring's reason phrase is not a code"
    );

    let issued = block_on(offer.accept(pin("1234"), &http, &keys, NOW)).unwrap();
    assert_eq!(issued.ready.len(), 1);
    let sent = http.sent();
    assert_eq!(sent.iter().filter(|r| r.contains("credential-offer")).count(), 1, "the offer is fetched exactly once: {sent:?}");
    assert_eq!(&sent[4..], [format!("POST {DOME_TOKEN}"), format!("POST {DOME_TOKEN}"), format!("POST {DOME_CREDENTIAL}")]);
    assert_eq!(form(&http.requests()[5])[2], ("tx_code".into(), "1234".into()));

    // The code is spent: a further accept sends nothing.
    http.clear_log();
    assert_eq!(block_on(offer.accept(pin("1234"), &http, &keys, NOW)).unwrap_err(), IssuanceError::AlreadyRedeemed);
    assert!(http.sent().is_empty());
}

#[test]
fn standard_invalid_grant_with_a_pin_is_a_rejected_pin() {
    let Some((http, source)) = dome_v22() else { return };
    let offer = resolve(source, &http);
    http.post(DOME_TOKEN, 400, r#"{"error":"invalid_grant","error_description":"wrong tx_code"}"#);
    let error = block_on(offer.accept(pin("9999"), &http, &SoftwareKeys::default(), NOW)).unwrap_err();
    assert_eq!(error, IssuanceError::TxCodeRejected { status: 400, code: Some("invalid_grant".into()) });
    assert_eq!(Error::from(error).user_detail(), Some("invalid_grant"));
}

#[test]
fn dome_deferred_202_survives_a_reload_and_respects_the_interval() {
    let (Some((http, source)), Some(responses)) = (dome_v22(), dome_responses()) else { return };
    let offer = resolve(source, &http);
    let as_json = |key: &str| responses[key].to_string().replace("<uuid>", "t-1");
    http.post(DOME_TOKEN, 200, token_response(json!({})));
    http.answer(
        crate::core::ports::Method::Post,
        DOME_CREDENTIAL,
        Ok(HttpResponse { status: 202, content_type: None, body: responses["deferred_202"].to_string().replace("\"notification_id\":\"<uuid>\"", "\"notification_id\":\"n-9\"").replace("<uuid>", "t-1").into_bytes() }),
    );
    let keys = SoftwareKeys::default();
    let issued = block_on(offer.accept(pin("1234"), &http, &keys, NOW)).unwrap();
    assert!(issued.ready.is_empty());
    let [deferred] = &issued.deferred[..] else { panic!("{issued:?}") };
    assert_eq!(deferred.next_poll_at(), NOW + 3600);
    assert_eq!(deferred.types(), ["LEARCredentialEmployee"]);
    let holder = deferred.holder().unwrap().clone();

    // A reload: stored as JSON and read back.
    let stored = deferred.to_json();
    assert!(stored.contains(TOKEN), "the access token must be stored to poll");
    let mut deferred = DeferredIssuance::from_json(&stored).unwrap();
    assert_eq!(deferred.to_json(), stored);

    http.clear_log();
    assert!(matches!(block_on(deferred.poll(&http, NOW + 10)).unwrap(), DeferredPoll::Pending { retry_at } if retry_at == NOW + 3600));
    assert!(http.sent().is_empty(), "too early: nothing is sent");

    let pending = Ok(HttpResponse { status: 202, content_type: None, body: as_json("deferred_still_pending_202").into_bytes() });
    http.answer(crate::core::ports::Method::Post, DOME_DEFERRED, pending);
    http.post(DOME_DEFERRED, 200, as_json("deferred_ready_200"));
    assert!(matches!(block_on(deferred.poll(&http, NOW + 3600)).unwrap(), DeferredPoll::Pending { retry_at } if retry_at == NOW + 7200));
    assert_eq!(deferred.next_poll_at(), NOW + 7200);
    let DeferredPoll::Ready(list) = block_on(deferred.poll(&http, NOW + 7200)).unwrap() else { panic!() };
    let [received] = &list[..] else { panic!("{list:?}") };
    assert_eq!((received.jwt.clone(), received.holder.as_ref()), (credential_jwt(), Some(&holder)));

    assert_eq!(http.sent(), [format!("POST {DOME_DEFERRED}"), format!("POST {DOME_DEFERRED}")]);
    for request in http.requests() {
        assert_eq!(headers(&request), JSON_WITH_TOKEN);
        assert_eq!(body(&request), json!({"transaction_id": "t-1"}));
    }
    // The notification_id came with the 202.
    http.clear_log();
    http.post(DOME_NOTIFICATION, 204, "");
    block_on(notify(&http, received.notification.as_ref().unwrap(), NotificationEvent::Accepted)).unwrap();
    assert_eq!(body(&http.requests()[0])["notificationId"], "n-9");
}

/// The JSON earlier versions stored (members in declaration order) still loads, and what does
/// not check out is refused.
#[test]
fn stored_deferred_issuances_load_and_are_checked() {
    let holder = SoftwareKeys::default();
    let holder = block_on(crate::core::ports::HolderKeys::create_key(&holder)).unwrap();
    let stored = json!({
        "credential_issuer": "https://issuer.dome-marketplace.eu", "endpoint": DOME_DEFERRED, "transaction_id": "t-1",
        "access_token": TOKEN, "interval_secs": 3600, "next_poll_at": NOW + 3600, "configuration_id": "LEARCredentialEmployee",
        "types": ["LEARCredentialEmployee"], "holder": holder.as_str(), "notification_endpoint": null, "notification_id": "n-9",
        "dome_names": true,
    });
    let deferred = DeferredIssuance::from_json(&stored.to_string()).unwrap();
    assert_eq!(deferred.credential_issuer().as_str(), "https://issuer.dome-marketplace.eu");
    assert_eq!((deferred.next_poll_at(), deferred.types(), deferred.holder()), (NOW + 3600, &["LEARCredentialEmployee".to_owned()][..], Some(&holder)));
    assert_eq!(serde_json::from_str::<Value>(&deferred.to_json()).unwrap(), stored);
    let without_holder = json!({"holder": null, "notification_endpoint": DOME_DEFERRED});
    let mut value = stored.clone();
    value.as_object_mut().unwrap().extend(without_holder.as_object().unwrap().clone());
    let deferred = DeferredIssuance::from_json(&value.to_string()).unwrap();
    assert!(deferred.holder().is_none());
    assert_eq!(serde_json::from_str::<Value>(&deferred.to_json()).unwrap(), value);
    for (member, bad) in [
        ("endpoint", json!("http://issuer.example.com/deferred")),
        ("holder", json!("did:key:zNotAKey")),
        ("types", json!("LEARCredentialEmployee")),
        ("interval_secs", json!(-1)),
        ("dome_names", json!(null)),
        ("access_token", json!(null)),
    ] {
        let mut value = stored.clone();
        value[member] = bad;
        assert!(DeferredIssuance::from_json(&value.to_string()).is_err(), "{member}");
    }
    assert!(DeferredIssuance::from_json("[]").is_err());
}

#[test]
fn deferred_errors_and_issuance_pending() {
    let Some((http, source)) = dome_v22() else { return };
    let offer = resolve(source, &http);
    http.post(DOME_TOKEN, 200, token_response(json!({})));
    http.post(DOME_CREDENTIAL, 200, json!({"transaction_id": "t-2"}).to_string());
    let mut issued = block_on(offer.accept(pin("1234"), &http, &SoftwareKeys::default(), NOW)).unwrap();
    let mut deferred = issued.deferred.pop().unwrap();
    assert_eq!(deferred.next_poll_at(), NOW + 5, "no interval: 5 s");
    http.post(DOME_DEFERRED, 400, r#"{"error":"issuance_pending","interval":1}"#);
    http.post(DOME_DEFERRED, 400, r#"{"error":"issuance_pending","interval":999999}"#);
    http.post(DOME_DEFERRED, 400, r#"{"error":"invalid_transaction_id"}"#);
    assert!(matches!(block_on(deferred.poll(&http, NOW + 5)).unwrap(), DeferredPoll::Pending { retry_at } if retry_at == NOW + 10), "at least 5 s");
    assert!(matches!(block_on(deferred.poll(&http, NOW + 10)).unwrap(), DeferredPoll::Pending { retry_at } if retry_at == NOW + 10 + 86400), "at most a day");
    let error = block_on(deferred.poll(&http, NOW + 10 + 86400)).unwrap_err();
    assert_eq!(error, IssuanceError::TransactionUnknown);
}

#[test]
fn dome_v16_c_nonce_in_the_token_proofs_with_proof_type_and_the_unsigned_202() {
    let (Some(offer), Some(responses)) = (read_shared("dome/profile/issuer-v1.6-credential-offer.json"), dome_responses()) else { return };
    let (Some(http), Some(token)) = (dome_issuer(), read_shared("dome/wallet-side/06-token-response.json")) else { return };
    let source = by_value(serde_json::from_str(&offer).unwrap());
    let offer = resolve(source, &http);
    assert_eq!(offer.tx_code().unwrap().description(), Some("A PIN has been sent to your email. Check your inbox. Enter your PIN Code."));
    let token = token.replace("eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.<...>", TOKEN);
    http.post(DOME_TOKEN, 200, token);
    let quirk = responses["v1.6_async_202_quirk"].to_string().replace("<uuid>", "t-16");
    http.answer(crate::core::ports::Method::Post, DOME_CREDENTIAL, Ok(HttpResponse { status: 202, content_type: None, body: quirk.into_bytes() }));
    http.clear_log();
    let issued = block_on(offer.accept(pin("1234"), &http, &SoftwareKeys::default(), NOW)).unwrap();
    assert_eq!(http.sent(), [format!("POST {DOME_TOKEN}"), format!("POST {DOME_CREDENTIAL}")]);
    let request = body(&http.requests()[1]);
    let proof = request["proofs"]["jwt"][0].as_str().unwrap();
    assert_eq!(
        request,
        json!({"format": "jwt_vc_json", "credential_definition": {"type": ["VerifiableCredential", "LEARCredentialEmployee"]}, "proofs": {"proof_type": "jwt", "jwt": [proof]}})
    );
    let (holder, claims) = check_proof(proof);
    assert_eq!(Value::Object(claims), json!({"aud": DOME, "iat": NOW, "exp": NOW + 300, "iss": holder.as_str(), "nonce": "fGFF7UkhLA"}));
    // The unsigned credential JSON is never taken for a credential.
    assert!(issued.ready.is_empty());
    assert_eq!(issued.deferred.len(), 1);
}

#[test]
fn dome_v16_immediate_answer_carries_the_next_c_nonce() {
    let Some(http) = dome_issuer() else { return };
    let offer = json!({
        "credential_issuer": DOME,
        "credential_configuration_ids": ["LEARCredentialEmployee", "LEARCredentialMachine"],
        "grants": {"urn:ietf:params:oauth:grant-type:pre-authorized_code": {"pre-authorized_code": "c"}},
    });
    let offer = resolve(by_value(offer), &http);
    http.post(DOME_TOKEN, 200, token_response(json!({"c_nonce": "n-1", "c_nonce_expires_in": 600})));
    http.post(DOME_CREDENTIAL, 200, json!({"credential": credential_jwt(), "c_nonce": "n-2", "c_nonce_expires_in": 600}).to_string());
    http.post(DOME_CREDENTIAL, 200, json!({"credential": credential_jwt()}).to_string());
    http.clear_log();
    let issued = block_on(offer.accept(None, &http, &SoftwareKeys::default(), NOW)).unwrap();
    assert_eq!(issued.ready.len(), 2);
    let sent = http.requests();
    assert_eq!(form(&sent[0]).len(), 2, "no PIN was asked for, none is sent");
    let nonce_of = |r: &HttpRequest| check_proof(body(r)["proofs"]["jwt"][0].as_str().unwrap()).1["nonce"].clone();
    assert_eq!((nonce_of(&sent[1]), nonce_of(&sent[2])), (json!("n-1"), json!("n-2")));
    // A fresh key per credential.
    assert_ne!(issued.ready[0].holder, issued.ready[1].holder);
}

#[test]
fn legacy_user_pin_is_sent_as_user_pin() {
    let Some(http) = dome_issuer() else { return };
    let offer = json!({
        "credential_issuer": DOME,
        "credential_configuration_ids": ["LEARCredentialEmployee"],
        "grants": {"urn:ietf:params:oauth:grant-type:pre-authorized_code": {"pre-authorized_code": "c", "user_pin_required": true}},
    });
    let offer = resolve(by_value(offer), &http);
    http.post(DOME_TOKEN, 200, token_response(json!({})));
    http.post(DOME_CREDENTIAL, 200, json!({"credential": credential_jwt()}).to_string());
    block_on(offer.accept(pin("1234"), &http, &SoftwareKeys::default(), NOW)).unwrap();
    let token_request = http.requests().into_iter().find(|r| r.url.as_str() == DOME_TOKEN).unwrap();
    assert_eq!(form(&token_request).last().unwrap(), &("user_pin".to_owned(), "1234".to_owned()));
}

#[test]
fn dome_credential_errors_are_refusals_with_their_problem_type() {
    for (status, problem) in [(404, "invalid_or_missing_proof"), (500, "proof_validation_error")] {
        let Some((http, source)) = dome_v22() else { return };
        let offer = resolve(source, &http);
        http.clear_log();
        http.post(DOME_TOKEN, 200, token_response(json!({})));
        http.post(DOME_CREDENTIAL, status, json!({"type": problem, "title": "Invalid proof", "status": status, "detail": "d", "instance": "x"}).to_string());
        let error = block_on(offer.accept(pin("1234"), &http, &SoftwareKeys::default(), NOW)).unwrap_err();
        assert!(matches!(&error, IssuanceError::Refused { step: Step::Credential, status: s, code: Some(c), .. } if *s == status && c == problem), "{error:?}");
        let error = Error::from(error);
        assert!(error
            .user_message()
            .en()
            .starts_with("The issuer refused the request."));
        assert_eq!(error.user_detail(), Some(problem));
        assert_eq!(http.sent(), [format!("POST {DOME_TOKEN}"), format!("POST {DOME_CREDENTIAL}")], "no retry without a nonce problem");
    }
}

#[test]
fn credentials_without_key_binding_get_no_proof() {
    let Some(http) = dome_issuer() else { return };
    let offer = json!({
        "credential_issuer": DOME,
        "credential_configuration_ids": ["gx:LabelCredential"],
        "grants": {"urn:ietf:params:oauth:grant-type:pre-authorized_code": {"pre-authorized_code": "c"}},
    });
    let offer = resolve(by_value(offer), &http);
    http.post(DOME_TOKEN, 200, token_response(json!({})));
    http.post(DOME_CREDENTIAL, 200, json!({"credentials": [{"credential": credential_jwt()}]}).to_string());
    let issued = block_on(offer.accept(None, &http, &SoftwareKeys::default(), NOW)).unwrap();
    assert_eq!(body(&http.requests()[4]), json!({"credential_configuration_id": "gx:LabelCredential", "format": "jwt_vc_json"}));
    assert_eq!(issued.ready[0].holder, None);
    assert!(issued.ready[0].notification.is_none(), "no notification_id in the answer");
}

// ---- OpenID4VCI 1.0, shaped like Credo: issuer with a path, suffix-form metadata, nonce endpoint.

const V1: &str = "https://issuer.example.com/tenant";
const V1_MD_INSERTED: &str = "https://issuer.example.com/.well-known/openid-credential-issuer/tenant";
const V1_MD_SUFFIX: &str = "https://issuer.example.com/tenant/.well-known/openid-credential-issuer";
const V1_AS_INSERTED: &str = "https://issuer.example.com/.well-known/oauth-authorization-server/tenant";
const V1_AS_SUFFIX: &str = "https://issuer.example.com/tenant/.well-known/oauth-authorization-server";
const V1_TOKEN: &str = "https://issuer.example.com/tenant/token";
const V1_NONCE: &str = "https://issuer.example.com/tenant/nonce";
const V1_CREDENTIAL: &str = "https://issuer.example.com/tenant/credential";
const V1_NOTIFICATION: &str = "https://issuer.example.com/tenant/notification";

fn v1_metadata() -> Value {
    json!({
        "credential_issuer": V1,
        "credential_endpoint": V1_CREDENTIAL,
        "nonce_endpoint": V1_NONCE,
        "deferred_credential_endpoint": "https://issuer.example.com/tenant/deferred",
        "notification_endpoint": V1_NOTIFICATION,
        "display": [{"name": "Example University", "locale": "en"}, {"name": "Universidad de Ejemplo", "locale": "es"}],
        "credential_configurations_supported": {
            "UniversityDegree": {
                "format": "jwt_vc_json",
                "cryptographic_binding_methods_supported": ["did:key"],
                "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ["ES256", "EdDSA"]}},
                "credential_definition": {"type": ["VerifiableCredential", "UniversityDegreeCredential"]},
                "credential_metadata": {"display": [{"name": "University Degree", "locale": "en"}]},
            },
        },
    })
}

fn v1_offer(tx_code: Value) -> Value {
    json!({
        "credential_issuer": V1,
        "credential_configuration_ids": ["UniversityDegree"],
        "grants": {"urn:ietf:params:oauth:grant-type:pre-authorized_code": {"pre-authorized_code": "code-1", "tx_code": tx_code}},
    })
}

fn v1_issuer() -> MockHttp {
    let http = MockHttp::new();
    http.get(V1_MD_INSERTED, 404, "Not Found")
        .get(V1_MD_SUFFIX, 200, v1_metadata().to_string())
        .get(V1_AS_INSERTED, 404, "")
        .get(V1_AS_SUFFIX, 200, json!({"issuer": V1, "token_endpoint": V1_TOKEN}).to_string());
    http
}

#[test]
fn v1_flow_with_nonce_endpoint_identifiers_and_notification() {
    let http = v1_issuer();
    let offer = resolve(by_value(v1_offer(json!({"length": 6, "input_mode": "text", "description": "Check your SMS"}))), &http);
    assert_eq!(http.sent(), [format!("GET {V1_MD_INSERTED}"), format!("GET {V1_MD_SUFFIX}"), format!("GET {V1_AS_INSERTED}"), format!("GET {V1_AS_SUFFIX}")]);
    assert_eq!(offer.issuer_name("es-ES"), "Universidad de Ejemplo");
    assert_eq!(offer.credentials().next().unwrap().1.name_for("en"), "University Degree");
    assert_eq!(offer.tx_code().unwrap().description(), Some("Check your SMS"));

    http.clear_log();
    let details = json!([{"type": "openid_credential", "credential_configuration_id": "UniversityDegree", "credential_identifiers": ["degree-2024"]}]);
    http.post(V1_TOKEN, 200, token_response(json!({"token_type": "Bearer", "c_nonce": "from-token", "authorization_details": details})));
    http.post(V1_NONCE, 200, r#"{"c_nonce":"n-1","c_nonce_expires_in":60}"#);
    http.post(V1_CREDENTIAL, 200, json!({"credentials": [{"credential": credential_jwt()}], "notification_id": "note-1"}).to_string());
    let issued = block_on(offer.accept(pin("ab12cd"), &http, &SoftwareKeys::default(), NOW)).unwrap();
    assert_eq!(http.sent(), [format!("POST {V1_TOKEN}"), format!("POST {V1_NONCE}"), format!("POST {V1_CREDENTIAL}")]);
    let sent = http.requests();
    assert!(sent[1].headers.is_empty() && sent[1].body.is_none(), "the nonce request carries nothing");
    let request = body(&sent[2]);
    let proof = request["proofs"]["jwt"][0].as_str().unwrap();
    assert_eq!(request, json!({"credential_identifier": "degree-2024", "proofs": {"jwt": [proof]}}));
    let (holder, claims) = check_proof(proof);
    assert_eq!(Value::Object(claims), json!({"aud": V1, "iat": NOW, "nonce": "n-1"}), "1.0: no iss with anonymous pre-authorized access");
    assert_eq!(issued.ready[0].holder.as_ref(), Some(&holder));

    http.clear_log();
    http.post(V1_NOTIFICATION, 204, "");
    block_on(notify(&http, issued.ready[0].notification.as_ref().unwrap(), NotificationEvent::Deleted)).unwrap();
    assert_eq!(body(&http.requests()[0]), json!({"notification_id": "note-1", "event": "credential_deleted"}));
    http.post(V1_NOTIFICATION, 400, r#"{"error":"invalid_notification_id"}"#);
    let error = block_on(notify(&http, issued.ready[0].notification.as_ref().unwrap(), NotificationEvent::Failure)).unwrap_err();
    assert!(matches!(error, IssuanceError::Refused { step: Step::Notification, status: 400, .. }));
}

#[test]
fn invalid_nonce_is_retried_once_with_a_fresh_nonce() {
    let http = v1_issuer();
    let offer = resolve(by_value(v1_offer(Value::Null)), &http);
    http.clear_log();
    http.post(V1_TOKEN, 200, token_response(json!({})));
    http.post(V1_NONCE, 200, r#"{"c_nonce":"n-1"}"#).post(V1_NONCE, 200, r#"{"c_nonce":"n-2"}"#);
    http.post(V1_CREDENTIAL, 400, r#"{"error":"invalid_nonce"}"#);
    http.post(V1_CREDENTIAL, 200, json!({"credentials": [{"credential": credential_jwt()}]}).to_string());
    let issued = block_on(offer.accept(None, &http, &SoftwareKeys::default(), NOW)).unwrap();
    assert_eq!(issued.ready.len(), 1);
    assert_eq!(
        http.sent(),
        [format!("POST {V1_TOKEN}"), format!("POST {V1_NONCE}"), format!("POST {V1_CREDENTIAL}"), format!("POST {V1_NONCE}"), format!("POST {V1_CREDENTIAL}")]
    );
    let sent = http.requests();
    let (first_key, first) = check_proof(body(&sent[2])["proofs"]["jwt"][0].as_str().unwrap());
    let (second_key, second) = check_proof(body(&sent[4])["proofs"]["jwt"][0].as_str().unwrap());
    assert_eq!((first["nonce"].as_str(), second["nonce"].as_str()), (Some("n-1"), Some("n-2")));
    assert_eq!(first_key, second_key, "the retry proves the same key");

    // Only once.
    let http = v1_issuer();
    let offer = resolve(by_value(v1_offer(Value::Null)), &http);
    http.clear_log();
    http.post(V1_TOKEN, 200, token_response(json!({})));
    http.post(V1_NONCE, 200, r#"{"c_nonce":"n-1"}"#).post(V1_NONCE, 200, r#"{"c_nonce":"n-2"}"#);
    http.post(V1_CREDENTIAL, 400, r#"{"error":"invalid_nonce"}"#).post(V1_CREDENTIAL, 400, r#"{"error":"invalid_nonce"}"#);
    let error = block_on(offer.accept(None, &http, &SoftwareKeys::default(), NOW)).unwrap_err();
    assert!(matches!(error, IssuanceError::Refused { code: Some(ref c), .. } if c == "invalid_nonce"));
    assert_eq!(http.sent().len(), 5);
}

#[test]
fn draft13_invalid_proof_with_a_fresh_c_nonce_is_retried() {
    let Some((http, source)) = dome_v22() else { return };
    let offer = resolve(source, &http);
    http.clear_log();
    http.post(DOME_TOKEN, 200, token_response(json!({})));
    http.post(DOME_CREDENTIAL, 400, r#"{"error":"invalid_proof","c_nonce":"fresh","c_nonce_expires_in":86400}"#);
    http.post(DOME_CREDENTIAL, 200, json!({"credential": credential_jwt()}).to_string());
    block_on(offer.accept(pin("1234"), &http, &SoftwareKeys::default(), NOW)).unwrap();
    let sent = http.requests();
    let (_, first) = check_proof(body(&sent[1])["proof"]["jwt"].as_str().unwrap());
    let (_, second) = check_proof(body(&sent[2])["proof"]["jwt"].as_str().unwrap());
    assert_eq!((first.get("nonce"), second["nonce"].as_str()), (None, Some("fresh")));
}

#[test]
fn an_authorization_server_elsewhere_is_discovered_after_the_metadata() {
    let http = MockHttp::new();
    let mut md = v1_metadata();
    md["authorization_servers"] = json!(["https://as.example.com"]);
    http.get(V1_MD_INSERTED, 200, md.to_string());
    http.get("https://as.example.com/.well-known/oauth-authorization-server", 200, json!({"issuer": "https://as.example.com", "token_endpoint": "https://as.example.com/token"}).to_string());
    let offer = resolve(by_value(v1_offer(Value::Null)), &http);
    assert_eq!(offer.authorization_server().token_endpoint().as_str(), "https://as.example.com/token");
    assert_eq!(
        http.sent(),
        [
            format!("GET {V1_MD_INSERTED}"),
            // The presumed AS (the issuer itself), asked at the same time, answered nothing useful.
            format!("GET {V1_AS_INSERTED}"),
            format!("GET {V1_AS_SUFFIX}"),
            "GET https://issuer.example.com/tenant/.well-known/openid-configuration".to_owned(),
            "GET https://as.example.com/.well-known/oauth-authorization-server".to_owned(),
        ]
    );
    // An offer naming an AS the issuer does not list is refused.
    let mut unlisted = v1_offer(Value::Null);
    unlisted["grants"]["urn:ietf:params:oauth:grant-type:pre-authorized_code"]["authorization_server"] = json!("https://evil.example");
    http.get(V1_MD_INSERTED, 200, md.to_string());
    let error = block_on(by_value(unlisted).resolve(&http)).unwrap_err();
    assert!(matches!(error, IssuanceError::Metadata { error: MetadataError::UnlistedAuthorizationServer(_), .. }), "{error:?}");
}

#[test]
fn partial_failure_keeps_what_was_issued() {
    let mut md = v1_metadata();
    md["credential_configurations_supported"]["Transcript"] = md["credential_configurations_supported"]["UniversityDegree"].clone();
    let mut offer = v1_offer(Value::Null);
    offer["credential_configuration_ids"] = json!(["UniversityDegree", "Transcript"]);
    let http = MockHttp::new();
    http.get(V1_MD_INSERTED, 200, md.to_string()).get(V1_AS_INSERTED, 200, json!({"issuer": V1, "token_endpoint": V1_TOKEN}).to_string());
    let offer = resolve(by_value(offer), &http);
    http.post(V1_TOKEN, 200, token_response(json!({})));
    http.post(V1_NONCE, 200, r#"{"c_nonce":"n-1"}"#).post(V1_NONCE, 200, r#"{"c_nonce":"n-2"}"#);
    http.post(V1_CREDENTIAL, 200, json!({"credentials": [{"credential": credential_jwt()}]}).to_string());
    http.post(V1_CREDENTIAL, 400, r#"{"error":"credential_request_denied"}"#);
    let issued = block_on(offer.accept(None, &http, &SoftwareKeys::default(), NOW)).unwrap();
    assert_eq!((issued.ready.len(), issued.failed.len()), (1, 1));
    assert_eq!(issued.failed[0].0, "Transcript");
    assert!(matches!(&issued.failed[0].1, IssuanceError::Refused { code: Some(c), .. } if c == "credential_request_denied"));
}

// ---- Hostile or broken peers: each gives its error and nothing further is sent.

fn dome_source_with_offer(status: u16, offer: &str) -> Option<(MockHttp, OfferSource)> {
    let http = MockHttp::new();
    http.get(DOME_OFFER, status, offer);
    Some((http, offer_source(&dome_link()?)))
}

#[test]
fn offer_url_answers() {
    for status in [404, 410, 400] {
        let Some((http, source)) = dome_source_with_offer(status, r#"{"type":"not_found"}"#) else { return };
        let error = block_on(source.resolve(&http)).unwrap_err();
        assert_eq!(
            error,
            IssuanceError::OfferExpired {
                step: Step::Offer,
                status
            }
        );
        assert_eq!(
            Error::from(error).user_message().en(),
            "This offer was already used or has expired: ask your issuer for a new one."
        );
        assert_eq!(http.sent(), [format!("GET {DOME_OFFER}")]);
    }
    let Some((http, source)) = dome_source_with_offer(200, "<html>login</html>") else { return };
    let error = block_on(source.resolve(&http)).unwrap_err();
    assert!(matches!(
        error,
        IssuanceError::Offer(OfferError::NotJson(_))
    ));
    assert!(Error::from(error)
        .user_message()
        .en()
        .starts_with("This offer is not valid: "));
    assert_eq!(http.sent().len(), 1);

    let Some((http, source)) = dome_source_with_offer(200, &" ".repeat(offer::MAX_OFFER_BYTES + 1)) else { return };
    assert!(matches!(block_on(source.resolve(&http)), Err(IssuanceError::Network { step: Step::Offer, error: crate::core::error::NetworkError::TooLarge { .. } })));

    let Some((http, source)) = dome_source_with_offer(503, "") else { return };
    assert!(matches!(block_on(source.resolve(&http)), Err(IssuanceError::Refused { step: Step::Offer, status: 503, .. })));

    // Unreachable (offline or CORS).
    let Some(link) = dome_link() else { return };
    let http = MockHttp::new();
    let error = block_on(offer_source(&link).resolve(&http)).unwrap_err();
    assert!(Error::from(error)
        .user_message()
        .en()
        .starts_with("The issuer could not be reached."));
}

#[test]
fn metadata_for_another_issuer_or_pointing_elsewhere_is_refused() {
    let mut other = v1_metadata();
    other["credential_issuer"] = json!("https://evil.example.com/tenant");
    let mut foreign = v1_metadata();
    foreign["credential_endpoint"] = json!("https://evil.example.com/credential");
    let mut unknown = v1_metadata();
    unknown["credential_configurations_supported"] = json!({"Other": {"format": "jwt_vc_json"}});
    let mut sd_jwt = v1_metadata();
    sd_jwt["credential_configurations_supported"]["UniversityDegree"]["format"] = json!("dc+sd-jwt");
    for (md, check) in [
        (other, &(|e: &IssuanceError| matches!(e, IssuanceError::Metadata { error: MetadataError::IssuerMismatch { .. }, .. })) as &dyn Fn(&IssuanceError) -> bool),
        (foreign, &|e| matches!(e, IssuanceError::Metadata { error: MetadataError::ForeignEndpoint { field: "credential_endpoint", .. }, .. })),
        (unknown, &|e| matches!(e, IssuanceError::Metadata { error: MetadataError::UnknownConfiguration(_), .. })),
        (sd_jwt, &|e| matches!(e, IssuanceError::UnsupportedCredential { .. })),
    ] {
        let http = MockHttp::new();
        http.get(V1_MD_INSERTED, 200, md.to_string()).get(V1_AS_INSERTED, 200, json!({"issuer": V1, "token_endpoint": V1_TOKEN}).to_string());
        let error = block_on(by_value(v1_offer(Value::Null)).resolve(&http)).unwrap_err();
        assert!(check(&error), "{error:?}");
        // The AS metadata was asked at the same time; nothing after.
        assert_eq!(http.sent(), [format!("GET {V1_MD_INSERTED}"), format!("GET {V1_AS_INSERTED}")]);
    }

    // A token endpoint on another origin than its authorization server.
    let http = MockHttp::new();
    http.get(V1_MD_INSERTED, 200, v1_metadata().to_string())
        .get(V1_AS_INSERTED, 200, json!({"issuer": V1, "token_endpoint": "https://evil.example/token"}).to_string());
    let error = block_on(by_value(v1_offer(Value::Null)).resolve(&http)).unwrap_err();
    assert!(matches!(error, IssuanceError::Metadata { step: Step::AuthorizationServer, error: MetadataError::ForeignEndpoint { .. } }), "{error:?}");

    // No metadata anywhere.
    let http = MockHttp::new();
    for url in [V1_MD_INSERTED, V1_MD_SUFFIX] {
        http.get(url, 404, "");
    }
    let error = block_on(by_value(v1_offer(Value::Null)).resolve(&http)).unwrap_err();
    assert_eq!(error, IssuanceError::MetadataNotFound { step: Step::IssuerMetadata, status: 404 });
    // An authorization server with no metadata.
    let http = MockHttp::new();
    http.get(V1_MD_INSERTED, 200, v1_metadata().to_string());
    let error = block_on(by_value(v1_offer(Value::Null)).resolve(&http)).unwrap_err();
    assert!(matches!(error, IssuanceError::Network { step: Step::AuthorizationServer, .. }), "{error:?}");
}

#[test]
fn oversized_or_unreadable_metadata() {
    // Too large: refused at once, the other form is not tried.
    let http = MockHttp::new();
    http.get(V1_MD_INSERTED, 200, vec![b' '; metadata::MAX_ISSUER_METADATA_BYTES + 1]);
    let error = block_on(by_value(v1_offer(Value::Null)).resolve(&http)).unwrap_err();
    assert!(matches!(error, IssuanceError::Network { step: Step::IssuerMetadata, error: crate::core::error::NetworkError::TooLarge { .. } }), "{error:?}");
    assert_eq!(http.sent(), [format!("GET {V1_MD_INSERTED}"), format!("GET {V1_AS_INSERTED}"), format!("GET {V1_AS_SUFFIX}"), format!("GET {V1}/.well-known/openid-configuration")]);
    // Not JSON in either form (a web app answering 200 with its index page).
    let http = MockHttp::new();
    http.get(V1_MD_INSERTED, 200, "<!doctype html>").get(V1_MD_SUFFIX, 200, "<!doctype html>");
    let error = block_on(by_value(v1_offer(Value::Null)).resolve(&http)).unwrap_err();
    assert!(matches!(error, IssuanceError::BadResponse { step: Step::IssuerMetadata, .. }), "{error:?}");
    // Missing fields.
    let http = MockHttp::new();
    http.get(V1_MD_INSERTED, 200, json!({"credential_issuer": V1, "credential_endpoint": V1_CREDENTIAL}).to_string());
    let error = block_on(by_value(v1_offer(Value::Null)).resolve(&http)).unwrap_err();
    assert_eq!(error, IssuanceError::Metadata { step: Step::IssuerMetadata, error: MetadataError::Missing("credential_configurations_supported") });
    // An oversized token answer.
    let http = v1_issuer();
    let offer = resolve(by_value(v1_offer(Value::Null)), &http);
    http.post(V1_TOKEN, 200, vec![b' '; messages::MAX_TOKEN_RESPONSE_BYTES + 1]);
    let error = block_on(offer.accept(None, &http, &SoftwareKeys::default(), NOW)).unwrap_err();
    assert!(matches!(error, IssuanceError::Network { step: Step::Token, error: crate::core::error::NetworkError::TooLarge { .. } }));
}

#[test]
fn pins_are_checked_before_anything_is_sent() {
    let http = v1_issuer();
    let offer = resolve(by_value(v1_offer(json!({"length": 4}))), &http);
    http.clear_log();
    let keys = SoftwareKeys::default();
    assert_eq!(block_on(offer.accept(None, &http, &keys, NOW)).unwrap_err(), IssuanceError::TxCodeRequired);
    assert_eq!(block_on(offer.accept(pin("12a4"), &http, &keys, NOW)).unwrap_err(), IssuanceError::TxCodeInvalid(TxCodeError::NotNumeric));
    assert!(matches!(block_on(offer.accept(pin("123"), &http, &keys, NOW)), Err(IssuanceError::TxCodeInvalid(TxCodeError::WrongLength { .. }))));
    assert!(http.sent().is_empty());
}

#[test]
fn token_answers_that_stop_the_flow() {
    for (status, answer, check) in [
        (200, r#"{"token_type":"bearer"}"#.to_owned(), &(|e: &IssuanceError| matches!(e, IssuanceError::BadResponse { step: Step::Token, .. })) as &dyn Fn(&IssuanceError) -> bool),
        (200, r#"{"access_token":"t","token_type":"DPoP"}"#.to_owned(), &|e| *e == IssuanceError::DpopRequired),
        (200, "not json".to_owned(), &|e| matches!(e, IssuanceError::BadResponse { .. })),
        (400, r#"{"error":"invalid_grant"}"#.to_owned(), &|e| matches!(e, IssuanceError::OfferExpired { step: Step::Token, status: 400 })),
        (401, r#"{"error":"invalid_client"}"#.to_owned(), &|e| matches!(e, IssuanceError::Refused { step: Step::Token, .. })),
        (500, "".to_owned(), &|e| matches!(e, IssuanceError::Refused { step: Step::Token, status: 500, .. })),
    ] {
        let http = v1_issuer();
        let offer = resolve(by_value(v1_offer(Value::Null)), &http);
        http.clear_log();
        http.post(V1_TOKEN, status, answer);
        let error = block_on(offer.accept(pin("1234"), &http, &SoftwareKeys::default(), NOW)).unwrap_err();
        assert!(check(&error), "{error:?}");
        assert_eq!(http.sent(), [format!("POST {V1_TOKEN}")], "the PIN of an offer without tx_code is not sent either");
        assert_eq!(form(&http.requests()[0]).len(), 2);
    }
}

#[test]
fn credential_answers_that_stop_the_flow() {
    for (status, answer) in [
        (200, "not json".to_owned()),
        (200, json!({"credentials": [{"credential": "not.a.jwt"}]}).to_string()),
        (200, json!({"credentials": [{"credential": {"doctype": "x"}}]}).to_string()),
        (200, json!({"format": "jwt_vc_json"}).to_string()),
        (202, json!({"interval": 5}).to_string()),
    ] {
        let http = v1_issuer();
        let offer = resolve(by_value(v1_offer(Value::Null)), &http);
        http.clear_log();
        http.post(V1_TOKEN, 200, token_response(json!({})));
        http.post(V1_NONCE, 200, r#"{"c_nonce":"n"}"#);
        http.answer(crate::core::ports::Method::Post, V1_CREDENTIAL, Ok(HttpResponse { status, content_type: None, body: answer.clone().into_bytes() }));
        let error = block_on(offer.accept(None, &http, &SoftwareKeys::default(), NOW)).unwrap_err();
        assert!(matches!(error, IssuanceError::BadResponse { step: Step::Credential, .. }), "{answer}: {error:?}");
        assert_eq!(http.sent().len(), 3);
    }
    // A nonce endpoint that answers garbage.
    let http = v1_issuer();
    let offer = resolve(by_value(v1_offer(Value::Null)), &http);
    http.clear_log();
    http.post(V1_TOKEN, 200, token_response(json!({})));
    http.post(V1_NONCE, 200, r#"{"nonce":"x"}"#);
    let error = block_on(offer.accept(None, &http, &SoftwareKeys::default(), NOW)).unwrap_err();
    assert!(matches!(error, IssuanceError::BadResponse { step: Step::Nonce, .. }));
    assert_eq!(http.sent().len(), 2);
}

#[test]
fn the_offer_url_must_be_https() {
    let http = MockHttp::new();
    let link = "openid-credential-offer://?credential_offer_uri=http%3A%2F%2Fissuer.example.com%2Foffer%2F1";
    let error = Invocation::parse(link, None).unwrap_err();
    assert_eq!(
        Error::from(error).user_message().en(),
        "This offer is not valid: its address is not a secure (https) address."
    );
    assert!(http.sent().is_empty());
    assert!(PeerUrl::parse("http://issuer.example.com").is_err());
}
