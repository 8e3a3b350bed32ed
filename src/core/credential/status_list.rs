//! Status lists: how the wallet learns whether an issuer revoked or suspended a credential.
//!
//! - [`Bitstring`]: an `encodedList` (multibase `u` + base64url of the GZIP of the bits),
//!   decoded, with entries read most significant bit first (Bitstring Status List v1.0 §2.2 and
//!   §7.1: index 0 is the left-most bit).
//! - [`StatusList`]: a list credential whose signature was verified, read: its issuer, its
//!   purposes, its bits.
//! - [`PlainList`]: DOME's legacy list for `PlainListEntity` entries: an unsigned JSON array of
//!   the revoked credentials' tokens, `[{"nonce": "SYC908RIQQqeUXR19nh3EQ"}, …]`, as DOME's
//!   issuer serves it at `/backoffice/v1/credentials/status/{listId}`. Unsigned, it is believed
//!   only as far as the https connection to the issuer's host.
//! - [`StatusLists`]: one round of checks. It fetches each list at most once (credentials that
//!   share a list share one fetch), verifies it with [`verify_status_list_credential`] (the same
//!   checks as a received credential: signature, the certificate belonging to the issuer,
//!   validity), and answers for each credential with a [`StatusReport`].
//!
//! The Validate Algorithm (Bitstring Status List v1.0 §3.2) as applied: the list must verify,
//! its issuer must be the credential's, the entry's `statusPurpose` must be one of the list's,
//! the list must hold at least [`MIN_ENTRIES`] entries of `statusSize` bits, and the index must
//! lie inside it. A bit set for `revocation` means revoked, for `suspension` suspended; other
//! purposes (`refresh`, `message`) say nothing about validity and are not fetched.

use std::rc::Rc;

use crate::core::quote::quoted;
use serde_json::Value;

use super::jwt_vc::JwtVc;
use super::standing::{Listed, Unverifiable};
use super::status::CredentialStatus;
use super::verify::{verify_status_list_credential, CredentialError, VerifiedCredential};
use crate::core::collections::TryCollect;
use crate::core::encoding::b64url_decode;
use crate::core::error::NetworkError;
use crate::core::gzip::GzipError;
use crate::core::json;
use crate::core::net::{self, PeerUrl};
use crate::core::ports::{Crypto, Gunzip, HttpClient};

/// The smallest list believed: 131,072 entries (Bitstring Status List v1.0 §3.2, so that a
/// list tells little about any one holder).
pub const MIN_ENTRIES: u64 = 131_072;

/// The largest decompressed list accepted: 16 Mi one-bit entries.
pub const MAX_LIST_BYTES: usize = 2 * 1024 * 1024;

/// The largest answer read from a list URL.
pub const MAX_LIST_ANSWER: usize = 1024 * 1024;

/// What the wallet asks a list URL for: DOME's issuer serves `application/vc+jwt` only (and
/// answers 406 to anything else), its legacy list JSON.
pub const ACCEPT: &str = "application/vc+jwt, application/jwt;q=0.9, application/json;q=0.8, */*;q=0.5";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StatusListError {
    #[error("encodedList must be multibase base64url, starting with \"u\"")]
    NotMultibase,
    #[error("encodedList is not base64url")]
    Base64,
    #[error("encodedList: {0}")]
    Gzip(#[from] GzipError),
    #[error("the list has {entries} entries; at least {MIN_ENTRIES} are required")]
    TooShort { entries: u64 },
    #[error("index {index} lies outside the list of {entries} entries")]
    OutOfRange { index: u64, entries: u64 },
    #[error("not a status list: {0}")]
    NotAList(&'static str),
    #[error("the entry's purpose is {q_entry}, the list's {q_list}", q_entry = quoted(.entry), q_list = quoted(.list))]
    PurposeMismatch { entry: String, list: Vec<String> },
    #[error("the list was issued by {q_list}, the credential by {q_credential}", q_list = quoted(.list), q_credential = quoted(.credential))]
    IssuerMismatch { list: String, credential: String },
    #[error("the legacy list is not a JSON array of {{\"nonce\": \"…\"}} objects: {0}")]
    BadPlainList(String),
    #[error("the answer is neither a signed list (a JWT) nor a legacy list (a JSON array)")]
    UnknownFormat,
}

/// A decoded list of status bits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitstring {
    bytes: Vec<u8>,
}

impl Bitstring {
    /// Decodes a Bitstring Status List `encodedList`: multibase `u`, base64url, GZIP.
    pub async fn decode(encoded: &str, gzip: &impl Gunzip) -> Result<Self, StatusListError> {
        let text = encoded.strip_prefix('u').ok_or(StatusListError::NotMultibase)?;
        Self::decode_base64url(text, gzip).await
    }

    /// Decodes a Status List 2021 `encodedList`: base64url of GZIP, without the multibase prefix
    /// (which some issuers add anyway: GZIP's base64 always begins `H4sI`).
    pub async fn decode_2021(encoded: &str, gzip: &impl Gunzip) -> Result<Self, StatusListError> {
        let text = encoded.strip_prefix('u').filter(|rest| rest.starts_with("H4sI")).unwrap_or(encoded);
        Self::decode_base64url(text, gzip).await
    }

    async fn decode_base64url(text: &str, gzip: &impl Gunzip) -> Result<Self, StatusListError> {
        let packed = b64url_decode(text).map_err(|_| StatusListError::Base64)?;
        Ok(Self { bytes: gzip.gunzip(&packed, MAX_LIST_BYTES).await? })
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self { bytes }
    }

    /// The number of bits.
    pub fn len(&self) -> u64 {
        self.bytes.len() as u64 * 8
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The number of entries of `size` bits.
    pub fn entries(&self, size: u8) -> u64 {
        self.len() / u64::from(size.max(1))
    }

    /// The value of entry `index` of `size` bits (1 to 8): the bits from `index * size` on, the
    /// first being the most significant.
    pub fn get(&self, index: u64, size: u8) -> Result<u8, StatusListError> {
        let size = size.clamp(1, 8);
        let out_of_range = || StatusListError::OutOfRange { index, entries: self.entries(size) };
        let first = index.checked_mul(u64::from(size)).ok_or_else(out_of_range)?;
        let mut value = 0u8;
        for position in first..first.saturating_add(u64::from(size)) {
            let byte = usize::try_from(position / 8).ok().and_then(|i| self.bytes.get(i)).ok_or_else(out_of_range)?;
            let bit = (byte >> (7 - position % 8)) & 1;
            value = (value << 1) | bit;
        }
        Ok(value)
    }
}

/// Which specification a list follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    /// W3C Bitstring Status List v1.0 (`BitstringStatusListCredential`).
    Bitstring,
    /// W3C CCG Status List 2021 (`StatusList2021Credential`).
    StatusList2021,
}

/// A verified status list credential, read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusList {
    pub kind: ListKind,
    /// The list credential's issuer.
    pub issuer: String,
    /// Its `statusPurpose` values.
    pub purposes: Vec<String>,
    pub bits: Bitstring,
}

impl StatusList {
    /// Reads a list credential that passed [`verify_status_list_credential`].
    pub async fn from_credential(credential: &VerifiedCredential, gzip: &impl Gunzip) -> Result<Self, StatusListError> {
        let vc = credential.view().vc();
        let (kind, subject_type) = if vc.has_type("BitstringStatusListCredential") {
            (ListKind::Bitstring, "BitstringStatusList")
        } else if vc.has_type("StatusList2021Credential") {
            (ListKind::StatusList2021, "StatusList2021")
        } else {
            return Err(StatusListError::NotAList("its type is neither BitstringStatusListCredential nor StatusList2021Credential"));
        };
        let subject = &vc.subject;
        let type_matches = match subject.get("type") {
            Some(Value::String(t)) => t == subject_type,
            Some(Value::Array(types)) => types.iter().any(|t| t.as_str() == Some(subject_type)),
            _ => false,
        };
        if !type_matches {
            return Err(StatusListError::NotAList("credentialSubject.type does not name the list's type"));
        }
        let purposes = match subject.get("statusPurpose") {
            Some(Value::String(p)) => vec![p.clone()],
            Some(Value::Array(items)) if !items.is_empty() => items
                .iter()
                .map(|p| p.as_str().map(str::to_owned).ok_or(StatusListError::NotAList("statusPurpose is not a list of strings")))
                .try_vec()?,
            _ => return Err(StatusListError::NotAList("credentialSubject.statusPurpose is missing")),
        };
        let encoded = subject
            .get("encodedList")
            .and_then(Value::as_str)
            .ok_or(StatusListError::NotAList("credentialSubject.encodedList is missing"))?;
        let bits = match kind {
            ListKind::Bitstring => Bitstring::decode(encoded, gzip).await?,
            ListKind::StatusList2021 => Bitstring::decode_2021(encoded, gzip).await?,
        };
        Ok(Self { kind, issuer: credential.issuer().id().to_owned(), purposes, bits })
    }

    /// Whether the entry `index` (of `size` bits, for `purpose`) of a credential issued by
    /// `issuer` is set.
    pub fn is_set(&self, issuer: &str, purpose: &str, index: u64, size: u8) -> Result<bool, StatusListError> {
        if self.issuer != issuer {
            return Err(StatusListError::IssuerMismatch { list: self.issuer.clone(), credential: issuer.to_owned() });
        }
        if !self.purposes.iter().any(|p| p == purpose) {
            return Err(StatusListError::PurposeMismatch { entry: purpose.to_owned(), list: self.purposes.clone() });
        }
        let entries = self.bits.entries(size);
        if entries < MIN_ENTRIES {
            return Err(StatusListError::TooShort { entries });
        }
        Ok(self.bits.get(index, size)? != 0)
    }
}

/// DOME's legacy list: the tokens of the revoked credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlainList {
    pub revoked: Vec<String>,
}

impl PlainList {
    /// Reads `[{"nonce": "<token>"}, …]` (other members of the objects are ignored).
    pub fn parse(body: &[u8]) -> Result<Self, StatusListError> {
        let bad = StatusListError::BadPlainList;
        let Value::Array(items) = json::parse(body).map_err(bad)? else {
            return Err(bad("not an array".into()));
        };
        let revoked = items
            .iter()
            .map(|item| match item.get("nonce") {
                Some(Value::String(nonce)) => Ok(nonce.clone()),
                _ => Err(bad("an item without a \"nonce\" string".into())),
            })
            .try_vec()?;
        Ok(Self { revoked })
    }
}

/// Why a credential's status could not be checked, for developers; [`Unchecked::kind`] is what
/// the person is told.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Unchecked {
    #[error("the status list could not be fetched: {0}")]
    Network(NetworkError),
    #[error("the status list's server answered HTTP {0}")]
    Refused(u16),
    #[error("the status list's address is not one the wallet fetches from: {0}")]
    BadUrl(String),
    #[error("the status list credential does not verify: {0}")]
    Credential(CredentialError),
    #[error("the status list is not usable: {0}")]
    List(StatusListError),
    #[error("unknown credentialStatus type {q0}", q0 = quoted(.0))]
    UnknownType(Option<String>),
}

impl Unchecked {
    pub fn kind(&self) -> Unverifiable {
        match self {
            Unchecked::Network(_) | Unchecked::Refused(_) => Unverifiable::Unreachable,
            Unchecked::BadUrl(_) | Unchecked::Credential(_) => Unverifiable::Invalid,
            Unchecked::List(StatusListError::UnknownFormat) | Unchecked::UnknownType(_) => Unverifiable::Unsupported,
            Unchecked::List(_) => Unverifiable::Invalid,
        }
    }
}

/// What one check found for one credential.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatusReport {
    /// Entries that bear on validity (revocation, suspension, unknown kinds).
    pub entries: u32,
    /// The result, when the lists gave one: revoked (or suspended) as soon as one entry says so,
    /// valid only when every entry was checked.
    pub listed: Option<Listed>,
    /// Why (the first) entry could not be checked; not kept once the credential is revoked.
    /// Shared by the credentials whose entries point at the same list.
    pub problem: Option<Rc<Unchecked>>,
}

/// A fetched list, verified and read, or why not.
#[derive(Debug, Clone)]
enum Fetched {
    Signed(Box<StatusList>),
    Plain(PlainList),
}

/// One round of status checks: each list URL is fetched and verified at most once.
pub struct StatusLists<'a, H, C, G> {
    http: &'a H,
    crypto: &'a C,
    gzip: &'a G,
    /// Unix seconds, for the lists' validity periods.
    now: i64,
    lists: Vec<(String, Result<Fetched, Rc<Unchecked>>)>,
}

enum Outcome {
    Ignored,
    Clear,
    Set(Listed),
    Unchecked(Rc<Unchecked>),
}

/// What a set bit means for a purpose; `None` for purposes that say nothing about validity.
fn meaning(purpose: &str) -> Option<Listed> {
    match purpose {
        "revocation" => Some(Listed::Revoked),
        "suspension" => Some(Listed::Suspended),
        _ => None,
    }
}

impl<'a, H: HttpClient, C: Crypto, G: Gunzip> StatusLists<'a, H, C, G> {
    pub fn new(http: &'a H, crypto: &'a C, gzip: &'a G, now: i64) -> Self {
        Self { http, crypto, gzip, now, lists: Vec::new() }
    }

    /// How many list URLs were fetched so far.
    pub fn fetched(&self) -> usize {
        self.lists.len()
    }

    /// Checks every `credentialStatus` entry of `credential`.
    pub async fn check(&mut self, credential: &JwtVc) -> StatusReport {
        let issuer = credential.issuer_id().unwrap_or_default().to_owned();
        let mut report = StatusReport::default();
        let (mut revoked, mut suspended, mut unchecked) = (false, false, false);
        for entry in &credential.vc().status {
            let outcome = self.entry(entry, &issuer).await;
            match outcome {
                Outcome::Ignored => continue,
                Outcome::Clear => {}
                Outcome::Set(Listed::Revoked) => revoked = true,
                Outcome::Set(_) => suspended = true,
                Outcome::Unchecked(why) => {
                    unchecked = true;
                    report.problem.get_or_insert(why);
                }
            }
            report.entries += 1;
        }
        report.listed = if revoked {
            report.problem = None;
            Some(Listed::Revoked)
        } else if suspended {
            Some(Listed::Suspended)
        } else if !unchecked && report.entries > 0 {
            Some(Listed::Valid)
        } else {
            None
        };
        report
    }

    async fn entry(&mut self, entry: &CredentialStatus, issuer: &str) -> Outcome {
        let (url, kind, purpose, index, size) = match entry {
            CredentialStatus::BitstringStatusListEntry { url, index, purpose, size, .. } => {
                (url, ListKind::Bitstring, purpose.as_str(), *index, *size)
            }
            CredentialStatus::StatusList2021Entry { url, index, purpose, .. } => {
                (url, ListKind::StatusList2021, purpose.as_str(), *index, 1)
            }
            CredentialStatus::PlainListEntity { url, index, purpose, .. } => {
                // DOME's legacy entries are for revocation (the purpose may be left out).
                let purpose = purpose.as_deref().unwrap_or("revocation");
                let Some(meaning) = meaning(purpose) else { return Outcome::Ignored };
                return match self.list(url.as_str()).await {
                    Ok(Fetched::Plain(list)) if list.revoked.iter().any(|t| t == index) => Outcome::Set(meaning),
                    Ok(Fetched::Plain(_)) => Outcome::Clear,
                    Ok(Fetched::Signed(_)) => Outcome::Unchecked(Rc::new(Unchecked::List(StatusListError::NotAList(
                        "a PlainListEntity entry points at a signed list",
                    )))),
                    Err(why) => Outcome::Unchecked(why),
                };
            }
            CredentialStatus::Unknown { kind } => return Outcome::Unchecked(Rc::new(Unchecked::UnknownType(kind.clone()))),
        };
        let Some(meaning) = meaning(purpose) else { return Outcome::Ignored };
        match self.list(url.as_str()).await {
            Ok(Fetched::Signed(list)) if list.kind == kind => match list.is_set(issuer, purpose, index, size) {
                Ok(true) => Outcome::Set(meaning),
                Ok(false) => Outcome::Clear,
                Err(e) => Outcome::Unchecked(Rc::new(Unchecked::List(e))),
            },
            Ok(_) => Outcome::Unchecked(Rc::new(Unchecked::List(StatusListError::NotAList("the list is not of the entry's kind")))),
            Err(why) => Outcome::Unchecked(why),
        }
    }

    /// The list at `url`, fetched and verified on first use.
    async fn list(&mut self, url: &str) -> Result<&Fetched, Rc<Unchecked>> {
        let known = self.lists.iter().position(|(u, _)| u == url);
        let index = match known {
            Some(index) => index,
            None => {
                let fetched = self.fetch(url).await.map_err(Rc::new);
                self.lists.push((url.to_owned(), fetched));
                self.lists.len() - 1
            }
        };
        match self.lists.get(index) {
            Some((_, Ok(list))) => Ok(list),
            Some((_, Err(why))) => Err(why.clone()),
            // Unreachable: `index` was just found or pushed.
            None => Err(Rc::new(Unchecked::List(StatusListError::UnknownFormat))),
        }
    }

    async fn fetch(&self, url: &str) -> Result<Fetched, Unchecked> {
        let url = PeerUrl::parse(url).map_err(|e| Unchecked::BadUrl(e.to_string()))?;
        let reply = net::get_accepting(self.http, &url, ACCEPT, MAX_LIST_ANSWER).await.map_err(Unchecked::Network)?;
        if !reply.is_success() {
            return Err(Unchecked::Refused(reply.status));
        }
        let body = reply.body.trim_ascii();
        if body.starts_with(b"[") {
            return PlainList::parse(body).map(Fetched::Plain).map_err(Unchecked::List);
        }
        let Ok(jwt) = std::str::from_utf8(body) else { return Err(Unchecked::List(StatusListError::UnknownFormat)) };
        if jwt.split('.').count() != 3 || jwt.contains(|c: char| c.is_ascii_whitespace() || c == '{') {
            return Err(Unchecked::List(StatusListError::UnknownFormat));
        }
        let verified = verify_status_list_credential(jwt, self.now, self.crypto).await.map_err(Unchecked::Credential)?;
        let list = StatusList::from_credential(&verified, self.gzip).await.map_err(Unchecked::List)?;
        Ok(Fetched::Signed(Box::new(list)))
    }
}

#[cfg(test)]
mod tests;
