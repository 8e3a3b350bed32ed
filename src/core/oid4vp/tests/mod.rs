//! Whole-flow tests of OpenID4VP: verifiers sign request objects natively, a mock HTTP client
//! serves them and records every request the wallet makes, and the wallet's answers are decoded
//! (and decrypted) as the verifier would.
//!
//! - `dome`: DOME's verifier (scope, `client_id_scheme: did:key`, base64url `vp_token`).
//! - `final_1_0`: OpenID4VP 1.0 with DCQL and each client identifier prefix.
//! - `legacy`: draft 24 (bare DID) and draft 21 (`client_id_scheme`, Presentation Exchange).
//! - `hostile`: requests that must be refused without sending anything.
//!
//! What each request style is tested with (the interoperability table):
//!
//! | request style | client identifier | query | response mode | test |
//! |---|---|---|---|---|
//! | DOME verifier v2.0, `request_uri` GET | `client_id_scheme: did:key`, bare `kid` | `scope` | `direct_post`, base64url `vp_token` | `dome::dome_request_is_verified_and_answered_with_a_base64url_vp_token` |
//! | DOME wallet fixture 11 | `client_id_scheme: did` | `scope` | `direct_post` to loopback http | `dome::dome_wallet_fixture_11_shape_…` |
//! | 1.0 (Credo v1), `request_uri` GET | `decentralized_identifier:did:key` | DCQL | `direct_post.jwt` A128GCM | `final_1_0::decentralized_identifier_did_key_…` |
//! | 1.0, `request` by value | `x509_san_dns` (x5c leaf + CA) | DCQL | `direct_post` | `final_1_0::x509_san_dns_by_value_…` |
//! | 1.0 on loopback (Credo) | `x509_san_dns:127.0.0.1` | DCQL | `direct_post` | `final_1_0::x509_san_dns_on_loopback_…` |
//! | 1.0, `request_uri_method=post` | `x509_hash` | DCQL | `direct_post` | `final_1_0::x509_hash_with_request_uri_method_post_…` |
//! | 1.0, plain parameters | `redirect_uri` (unverified) | DCQL | `direct_post` | `final_1_0::redirect_uri_as_plain_parameters_…` |
//! | 1.0, `request_uri` GET | `decentralized_identifier:did:web` | DCQL | `direct_post` | `final_1_0::did_web_is_resolved_over_https` |
//! | draft 24 (Credo v1.draft24) | bare `did:key` | DCQL (one VP per id) / PE | `direct_post` | `legacy::draft_24_…` |
//! | draft 21 (Credo v1.draft21) | `client_id_scheme: did` | PE | `direct_post.jwt` A256GCM | `legacy::draft_21_client_id_scheme_did_…` |
//! | draft 21 | `client_id_scheme` `x509_san_dns` / `redirect_uri` | PE | `direct_post` | `legacy::draft_21_x509_san_dns_and_redirect_uri_…` |

mod dome;
mod final_1_0;
mod hostile;
mod legacy;

use std::cell::RefCell;

use p256::ecdsa::signature::Signer as _;
use p256::pkcs8::DecodePrivateKey;
use serde_json::{json, Map, Value};

use super::jwe::native::NativeJwe;
use super::query::{Candidate, Choice};
use super::request::{AuthorizationRequest, VerifiedRequest};
use super::response::{Outcome, PreparedResponse};
use super::PresentationError;
use crate::core::credential::test_support::{compact, Seal};
use crate::core::did_key::DidKey;
use crate::core::encoding::b64url_encode;
use crate::core::error::NetworkError;
use crate::core::jws::Jws;
use crate::core::native::{NativeCrypto, SoftwareKeys};
use crate::core::ports::{HolderKeys, HttpClient, HttpRequest, HttpResponse, Method, VerifyingKey};
use crate::core::testing::block_on;
use crate::core::url;

/// "Now" in every test: 2027-01-15, inside the test certificates' validity.
pub const NOW: i64 = 1_800_000_000;
pub const REQUEST_URI: &str = "https://verifier.example.org/request/8854ac25";
pub const RESPONSE_URI: &str = "https://verifier.example.org/post";
pub const NONCE: &str = "n-0S6_WzA2Mj";
pub const STATE: &str = "eyJhb-6sVA";

pub const LEAF_CERT: &[u8] = include_bytes!("../../tests/fixtures/oid4vp/verifier-leaf.der");
pub const LEAF_KEY: &[u8] = include_bytes!("../../tests/fixtures/oid4vp/verifier-leaf.pk8");
pub const CA_CERT: &[u8] = include_bytes!("../../tests/fixtures/oid4vp/verifier-ca.der");
pub const ROGUE_CA_CERT: &[u8] = include_bytes!("../../tests/fixtures/oid4vp/verifier-rogue-ca.der");

/// An HTTP client that answers from a fixed table and remembers everything it was asked.
#[derive(Default)]
pub struct MockHttp {
    routes: RefCell<Vec<(Method, String, HttpResponse)>>,
    sent: RefCell<Vec<HttpRequest>>,
}

impl MockHttp {
    pub fn on(self, method: Method, url: &str, status: u16, body: impl Into<Vec<u8>>) -> Self {
        self.routes.borrow_mut().push((
            method,
            url.to_owned(),
            HttpResponse { status, content_type: None, body: body.into() },
        ));
        self
    }

    /// Serves `object` as the request object at [`REQUEST_URI`].
    pub fn serving(object: &str) -> Self {
        Self::default().on(Method::Get, REQUEST_URI, 200, object.as_bytes().to_vec())
    }

    pub fn sent(&self) -> Vec<HttpRequest> {
        self.sent.borrow().clone()
    }

    /// Only the request object was fetched: nothing was sent anywhere.
    pub fn assert_only_fetched(&self) {
        let sent = self.sent();
        assert_eq!(sent.len(), 1, "expected only the request fetch, got {sent:#?}");
        assert_eq!((sent[0].method, sent[0].url.as_str()), (Method::Get, REQUEST_URI));
    }
}

impl HttpClient for MockHttp {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, NetworkError> {
        let key = (request.method, request.url.to_string());
        self.sent.borrow_mut().push(request);
        let routes = self.routes.borrow();
        Ok(routes
            .iter()
            .find(|(m, u, _)| (*m, u.as_str()) == (key.0, key.1.as_str()))
            .map(|(_, _, r)| r.clone())
            .unwrap_or(HttpResponse { status: 404, content_type: None, body: Vec::new() }))
    }
}

/// A verifier's P-256 signing key.
pub struct VerifierKey(pub p256::ecdsa::SigningKey);

impl VerifierKey {
    pub fn random() -> Self {
        Self(p256::ecdsa::SigningKey::random(&mut rand_core::OsRng))
    }

    /// The key of the test certificate `verifier-leaf.der`.
    pub fn leaf() -> Self {
        Self(p256::SecretKey::from_pkcs8_der(LEAF_KEY).unwrap().into())
    }

    pub fn did(&self) -> DidKey {
        DidKey::from_sec1(self.0.verifying_key().to_encoded_point(false).as_bytes()).unwrap()
    }

    pub fn jwk(&self) -> Value {
        let point = self.0.verifying_key().to_encoded_point(false);
        json!({"kty": "EC", "crv": "P-256", "x": b64url_encode(point.x().unwrap()), "y": b64url_encode(point.y().unwrap())})
    }

    pub fn sign(&self, header: &Value, claims: &Value) -> String {
        compact(header, claims, |input| {
            let signature: p256::ecdsa::Signature = self.0.sign(input);
            signature.to_bytes().to_vec()
        })
    }
}

pub fn x5c(certs: &[&[u8]]) -> Value {
    use base64ct::Encoding;
    Value::from(certs.iter().map(|c| base64ct::Base64::encode_string(c)).collect::<Vec<_>>())
}

/// The claims of a 1.0 request object for `client_id` asking `dcql_query`, with `changes`
/// merged in (a `null` removes a claim).
pub fn claims(client_id: &str, changes: Value) -> Value {
    let mut base = json!({
        "client_id": client_id,
        "response_type": "vp_token",
        "response_mode": "direct_post",
        "response_uri": RESPONSE_URI,
        "nonce": NONCE,
        "state": STATE,
        "aud": "https://self-issued.me/v2",
        "iat": NOW - 5,
        "exp": NOW + 300,
        "dcql_query": lear_dcql(),
    });
    merge(&mut base, changes);
    base
}

pub fn merge(base: &mut Value, changes: Value) {
    if let (Some(map), Value::Object(changes)) = (base.as_object_mut(), changes) {
        for (k, v) in changes {
            if v.is_null() {
                map.remove(&k);
            } else {
                map.insert(k, v);
            }
        }
    }
}

pub fn lear_dcql() -> Value {
    json!({"credentials": [{"id": "lear", "format": "jwt_vc_json",
        "meta": {"type_values": [["VerifiableCredential", "LEARCredentialEmployee"]]},
        "claims": [{"path": ["credentialSubject", "mandate", "mandatee", "email"]}]}]})
}

/// The link's query pairs.
pub fn link(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

pub fn by_reference(client_id: &str) -> Vec<(String, String)> {
    link(&[("client_id", client_id), ("request_uri", REQUEST_URI)])
}

pub fn verify(params: &[(String, String)], http: &MockHttp) -> Result<VerifiedRequest, PresentationError> {
    block_on(AuthorizationRequest::from_link_params(params, http, &NativeCrypto, NOW))
}

/// Serves `object` and verifies the request that points to it.
pub fn fetch_and_verify(client_id: &str, object: &str) -> (MockHttp, Result<VerifiedRequest, PresentationError>) {
    let http = MockHttp::serving(object);
    let result = verify(&by_reference(client_id), &http);
    (http, result)
}

/// A credential in the wallet.
pub struct Held {
    pub id: String,
    pub types: Vec<String>,
    pub payload: Value,
    pub jwt: String,
    pub holder: DidKey,
}

/// The wallet: its keys and credentials.
#[derive(Default)]
pub struct Wallet {
    pub keys: SoftwareKeys,
    pub held: Vec<Held>,
}

impl Wallet {
    /// A wallet holding one LEARCredentialEmployee (JAdES RS256, as DOME issues it) bound to a new key.
    pub fn with_lear() -> Self {
        let mut wallet = Self::default();
        let holder = block_on(wallet.keys.create_key()).unwrap();
        wallet.issue("lear-1", &holder, "LEARCredentialEmployee", Seal::rs256());
        wallet
    }

    pub fn issue(&mut self, id: &str, holder: &DidKey, credential_type: &str, seal: Seal) -> &Held {
        let types = vec!["VerifiableCredential".to_string(), credential_type.to_string()];
        let payload = json!({
            "iss": "did:elsi:VATES-B60645900", "sub": holder.as_str(), "jti": format!("urn:uuid:{id}"),
            "nbf": NOW - 86_400, "iat": NOW - 86_400, "exp": NOW + 86_400 * 365,
            "vc": {
                "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.dome-marketplace.eu/2025/credentials/learcredentialemployee/v2"],
                "id": format!("urn:uuid:{id}"),
                "type": types,
                "issuer": {"id": "did:elsi:VATES-B60645900"},
                "credentialSubject": {"mandate": {
                    "mandatee": {"id": holder.as_str(), "firstName": "Ana", "lastName": "García", "email": "ana@example.org"},
                    "mandator": {"organizationIdentifier": "VATES-B60645900", "organization": "IN2"},
                    "power": [{"type": "Domain", "domain": "DOME", "function": "Onboarding", "action": "Execute"}]}},
            },
        });
        let jwt = seal.sign(&seal.header(), &payload);
        self.held.push(Held { id: id.to_owned(), types, payload, jwt, holder: holder.clone() });
        self.held.last().unwrap()
    }

    pub fn candidates(&self) -> Vec<Candidate<'_>> {
        self.held
            .iter()
            .map(|h| Candidate {
                id: &h.id,
                format: "jwt_vc_json",
                types: &h.types,
                payload: &h.payload,
                jwt: &h.jwt,
                holder: &h.holder,
            })
            .collect()
    }

    /// Answers with the first matching credential for each query.
    pub fn respond(&self, request: &VerifiedRequest) -> Result<PreparedResponse, PresentationError> {
        let candidates = self.candidates();
        let choices = request.match_credentials(&candidates).default_choices();
        self.respond_with(request, &choices)
    }

    pub fn respond_with(
        &self,
        request: &VerifiedRequest,
        choices: &[Choice],
    ) -> Result<PreparedResponse, PresentationError> {
        block_on(request.respond(choices, &self.candidates(), &self.keys, &NativeCrypto, &NativeJwe, NOW))
    }
}

/// The form fields of a prepared answer, as a map.
pub fn fields(response: &PreparedResponse) -> Map<String, Value> {
    response.form().iter().map(|(k, v)| (k.clone(), Value::from(v.as_str()))).collect()
}

/// Sends `response` to a verifier answering `status` with `body`; returns what was posted too.
pub fn deliver(
    response: PreparedResponse,
    status: u16,
    body: &str,
) -> (Result<Outcome, PresentationError>, HttpRequest) {
    let http = MockHttp::default().on(Method::Post, response.response_uri().as_ref(), status, body.as_bytes().to_vec());
    let outcome = block_on(response.send(&http));
    let mut sent = http.sent();
    assert_eq!(sent.len(), 1);
    (outcome, sent.remove(0))
}

/// Checks a VP JWT as a verifier would and returns its header and claims.
pub fn check_vp(
    vp: &str,
    holder: &DidKey,
    aud: &str,
    credentials: &[&str],
) -> (Map<String, Value>, Map<String, Value>) {
    let jws = Jws::parse(vp).unwrap();
    block_on(jws.verify(&VerifyingKey::P256(holder.clone()), &NativeCrypto)).expect("the VP is signed by the holder");
    let header = jws.header().clone();
    let claims = jws.claims().unwrap();
    assert_eq!(header["alg"], "ES256");
    assert_eq!(header["typ"], "JWT");
    assert_eq!(header["kid"], holder.key_id());
    assert_eq!(claims["iss"], holder.as_str());
    assert_eq!(claims["sub"], holder.as_str());
    assert_eq!(claims["aud"], aud);
    assert_eq!(claims["nonce"], NONCE);
    assert_eq!((claims["iat"].as_i64(), claims["nbf"].as_i64()), (Some(NOW), Some(NOW)));
    assert!(claims["exp"].as_i64().unwrap() > NOW && claims["exp"].as_i64().unwrap() <= NOW + 600);
    assert!(claims["jti"].as_str().unwrap().starts_with("urn:uuid:"));
    let vp = &claims["vp"];
    assert_eq!(vp["@context"], json!(["https://www.w3.org/2018/credentials/v1"]));
    assert_eq!(vp["type"], json!(["VerifiablePresentation"]));
    assert_eq!(vp["holder"], holder.as_str());
    assert_eq!(vp["verifiableCredential"], json!(credentials), "credentials exactly as issued");
    (header, claims)
}

/// A form body as pairs.
pub fn form_pairs(request: &HttpRequest) -> Map<String, Value> {
    url::form_urlencoded::parse(request.body.as_deref().unwrap_or_default())
        .map(|(k, v)| (k.into_owned(), Value::from(v.into_owned())))
        .collect()
}
