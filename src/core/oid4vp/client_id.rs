//! Who the verifier is: its client identifier, read with the prefix rules of OpenID4VP 1.0 §5.9
//! and the legacy forms still met (a bare DID, draft 22–24; `client_id_scheme`, draft ≤ 21 and
//! DOME's `"did:key"`), and proven by the request object's signature.
//!
//! | client identifier | proof |
//! |---|---|
//! | `decentralized_identifier:<did>`, bare `did:…`, `client_id_scheme` `did` / `did:key` | signed by the DID's key named by `kid` (did:key decoded; did:web resolved over https) |
//! | `x509_san_dns:<dns>`, `client_id_scheme: x509_san_dns` | signed by the `x5c` leaf, whose subjectAltName holds the name; the chain verifies link by link and is in date; `response_uri` is on that host |
//! | `x509_hash:<b64url sha256>` | signed by the `x5c` leaf with that hash; chain as above |
//! | `redirect_uri:<uri>`, `client_id_scheme: redirect_uri` | none: never signed, shown as unverified; `response_uri` must be the same URI |
//!
//! Anything else (pre-registered, `openid_federation`, `verifier_attestation`, `x509_san_uri`,
//! unknown prefixes) is refused.
//!
//! TODO(trust): X.509 chains are checked for consistency and dates, not against a list of
//! trusted certificate authorities; the wallet has none yet. The identity shown is the DNS name
//! the answer is bound to.

use crate::core::collections::TryCollect;
use crate::core::quote::quoted;
use serde_json::Value;

use super::url_check::peer_url;
use super::PresentationError;
use crate::core::did_key::DidKey;
use crate::core::encoding::{b64_decode, b64url_encode};
use crate::core::jws::Jws;
use crate::core::ports::{Crypto, HttpClient, HttpRequest, Method, VerifyingKey};
use crate::core::url::Url;
use crate::core::x509::Certificate;

/// Longest client identifier accepted.
const MAX_CLIENT_ID_LEN: usize = 2048;
/// Most certificates an `x5c` may carry.
const MAX_CHAIN_LEN: usize = 8;
/// Largest DID document accepted.
const MAX_DID_DOCUMENT_LEN: usize = 64 * 1024;
/// Allowed clock difference when checking certificate validity (seconds).
const CLOCK_SKEW: i64 = 300;

/// Which generation of the specification the client identifier was written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientIdForm {
    /// OpenID4VP 1.0 `prefix:identifier`.
    Prefixed,
    /// A bare DID (drafts 22–24 treated `did:` itself as the prefix).
    BareDid,
    /// A separate `client_id_scheme` parameter (draft 21 and earlier; DOME's `"did:key"`).
    ClientIdScheme,
}

/// How the request names its verifier, with the prefix or scheme taken off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scheme {
    Did { did: String },
    X509SanDns { dns_name: String },
    X509Hash { hash: String },
    RedirectUri { uri: String },
}

/// Who is asking, for the consent screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifierIdentity {
    client_id: String,
    form: ClientIdForm,
    verification: Verification,
}

/// How the verifier's identity was established.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// The request was signed with a key of this DID.
    Did { did: String },
    /// The request was signed with the key of a certificate for this DNS name, and the answer can
    /// only go to that host.
    DnsName { dns_name: String, certificate: CertificateInfo },
    /// The request was signed with the key of the certificate the client identifier is the hash of.
    CertificateHash { certificate: CertificateInfo },
    /// Nothing was verified: the verifier only named the address the answer goes to.
    Unverified { response_uri: String },
}

/// What the verifier's certificate says about it (not checked against trusted authorities).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateInfo {
    /// The leaf certificate's subject (RFC 4514).
    pub subject: String,
    /// The issuer named by the last certificate of the chain (RFC 4514).
    pub chain_issuer: String,
}

impl VerifierIdentity {
    /// The client identifier exactly as the request gave it (the VP's `aud`).
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    pub fn form(&self) -> ClientIdForm {
        self.form
    }

    pub fn verification(&self) -> &Verification {
        &self.verification
    }

    /// True unless the verifier is unverified (a `redirect_uri` client identifier).
    pub fn is_verified(&self) -> bool {
        !matches!(self.verification, Verification::Unverified { .. })
    }

    /// A short name for the verifier: the DNS name, DID, certificate common name, or the host
    /// answers go to.
    pub fn label(&self) -> String {
        match &self.verification {
            Verification::Did { did } => did.clone(),
            Verification::DnsName { dns_name, .. } => dns_name.clone(),
            Verification::CertificateHash { certificate } => certificate.subject.clone(),
            Verification::Unverified { response_uri } => Url::parse(response_uri)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
                .unwrap_or_else(|| response_uri.clone()),
        }
    }
}

/// Reads a client identifier with its optional legacy `client_id_scheme`.
pub(crate) fn parse(
    client_id: &str,
    client_id_scheme: Option<&str>,
) -> Result<(Scheme, ClientIdForm), PresentationError> {
    let unsupported = |what: &str| PresentationError::UnsupportedClientId(what.chars().take(80).collect());
    if client_id.is_empty() || client_id.len() > MAX_CLIENT_ID_LEN || client_id.chars().any(char::is_control) {
        return Err(PresentationError::Malformed("client_id is empty, too long or has control characters".into()));
    }
    let did = |did: &str, form| {
        if did.starts_with("did:") && did.len() > 4 {
            Ok((Scheme::Did { did: did.to_owned() }, form))
        } else {
            Err(PresentationError::Malformed(format!(
                "client_id {} is not a DID",
                quoted(&did.chars().take(80).collect::<String>())
            )))
        }
    };
    if let Some(scheme) = client_id_scheme {
        let id = client_id.to_owned();
        return match scheme {
            // DOME's verifier writes "did:key"; draft 21 wrote "did".
            "did" | "did:key" => did(client_id, ClientIdForm::ClientIdScheme),
            "x509_san_dns" => Ok((Scheme::X509SanDns { dns_name: id }, ClientIdForm::ClientIdScheme)),
            "redirect_uri" => Ok((Scheme::RedirectUri { uri: id }, ClientIdForm::ClientIdScheme)),
            other => Err(unsupported(&format!("client_id_scheme {other}"))),
        };
    }
    match client_id.split_once(':') {
        Some(("decentralized_identifier", rest)) => did(rest, ClientIdForm::Prefixed),
        Some(("did", _)) => did(client_id, ClientIdForm::BareDid),
        Some(("x509_san_dns", rest)) if !rest.is_empty() => {
            Ok((Scheme::X509SanDns { dns_name: rest.to_owned() }, ClientIdForm::Prefixed))
        }
        Some(("x509_hash", rest)) if !rest.is_empty() => {
            Ok((Scheme::X509Hash { hash: rest.to_owned() }, ClientIdForm::Prefixed))
        }
        Some(("redirect_uri", rest)) if !rest.is_empty() => {
            Ok((Scheme::RedirectUri { uri: rest.to_owned() }, ClientIdForm::Prefixed))
        }
        Some((prefix, _)) => Err(unsupported(prefix)),
        // No prefix: a pre-registered client, and this wallet has no registry of verifiers.
        None => Err(unsupported("pre-registered")),
    }
}

/// Proves that the request object was issued by the client. `jws` is `None` for an unsigned
/// request (plain parameters).
pub(crate) async fn verify(
    scheme: &Scheme,
    form: ClientIdForm,
    client_id: &str,
    jws: Option<&Jws>,
    http: &impl HttpClient,
    crypto: &impl Crypto,
    now: i64,
) -> Result<VerifierIdentity, PresentationError> {
    let not_verified =
        |reason: String| PresentationError::ClientNotVerified { client_id: client_id.to_owned(), reason };
    let signed = || jws.ok_or_else(|| PresentationError::Unsigned { client_id: client_id.to_owned() });
    let verification = match scheme {
        Scheme::RedirectUri { uri } => {
            if jws.is_some() {
                return Err(PresentationError::SignedRedirectUri);
            }
            peer_url(uri, "redirect_uri client identifier")?;
            Verification::Unverified { response_uri: uri.clone() }
        }
        Scheme::Did { did } => {
            let jws = signed()?;
            let kid = jws
                .header_str("kid")
                .ok_or_else(|| not_verified("the request object's header has no \"kid\"".into()))?;
            // A relative `#fragment` names a method of the client's own DID.
            let kid = if kid.starts_with('#') { format!("{did}{kid}") } else { kid.to_owned() };
            let kid_did = kid.split_once('#').map_or(kid.as_str(), |(d, _)| d);
            if kid_did != did {
                return Err(not_verified(format!("\"kid\" names {}", quoted(&kid.chars().take(120).collect::<String>()))));
            }
            let key = resolve_did_key(did, &kid, http).await?;
            jws.verify(&key, crypto).await?;
            Verification::Did { did: did.clone() }
        }
        Scheme::X509SanDns { dns_name } => {
            let jws = signed()?;
            let chain = x5c(jws).map_err(not_verified)?;
            let leaf = chain.first().ok_or_else(|| not_verified("empty x5c".into()))?;
            if !leaf.san_dns_names().iter().any(|n| n.eq_ignore_ascii_case(dns_name)) {
                return Err(not_verified(format!(
                    "the certificate's DNS names {} do not include it",
                    quoted(&leaf.san_dns_names())
                )));
            }
            jws.verify(&leaf.verifying_key(), crypto).await?;
            let certificate = check_chain(&chain, crypto, now).await.map_err(not_verified)?;
            Verification::DnsName { dns_name: dns_name.clone(), certificate }
        }
        Scheme::X509Hash { hash } => {
            let jws = signed()?;
            let chain = x5c(jws).map_err(not_verified)?;
            let leaf = chain.first().ok_or_else(|| not_verified("empty x5c".into()))?;
            if b64url_encode(&crypto.sha256(leaf.der()).await?) != *hash {
                return Err(not_verified("the x5c leaf certificate has another hash".into()));
            }
            jws.verify(&leaf.verifying_key(), crypto).await?;
            let certificate = check_chain(&chain, crypto, now).await.map_err(not_verified)?;
            Verification::CertificateHash { certificate }
        }
    };
    Ok(VerifierIdentity { client_id: client_id.to_owned(), form, verification })
}

/// Where the answer may go: an `x509_san_dns` client only to its own host, a `redirect_uri`
/// client only to that very URI (OpenID4VP 1.0 §5.9.3). `raw` is the `response_uri` as sent.
pub(crate) fn check_binding(scheme: &Scheme, client_id: &str, raw: &str, url: &Url) -> Result<(), PresentationError> {
    let bound = match scheme {
        Scheme::X509SanDns { dns_name } => url.host_str().is_some_and(|h| h.eq_ignore_ascii_case(dns_name)),
        Scheme::RedirectUri { uri } => raw == uri,
        Scheme::Did { .. } | Scheme::X509Hash { .. } => true,
    };
    if bound {
        Ok(())
    } else {
        Err(PresentationError::ResponseUriNotBound {
            client_id: client_id.to_owned(),
            response_uri: raw.chars().take(200).collect(),
        })
    }
}

/// The certificates of the `x5c` header, leaf first.
fn x5c(jws: &Jws) -> Result<Vec<Certificate>, String> {
    let Some(Value::Array(items)) = jws.header().get("x5c") else {
        return Err("the request object's header has no \"x5c\" certificate chain".into());
    };
    if items.is_empty() || items.len() > MAX_CHAIN_LEN {
        return Err(format!("x5c holds {} certificates; expected 1 to {MAX_CHAIN_LEN}", items.len()));
    }
    items
        .iter()
        .map(|item| {
            let text = item.as_str().ok_or("an x5c entry is not a string")?;
            let der = b64_decode(text).map_err(|e| format!("x5c: {e}"))?;
            Certificate::parse(&der).map_err(|e| format!("x5c: {e}"))
        })
        .try_vec()
}

/// Each certificate is in date and signed by the next one.
async fn check_chain(chain: &[Certificate], crypto: &impl Crypto, now: i64) -> Result<CertificateInfo, String> {
    for cert in chain {
        if now.saturating_add(CLOCK_SKEW) < cert.not_before() || now.saturating_sub(CLOCK_SKEW) > cert.not_after() {
            return Err(format!("certificate {} is outside its validity period", cert.subject()));
        }
    }
    for pair in chain.windows(2) {
        if let [child, parent] = pair {
            child.verify_issued_by(parent, crypto).await.map_err(|e| e.to_string())?;
        }
    }
    let (Some(leaf), Some(top)) = (chain.first(), chain.last()) else {
        return Err("empty x5c".into());
    };
    Ok(CertificateInfo { subject: leaf.subject().to_rfc4514(), chain_issuer: top.issuer().to_rfc4514() })
}

/// The public key `kid` names in the DID document of `did`.
async fn resolve_did_key(did: &str, kid: &str, http: &impl HttpClient) -> Result<VerifyingKey, PresentationError> {
    let failed = |reason: String| PresentationError::DidResolution { did: did.chars().take(120).collect(), reason };
    if did.starts_with("did:key:") {
        // A did:key document has one method, whose fragment is the key itself (checked by parse).
        return DidKey::parse(kid).map(VerifyingKey::P256).map_err(|e| failed(e.to_string()));
    }
    if !did.starts_with("did:web:") {
        return Err(failed("the wallet resolves did:key and did:web only".into()));
    }
    let url = did_web_url(did).map_err(failed)?;
    let response = http
        .send(HttpRequest {
            method: Method::Get,
            url,
            headers: vec![("Accept", "application/did+json, application/json".into())],
            body: None,
        })
        .await?;
    if response.status != 200 {
        return Err(failed(format!("the DID document answered HTTP {}", response.status)));
    }
    if response.body.len() > MAX_DID_DOCUMENT_LEN {
        return Err(PresentationError::TooLarge {
            what: "DID document",
            len: response.body.len(),
            limit: MAX_DID_DOCUMENT_LEN,
        });
    }
    let doc: Value =
        crate::core::json::parse(&response.body).map_err(|_| failed("the DID document is not JSON".into()))?;
    if doc.get("id").and_then(Value::as_str) != Some(did) {
        return Err(failed("the DID document is for another DID".into()));
    }
    let fragment = kid.split_once('#').map(|(_, f)| format!("#{f}"));
    let names = |id: &str| id == kid || fragment.as_deref() == Some(id);
    // Methods are listed under verificationMethod, or embedded in a verification relationship.
    let method = ["verificationMethod", "assertionMethod", "authentication"]
        .iter()
        .filter_map(|k| doc.get(*k).and_then(Value::as_array))
        .flat_map(|list| list.iter().take(32))
        .find(|m| m.get("id").and_then(Value::as_str).is_some_and(names))
        .ok_or_else(|| failed("the DID document has no method with the request's kid".into()))?;
    method_key(method).map_err(failed)
}

/// `did:web:host[%3Aport][:path…]` → `https://host[:port]/path…/did.json`, or
/// `/.well-known/did.json` without a path (did:web method specification §3.2).
fn did_web_url(did: &str) -> Result<Url, String> {
    let rest = did.strip_prefix("did:web:").unwrap_or_default();
    let mut parts = rest.split(':');
    let host = parts.next().unwrap_or_default().replace("%3A", ":").replace("%3a", ":");
    let path: Vec<&str> = parts.collect();
    if host.is_empty()
        || host.contains(['/', '?', '#', '@', '%'])
        || path.iter().any(|p| p.is_empty() || p.contains(['/', '?', '#', '%']) || *p == "..")
    {
        return Err("not a valid did:web identifier".into());
    }
    let url = if path.is_empty() {
        format!("https://{host}/.well-known/did.json")
    } else {
        format!("https://{host}/{}/did.json", crate::core::collections::join(&path, "/"))
    };
    peer_url(&url, "DID document").map_err(|e| e.to_string())
}

/// A P-256 key from a verification method (`publicKeyJwk` or multibase `publicKeyMultibase`).
fn method_key(method: &Value) -> Result<VerifyingKey, String> {
    if let Some(jwk) = method.get("publicKeyJwk") {
        let s = |name: &str| jwk.get(name).and_then(Value::as_str);
        if s("kty") != Some("EC") || s("crv") != Some("P-256") {
            return Err("the method's key is not a P-256 key".into());
        }
        let mut sec1 = vec![4u8];
        for name in ["x", "y"] {
            let bytes =
                s(name).and_then(|v| crate::core::encoding::b64url_decode(v).ok()).ok_or("malformed publicKeyJwk")?;
            if bytes.len() != 32 {
                return Err("malformed publicKeyJwk".into());
            }
            sec1.extend(bytes);
        }
        return DidKey::from_sec1(&sec1).map(VerifyingKey::P256).map_err(|e| e.to_string());
    }
    if let Some(multibase) = method.get("publicKeyMultibase").and_then(Value::as_str) {
        // The same multicodec encoding as did:key.
        return DidKey::parse(&format!("did:key:{multibase}")).map(VerifyingKey::P256).map_err(|e| e.to_string());
    }
    Err("the method has no publicKeyJwk or publicKeyMultibase".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_prefixes_and_legacy_forms() {
        let did = "did:key:zDnaeVYnWTZu5nbrH1qmBVMvNwSrtKnkRbCZ4xH5h2LQPnzdr";
        let cases: Vec<(String, Option<&str>, Scheme, ClientIdForm)> = vec![
            (format!("decentralized_identifier:{did}"), None, Scheme::Did { did: did.into() }, ClientIdForm::Prefixed),
            (did.into(), None, Scheme::Did { did: did.into() }, ClientIdForm::BareDid),
            (did.into(), Some("did"), Scheme::Did { did: did.into() }, ClientIdForm::ClientIdScheme),
            (did.into(), Some("did:key"), Scheme::Did { did: did.into() }, ClientIdForm::ClientIdScheme),
            (
                "x509_san_dns:verifier.example.org".into(),
                None,
                Scheme::X509SanDns { dns_name: "verifier.example.org".into() },
                ClientIdForm::Prefixed,
            ),
            (
                "verifier.example.org".into(),
                Some("x509_san_dns"),
                Scheme::X509SanDns { dns_name: "verifier.example.org".into() },
                ClientIdForm::ClientIdScheme,
            ),
            ("x509_hash:abc".into(), None, Scheme::X509Hash { hash: "abc".into() }, ClientIdForm::Prefixed),
            (
                "redirect_uri:https://v.example/cb".into(),
                None,
                Scheme::RedirectUri { uri: "https://v.example/cb".into() },
                ClientIdForm::Prefixed,
            ),
            (
                "https://v.example/cb".into(),
                Some("redirect_uri"),
                Scheme::RedirectUri { uri: "https://v.example/cb".into() },
                ClientIdForm::ClientIdScheme,
            ),
        ];
        for (client_id, scheme, expected, form) in cases {
            assert_eq!(parse(&client_id, scheme).unwrap(), (expected, form), "{client_id}");
        }
    }

    #[test]
    fn refuses_unknown_and_unsupported_identifiers() {
        for (client_id, scheme) in [
            ("verifier_attestation:v", None),
            ("openid_federation:https://f.example", None),
            ("x509_san_uri:https://v.example", None),
            ("origin:https://v.example", None),
            ("https://v.example/cb", None),
            ("made_up:thing", None),
            ("plain-client", None),
            ("v.example", Some("entity_id")),
            ("did:key:z", Some("pre-registered")),
        ] {
            assert!(matches!(parse(client_id, scheme), Err(PresentationError::UnsupportedClientId(_))), "{client_id}");
        }
        assert!(matches!(parse("decentralized_identifier:not-a-did", None), Err(PresentationError::Malformed(_))));
        assert!(matches!(parse("", None), Err(PresentationError::Malformed(_))));
    }

    #[test]
    fn did_web_urls() {
        assert_eq!(
            did_web_url("did:web:verifier.example.org").unwrap().as_str(),
            "https://verifier.example.org/.well-known/did.json"
        );
        assert_eq!(
            did_web_url("did:web:example.org%3A8443:users:alice").unwrap().as_str(),
            "https://example.org:8443/users/alice/did.json"
        );
        for bad in ["did:web:", "did:web:a.org:..", "did:web:a.org/x", "did:web:user@a.org"] {
            assert!(did_web_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn response_uri_binding() {
        let url = |s: &str| Url::parse(s).unwrap();
        let dns = Scheme::X509SanDns { dns_name: "Verifier.Example.org".into() };
        assert!(check_binding(
            &dns,
            "x",
            "https://verifier.example.org/post",
            &url("https://verifier.example.org/post")
        )
        .is_ok());
        assert!(check_binding(&dns, "x", "https://evil.example/post", &url("https://evil.example/post")).is_err());
        assert!(check_binding(
            &dns,
            "x",
            "https://verifier.example.org.evil.example/",
            &url("https://verifier.example.org.evil.example/")
        )
        .is_err());
        let redirect = Scheme::RedirectUri { uri: "https://v.example/cb".into() };
        assert!(check_binding(&redirect, "x", "https://v.example/cb", &url("https://v.example/cb")).is_ok());
        assert!(check_binding(&redirect, "x", "https://v.example/other", &url("https://v.example/other")).is_err());
    }
}
