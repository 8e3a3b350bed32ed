//! OpenID for Verifiable Presentations (OpenID4VP 1.0, with the legacy forms of drafts 21–24 and
//! DOME's verifier): a login request is verified, what it asks for is matched against the
//! wallet's credentials, and after the person agrees the presentation is signed and sent.
//!
//! The flow, each step consuming or borrowing the previous one:
//!
//! 1. [`AuthorizationRequest::from_link_params`] reads the scanned link, fetches the request
//!    object once, and verifies who is asking → [`VerifiedRequest`]. A request that fails any
//!    check causes no network traffic beyond fetching it (and, for did:web, its DID document).
//! 2. [`VerifiedRequest::match_credentials`] says which stored credentials answer which query and
//!    which claims each would disclose → [`Matches`], for the consent screen.
//! 3. [`VerifiedRequest::respond`] (after consent) or [`VerifiedRequest::decline`] builds the
//!    answer → [`PreparedResponse`]. Nothing is sent yet.
//! 4. [`PreparedResponse::send`] posts it to the verifier's `response_uri` → [`Outcome`].
//!
//! Modules: [`request`] (the request and its checks), [`client_id`] (who the verifier is),
//! [`query`] with [`dcql`] and [`pex`] (what is asked), [`response`] (the VP and the answer),
//! [`jwe`] (encrypted answers for `direct_post.jwt`).

pub mod client_id;
pub mod dcql;
pub mod jwe;
pub mod pex;
pub mod query;
pub mod request;
pub mod response;
mod url_check;

#[cfg(test)]
mod tests;

pub use client_id::{CertificateInfo, ClientIdForm, Verification, VerifierIdentity};
pub use jwe::{ContentEncryption, EcdhOutput, EncryptionKey, JweCrypto, JweError};
pub use query::{Candidate, CandidateMatch, Choice, Matches, Query, QueryError, QueryMatch};
pub use request::{AuthorizationRequest, Delivery, ResponseMode, VerifiedRequest, VerifierHints};
pub use response::{Outcome, PreparedResponse};

use crate::core::quote::quoted;
use super::error::{CryptoError, Error, NetworkError};
use super::jws::JwsError;
use super::x509::X509Error;
use crate::i18n::Msg;

/// Why a presentation request was refused or a presentation could not be made or delivered.
///
/// `Display` says what was expected and what arrived; [`PresentationError::user_message`] says
/// it in plain words, without values from the verifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PresentationError {
    #[error("the link is not an OpenID4VP request: {0}")]
    Link(String),
    #[error("{what} {q_url} is not an https address (plain http is accepted only on loopback)", q_url = quoted(.url))]
    InsecureUrl { what: &'static str, url: String },
    #[error("request_uri_method is {q0}; expected \"get\" or \"post\"", q0 = quoted(.0))]
    RequestUriMethod(String),
    #[error("fetching the request object failed with HTTP status {0}")]
    RequestFetch(u16),
    #[error("{what} of {len} bytes exceeds the limit of {limit}")]
    TooLarge { what: &'static str, len: usize, limit: usize },
    #[error("network: {0}")]
    Network(NetworkError),
    #[error("the request object is encrypted (JWE); the wallet never asks for that")]
    EncryptedRequestObject,
    #[error("request object: {0}")]
    Jws(JwsError),
    #[error("crypto: {0}")]
    Crypto(CryptoError),
    #[error("malformed request: {0}")]
    Malformed(String),
    #[error("the client identifier {q_client_id} requires a signed request object, but the request is not signed", q_client_id = quoted(.client_id))]
    Unsigned { client_id: String },
    #[error("a redirect_uri client identifier cannot sign its requests, yet this request is signed")]
    SignedRedirectUri,
    #[error("the link names client_id {q_link} but the request object names {q_object}", q_link = quoted(.link), q_object = quoted(.object))]
    ClientIdMismatch { link: String, object: Option<String> },
    #[error("unsupported client identifier {q0} (supported: decentralized_identifier, x509_san_dns, x509_hash, redirect_uri, and the legacy DID and client_id_scheme forms)", q0 = quoted(.0))]
    UnsupportedClientId(String),
    #[error("the request was not signed by {client_id}: {reason}")]
    ClientNotVerified { client_id: String, reason: String },
    #[error("certificate: {0}")]
    Certificate(X509Error),
    #[error("response_uri {q_response_uri} is not bound to the client identifier {q_client_id}", q_response_uri = quoted(.response_uri), q_client_id = quoted(.client_id))]
    ResponseUriNotBound { client_id: String, response_uri: String },
    #[error("the request expired at {exp} (now {now})")]
    Expired { exp: i64, now: i64 },
    #[error("the request object has no \"exp\"; an unbounded request is refused")]
    NoExpiry,
    #[error("the request's \"{claim}\" ({at}) lies in the future (now {now})")]
    NotYetValid { claim: &'static str, at: i64, now: i64 },
    #[error("the request object does not echo the wallet_nonce the wallet sent")]
    WalletNonceMismatch,
    #[error("the request has no nonce")]
    MissingNonce,
    #[error("response_type is {q0}; supported: \"vp_token\"", q0 = quoted(.0))]
    ResponseType(String),
    #[error("response_mode is {q0}; supported: \"direct_post\", \"direct_post.jwt\"", q0 = quoted(.0))]
    ResponseMode(String),
    #[error("the request carries transaction_data, which this wallet does not support")]
    TransactionData,
    #[error("resolving {did}: {reason}")]
    DidResolution { did: String, reason: String },
    #[error("what is asked: {0}")]
    Query(#[from] QueryError),
    #[error("the chosen credentials do not answer the request: {0}")]
    Selection(String),
    #[error("credential {q_credential} is bound to {q_bound_to}, not to the wallet key {q_key}", q_credential = quoted(.credential), q_bound_to = quoted(.bound_to), q_key = quoted(.key))]
    HolderMismatch { credential: String, bound_to: String, key: String },
    #[error("response encryption: {0}")]
    Encryption(#[from] JweError),
    #[error("the verifier answered HTTP {status} (error {q_error}: {q_description})", q_error = quoted(.error), q_description = quoted(.description))]
    Rejected { status: u16, error: Option<String>, description: Option<String> },
    #[error("{0}")]
    Other(String),
}

impl PresentationError {
    /// What to tell the person: what happened and what to do, never values from the verifier.
    pub fn user_message(&self) -> Msg {
        use PresentationError as E;
        match self {
            E::Link(_)
            | E::Malformed(_)
            | E::EncryptedRequestObject
            | E::RequestUriMethod(_)
            | E::ResponseType(_) => Msg::RequestUnreadable,
            E::InsecureUrl { .. } => Msg::RequestInsecure,
            E::RequestFetch(_) => Msg::RequestFetchFailed,
            E::TooLarge { .. } => Msg::RequestTooLarge,
            // The browser reads at most 2 MB of any answer: the verifier was reached.
            E::Network(NetworkError::TooLarge { .. }) => Msg::VerifierTooLarge,
            E::Network(_) => Msg::VerifierUnreachable,
            E::Jws(_)
            | E::Crypto(_)
            | E::Unsigned { .. }
            | E::SignedRedirectUri
            | E::ClientIdMismatch { .. }
            | E::ClientNotVerified { .. }
            | E::Certificate(_)
            | E::ResponseUriNotBound { .. }
            | E::WalletNonceMismatch
            | E::MissingNonce
            | E::NoExpiry
            | E::DidResolution { .. } => Msg::RequestUnverified,
            E::UnsupportedClientId(_) => Msg::VerifierKindUnsupported,
            E::Expired { .. } => Msg::RequestExpired,
            E::NotYetValid { .. } => Msg::RequestNotYetValid,
            E::ResponseMode(_) => Msg::ResponseModeUnsupported,
            E::TransactionData => Msg::TransactionDataUnsupported,
            E::Query(e) => e.user_message(),
            E::Selection(_) => Msg::SelectionInvalid,
            E::HolderMismatch { .. } => Msg::PresentHolderMismatch,
            E::Encryption(_) => Msg::EncryptionFailed,
            E::Rejected { status: 401, .. } => Msg::VerifierRejected401,
            E::Rejected { status: 403, .. } => Msg::VerifierRejectedRevoked,
            E::Rejected { status, .. } if *status >= 500 => Msg::VerifierRejected500,
            E::Rejected { .. } => Msg::VerifierRejected,
            E::Other(_) => Msg::AnswerFailed,
        }
    }
}

impl From<NetworkError> for PresentationError {
    fn from(e: NetworkError) -> Self {
        Self::Network(e)
    }
}

impl From<JwsError> for PresentationError {
    fn from(e: JwsError) -> Self {
        Self::Jws(e)
    }
}

impl From<CryptoError> for PresentationError {
    fn from(e: CryptoError) -> Self {
        Self::Crypto(e)
    }
}

impl From<X509Error> for PresentationError {
    fn from(e: X509Error) -> Self {
        Self::Certificate(e)
    }
}

/// The core's shared helpers (`Jws::verify`, `jws::sign_es256`) return [`Error`]; keep its cause.
impl From<Error> for PresentationError {
    fn from(e: Error) -> Self {
        match e {
            Error::Jws(e) => Self::Jws(e),
            Error::Crypto(e) => Self::Crypto(e),
            Error::Network(e) => Self::Network(e),
            Error::Certificate(e) => Self::Certificate(e),
            Error::Presentation(e) => e,
            other => Self::Other(other.to_string()),
        }
    }
}

/// JSON values from a peer, named for error messages by kind only.
pub(crate) fn kind(value: &serde_json::Value) -> &'static str {
    super::credential::json_kind(value)
}

/// Largest JSON-valued request parameter accepted (`dcql_query`, `presentation_definition`,
/// `client_metadata`).
pub(crate) const MAX_JSON_PARAM_LEN: usize = 128 * 1024;

/// A request parameter holding JSON: an object in a request object, or JSON text when it came as
/// a URL parameter (OpenID4VP 1.0 §5.1: "transferred as JSON-serialized strings").
pub(crate) fn json_param(
    params: &serde_json::Map<String, serde_json::Value>,
    name: &str,
) -> Result<Option<serde_json::Value>, String> {
    match params.get(name) {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::String(text)) if text.len() > MAX_JSON_PARAM_LEN => {
            Err(format!("\"{name}\" exceeds {MAX_JSON_PARAM_LEN} bytes"))
        }
        Some(serde_json::Value::String(text)) => {
            super::json::parse(text.as_bytes()).map(Some).map_err(|_| format!("\"{name}\" is not JSON"))
        }
        Some(value) => Ok(Some(value.clone())),
    }
}
