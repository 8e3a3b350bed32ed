//! The checks a received credential passes before the wallet stores it.
//!
//! [`verify_credential`] runs them in this order and stops at the first failure, each with its
//! own [`CredentialError`] variant:
//! 1. parse the JWS (size-capped; `alg: none` and unknown `crit` refused) and the credential;
//! 2. `iss` and the credential's `issuer` must name the same issuer;
//! 3. find the issuer's key and verify the signature with it:
//!    - an `x5c` header: the leaf certificate's key (ES256 needs P-256, RS256 needs RSA; a JAdES
//!      header with `crit: ["sigT"]` is fine), and `x5t#S256`, when present, must be its hash;
//!    - no `x5c` and a `did:key` issuer: that key, and a header `kid` must name the same key;
//!    - anything else (an embedded `jwk`, did:web, a URL or did:elsi without a certificate) is
//!      [`CredentialError::UnsupportedIssuerKey`]: the wallet has no way to find the key;
//! 4. the certificate must belong to the issuer: for `did:elsi:<X>`, the leaf's subject
//!    organizationIdentifier must be `<X>`; for an `https` issuer, its host must be a dNSName of
//!    the leaf;
//! 5. the validity period ([`JwtVc::validity`]) must contain `now`, with [`CLOCK_LEEWAY`];
//! 6. the holder must be the wallet's key, and `cnf`, when present, must name the same key;
//! 7. the credential must have one of the expected types.
//!
//! What is *not* checked here: whether the issuer is trusted (DOME's trusted issuers list),
//! the certificate chain up to a qualified CA, and revocation. Those need the network.

use crate::core::quote::quoted;
use super::jwt_vc::{DateSource, JwtVc, JwtVcError, Validity};
use crate::core::did_key::{DidKey, DidKeyError};
use crate::core::encoding::{b64_decode, b64url_decode};
use crate::core::error::{CryptoError, Error};
use crate::core::jws::{alg_name, JwsError};
use crate::core::ports::{Crypto, SignatureAlgorithm, VerifyingKey};
use crate::core::url;
use crate::core::x509::{Certificate, KeyAlgorithm, Name, X509Error};

use super::dates::format_rfc3339;

/// How far the wallet's clock may be off from the issuer's, in seconds.
pub const CLOCK_LEEWAY: i64 = 60;

/// What the wallet expects of a credential it is about to store.
#[derive(Debug, Clone, Copy)]
pub struct Expectations<'a> {
    /// The wallet key the credential must be bound to (`None`: not checked, e.g. when showing a
    /// credential that is not the wallet's own).
    pub holder: Option<&'a DidKey>,
    /// The credential must have at least one of these types; empty means any.
    pub types: &'a [&'a str],
    /// Unix seconds.
    pub now: i64,
}

/// Why an issuer's key could not be found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UnsupportedKey {
    #[error("the header embeds its own key (\"jwk\"), which proves nothing about the issuer")]
    EmbeddedJwk,
    #[error("issuers identified by {0} are not supported (supported: did:key, or an x5c certificate)")]
    DidMethod(String),
    #[error("{q0} has no key of its own; the credential needs an x5c certificate", q0 = quoted(.0))]
    NeedsCertificate(String),
    #[error("an x5c certificate cannot speak for the issuer {q0} (expected did:elsi or an https URL)", q0 = quoted(.0))]
    CertificateCannotName(String),
    #[error("the issuer {q0} is neither a DID nor an https URL", q0 = quoted(.0))]
    Unrecognised(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialError {
    #[error("JWS: {0}")]
    Jws(JwsError),
    #[error("malformed credential: {0}")]
    Malformed(JwtVcError),
    #[error("the credential names no issuer (neither \"iss\" nor \"issuer\")")]
    MissingIssuer,
    #[error("the JWT \"iss\" is {q_jwt} but the credential's issuer is {q_vc}", q_jwt = quoted(.jwt), q_vc = quoted(.vc))]
    IssuerMismatch { jwt: String, vc: String },
    #[error("cannot find the issuer's key: {0}")]
    UnsupportedIssuerKey(UnsupportedKey),
    #[error("the issuer's did:key is invalid: {0}")]
    IssuerDid(DidKeyError),
    #[error("malformed x5c header: expected {0}")]
    BadX5c(&'static str),
    #[error("the x5c leaf certificate: {0}")]
    Certificate(X509Error),
    #[error("the x5t#S256 header is not the SHA-256 of the x5c leaf certificate")]
    ThumbprintMismatch,
    #[error("{alg} needs a {needed} key, but the certificate's key is {found}")]
    KeyAlgorithmMismatch { alg: &'static str, needed: &'static str, found: String },
    #[error("the header \"kid\" {q_kid} does not name the issuer {q_issuer}", q_kid = quoted(.kid), q_issuer = quoted(.issuer))]
    KidMismatch { kid: String, issuer: String },
    #[error("the signature does not verify with the issuer's key")]
    BadSignature,
    #[error("the signature could not be checked: {0}")]
    Crypto(CryptoError),
    #[error("the issuer claims to be organisation {}, but its seal certificate belongs to {}",
        quoted(claimed), quoted_or(certificate, "no organisation identifier"))]
    OrganizationMismatch { claimed: String, certificate: Option<String> },
    #[error("the issuer is {q_host}, but the certificate names only {q_dns_names}", q_host = quoted(.host), q_dns_names = quoted(.dns_names))]
    HostMismatch { host: String, dns_names: Vec<String> },
    #[error("not valid before {} ({claim}); the time is now {}", format_rfc3339(*valid_from), format_rfc3339(*now))]
    NotYetValid { valid_from: i64, claim: DateSource, now: i64 },
    #[error("expired at {} ({claim}); the time is now {}", format_rfc3339(*expired_at), format_rfc3339(*now))]
    Expired { expired_at: i64, claim: DateSource, now: i64 },
    #[error("the credential is bound to {}, not to the wallet's key {}", quoted_or(found, "no holder"), quoted(expected))]
    HolderMismatch { expected: String, found: Option<String> },
    #[error("the credential's holder is {q_holder}, but its \"cnf\" names {q_cnf}", q_holder = quoted(.holder), q_cnf = quoted(.cnf))]
    ConfirmationMismatch { holder: String, cnf: String },
    #[error("the credential's types {q_found} include none of {q_expected}", q_found = quoted(.found), q_expected = quoted(.expected))]
    WrongType { expected: Vec<String>, found: Vec<String> },
}

/// `"value"`, or `none` in plain words when there is no value.
fn quoted_or(value: &Option<String>, none: &str) -> String {
    value.as_deref().map_or_else(|| none.to_owned(), |v| quoted(v).to_string())
}

impl From<JwtVcError> for CredentialError {
    fn from(e: JwtVcError) -> Self {
        match e {
            JwtVcError::Jws(e) => Self::Jws(e),
            other => Self::Malformed(other),
        }
    }
}

/// The key a credential's signature was verified with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssuerKey {
    DidKey(DidKey),
    /// The `x5c` leaf certificate (an eIDAS seal, for DOME).
    Certificate(Box<Certificate>),
}

/// Who issued a verified credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerInfo {
    id: String,
    name: Option<String>,
    organization: Option<String>,
    organization_identifier: Option<String>,
    key: IssuerKey,
}

impl IssuerInfo {
    /// The issuer's DID or URL.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// `issuer.name`, else `issuer.commonName` of the credential, else the certificate's CN.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// `issuer.organization` of the credential, else the certificate's O.
    pub fn organization(&self) -> Option<&str> {
        self.organization.as_deref()
    }

    /// The seal certificate's organizationIdentifier, else the credential's `issuer` claim.
    pub fn organization_identifier(&self) -> Option<&str> {
        self.organization_identifier.as_deref()
    }

    pub fn key(&self) -> &IssuerKey {
        &self.key
    }

    /// The seal certificate's subject, when the key came from `x5c`.
    pub fn certificate_subject(&self) -> Option<&Name> {
        match &self.key {
            IssuerKey::Certificate(cert) => Some(cert.subject()),
            IssuerKey::DidKey(_) => None,
        }
    }

    /// The CA that issued the seal certificate, when the key came from `x5c`.
    pub fn certificate_issuer(&self) -> Option<&Name> {
        match &self.key {
            IssuerKey::Certificate(cert) => Some(cert.issuer()),
            IssuerKey::DidKey(_) => None,
        }
    }

    /// Always true: an `IssuerInfo` exists only for a verified signature.
    pub fn signature_verified(&self) -> bool {
        true
    }
}

/// A credential that passed [`verify_credential`]. It can only be made by that function.
#[derive(Debug, Clone)]
pub struct VerifiedCredential {
    view: JwtVc,
    issuer: IssuerInfo,
}

impl VerifiedCredential {
    /// The credential JWT exactly as received (what the wallet stores and later presents).
    pub fn jwt(&self) -> &str {
        self.view.as_str()
    }

    pub fn view(&self) -> &JwtVc {
        &self.view
    }

    pub fn issuer(&self) -> &IssuerInfo {
        &self.issuer
    }

    pub fn holder(&self) -> Option<&str> {
        self.view.holder()
    }

    pub fn types(&self) -> &[String] {
        &self.view.vc().types
    }

    pub fn validity(&self) -> Validity {
        self.view.validity()
    }
}

/// Verifies a `jwt_vc_json` credential before it is stored (see the module documentation for
/// the steps).
///
/// # Errors
/// The first check that fails, as a [`CredentialError`] naming what was expected and found.
pub async fn verify_credential(
    jwt: &str,
    expect: &Expectations<'_>,
    crypto: &impl Crypto,
) -> Result<VerifiedCredential, CredentialError> {
    verify_parsed(JwtVc::parse(jwt)?, expect, crypto).await
}

/// The types a status list credential has one of (Bitstring Status List v1.0 and its
/// predecessor, Status List 2021).
pub const STATUS_LIST_TYPES: &[&str] = &["BitstringStatusListCredential", "StatusList2021Credential"];

/// Verifies a status list credential: the same checks as [`verify_credential`] (signature, the
/// certificate belonging to the issuer, validity period), with no holder, one of
/// [`STATUS_LIST_TYPES`], and a size limit fit for a list ([`MAX_STATUS_LIST_LEN`]).
///
/// # Errors
/// The first check that fails.
pub async fn verify_status_list_credential(
    jwt: &str,
    now: i64,
    crypto: &impl Crypto,
) -> Result<VerifiedCredential, CredentialError> {
    let view = JwtVc::parse_limited(jwt, MAX_STATUS_LIST_LEN)?;
    verify_parsed(view, &Expectations { holder: None, types: STATUS_LIST_TYPES, now }, crypto).await
}

/// Largest status list credential accepted: a list of a few million entries, even one whose
/// bits compress badly, fits.
pub const MAX_STATUS_LIST_LEN: usize = crate::core::jws::MAX_JWS_LEN;

async fn verify_parsed(
    view: JwtVc,
    expect: &Expectations<'_>,
    crypto: &impl Crypto,
) -> Result<VerifiedCredential, CredentialError> {
    let issuer = issuer_id(&view)?;
    let key = verify_signature(&view, &issuer, crypto).await?;
    check_issuer_binding(&issuer, &key)?;
    check_validity(&view.validity(), expect.now)?;
    check_holder(&view, expect.holder)?;
    check_types(&view, expect.types)?;
    let issuer = issuer_info(&view, issuer, key);
    Ok(VerifiedCredential { view, issuer })
}

/// Verifies only the signature, and says with which key: for showing "signature verified" on a
/// stored credential. Does not check the issuer's binding to a certificate, dates or holder.
pub async fn verify_signature_only(jwt: &str, crypto: &impl Crypto) -> Result<IssuerKey, CredentialError> {
    let view = JwtVc::parse(jwt)?;
    let issuer = issuer_id(&view)?;
    verify_signature(&view, &issuer, crypto).await
}

/// Step 2: `iss` and the credential's `issuer` agree; returns the issuer's identifier.
fn issuer_id(view: &JwtVc) -> Result<String, CredentialError> {
    let jwt = view.claims().iss.as_deref();
    let vc = view.vc().issuer.as_ref().map(|i| i.id.as_str());
    match (jwt, vc) {
        (Some(jwt), Some(vc)) if jwt != vc => {
            Err(CredentialError::IssuerMismatch { jwt: jwt.to_owned(), vc: vc.to_owned() })
        }
        (Some(id), _) | (None, Some(id)) => Ok(id.to_owned()),
        (None, None) => Err(CredentialError::MissingIssuer),
    }
}

/// Step 3: finds the issuer's key and verifies the signature with it.
async fn verify_signature(view: &JwtVc, issuer: &str, crypto: &impl Crypto) -> Result<IssuerKey, CredentialError> {
    let jws = view.jws();
    if let Some(x5c) = jws.header().get("x5c") {
        let leaf = leaf_certificate(x5c)?;
        if let Some(thumbprint) = jws.header().get("x5t#S256") {
            let expected = thumbprint.as_str().and_then(|t| b64url_decode(t).ok());
            let actual = crypto.sha256(leaf.der()).await.map_err(CredentialError::Crypto)?;
            if expected.as_deref() != Some(&actual[..]) {
                return Err(CredentialError::ThumbprintMismatch);
            }
        }
        match (jws.alg(), leaf.key_algorithm()) {
            (SignatureAlgorithm::Es256, KeyAlgorithm::EcP256) | (SignatureAlgorithm::Rs256, KeyAlgorithm::Rsa) => {}
            (alg, found) => {
                let needed = if alg == SignatureAlgorithm::Es256 { "EC P-256" } else { "RSA" };
                return Err(CredentialError::KeyAlgorithmMismatch {
                    alg: alg_name(alg),
                    needed,
                    found: found.to_string(),
                });
            }
        }
        jws.verify(&leaf.verifying_key(), crypto).await.map_err(signature_error)?;
        return Ok(IssuerKey::Certificate(Box::new(leaf)));
    }
    if jws.header().contains_key("jwk") {
        return Err(CredentialError::UnsupportedIssuerKey(UnsupportedKey::EmbeddedJwk));
    }
    if !issuer.starts_with("did:key:") {
        return Err(CredentialError::UnsupportedIssuerKey(unsupported(issuer)));
    }
    let did = DidKey::parse(issuer).map_err(CredentialError::IssuerDid)?;
    if let Some(kid) = jws.header().get("kid") {
        // A full key id, the bare DID, or a relative `#<multibase>` fragment.
        let names_issuer = kid.as_str().is_some_and(|kid| match kid.strip_prefix('#') {
            Some(fragment) => did.as_str().strip_prefix("did:key:") == Some(fragment),
            None => names_did(kid, Some(did.as_str())),
        });
        if !names_issuer {
            let kid = kid.as_str().map_or_else(|| crate::core::json::write(kid), str::to_owned);
            return Err(CredentialError::KidMismatch { kid, issuer: issuer.to_owned() });
        }
    }
    jws.verify(&VerifyingKey::P256(did.clone()), crypto).await.map_err(signature_error)?;
    Ok(IssuerKey::DidKey(did))
}

/// The first `x5c` entry (RFC 7515 §4.1.6: standard base64 DER; the leaf comes first).
fn leaf_certificate(x5c: &serde_json::Value) -> Result<Certificate, CredentialError> {
    let leaf = x5c
        .as_array()
        .and_then(|chain| chain.first())
        .and_then(|leaf| leaf.as_str())
        .ok_or(CredentialError::BadX5c("a non-empty array of base64 certificates"))?;
    let der = b64_decode(leaf).map_err(|_| CredentialError::BadX5c("standard base64 in x5c"))?;
    Certificate::parse(&der).map_err(CredentialError::Certificate)
}

fn signature_error(e: Error) -> CredentialError {
    match e {
        Error::Jws(JwsError::BadSignature) => CredentialError::BadSignature,
        Error::Jws(e) => CredentialError::Jws(e),
        Error::Crypto(e) => CredentialError::Crypto(e),
        other => CredentialError::Crypto(CryptoError::Other(other.to_string())),
    }
}

/// Why an issuer without `x5c` (and not did:key) has no usable key.
fn unsupported(issuer: &str) -> UnsupportedKey {
    if issuer.starts_with("did:elsi:") || issuer.starts_with("https://") {
        UnsupportedKey::NeedsCertificate(issuer.to_owned())
    } else if let Some(rest) = issuer.strip_prefix("did:") {
        let method = rest.split(':').next().unwrap_or_default();
        UnsupportedKey::DidMethod(format!("did:{}", method.chars().take(32).collect::<String>()))
    } else {
        UnsupportedKey::Unrecognised(issuer.chars().take(200).collect())
    }
}

/// The DID a key id names: `did:key:z…#z…` (whose fragment must be its own key) or a bare DID.
fn did_of(kid: &str) -> Option<String> {
    if kid.starts_with("did:key:") {
        DidKey::parse(kid).ok().map(|d| d.as_str().to_owned())
    } else {
        kid.split('#').next().filter(|did| did.starts_with("did:")).map(str::to_owned)
    }
}

/// Whether `did_of(kid)` is `Some(did)`. A `did` that starts `did:key:` must be the text of a
/// parsed [`DidKey`] (its point is on the curve): then `kid` names it exactly when it is that
/// text, or that text with its own multibase value as fragment, within `DidKey::parse`'s length
/// limit; no point is decoded again (a square root in the field, the most costly step of
/// verifying a credential in WebAssembly, done up to five times per credential before).
fn names_did(kid: &str, did: Option<&str>) -> bool {
    match did {
        Some(did) if did.starts_with("did:key:") => {
            kid.len() <= crate::core::did_key::MAX_LEN
                && match kid.split_once('#') {
                    Some((base, fragment)) => base == did && did.strip_prefix("did:key:") == Some(fragment),
                    None => kid == did,
                }
        }
        _ => {
            let named = did_of(kid);
            named.is_some() && named.as_deref() == did
        }
    }
}

/// Step 4: the certificate that verified the signature belongs to the issuer the credential names.
fn check_issuer_binding(issuer: &str, key: &IssuerKey) -> Result<(), CredentialError> {
    let IssuerKey::Certificate(cert) = key else {
        return Ok(()); // a did:key is its own key: step 3 used exactly that key
    };
    if let Some(claimed) = issuer.strip_prefix("did:elsi:") {
        let certificate = cert.subject().organization_identifier();
        return match certificate {
            Some(found) if found == claimed => Ok(()),
            _ => Err(CredentialError::OrganizationMismatch {
                claimed: claimed.to_owned(),
                certificate: certificate.map(str::to_owned),
            }),
        };
    }
    if let Some(host) =
        url::Url::parse(issuer).ok().filter(|u| u.scheme() == "https").and_then(|u| u.host_str().map(str::to_owned))
    {
        let names = cert.san_dns_names();
        return if names.iter().any(|n| n.eq_ignore_ascii_case(&host)) {
            Ok(())
        } else {
            Err(CredentialError::HostMismatch { host, dns_names: names.to_vec() })
        };
    }
    Err(CredentialError::UnsupportedIssuerKey(UnsupportedKey::CertificateCannotName(issuer.to_owned())))
}

/// Step 5: `now` lies within the validity period, give or take [`CLOCK_LEEWAY`].
pub fn check_validity(validity: &Validity, now: i64) -> Result<(), CredentialError> {
    if let Some(from) = validity.from {
        if now.saturating_add(CLOCK_LEEWAY) < from.at {
            return Err(CredentialError::NotYetValid { valid_from: from.at, claim: from.source, now });
        }
    }
    if let Some(until) = validity.until {
        if now.saturating_sub(CLOCK_LEEWAY) >= until.at {
            return Err(CredentialError::Expired { expired_at: until.at, claim: until.source, now });
        }
    }
    Ok(())
}

/// Step 6: the credential is bound to the wallet's key, and `cnf` agrees with its holder.
fn check_holder(view: &JwtVc, expected: Option<&DidKey>) -> Result<(), CredentialError> {
    let holder = view.holder();
    if let Some(expected) = expected {
        if !holder.is_some_and(|holder| names_did(holder, Some(expected.as_str()))) {
            return Err(CredentialError::HolderMismatch {
                expected: expected.as_str().to_owned(),
                found: holder.map(str::to_owned),
            });
        }
    }
    let (Some(cnf), Some(holder)) = (view.claims().cnf.as_ref(), holder) else { return Ok(()) };
    // The holder named the expected key: that key's DID, without decoding its point again.
    let holder_did = match expected {
        Some(expected) => Some(expected.as_str().to_owned()),
        None => did_of(holder),
    };
    if let Some(kid) = &cnf.kid {
        if !names_did(kid, holder_did.as_deref()) {
            return Err(CredentialError::ConfirmationMismatch { holder: holder.to_owned(), cnf: kid.clone() });
        }
    }
    if let Some(jwk) = &cnf.jwk {
        let jwk_did = p256_jwk_did(jwk);
        if jwk_did.is_none() || jwk_did != holder_did {
            return Err(CredentialError::ConfirmationMismatch {
                holder: holder.to_owned(),
                cnf: jwk_did.unwrap_or_else(|| "a JWK that is not a P-256 key".to_owned()),
            });
        }
    }
    Ok(())
}

/// The did:key of a P-256 JWK (`kty: EC, crv: P-256, x, y`).
fn p256_jwk_did(jwk: &serde_json::Map<String, serde_json::Value>) -> Option<String> {
    let field = |name: &str| jwk.get(name).and_then(serde_json::Value::as_str);
    if field("kty") != Some("EC") || field("crv") != Some("P-256") {
        return None;
    }
    let mut sec1 = vec![0x04];
    for coordinate in [field("x")?, field("y")?] {
        let bytes = b64url_decode(coordinate).ok().filter(|b| b.len() == 32)?;
        sec1.extend(bytes);
    }
    DidKey::from_sec1(&sec1).ok().map(|d| d.as_str().to_owned())
}

/// Step 7: one of the expected types.
fn check_types(view: &JwtVc, expected: &[&str]) -> Result<(), CredentialError> {
    if expected.is_empty() || expected.iter().any(|t| view.vc().has_type(t)) {
        return Ok(());
    }
    Err(CredentialError::WrongType {
        expected: expected.iter().map(|t| (*t).to_owned()).collect(),
        found: view.vc().types.clone(),
    })
}

fn issuer_info(view: &JwtVc, id: String, key: IssuerKey) -> IssuerInfo {
    let vc_issuer = view.vc().issuer.as_ref();
    let from_vc = |f: fn(&super::jwt_vc::VcIssuer) -> Option<&String>| vc_issuer.and_then(f).cloned();
    let subject = match &key {
        IssuerKey::Certificate(cert) => Some(cert.subject()),
        IssuerKey::DidKey(_) => None,
    };
    let from_cert = |f: fn(&Name) -> Option<&str>| subject.and_then(f).map(str::to_owned);
    IssuerInfo {
        id,
        name: from_vc(|i| i.name.as_ref())
            .or_else(|| from_vc(|i| i.common_name.as_ref()))
            .or_else(|| from_cert(Name::common_name)),
        organization: from_vc(|i| i.organization.as_ref()).or_else(|| from_cert(Name::organization)),
        // The certificate's value was checked against did:elsi; the credential's is only a claim.
        organization_identifier: from_cert(Name::organization_identifier)
            .or_else(|| from_vc(|i| i.organization_identifier.as_ref())),
        key,
    }
}

#[cfg(test)]
mod tests;
