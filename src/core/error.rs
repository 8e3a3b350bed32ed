//! One error type for the core, grouped by cause.
//!
//! `Display` is for developers (what was expected, what arrived); [`Error::user_message`] is
//! for people, and never contains secrets or values from the peer.

use super::credential::verify::CredentialError;
use super::did_key::DidKeyError;
use super::encoding::EncodingError;
use super::invocation::InvocationError;
use super::jws::JwsError;
use super::oid4vci::{self, IssuanceError};
use super::oid4vp::PresentationError;
use super::x509::X509Error;
use crate::i18n::Msg;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("did:key: {0}")]
    DidKey(#[from] DidKeyError),
    #[error("encoding: {0}")]
    Encoding(#[from] EncodingError),
    #[error("JWS: {0}")]
    Jws(#[from] JwsError),
    #[error("certificate: {0}")]
    Certificate(#[from] X509Error),
    #[error("credential: {0}")]
    Credential(#[from] CredentialError),
    #[error("presentation: {0}")]
    Presentation(#[from] PresentationError),
    #[error("crypto: {0}")]
    Crypto(#[from] CryptoError),
    #[error("storage: {0}")]
    Storage(#[from] StorageError),
    #[error("network: {0}")]
    Network(#[from] NetworkError),
    #[error("link: {0}")]
    Invocation(#[from] InvocationError),
    #[error("issuance: {0}")]
    Issuance(#[from] IssuanceError),
}

/// A failure of the platform's cryptography (WebCrypto in the browser).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CryptoError {
    #[error("the browser's cryptography is not available: {0}")]
    Unavailable(String),
    #[error("key generation failed: {0}")]
    KeyGeneration(String),
    #[error("signing failed: {0}")]
    Signing(String),
    #[error("the key could not be imported: {0}")]
    KeyImport(String),
    #[error("no key is stored for {0}")]
    UnknownKey(String),
    /// The passphrase or passkey given to unlock did not unwrap the wallet lock's key.
    #[error("the passphrase or passkey does not unlock this wallet")]
    WrongSecret,
    #[error("{0}")]
    Other(String),
}

/// A failure of the wallet's own storage (IndexedDB in the browser).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StorageError {
    #[error("storage is not available: {0}")]
    Unavailable(String),
    #[error("the stored data was written by a newer wallet (this wallet knows schema versions up to {known})")]
    NewerVersion { known: u32 },
    #[error("storage operation failed: {0}")]
    Operation(String),
    #[error("a stored record is malformed: {0}")]
    Corrupt(String),
    /// The wallet lock is on and the wallet is locked: its records cannot be read or written.
    #[error("the wallet is locked")]
    Locked,
}

/// What the platform under the wallet's own keys and records fails with: its storage or its
/// cryptography. Narrower than [`Error`], so the page's start-up, which touches only these,
/// does not carry (and drop) every protocol error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlatformError {
    #[error("storage: {0}")]
    Storage(#[from] StorageError),
    #[error("crypto: {0}")]
    Crypto(#[from] CryptoError),
}

impl From<PlatformError> for Error {
    fn from(e: PlatformError) -> Self {
        match e {
            PlatformError::Storage(e) => Error::Storage(e),
            PlatformError::Crypto(e) => Error::Crypto(e),
        }
    }
}

/// A failure to reach a peer, as opposed to a peer's answer we refuse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NetworkError {
    #[error("could not reach {host} (offline, refused, or blocked by the browser's CORS policy): {detail}")]
    Unreachable { host: String, detail: String },
    #[error("{host} took too long to answer")]
    Timeout { host: String },
    #[error("the answer from {host} is larger than {limit} bytes")]
    TooLarge { host: String, limit: usize },
}

impl Error {
    /// What to tell the person using the wallet: what happened and, where possible, what to do.
    pub fn user_message(&self) -> Msg {
        match self {
            Error::DidKey(_) | Error::Encoding(_) | Error::Jws(_) => Msg::DataUnreadable,
            Error::Certificate(_) => Msg::CertificateUnreadable,
            Error::Credential(e) => credential_message(e),
            Error::Presentation(e) => e.user_message(),
            Error::Crypto(CryptoError::Unavailable(_)) => Msg::CryptoUnavailable,
            Error::Crypto(CryptoError::WrongSecret) => Msg::LockWrongSecret,
            Error::Crypto(_) => Msg::KeysUnusable,
            Error::Storage(StorageError::NewerVersion { .. }) => Msg::StorageNewerVersion,
            Error::Storage(StorageError::Unavailable(_)) => Msg::StorageUnavailable,
            Error::Storage(StorageError::Locked) => Msg::WalletLocked,
            Error::Storage(_) => Msg::StorageFailed,
            Error::Network(NetworkError::Timeout { .. }) => Msg::PeerTimeout,
            Error::Network(NetworkError::TooLarge { .. }) => Msg::PeerTooLarge,
            Error::Network(NetworkError::Unreachable { .. }) => Msg::PeerUnreachable,
            Error::Invocation(InvocationError::Offer(e)) => oid4vci::offer_message(e),
            Error::Invocation(InvocationError::OfferUri(_)) => Msg::OfferUriInsecure,
            Error::Invocation(_) => Msg::LinkInvalid,
            Error::Issuance(e) => oid4vci::user_message(e),
        }
    }

    /// A short code from the other side to show after [`Self::user_message`], e.g. "(invalid_proof)"
    /// when an issuer refused: only when the peer sent one and it is safe to show (short, letters,
    /// digits and `_ - . : /`).
    pub fn user_detail(&self) -> Option<&str> {
        match self {
            Error::Issuance(e) => e.peer_code(),
            _ => None,
        }
    }
}

/// Why a received credential was refused, in plain words.
fn credential_message(e: &CredentialError) -> Msg {
    use CredentialError as E;
    match e {
        E::Jws(_) | E::Malformed(_) | E::MissingIssuer | E::BadX5c(_) | E::Certificate(_) => {
            Msg::CredentialUnreadable
        }
        E::IssuerMismatch { .. } => Msg::CredentialTwoIssuers,
        E::UnsupportedIssuerKey(_) | E::IssuerDid(_) => Msg::CredentialIssuerUncheckable,
        E::ThumbprintMismatch
        | E::KeyAlgorithmMismatch { .. }
        | E::KidMismatch { .. }
        | E::BadSignature => Msg::CredentialBadSignature,
        E::Crypto(_) => Msg::CredentialCheckFailed,
        E::OrganizationMismatch { .. } | E::HostMismatch { .. } => Msg::CredentialSealMismatch,
        E::NotYetValid { .. } => Msg::CredentialNotYetValid,
        E::Expired { .. } => Msg::CredentialExpired,
        E::HolderMismatch { .. } | E::ConfirmationMismatch { .. } => Msg::CredentialOtherHolder,
        E::WrongType { .. } => Msg::CredentialWrongType,
    }
}
