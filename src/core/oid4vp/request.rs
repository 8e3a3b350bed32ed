//! The authorization request: read from the scanned link, fetched once when it is by reference,
//! and verified before anything about it is shown or used.
//!
//! Ways a request arrives (OpenID4VP 1.0 §5, RFC 9101):
//! - by reference: `client_id` + `request_uri`, fetched with GET, or with POST when
//!   `request_uri_method=post` (the wallet then sends a fresh `wallet_nonce`, which the request
//!   object must echo);
//! - by value: `client_id` + `request` (a request object);
//! - as plain parameters, only for a `redirect_uri` client identifier, which is never signed and
//!   shown as unverified.
//!
//! A request object must have `typ: oauth-authz-req+jwt`, a signature by the client (see
//! [`super::client_id`]), an `exp` in the future, no `iat`/`nbf` in the future, and the same
//! `client_id` as the link. Only its own parameters count; the link's others are ignored.

use crate::core::quote::quoted;
use serde_json::{Map, Value};

use super::client_id::{self, ClientIdForm, Scheme, VerifierIdentity};
use super::jwe::{self, ContentEncryption, EncryptionKey};
use super::query::{Candidate, Matches, Query};
use super::url_check::peer_url;
use super::{json_param, kind, PresentationError, MAX_JSON_PARAM_LEN};
use crate::core::encoding::b64url_encode;
use crate::core::json;
use crate::core::jws::Jws;
use crate::core::ports::{Crypto, HttpClient, HttpRequest, Method};
use crate::core::url::{self, Url};

/// The `typ` of request objects; their media type is `application/oauth-authz-req+jwt` (RFC 9101 §10.2).
pub const REQUEST_OBJECT_TYP: &str = "oauth-authz-req+jwt";
/// Largest request object accepted (a DCQL query with an x5c chain is a few KB).
pub const MAX_REQUEST_OBJECT_LEN: usize = 128 * 1024;
/// Most parameters a link may carry.
const MAX_LINK_PARAMS: usize = 64;
/// Allowed clock difference between the wallet and the verifier (seconds).
const CLOCK_SKEW: i64 = 300;
/// Longest `nonce` / `state` accepted.
const MAX_NONCE_LEN: usize = 1024;

/// A login request as the link gives it, not yet fetched or verified.
#[derive(Debug, Clone)]
pub struct AuthorizationRequest {
    client_id: String,
    source: Source,
}

#[derive(Debug, Clone)]
enum Source {
    Reference { uri: Url, post: bool },
    Value(String),
    Plain(Map<String, Value>),
}

/// How the request reached the wallet (for the activity log and the interoperability table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Fetched from `request_uri`; `post` when with `request_uri_method=post`.
    ByReference { post: bool },
    /// A request object in the link's `request` parameter.
    ByValue,
    /// Plain URL parameters (unsigned `redirect_uri` client identifiers only).
    Plain,
}

/// How the answer goes back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseMode {
    /// A form POST to `response_uri`.
    DirectPost,
    /// A form POST of one `response` parameter: the answer encrypted to the verifier's key.
    DirectPostJwt { key: EncryptionKey, enc: ContentEncryption },
}

/// What the verifier says about itself in `client_metadata`. Nobody vouches for it: show it as
/// the verifier's own claim, never in place of the verified identity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifierHints {
    pub name: Option<String>,
    /// An https (or loopback) address of a logo.
    pub logo_uri: Option<Url>,
}

/// A request whose origin and integrity were checked: the consent screen's source.
#[derive(Debug, Clone)]
pub struct VerifiedRequest {
    pub(crate) verifier: VerifierIdentity,
    pub(crate) delivery: Delivery,
    pub(crate) hints: VerifierHints,
    pub(crate) purpose: Option<String>,
    pub(crate) nonce: String,
    pub(crate) state: Option<String>,
    pub(crate) response_mode: ResponseMode,
    pub(crate) response_uri: Url,
    pub(crate) query: Query,
    /// A request written for a draft before 1.0, which expects a DCQL `vp_token` entry to be one
    /// presentation rather than an array of them.
    pub(crate) pre_final: bool,
}

impl AuthorizationRequest {
    /// Reads, fetches and verifies a request, as [`Self::parse`] and then [`Self::verify`].
    ///
    /// `params` are the decoded query pairs of the scanned or opened link; `now` is Unix time.
    ///
    /// # Errors
    /// Any [`PresentationError`] about the link, the fetch, the request object, the verifier's
    /// identity or what it asks. Nothing but the request (and, for did:web, the verifier's DID
    /// document) is fetched; nothing is sent.
    pub async fn from_link_params(
        params: &[(String, String)],
        http: &impl HttpClient,
        crypto: &impl Crypto,
        now: i64,
    ) -> Result<VerifiedRequest, PresentationError> {
        Self::parse(params)?.verify(http, crypto, now).await
    }

    /// Reads the link's parameters without any network traffic.
    pub fn parse(params: &[(String, String)]) -> Result<Self, PresentationError> {
        if params.len() > MAX_LINK_PARAMS {
            return Err(PresentationError::Link(format!("more than {MAX_LINK_PARAMS} parameters")));
        }
        let mut map = Map::new();
        for (key, value) in params {
            if value.len() > MAX_JSON_PARAM_LEN {
                return Err(PresentationError::TooLarge {
                    what: "a link parameter",
                    len: value.len(),
                    limit: MAX_JSON_PARAM_LEN,
                });
            }
            // A repeated parameter could mean different things to different readers.
            if map.insert(key.clone(), Value::from(value.as_str())).is_some() {
                return Err(PresentationError::Link(format!(
                    "parameter {} appears twice",
                    quoted(&key.chars().take(40).collect::<String>())
                )));
            }
        }
        let get = |k: &str| map.get(k).and_then(Value::as_str);
        let client_id = get("client_id").ok_or_else(|| PresentationError::Link("no client_id".into()))?.to_owned();
        let source = match (get("request_uri"), get("request"), get("request_uri_method")) {
            (Some(_), Some(_), _) => return Err(PresentationError::Link("both request and request_uri".into())),
            (None, _, Some(_)) => return Err(PresentationError::Link("request_uri_method without request_uri".into())),
            (Some(uri), None, method) => Source::Reference {
                uri: peer_url(uri, "request_uri")?,
                post: match method {
                    None | Some("get") => false,
                    Some("post") => true,
                    Some(other) => return Err(PresentationError::RequestUriMethod(other.chars().take(40).collect())),
                },
            },
            (None, Some(request), None) => Source::Value(request.to_owned()),
            (None, None, None) => Source::Plain(map),
        };
        Ok(Self { client_id, source })
    }

    /// The client identifier the link names (not yet verified).
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// Where the request object will be fetched from, for a "contacting …" notice.
    pub fn request_uri(&self) -> Option<&Url> {
        match &self.source {
            Source::Reference { uri, .. } => Some(uri),
            _ => None,
        }
    }

    /// Fetches the request object once (when by reference) and verifies it.
    pub async fn verify(
        self,
        http: &impl HttpClient,
        crypto: &impl Crypto,
        now: i64,
    ) -> Result<VerifiedRequest, PresentationError> {
        let (delivery, object, wallet_nonce) = match self.source {
            Source::Reference { uri, post } => {
                let wallet_nonce = if post { Some(b64url_encode(&crypto.random_bytes(16)?)) } else { None };
                let object = fetch(http, uri, wallet_nonce.as_deref(), &self.client_id).await?;
                (Delivery::ByReference { post }, object, wallet_nonce)
            }
            Source::Value(object) => (Delivery::ByValue, object, None),
            Source::Plain(params) => {
                let scheme_param = params.get("client_id_scheme").and_then(Value::as_str);
                let (scheme, form) = client_id::parse(&self.client_id, scheme_param)?;
                let verifier = client_id::verify(&scheme, form, &self.client_id, None, http, crypto, now).await?;
                return read_parameters(&params, verifier, &scheme, Delivery::Plain);
            }
        };
        let jws = parse_request_object(&object)?;
        let claims = jws.claims()?;
        let object_client_id = claims.get("client_id").and_then(Value::as_str);
        if object_client_id != Some(self.client_id.as_str()) {
            return Err(PresentationError::ClientIdMismatch {
                link: self.client_id,
                object: object_client_id.map(|c| c.chars().take(200).collect()),
            });
        }
        if let Some(sent) = &wallet_nonce {
            if claims.get("wallet_nonce").and_then(Value::as_str) != Some(sent.as_str()) {
                return Err(PresentationError::WalletNonceMismatch);
            }
        }
        let scheme_param = claims.get("client_id_scheme").and_then(Value::as_str);
        let (scheme, form) = client_id::parse(&self.client_id, scheme_param)?;
        let verifier = client_id::verify(&scheme, form, &self.client_id, Some(&jws), http, crypto, now).await?;
        // JAR's `iss` is ignored by 1.0, but the legacy forms (DOME) set it to the client: a
        // different value there is a request issued by someone else.
        if form != ClientIdForm::Prefixed {
            if let Some(iss) = claims.get("iss").and_then(Value::as_str) {
                if iss != self.client_id {
                    return Err(PresentationError::ClientNotVerified {
                        client_id: self.client_id,
                        reason: "\"iss\" names another party".into(),
                    });
                }
            }
        }
        check_times(&claims, now)?;
        read_parameters(&claims, verifier, &scheme, delivery)
    }
}

/// Fetches the request object: GET, or POST with the wallet's metadata and nonce.
async fn fetch(
    http: &impl HttpClient,
    uri: Url,
    wallet_nonce: Option<&str>,
    client_id: &str,
) -> Result<String, PresentationError> {
    let accept = ("Accept", format!("application/{REQUEST_OBJECT_TYP}, application/jwt;q=0.9"));
    let request = match wallet_nonce {
        None => HttpRequest { method: Method::Get, url: uri, headers: vec![accept], body: None },
        Some(nonce) => {
            let body = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("wallet_metadata", &json::write(&wallet_metadata(client_id)))
                .append_pair("wallet_nonce", nonce)
                .finish();
            HttpRequest {
                method: Method::Post,
                url: uri,
                headers: vec![accept, ("Content-Type", "application/x-www-form-urlencoded".into())],
                body: Some(body.into_bytes()),
            }
        }
    };
    let response = http.send(request).await?;
    if !(200..300).contains(&response.status) {
        return Err(PresentationError::RequestFetch(response.status));
    }
    if response.body.len() > MAX_REQUEST_OBJECT_LEN {
        return Err(PresentationError::TooLarge {
            what: "request object",
            len: response.body.len(),
            limit: MAX_REQUEST_OBJECT_LEN,
        });
    }
    String::from_utf8(response.body).map_err(|_| PresentationError::Malformed("the request object is not text".into()))
}

/// What the wallet can do (OpenID4VP 1.0 §10), sent with `request_uri_method=post`.
fn wallet_metadata(client_id: &str) -> Value {
    let algs = || Value::from(vec!["ES256", "RS256"]);
    let mut metadata = json::object(&mut [
        ("vp_formats_supported", json::object(&mut [("jwt_vc_json", json::object(&mut [("alg_values", algs())]))])),
        ("client_id_prefixes_supported", vec!["decentralized_identifier", "x509_san_dns", "x509_hash", "redirect_uri"].into()),
        ("response_types_supported", vec!["vp_token"].into()),
        ("response_modes_supported", vec!["direct_post", "direct_post.jwt"].into()),
        ("authorization_encryption_alg_values_supported", vec!["ECDH-ES"].into()),
        ("authorization_encryption_enc_values_supported", vec!["A128GCM", "A256GCM"].into()),
    ]);
    // A redirect_uri client cannot sign, so the wallet must not offer signing algorithms (§5.10).
    if !client_id.starts_with("redirect_uri:") {
        if let Some(map) = metadata.as_object_mut() {
            map.insert("request_object_signing_alg_values_supported".into(), algs());
        }
    }
    metadata
}

/// Parses a request object: a JWS (never `alg: none`) with the request object `typ`.
fn parse_request_object(text: &str) -> Result<Jws, PresentationError> {
    let text = text.trim();
    if text.len() > MAX_REQUEST_OBJECT_LEN {
        return Err(PresentationError::TooLarge {
            what: "request object",
            len: text.len(),
            limit: MAX_REQUEST_OBJECT_LEN,
        });
    }
    if text.split('.').count() == 5 {
        return Err(PresentationError::EncryptedRequestObject);
    }
    let jws = Jws::parse(text)?;
    jws.expect_typ(&[REQUEST_OBJECT_TYP])?;
    Ok(jws)
}

/// `exp` must be present and not past; `iat` and `nbf` not in the future.
fn check_times(claims: &Map<String, Value>, now: i64) -> Result<(), PresentationError> {
    let time = |name: &'static str| -> Result<Option<i64>, PresentationError> {
        match claims.get(name) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .or_else(|| v.as_f64().map(|f| f as i64))
                .map(Some)
                .ok_or_else(|| PresentationError::Malformed(format!("\"{name}\" is {}, not a number", kind(v)))),
        }
    };
    let exp = time("exp")?.ok_or(PresentationError::NoExpiry)?;
    if now > exp.saturating_add(60) {
        return Err(PresentationError::Expired { exp, now });
    }
    for name in ["iat", "nbf"] {
        if let Some(at) = time(name)? {
            if at > now.saturating_add(CLOCK_SKEW) {
                return Err(PresentationError::NotYetValid { claim: name, at, now });
            }
        }
    }
    Ok(())
}

/// The request's parameters, once its origin is known.
fn read_parameters(
    params: &Map<String, Value>,
    verifier: VerifierIdentity,
    scheme: &Scheme,
    delivery: Delivery,
) -> Result<VerifiedRequest, PresentationError> {
    let string = |name: &str| -> Result<Option<&str>, PresentationError> {
        match params.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(other) => Err(PresentationError::Malformed(format!("\"{name}\" is {}, not a string", kind(other)))),
        }
    };
    if params.contains_key("transaction_data") {
        return Err(PresentationError::TransactionData);
    }
    match string("response_type")? {
        Some("vp_token") => {}
        other => return Err(PresentationError::ResponseType(other.unwrap_or("(none)").chars().take(40).collect())),
    }
    let mode = string("response_mode")?.unwrap_or("(none: fragment)");
    if mode != "direct_post" && mode != "direct_post.jwt" {
        return Err(PresentationError::ResponseMode(mode.chars().take(40).collect()));
    }
    let nonce = match string("nonce")? {
        Some(n) if !n.is_empty() && n.len() <= MAX_NONCE_LEN => n.to_owned(),
        Some(n) if !n.is_empty() => {
            return Err(PresentationError::TooLarge { what: "nonce", len: n.len(), limit: MAX_NONCE_LEN })
        }
        _ => return Err(PresentationError::MissingNonce),
    };
    let state = match string("state")? {
        Some(s) if s.len() > MAX_NONCE_LEN => {
            return Err(PresentationError::TooLarge { what: "state", len: s.len(), limit: MAX_NONCE_LEN })
        }
        s => s.map(str::to_owned),
    };
    if params.contains_key("redirect_uri") {
        return Err(PresentationError::Malformed("redirect_uri must not accompany response_mode direct_post".into()));
    }
    // A redirect_uri client may leave response_uri out: its identifier is the address.
    let raw_response_uri = match (string("response_uri")?, scheme) {
        (Some(uri), _) => uri.to_owned(),
        (None, Scheme::RedirectUri { uri }) => uri.clone(),
        (None, _) => return Err(PresentationError::Malformed("no response_uri".into())),
    };
    let response_uri = peer_url(&raw_response_uri, "response_uri")?;
    client_id::check_binding(scheme, verifier.client_id(), &raw_response_uri, &response_uri)?;

    let metadata = match json_param(params, "client_metadata").map_err(PresentationError::Malformed)? {
        None => Map::new(),
        Some(Value::Object(m)) => m,
        Some(other) => {
            return Err(PresentationError::Malformed(format!("client_metadata is {}, not an object", kind(&other))))
        }
    };
    let query = Query::from_params(params)?;
    let response_mode = if mode == "direct_post.jwt" {
        let (key, enc) = jwe::select(&metadata)?;
        ResponseMode::DirectPostJwt { key, enc }
    } else {
        ResponseMode::DirectPost
    };
    let purpose = match &query {
        Query::PresentationExchange(definition) => definition.purpose().map(str::to_owned),
        _ => None,
    };
    // Drafts before 1.0 named the verifier's formats `vp_formats`; 1.0 renamed them.
    let pre_final = verifier.form() != ClientIdForm::Prefixed
        || (metadata.contains_key("vp_formats") && !metadata.contains_key("vp_formats_supported"));
    Ok(VerifiedRequest {
        hints: hints(&metadata),
        verifier,
        delivery,
        purpose,
        nonce,
        state,
        response_mode,
        response_uri,
        query,
        pre_final,
    })
}

fn hints(metadata: &Map<String, Value>) -> VerifierHints {
    let clean = |s: &str| s.chars().filter(|c| !c.is_control()).take(100).collect::<String>();
    VerifierHints {
        name: metadata.get("client_name").and_then(Value::as_str).map(clean).filter(|s| !s.trim().is_empty()),
        logo_uri: metadata.get("logo_uri").and_then(Value::as_str).and_then(|u| peer_url(u, "logo_uri").ok()),
    }
}

impl VerifiedRequest {
    /// Who is asking, and how that was established.
    pub fn verifier(&self) -> &VerifierIdentity {
        &self.verifier
    }

    /// The verifier's own, unverified, name and logo.
    pub fn hints(&self) -> &VerifierHints {
        &self.hints
    }

    /// Why the verifier asks, in its own words (Presentation Exchange `purpose`), if it says.
    pub fn purpose(&self) -> Option<&str> {
        self.purpose.as_deref()
    }

    pub fn query(&self) -> &Query {
        &self.query
    }

    pub fn nonce(&self) -> &str {
        &self.nonce
    }

    pub fn state(&self) -> Option<&str> {
        self.state.as_deref()
    }

    pub fn response_mode(&self) -> &ResponseMode {
        &self.response_mode
    }

    /// Where the answer will be sent.
    pub fn response_uri(&self) -> &Url {
        &self.response_uri
    }

    /// The host the answer will be sent to, for the consent screen.
    pub fn response_host(&self) -> &str {
        self.response_uri.host_str().unwrap_or_default()
    }

    pub fn delivery(&self) -> Delivery {
        self.delivery
    }

    /// What the wallet remembers about an answered request to refuse the same request again:
    /// the client identifier and the nonce. The wallet MUST check it before sending.
    pub fn replay_key(&self) -> String {
        json::write(&Value::from(vec!["oid4vp", self.verifier.client_id(), self.nonce.as_str()]))
    }

    /// Which of the wallet's credentials answer what is asked, and what each would disclose.
    pub fn match_credentials(&self, candidates: &[Candidate<'_>]) -> Matches {
        self.query.match_candidates(candidates)
    }
}
