//! Talking to peers (issuers, authorization servers, verifiers) over the [`HttpClient`] port.
//!
//! - [`PeerUrl`]: a URL the wallet is willing to send a request to: `https` only (plain `http`
//!   only on loopback, for local test peers), no userinfo, no fragment, bounded length. It keeps
//!   the exact text it was parsed from, because identifiers (`credential_issuer`, `issuer`) are
//!   compared as strings, never after normalisation.
//! - Well-known URLs (RFC 8615) in both forms peers use: RFC 8414's *inserted* form
//!   (`https://host/.well-known/<name>/<path>`) and the older *suffix* form
//!   (`https://host/<path>/.well-known/<name>`).
//! - [`get`], [`post_form`], [`post_json`], [`post_empty`]: requests that carry only what the
//!   protocol needs (the adapter adds no cookies, no referrer), with a byte limit on the answer.
//! - [`Reply`]: status and body, parsed on demand as JSON or as an error body ([`PeerError`]:
//!   OAuth 2.0 `error` or RFC 7807 `type`).
//! - [`join`]: polls two futures at once, so independent requests overlap.

use crate::core::quote::quoted;
use std::fmt;
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

use serde::{Deserialize, Serialize};

use super::error::NetworkError;
use super::json;
use super::ports::{HttpClient, HttpRequest, Method};
use super::url::{self, Url};

/// Longest URL accepted from a peer or a link.
pub const MAX_URL_LEN: usize = 4096;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PeerUrlError {
    #[error("URL of {0} bytes exceeds the limit of {MAX_URL_LEN}")]
    TooLong(usize),
    #[error("not a valid URL: {0}")]
    Invalid(String),
    #[error("the URL contains spaces or control characters")]
    Whitespace,
    #[error("scheme {q0} is not allowed (https only; http only on 127.0.0.1, [::1] or localhost)", q0 = quoted(.0))]
    Scheme(String),
    #[error("the URL carries a user name or password")]
    Userinfo,
    #[error("the URL has no host")]
    NoHost,
    #[error("the URL has a fragment (#…)")]
    Fragment,
    #[error("an identifier URL must not have a query (?…)")]
    Query,
}

/// A URL the wallet may send a request to. Compares and serialises as the original text.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PeerUrl {
    original: String,
    url: Url,
}

impl PeerUrl {
    pub fn parse(text: &str) -> Result<Self, PeerUrlError> {
        if text.len() > MAX_URL_LEN {
            return Err(PeerUrlError::TooLong(text.len()));
        }
        // `Url::parse` would quietly strip or encode these; the original must be what is used.
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(PeerUrlError::Whitespace);
        }
        let url = Url::parse(text).map_err(|e| PeerUrlError::Invalid(e.to_string()))?;
        let host = url.host_str().filter(|h| !h.is_empty()).ok_or(PeerUrlError::NoHost)?;
        match url.scheme() {
            "https" => {}
            "http" if matches!(host, "127.0.0.1" | "[::1]" | "localhost") => {}
            other => return Err(PeerUrlError::Scheme(other.chars().take(32).collect())),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(PeerUrlError::Userinfo);
        }
        if url.fragment().is_some() {
            return Err(PeerUrlError::Fragment);
        }
        Ok(Self { original: text.to_owned(), url })
    }

    /// Parses an identifier (credential issuer, authorization server): a [`PeerUrl`] without
    /// a query (OpenID4VCI 1.0 §12.2.1, RFC 8414 §2).
    pub fn parse_identifier(text: &str) -> Result<Self, PeerUrlError> {
        let url = Self::parse(text)?;
        if url.url.query().is_some() {
            return Err(PeerUrlError::Query);
        }
        Ok(url)
    }

    /// The exact text it was parsed from.
    pub fn as_str(&self) -> &str {
        &self.original
    }

    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The host, for messages.
    pub fn host(&self) -> &str {
        self.url.host_str().unwrap_or_default()
    }

    /// `scheme://host[:port]`, with the default port left out.
    pub fn origin(&self) -> String {
        self.url.origin().ascii_serialization()
    }

    /// Whether both are on the same origin (scheme, host and port; default ports normalised).
    pub fn same_origin(&self, other: &PeerUrl) -> bool {
        self.url.origin() == other.url.origin()
    }

    /// `https://host/.well-known/<name><path>` (RFC 8414 §3.1, OpenID4VCI 1.0 §12.2.2): the
    /// well-known segment goes between host and path, and a terminating `/` is dropped.
    pub fn well_known_inserted(&self, name: &str) -> Result<PeerUrl, PeerUrlError> {
        let path = self.url.path().trim_end_matches('/');
        PeerUrl::parse(&format!("{}/.well-known/{name}{path}", self.origin()))
    }

    /// `https://host/<path>/.well-known/<name>` (OpenID Connect Discovery, OpenID4VCI drafts):
    /// the well-known segment is appended to the identifier.
    pub fn well_known_suffix(&self, name: &str) -> Result<PeerUrl, PeerUrlError> {
        let path = self.url.path().trim_end_matches('/');
        PeerUrl::parse(&format!("{}{path}/.well-known/{name}", self.origin()))
    }
}

impl TryFrom<String> for PeerUrl {
    type Error = PeerUrlError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<PeerUrl> for String {
    fn from(url: PeerUrl) -> String {
        url.original
    }
}

impl fmt::Display for PeerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

impl fmt::Debug for PeerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PeerUrl({})", self.original)
    }
}

/// A peer's answer: status and (size-checked) body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as a JSON object; the error is a description for developers.
    pub fn object(&self) -> Result<json::Object, String> {
        json::parse_object(&self.body)
    }

    /// The body read as an error answer; empty when it is not one (HTML error pages, nothing,
    /// or a member of the wrong type).
    pub fn error(&self) -> PeerError {
        let read = || -> Result<PeerError, String> {
            let body = self.object()?;
            Ok(PeerError {
                error: json::opt_string(&body, "error")?,
                error_description: json::opt_string(&body, "error_description")?,
                problem_type: json::opt_string(&body, "type")?,
                title: json::opt_string(&body, "title")?,
                detail: json::opt_string(&body, "detail")?,
            })
        };
        read().unwrap_or_default()
    }
}

/// An error body: OAuth 2.0 (RFC 6749 §5.2: `error`, `error_description`) or RFC 7807
/// problem details (`type`, `title`, `detail`), which DOME's issuer sends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerError {
    pub error: Option<String>,
    pub error_description: Option<String>,
    /// `type`.
    pub problem_type: Option<String>,
    pub title: Option<String>,
    pub detail: Option<String>,
}

impl PeerError {
    /// The machine-readable code: OAuth `error`, else the RFC 7807 `type`.
    pub fn code(&self) -> Option<&str> {
        self.error.as_deref().or(self.problem_type.as_deref())
    }

    /// The peer's explanation, for logs.
    pub fn description(&self) -> Option<&str> {
        self.error_description.as_deref().or(self.detail.as_deref()).or(self.title.as_deref())
    }
}

/// `GET url`.
pub async fn get(http: &impl HttpClient, url: &PeerUrl, limit: usize) -> Result<Reply, NetworkError> {
    send(http, Method::Get, url, Vec::new(), None, limit).await
}

/// `GET url` with an `Accept` header (a status list: DOME's issuer refuses other media types).
pub async fn get_accepting(http: &impl HttpClient, url: &PeerUrl, accept: &str, limit: usize) -> Result<Reply, NetworkError> {
    send(http, Method::Get, url, vec![("accept", accept.to_owned())], None, limit).await
}

/// `POST url` with no body (OpenID4VCI 1.0 §7: the nonce endpoint).
pub async fn post_empty(http: &impl HttpClient, url: &PeerUrl, limit: usize) -> Result<Reply, NetworkError> {
    send(http, Method::Post, url, Vec::new(), None, limit).await
}

/// `POST url` with an `application/x-www-form-urlencoded` body (OAuth token requests).
pub async fn post_form(
    http: &impl HttpClient,
    url: &PeerUrl,
    fields: &[(&str, &str)],
    limit: usize,
) -> Result<Reply, NetworkError> {
    let mut form = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in fields {
        form.append_pair(name, value);
    }
    let headers = vec![("content-type", "application/x-www-form-urlencoded".to_owned())];
    send(http, Method::Post, url, headers, Some(form.finish().into_bytes()), limit).await
}

/// `POST url` with a JSON body and, when given, `Authorization: Bearer <token>`.
pub async fn post_json(
    http: &impl HttpClient,
    url: &PeerUrl,
    body: &serde_json::Value,
    bearer: Option<&str>,
    limit: usize,
) -> Result<Reply, NetworkError> {
    let mut headers = vec![("content-type", "application/json".to_owned())];
    if let Some(token) = bearer {
        headers.push(("authorization", format!("Bearer {token}")));
    }
    send(http, Method::Post, url, headers, Some(json::write(body).into_bytes()), limit).await
}

async fn send(
    http: &impl HttpClient,
    method: Method,
    url: &PeerUrl,
    headers: Vec<(&'static str, String)>,
    body: Option<Vec<u8>>,
    limit: usize,
) -> Result<Reply, NetworkError> {
    let request = HttpRequest { method, url: url.url().clone(), headers, body };
    let response = http.send(request).await?;
    // The adapter caps bodies too, at a size meant for any answer; each message has its own.
    if response.body.len() > limit {
        return Err(NetworkError::TooLarge { host: url.host().to_owned(), limit });
    }
    Ok(Reply { status: response.status, body: response.body })
}

/// Runs two futures concurrently and returns both outputs. The wallet is single-threaded, so
/// this only interleaves their waiting: two requests are in flight at once.
pub async fn join<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let (mut a, mut b) = (pin!(a), pin!(b));
    let (mut out_a, mut out_b) = (None, None);
    poll_fn(move |cx| {
        if out_a.is_none() {
            if let Poll::Ready(v) = a.as_mut().poll(cx) {
                out_a = Some(v);
            }
        }
        if out_b.is_none() {
            if let Poll::Ready(v) = b.as_mut().poll(cx) {
                out_b = Some(v);
            }
        }
        if out_a.is_some() && out_b.is_some() {
            if let (Some(x), Some(y)) = (out_a.take(), out_b.take()) {
                return Poll::Ready((x, y));
            }
        }
        Poll::Pending
    })
    .await
}

/// Test doubles for the network: a scripted [`HttpClient`] that records every request.
#[cfg(test)]
pub(crate) mod mock {
    use std::cell::RefCell;
    use std::collections::VecDeque;

    use super::*;
    use crate::core::ports::HttpResponse;

    type Answer = Result<HttpResponse, NetworkError>;

    /// Answers requests by method and exact URL, in the order the answers were scripted.
    /// A request with no (remaining) answer gets `Unreachable`; every request is recorded.
    #[derive(Default)]
    pub struct MockHttp {
        routes: RefCell<Vec<(Method, String, VecDeque<Answer>)>>,
        log: RefCell<Vec<HttpRequest>>,
    }

    impl MockHttp {
        pub fn new() -> Self {
            Self::default()
        }

        pub fn answer(&self, method: Method, url: &str, answer: Answer) -> &Self {
            let mut routes = self.routes.borrow_mut();
            match routes.iter_mut().find(|(m, u, _)| *m == method && u == url) {
                Some((_, _, queue)) => queue.push_back(answer),
                None => routes.push((method, url.to_owned(), VecDeque::from([answer]))),
            }
            self
        }

        pub fn on(&self, method: Method, url: &str, status: u16, body: impl AsRef<[u8]>) -> &Self {
            let response = HttpResponse {
                status,
                content_type: Some("application/json".into()),
                body: body.as_ref().to_vec(),
            };
            self.answer(method, url, Ok(response))
        }

        pub fn get(&self, url: &str, status: u16, body: impl AsRef<[u8]>) -> &Self {
            self.on(Method::Get, url, status, body)
        }

        pub fn post(&self, url: &str, status: u16, body: impl AsRef<[u8]>) -> &Self {
            self.on(Method::Post, url, status, body)
        }

        /// Every request so far, in order.
        pub fn requests(&self) -> Vec<HttpRequest> {
            self.log.borrow().clone()
        }

        /// Every request so far as `"GET url"` lines.
        pub fn sent(&self) -> Vec<String> {
            self.log
                .borrow()
                .iter()
                .map(|r| format!("{} {}", if r.method == Method::Get { "GET" } else { "POST" }, r.url))
                .collect()
        }

        pub fn clear_log(&self) {
            self.log.borrow_mut().clear();
        }
    }

    impl HttpClient for MockHttp {
        async fn send(&self, request: HttpRequest) -> Result<HttpResponse, NetworkError> {
            self.log.borrow_mut().push(request.clone());
            let mut routes = self.routes.borrow_mut();
            let answer = routes
                .iter_mut()
                .find(|(m, u, _)| *m == request.method && u == request.url.as_str())
                .and_then(|(_, _, queue)| queue.pop_front());
            answer.unwrap_or_else(|| {
                Err(NetworkError::Unreachable {
                    host: request.url.host_str().unwrap_or_default().to_owned(),
                    detail: "no scripted answer".into(),
                })
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::mock::MockHttp;
    use super::*;
    use crate::core::testing::block_on;

    #[test]
    fn peer_urls_are_https_or_loopback_http() {
        for ok in [
            "https://issuer.dome-marketplace.eu",
            "https://issuer.example.com:8443/tenant/a?x=1",
            "http://127.0.0.1:3000/oid4vci/abc",
            "http://localhost/x",
            "http://[::1]:8080/",
        ] {
            assert_eq!(PeerUrl::parse(ok).unwrap().as_str(), ok);
        }
        for (bad, expected) in [
            ("http://issuer.example.com", PeerUrlError::Scheme("http".into())),
            ("http://127.0.0.2", PeerUrlError::Scheme("http".into())),
            ("ftp://example.com", PeerUrlError::Scheme("ftp".into())),
            ("javascript:alert(1)", PeerUrlError::NoHost),
            ("data:text/plain,hi", PeerUrlError::NoHost),
            ("https://user:pw@example.com/", PeerUrlError::Userinfo),
            ("https://user@example.com/", PeerUrlError::Userinfo),
            ("https://example.com/#frag", PeerUrlError::Fragment),
            (" https://example.com", PeerUrlError::Whitespace),
            ("https://example.com/a b", PeerUrlError::Whitespace),
        ] {
            assert_eq!(PeerUrl::parse(bad).unwrap_err(), expected, "{bad}");
        }
        assert!(matches!(PeerUrl::parse("not a url"), Err(PeerUrlError::Whitespace)));
        assert!(matches!(PeerUrl::parse("example.com"), Err(PeerUrlError::Invalid(_))));
        let long = format!("https://example.com/{}", "a".repeat(MAX_URL_LEN));
        assert!(matches!(PeerUrl::parse(&long), Err(PeerUrlError::TooLong(_))));
        assert_eq!(PeerUrl::parse_identifier("https://a.example/?q=1").unwrap_err(), PeerUrlError::Query);
    }

    #[test]
    fn keeps_the_original_text_for_comparison() {
        // The URL library would add a trailing slash; identifiers compare as sent.
        let a = PeerUrl::parse("https://issuer.example.com").unwrap();
        let b = PeerUrl::parse("https://issuer.example.com/").unwrap();
        assert_ne!(a, b);
        assert_eq!(a.as_str(), "https://issuer.example.com");
        assert!(a.same_origin(&b));
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, "\"https://issuer.example.com\"");
        assert_eq!(serde_json::from_str::<PeerUrl>(&json).unwrap(), a);
        assert!(serde_json::from_str::<PeerUrl>("\"http://evil.example\"").is_err());
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let issuer = PeerUrl::parse("https://issuer.example.com/tenant").unwrap();
        let same = PeerUrl::parse("https://issuer.example.com:443/credential").unwrap();
        assert!(issuer.same_origin(&same));
        for other in ["https://evil.example.com/", "https://issuer.example.com:8443/", "https://sub.issuer.example.com/"] {
            assert!(!issuer.same_origin(&PeerUrl::parse(other).unwrap()), "{other}");
        }
        assert_eq!(issuer.origin(), "https://issuer.example.com");
    }

    #[test]
    fn well_known_urls_in_both_forms() {
        let root = PeerUrl::parse("https://issuer.example.com").unwrap();
        let slash = PeerUrl::parse("https://issuer.example.com/").unwrap();
        let tenant = PeerUrl::parse("https://issuer.example.com/tenant/").unwrap();
        let port = PeerUrl::parse("http://127.0.0.1:3000/oid4vci/abc").unwrap();
        let name = "openid-credential-issuer";
        for (id, inserted, suffix) in [
            (&root, "https://issuer.example.com/.well-known/openid-credential-issuer", "https://issuer.example.com/.well-known/openid-credential-issuer"),
            (&slash, "https://issuer.example.com/.well-known/openid-credential-issuer", "https://issuer.example.com/.well-known/openid-credential-issuer"),
            (&tenant, "https://issuer.example.com/.well-known/openid-credential-issuer/tenant", "https://issuer.example.com/tenant/.well-known/openid-credential-issuer"),
            (&port, "http://127.0.0.1:3000/.well-known/openid-credential-issuer/oid4vci/abc", "http://127.0.0.1:3000/oid4vci/abc/.well-known/openid-credential-issuer"),
        ] {
            assert_eq!(id.well_known_inserted(name).unwrap().as_str(), inserted);
            assert_eq!(id.well_known_suffix(name).unwrap().as_str(), suffix);
        }
    }

    #[test]
    fn requests_carry_only_what_the_protocol_needs() {
        let http = MockHttp::new();
        let url = PeerUrl::parse("https://as.example.com/token").unwrap();
        http.post(url.as_str(), 200, "{}").post(url.as_str(), 200, "{}").get(url.as_str(), 200, "{}");
        block_on(post_form(&http, &url, &[("grant_type", "a b&c"), ("x", "1")], 100)).unwrap();
        block_on(post_json(&http, &url, &serde_json::json!({"a": 1}), Some("tok"), 100)).unwrap();
        block_on(get(&http, &url, 100)).unwrap();
        let sent = http.requests();
        assert_eq!(sent[0].headers, vec![("content-type", "application/x-www-form-urlencoded".to_owned())]);
        assert_eq!(sent[0].body.as_deref(), Some(&b"grant_type=a+b%26c&x=1"[..]));
        assert_eq!(
            sent[1].headers,
            vec![("content-type", "application/json".to_owned()), ("authorization", "Bearer tok".to_owned())]
        );
        assert_eq!(sent[1].body.as_deref(), Some(&br#"{"a":1}"#[..]));
        assert!(sent[2].headers.is_empty() && sent[2].body.is_none());
    }

    #[test]
    fn answers_over_the_limit_are_refused() {
        let http = MockHttp::new();
        let url = PeerUrl::parse("https://issuer.example.com/offer").unwrap();
        http.get(url.as_str(), 200, vec![b' '; 101]);
        assert_eq!(
            block_on(get(&http, &url, 100)),
            Err(NetworkError::TooLarge { host: "issuer.example.com".into(), limit: 100 })
        );
    }

    #[test]
    fn error_bodies_are_read_as_oauth_or_problem_details() {
        let oauth = Reply { status: 400, body: br#"{"error":"invalid_grant","error_description":"bad"}"#.to_vec() };
        assert_eq!(oauth.error().code(), Some("invalid_grant"));
        assert_eq!(oauth.error().description(), Some("bad"));
        let problem = Reply { status: 404, body: br#"{"type":"invalid_or_missing_proof","title":"t","status":404}"#.to_vec() };
        assert_eq!(problem.error().code(), Some("invalid_or_missing_proof"));
        let html = Reply { status: 500, body: b"<html>oops</html>".to_vec() };
        assert_eq!(html.error(), PeerError::default());
    }

    #[test]
    fn join_runs_both_futures() {
        let (a, b) = block_on(join(async { 1 }, async { "two" }));
        assert_eq!((a, b), (1, "two"));
    }
}
