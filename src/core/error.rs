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
    pub fn user_message(&self) -> &'static str {
        match self {
            Error::DidKey(_) | Error::Encoding(_) | Error::Jws(_) => {
                "The wallet received data it cannot read. Nothing was stored or sent."
            }
            Error::Certificate(_) => "The issuer's certificate could not be read or checked. Nothing was stored.",
            Error::Credential(e) => credential_message(e),
            Error::Presentation(e) => e.user_message(),
            Error::Crypto(CryptoError::Unavailable(_)) => {
                "This browser does not offer the cryptography the wallet needs. Open the wallet in an up-to-date browser over https."
            }
            Error::Crypto(CryptoError::WrongSecret) => "That passphrase or passkey does not unlock this wallet.",
            Error::Crypto(_) => "The wallet could not use its keys. Reload the page and try again.",
            Error::Storage(StorageError::NewerVersion { .. }) => {
                "This wallet's data was saved by a newer version of the wallet. Reload the page to get the newest version."
            }
            Error::Storage(StorageError::Unavailable(_)) => {
                "The browser does not let the wallet store data (private browsing, or storage is blocked for this site). Allow site data and reload."
            }
            Error::Storage(StorageError::Locked) => "The wallet was locked. Unlock it and try again.",
            Error::Storage(_) => "The wallet could not read or save its data. Reload the page and try again.",
            Error::Network(NetworkError::Timeout { .. }) => {
                "The other side took too long to answer. Check your connection and try again."
            }
            Error::Network(NetworkError::TooLarge { .. }) => {
                "The other side sent far more data than expected, so the wallet stopped. Nothing was stored."
            }
            Error::Network(NetworkError::Unreachable { .. }) => {
                "The wallet could not reach the other side. Check your connection; if it persists, the service may not allow browser wallets (CORS)."
            }
            Error::Invocation(InvocationError::Offer(e)) => oid4vci::offer_message(e),
            Error::Invocation(InvocationError::OfferUri(_)) => {
                "This offer is not valid: its address is not a secure (https) address."
            }
            Error::Invocation(_) => "This link or code is not a valid wallet request. Ask the sender for a new one.",
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
fn credential_message(e: &CredentialError) -> &'static str {
    use CredentialError as E;
    match e {
        E::Jws(_) | E::Malformed(_) | E::MissingIssuer | E::BadX5c(_) | E::Certificate(_) => {
            "The wallet received a credential it cannot read. It was not stored."
        }
        E::IssuerMismatch { .. } => "The credential names two different issuers. It was not stored.",
        E::UnsupportedIssuerKey(_) | E::IssuerDid(_) => {
            "The wallet cannot check this issuer's signature, so the credential was not stored."
        }
        E::ThumbprintMismatch | E::KeyAlgorithmMismatch { .. } | E::KidMismatch { .. } | E::BadSignature => {
            "The credential's signature does not match its content: it may have been altered. It was not stored."
        }
        E::Crypto(_) => "The wallet could not check the credential's signature. Reload the page and try again.",
        E::OrganizationMismatch { .. } | E::HostMismatch { .. } => {
            "The credential's seal does not belong to the organisation that claims to issue it. It was not stored."
        }
        E::NotYetValid { .. } => {
            "This credential is not valid yet. Check that this device's date and time are right, then try again."
        }
        E::Expired { .. } => "This credential has expired. It was not stored.",
        E::HolderMismatch { .. } | E::ConfirmationMismatch { .. } => {
            "This credential was issued to a different key than this wallet's. It was not stored."
        }
        E::WrongType { .. } => "This is not the kind of credential that was expected. It was not stored.",
    }
}
