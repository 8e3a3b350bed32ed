//! One error type for the core, grouped by cause.
//!
//! `Display` is for developers (what was expected, what arrived); [`Error::user_message`] is
//! for people, and never contains secrets or values from the peer.

use super::did_key::DidKeyError;
use super::encoding::EncodingError;
use super::jws::JwsError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error("did:key: {0}")]
    DidKey(#[from] DidKeyError),
    #[error("encoding: {0}")]
    Encoding(#[from] EncodingError),
    #[error("JWS: {0}")]
    Jws(#[from] JwsError),
    #[error("crypto: {0}")]
    Crypto(#[from] CryptoError),
    #[error("storage: {0}")]
    Storage(#[from] StorageError),
    #[error("network: {0}")]
    Network(#[from] NetworkError),
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
            Error::Crypto(CryptoError::Unavailable(_)) => {
                "This browser does not offer the cryptography the wallet needs. Open the wallet in an up-to-date browser over https."
            }
            Error::Crypto(_) => "The wallet could not use its keys. Reload the page and try again.",
            Error::Storage(StorageError::NewerVersion { .. }) => {
                "This wallet's data was saved by a newer version of the wallet. Reload the page to get the newest version."
            }
            Error::Storage(StorageError::Unavailable(_)) => {
                "The browser does not let the wallet store data (private browsing, or storage is blocked for this site). Allow site data and reload."
            }
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
        }
    }
}
