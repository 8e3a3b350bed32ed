//! The few things the core needs from its platform, as traits. The browser implements them in
//! `crate::adapters`; tests implement them natively.
//!
//! The wallet is single-threaded (WebAssembly in one tab), so futures are not `Send`.
#![allow(async_fn_in_trait)]

use super::did_key::DidKey;
use super::url;
use super::error::{CryptoError, Error, NetworkError};
use super::gzip::GzipError;

/// JOSE signature algorithms the wallet verifies. Anything else (including `none`) is refused
/// when the header is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureAlgorithm {
    Es256,
    Rs256,
}

/// A public key to verify a signature with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerifyingKey {
    /// A P-256 key, e.g. from a did:key.
    P256(DidKey),
    /// A DER SubjectPublicKeyInfo, e.g. from an `x5c` leaf certificate.
    Spki(Vec<u8>),
}

pub trait Crypto {
    /// Verifies a JOSE signature (`r || s` for ES256, PKCS#1 v1.5 for RS256).
    /// `Ok(false)` means the signature does not match; `Err` means the check could not run.
    async fn verify(
        &self,
        alg: SignatureAlgorithm,
        key: &VerifyingKey,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, CryptoError>;

    async fn sha256(&self, data: &[u8]) -> Result<[u8; 32], CryptoError>;

    /// Cryptographically secure random bytes (nonces, `jti`).
    fn random_bytes(&self, len: usize) -> Result<Vec<u8>, CryptoError>;
}

/// The holder's keys. Private keys never leave the implementation: callers only see the
/// did:key and signatures.
pub trait HolderKeys {
    /// Creates and stores a new P-256 key; returns its did:key.
    async fn create_key(&self) -> Result<DidKey, Error>;

    /// Signs with ES256 (SHA-256, signature as `r || s`, 64 bytes).
    async fn sign_es256(&self, key: &DidKey, message: &[u8]) -> Result<Vec<u8>, Error>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: url::Url,
    pub headers: Vec<(&'static str, String)>,
    pub body: Option<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

pub trait HttpClient {
    /// Sends one request. Redirects are not followed (a peer's redirect is data to check,
    /// not an instruction), and the body is capped by the implementation.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, NetworkError>;
}

/// GZIP decompression (status lists are GZIP): `crate::core::gzip::Miniz` in plain Rust, or the
/// platform's own decompressor.
pub trait Gunzip {
    /// The one GZIP member that is all of `data`, expanded; more than `limit` bytes of output is
    /// [`GzipError::TooLarge`].
    async fn gunzip(&self, data: &[u8], limit: usize) -> Result<Vec<u8>, GzipError>;
}
