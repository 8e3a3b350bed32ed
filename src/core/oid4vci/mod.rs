//! OpenID for Verifiable Credential Issuance: the pre-authorized code flow, as OpenID4VCI 1.0
//! specifies it and as DOME's issuers (v2.2 and v1.6, draft-13 shaped) run it.
//!
//! ```text
//! Invocation::parse ─► OfferSource ─resolve()─► ResolvedOffer ─accept(PIN)─► Issued
//!                      (by value, or by        (offer fetched once,         ├ ready: credentials ─► verify, store, notify()
//!                       reference)              metadata checked)           └ deferred: DeferredIssuance ─poll()─► …
//! ```
//!
//! - [`offer`]: the offer and the flow's secrets ([`offer::PreAuthorizedCode`], [`offer::TxCode`],
//!   [`offer::AccessToken`]: redacted `Debug`, no `Clone`).
//! - [`metadata`]: issuer and authorization server metadata, fetched and checked (identifiers
//!   equal, endpoints on the publisher's origin).
//! - [`messages`]: the wire format of each request and answer.
//! - [`flow`]: the state machine over the ports.
//!
//! # Which credential request form is sent
//!
//! Decided once per accepted offer, from what the issuer's messages say about themselves:
//!
//! | issuer metadata / token response | form | proof JWT |
//! |---|---|---|
//! | metadata has a `nonce_endpoint` | **1.0**: `{credential_configuration_id \| credential_identifier, proofs: {jwt: [..]}}` | nonce from the nonce endpoint; no `iss` (1.0 §F.1: anonymous pre-authorized access) |
//! | no `nonce_endpoint`, token response has `c_nonce` | **DOME v1.6**: `{format, credential_definition: {type}, proofs: {proof_type: "jwt", jwt: [..]}}` | `iss` = holder DID, `nonce` = `c_nonce`, `exp` (v1.6 requires it) |
//! | neither | **DOME v2.2 / draft 13**: `{credential_configuration_id, format, proof: {proof_type: "jwt", jwt}}` | `iss` = holder DID, no `nonce` |
//!
//! The 1.0 form uses `credential_identifier` when the token response's `authorization_details`
//! gave identifiers for the configuration. Configurations without key binding (no
//! `cryptographic_binding_methods_supported`, no `proof_types_supported`) get no proof. Every
//! proof header is `{typ: "openid4vci-proof+jwt", alg: "ES256", kid: "did:key:z…#z…"}` (never
//! `jwk`: DOME's issuer derives a wrong DID from one), `aud` is the credential issuer exactly,
//! and every credential gets a fresh holder key.
//!
//! Notifications: 1.0-form issuers get `{notification_id, event}`; the others (DOME) also get
//! `notificationId`, the camelCase name DOME v2.2 reads (its Java record has no JSON names),
//! which Jackson's defaults ignore when unknown and standard issuers ignore as an unknown member.
//!
//! # What the user is told
//!
//! [`IssuanceError`] separates what people can act on: a PIN that was not accepted
//! ([`IssuanceError::TxCodeRejected`]: `invalid_grant` when a PIN was sent, or DOME's HTTP 500),
//! an offer that is used up or expired, an issuer that cannot be reached (offline or CORS), an
//! issuer that refused (with its OAuth `error` or RFC 7807 `type`), and invalid offers.

use std::fmt;

use super::error::{Error, NetworkError};

pub mod flow;
pub mod messages;
pub mod metadata;
pub mod offer;
#[cfg(test)]
mod tests;

pub use flow::{notify, DeferredIssuance, DeferredPoll, Issued, NotificationEvent, Notification, ReceivedCredential, ResolvedOffer};
pub use metadata::{AuthServerMetadata, CredentialConfiguration, Display, IssuerMetadata, Logo, MetadataError};
pub use offer::{AccessToken, CredentialOffer, InputMode, OfferError, OfferSource, PreAuthorizedCode, TxCode, TxCodeError, TxCodeSpec};

/// The step of the flow a failure happened in, for developers' messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Offer,
    IssuerMetadata,
    AuthorizationServer,
    Token,
    Nonce,
    Credential,
    Deferred,
    Notification,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Step::Offer => "credential offer",
            Step::IssuerMetadata => "issuer metadata",
            Step::AuthorizationServer => "authorization server metadata",
            Step::Token => "token request",
            Step::Nonce => "nonce request",
            Step::Credential => "credential request",
            Step::Deferred => "deferred credential request",
            Step::Notification => "notification",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IssuanceError {
    /// The issuer could not be reached (offline, refused, CORS, timeout, oversized answer).
    #[error("{step}: {error}")]
    Network { step: Step, error: NetworkError },
    /// The offer URL answered 404/410/400, or the token endpoint refused the pre-authorized
    /// code (`invalid_grant`) when no PIN was involved.
    #[error("{step}: the offer was already used or has expired (HTTP {status})")]
    OfferExpired { step: Step, status: u16 },
    /// [`ResolvedOffer::accept`] was called again after the single-use code was redeemed;
    /// nothing was sent.
    #[error("the offer's pre-authorized code was already redeemed")]
    AlreadyRedeemed,
    #[error("credential offer: {0}")]
    Offer(#[from] OfferError),
    #[error("{step}: {error}")]
    Metadata { step: Step, error: metadata::MetadataError },
    #[error("{step}: not published (HTTP {status})")]
    MetadataNotFound { step: Step, status: u16 },
    #[error("credential {id:?} cannot be received: {reason}")]
    UnsupportedCredential { id: String, reason: &'static str },
    #[error("the offer requires a PIN and none was given")]
    TxCodeRequired,
    #[error("{0}")]
    TxCodeInvalid(TxCodeError),
    /// The token endpoint refused the request that carried a PIN: wrong or expired PIN (or code).
    /// The same [`ResolvedOffer`] can be accepted again with another PIN.
    #[error("the PIN was not accepted (HTTP {status}, {code:?})")]
    TxCodeRejected { status: u16, code: Option<String> },
    #[error("the issuer binds its token with DPoP, which this wallet does not support")]
    DpopRequired,
    /// The issuer answered with an error status.
    #[error("{step}: refused with HTTP {status} (code {code:?}: {description:?})")]
    Refused { step: Step, status: u16, code: Option<String>, description: Option<String> },
    /// The answer was not what the protocol says (not JSON, fields missing or malformed).
    #[error("{step}: unreadable answer: {detail}")]
    BadResponse { step: Step, detail: String },
    /// The deferred endpoint no longer knows the transaction (`invalid_transaction_id`).
    #[error("the issuer does not know the deferred transaction")]
    TransactionUnknown,
    /// Creating or using a holder key failed.
    #[error("holder keys: {0}")]
    Keys(Box<Error>),
}

impl IssuanceError {
    /// The issuer's error code (OAuth `error` or RFC 7807 `type`), if it sent one that is safe
    /// to show: short, and only letters, digits and `_ - . : /`.
    pub fn peer_code(&self) -> Option<&str> {
        let code = match self {
            IssuanceError::Refused { code, .. } | IssuanceError::TxCodeRejected { code, .. } => code.as_deref()?,
            _ => return None,
        };
        let safe = code.len() <= 64 && code.chars().all(|c| c.is_ascii_alphanumeric() || "_-.:/".contains(c));
        safe.then_some(code)
    }

    pub(crate) fn refused(step: Step, reply: &crate::core::net::Reply) -> Self {
        let error = reply.error();
        let cap = |s: Option<&str>, n: usize| s.map(|s| s.chars().filter(|c| !c.is_control()).take(n).collect());
        IssuanceError::Refused { step, status: reply.status, code: cap(error.code(), 128), description: cap(error.description(), 256) }
    }
}

/// What [`crate::core::Error::user_message`] says for an issuance failure.
pub(crate) fn user_message(error: &IssuanceError) -> &'static str {
    use IssuanceError as E;
    match error {
        E::Network { error: NetworkError::Timeout { .. }, .. } => {
            "The issuer took too long to answer. Check your connection and try again."
        }
        E::Network { error: NetworkError::TooLarge { .. }, .. } => {
            "The issuer sent far more data than expected, so the wallet stopped. Nothing was stored."
        }
        E::Network { .. } => {
            "The issuer could not be reached. Check your connection and try again; if it keeps failing, the issuer may not allow browser wallets (CORS)."
        }
        E::OfferExpired { .. } | E::AlreadyRedeemed => {
            "This offer was already used or has expired: ask your issuer for a new one."
        }
        E::Offer(e) => offer_message(e),
        E::Metadata { error: metadata::MetadataError::EncryptionRequired, .. } => {
            "This issuer requires encryption this wallet does not support yet, so the credential cannot be received here."
        }
        E::Metadata { .. } | E::MetadataNotFound { .. } => {
            "This offer is not valid: the issuer's published configuration is missing or inconsistent, so the wallet stopped. Contact the issuer."
        }
        E::UnsupportedCredential { .. } => {
            "This offer is for a kind of credential this wallet cannot hold yet. Nothing was stored."
        }
        E::TxCodeRequired => "Enter the PIN the issuer sent you (for example by e-mail) to continue.",
        E::TxCodeInvalid(_) => {
            "This PIN does not have the expected form. Check the PIN in your e-mail and type it again."
        }
        E::TxCodeRejected { .. } => {
            "The PIN was not accepted or has expired. Check the PIN in your e-mail and try again; if it keeps failing, ask for a new offer."
        }
        E::DpopRequired => {
            "This issuer requires a token protection (DPoP) this wallet does not support yet, so the credential cannot be received here."
        }
        E::Refused { .. } => {
            "The issuer refused the request. Try again; if it keeps failing, ask your issuer for a new offer."
        }
        E::BadResponse { .. } => {
            "The issuer sent an answer the wallet cannot read. Nothing was stored. Try again later or contact the issuer."
        }
        E::TransactionUnknown => {
            "The issuer no longer knows this pending credential. Ask your issuer for a new offer."
        }
        E::Keys(inner) => inner.user_message(),
    }
}

/// What to say about an invalid offer.
pub(crate) fn offer_message(error: &OfferError) -> &'static str {
    match error {
        OfferError::AuthorizationCodeOnly => {
            "This offer needs a sign-in at the issuer's website, which this wallet does not support yet. Ask your issuer for an offer with a PIN."
        }
        OfferError::NoUsableGrant => "This offer is not valid: it gives the wallet no way to collect the credential.",
        OfferError::BadIssuer(_) => "This offer is not valid: the issuer's address is not a secure (https) address.",
        OfferError::NoConfigurationIds | OfferError::BadConfigurationId => {
            "This offer is not valid: it does not say which credential is offered."
        }
        OfferError::BadTxCode(_) => "This offer is not valid: it asks for a PIN in a form the wallet cannot accept.",
        _ => "This offer is not valid: the wallet cannot read it. Ask your issuer for a new one.",
    }
}
