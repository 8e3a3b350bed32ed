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

use crate::core::quote::quoted;
use crate::i18n::Msg;
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
    #[error("credential {q_id} cannot be received: {reason}", q_id = quoted(.id))]
    UnsupportedCredential { id: String, reason: &'static str },
    #[error("the offer requires a PIN and none was given")]
    TxCodeRequired,
    #[error("{0}")]
    TxCodeInvalid(TxCodeError),
    /// The token endpoint refused the request that carried a PIN: wrong or expired PIN (or code).
    /// The same [`ResolvedOffer`] can be accepted again with another PIN.
    #[error("the PIN was not accepted (HTTP {status}, {q_code})", q_code = quoted(.code))]
    TxCodeRejected { status: u16, code: Option<String> },
    #[error("the issuer binds its token with DPoP, which this wallet does not support")]
    DpopRequired,
    /// The issuer answered with an error status.
    #[error("{step}: refused with HTTP {status} (code {q_code}: {q_description})", q_code = quoted(.code), q_description = quoted(.description))]
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
pub(crate) fn user_message(error: &IssuanceError) -> Msg {
    use IssuanceError as E;
    match error {
        E::Network {
            error: NetworkError::Timeout { .. },
            ..
        } => Msg::IssuerTimeout,
        E::Network {
            error: NetworkError::TooLarge { .. },
            ..
        } => Msg::IssuerTooLarge,
        E::Network { .. } => Msg::IssuerUnreachable,
        E::OfferExpired { .. } | E::AlreadyRedeemed => Msg::OfferUsedOrExpired,
        E::Offer(e) => offer_message(e),
        E::Metadata {
            error: metadata::MetadataError::EncryptionRequired,
            ..
        } => Msg::IssuerNeedsEncryption,
        E::Metadata { .. } | E::MetadataNotFound { .. } => Msg::IssuerMetadataInvalid,
        E::UnsupportedCredential { .. } => Msg::CredentialKindUnsupported,
        E::TxCodeRequired => Msg::PinRequired,
        E::TxCodeInvalid(_) => Msg::PinMalformed,
        E::TxCodeRejected { .. } => Msg::PinRejected,
        E::DpopRequired => Msg::IssuerNeedsDpop,
        E::Refused { .. } => Msg::IssuerRefused,
        E::BadResponse { .. } => Msg::IssuerAnswerUnreadable,
        E::TransactionUnknown => Msg::PendingUnknown,
        E::Keys(inner) => inner.user_message(),
    }
}

/// What to say about an invalid offer.
pub(crate) fn offer_message(error: &OfferError) -> Msg {
    match error {
        OfferError::AuthorizationCodeOnly => Msg::OfferNeedsSignIn,
        OfferError::NoUsableGrant => Msg::OfferNoGrant,
        OfferError::BadIssuer(_) => Msg::OfferIssuerInsecure,
        OfferError::NoConfigurationIds | OfferError::BadConfigurationId => Msg::OfferNoCredential,
        OfferError::BadTxCode(_) => Msg::OfferBadPin,
        _ => Msg::OfferUnreadable,
    }
}
