//! What was scanned, pasted or opened: a credential offer, a presentation request, or neither.
//!
//! Recognised forms:
//! - offers: `openid-credential-offer://?credential_offer_uri=…` or `…?credential_offer=<JSON>`
//!   (also `web+openid-credential-offer:`, the form a browser's protocol handler can register);
//! - presentation requests: `openid4vp://`, `openid://`, `eudi-openid4vp://`, `haip://`,
//!   `web+openid4vp:` with their query;
//! - wallet links (the same parameters on an `https` wallet URL): `<wallet>/`, `<wallet>/tabs/home`,
//!   `<wallet>/protocol-callback` with `credential_offer_uri` / `credential_offer`; `<wallet>/`
//!   with `request_uri` / `request` (DOME's login page rewrites `openid4vp://` to its wallet
//!   host); `<wallet>/protocol/callback?authorization_request=<url-encoded openid4vp:// link>`.
//!
//! Links on the wallet's own origin are accepted on any path. Links to another host are accepted
//! only on those entry paths: DOME's issuer and login pages point at DOME's wallet host, and a
//! person may paste such a link here. Nothing in the link's host is trusted: what counts is the
//! offer or request inside, which is checked like any other. On other paths, an OAuth
//! `authorize?client_id=…&request_uri=…` URL would look like a presentation request.

use crate::core::net::{PeerUrl, PeerUrlError};
use crate::core::oid4vci::offer::{CredentialOffer, OfferError, OfferSource};
use crate::core::url;

/// Longest text accepted (a QR code holds at most ~3 KB; by-value offers fit well within).
pub const MAX_LINK_LEN: usize = 8 * 1024;
const MAX_PARAMS: usize = 64;
const SHOWN_CHARS: usize = 120;

const OFFER_SCHEMES: &[&str] = &["openid-credential-offer", "web+openid-credential-offer"];
const PRESENTATION_SCHEMES: &[&str] = &["openid4vp", "openid", "eudi-openid4vp", "haip", "web+openid4vp"];
/// Entry paths of DOME's wallet (and this one) that carry an offer or a request.
const WALLET_ENTRY_PATHS: &[&str] = &["", "/index.html", "/tabs/home", "/protocol-callback", "/protocol/callback"];

#[derive(Debug, PartialEq, Eq)]
pub enum Invocation {
    CredentialOffer(OfferSource),
    /// The link's parameters, for the OpenID4VP module to parse into an authorization request.
    PresentationRequest(LinkParams),
    /// Text that is no request for the wallet; `shown` is a truncated, printable copy to display.
    NotAWalletRequest { shown: String },
}

/// A link's decoded query, in order. Each name appears once (RFC 6749 §3.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkParams(Vec<(String, String)>);

impl LinkParams {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InvocationError {
    #[error("the text has {0} bytes; at most {MAX_LINK_LEN} are accepted")]
    TooLong(usize),
    #[error("malformed link: {0}")]
    Malformed(&'static str),
    #[error("credential_offer_uri: {0}")]
    OfferUri(PeerUrlError),
    #[error("credential_offer: {0}")]
    Offer(OfferError),
}

enum Kind {
    Offer,
    Presentation,
    Web,
}

impl Invocation {
    /// Classifies `text`. `wallet_origin` is the wallet's own base URL (e.g.
    /// `https://wallet.example.eu` or `https://example.eu/wallet`), used to recognise its links.
    ///
    /// # Errors
    /// [`InvocationError`] when the text is a wallet request but malformed or oversized. Text
    /// that is no wallet request at all is not an error: [`Invocation::NotAWalletRequest`].
    pub fn parse(text: &str, wallet_origin: Option<&str>) -> Result<Invocation, InvocationError> {
        let text = text.trim();
        if text.len() > MAX_LINK_LEN {
            return Err(InvocationError::TooLong(text.len()));
        }
        let not_ours = || Ok(Invocation::NotAWalletRequest { shown: shown(text) });
        let Some((scheme, _)) = text.split_once(':') else { return not_ours() };
        let scheme = scheme.to_ascii_lowercase();
        let kind = match scheme.as_str() {
            s if OFFER_SCHEMES.contains(&s) => Kind::Offer,
            s if PRESENTATION_SCHEMES.contains(&s) => Kind::Presentation,
            "https" | "http" => Kind::Web,
            _ => return not_ours(),
        };
        let Ok(url) = url::Url::parse(text) else {
            return match kind {
                Kind::Web => not_ours(),
                _ => Err(InvocationError::Malformed("not a valid link")),
            };
        };
        match kind {
            Kind::Offer => offer(params(&url)?),
            Kind::Presentation => presentation(params(&url)?),
            Kind::Web => match wallet_link(&url, wallet_origin)? {
                Some(invocation) => Ok(invocation),
                None => not_ours(),
            },
        }
    }
}

/// A wallet URL: `None` when it is a web link that is not for the wallet.
fn wallet_link(url: &url::Url, wallet_origin: Option<&str>) -> Result<Option<Invocation>, InvocationError> {
    let own_base = wallet_origin.and_then(|base| url::Url::parse(base).ok());
    let own_path = own_base.as_ref().filter(|base| base.origin() == url.origin()).and_then(|base| {
        let base_path = base.path().trim_end_matches('/');
        url.path().strip_prefix(base_path).filter(|rest| rest.is_empty() || rest.starts_with('/'))
    });
    let own = own_path.is_some();
    let path = own_path.unwrap_or(url.path()).trim_end_matches('/');
    // Someone else's page: only the wallet entry paths, and only over https (or loopback).
    if !own && (!WALLET_ENTRY_PATHS.contains(&path) || PeerUrl::parse(url.as_str()).is_err()) {
        return Ok(None);
    }
    let params = params(url)?;
    if params.get("credential_offer_uri").is_some() || params.get("credential_offer").is_some() {
        return offer(params).map(Some);
    }
    if let Some(nested) = params.get("authorization_request") {
        // A link inside a link: only a presentation request scheme, and no further nesting.
        let nested_url = url::Url::parse(nested).map_err(|_| InvocationError::Malformed("authorization_request is not a link"))?;
        if !PRESENTATION_SCHEMES.contains(&nested_url.scheme()) {
            return Err(InvocationError::Malformed("authorization_request is not an OpenID4VP link"));
        }
        return presentation(self::params(&nested_url)?).map(Some);
    }
    let is_request = params.get("request_uri").is_some()
        || params.get("request").is_some()
        || (params.get("client_id").is_some() && params.get("response_type").is_some());
    if is_request {
        return presentation(params).map(Some);
    }
    Ok(None)
}

fn params(url: &url::Url) -> Result<LinkParams, InvocationError> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, value) in url.query_pairs() {
        if out.len() >= MAX_PARAMS {
            return Err(InvocationError::Malformed("too many parameters"));
        }
        if out.iter().any(|(n, _)| *n == name) {
            return Err(InvocationError::Malformed("a parameter appears twice"));
        }
        out.push((name.into_owned(), value.into_owned()));
    }
    Ok(LinkParams(out))
}

fn offer(params: LinkParams) -> Result<Invocation, InvocationError> {
    let source = match (params.get("credential_offer_uri"), params.get("credential_offer")) {
        (Some(uri), None) => OfferSource::ByReference(PeerUrl::parse(uri).map_err(InvocationError::OfferUri)?),
        (None, Some(json)) => OfferSource::ByValue(Box::new(CredentialOffer::from_json(json.as_bytes()).map_err(InvocationError::Offer)?)),
        (Some(_), Some(_)) => return Err(InvocationError::Malformed("both credential_offer and credential_offer_uri")),
        (None, None) => return Err(InvocationError::Malformed("neither credential_offer nor credential_offer_uri")),
    };
    Ok(Invocation::CredentialOffer(source))
}

fn presentation(params: LinkParams) -> Result<Invocation, InvocationError> {
    if params.is_empty() {
        return Err(InvocationError::Malformed("the request link has no parameters"));
    }
    Ok(Invocation::PresentationRequest(params))
}

/// A printable, truncated copy of text that is not a request, to show the person.
fn shown(text: &str) -> String {
    let mut out: String = text.chars().filter(|c| !c.is_control()).take(SHOWN_CHARS).collect();
    if text.chars().filter(|c| !c.is_control()).nth(SHOWN_CHARS).is_some() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::credential::test_support::read_shared;

    const WALLET: Option<&str> = Some("https://wallet.example.eu");

    fn by_reference(text: &str, wallet: Option<&str>) -> String {
        match Invocation::parse(text, wallet) {
            Ok(Invocation::CredentialOffer(OfferSource::ByReference(url))) => url.as_str().to_owned(),
            other => panic!("{text}: {other:?}"),
        }
    }

    fn presentation_params(text: &str, wallet: Option<&str>) -> LinkParams {
        match Invocation::parse(text, wallet) {
            Ok(Invocation::PresentationRequest(params)) => params,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn dome_offer_links() {
        let (Some(uri_txt), Some(uris)) = (
            read_shared("dome/profile/issuer-credential-offer-uri.txt"),
            read_shared("dome/wallet-side/02-credential-offer-uris.json"),
        ) else {
            return;
        };
        let link = uri_txt.lines().find(|l| l.starts_with("openid-credential-offer://")).unwrap().replace("<id>", "abc-123");
        assert_eq!(by_reference(&link, None), "https://issuer.dome-marketplace.eu/oid4vci/v1/credential-offer/abc-123");

        let uris: serde_json::Value = serde_json::from_str(&uris).unwrap();
        for (key, expected) in [
            ("cross_device_qr_in2_issuer", "https://issuer.example.org/oid4vci/v1/credential-offer/n0nce"),
            ("wallet_api_test_qr", "https://example.com/offer"),
            ("same_device_wallet_link", "https://issuer.example.org/oid4vci/v1/credential-offer/n0nce"),
        ] {
            let link = uris[key].as_str().unwrap().replace("<nonce>", "n0nce");
            assert_eq!(by_reference(&link, WALLET), expected, "{key}");
            // A link to DOME's wallet works here too, and as the wallet's own link.
            assert_eq!(by_reference(&link, Some("https://wallet.dome-marketplace.eu")), expected, "{key}");
        }
        // Back-end calls of DOME's wallet are not links.
        let backend = uris["same_device_backend_call"].as_str().unwrap();
        assert!(matches!(Invocation::parse(backend, WALLET), Ok(Invocation::NotAWalletRequest { .. })));
    }

    #[test]
    fn dome_login_links() {
        let Some(text) = read_shared("dome/profile/verifier-v2.0-authorization-request.txt") else { return };
        let qr = text.lines().find(|l| l.starts_with("openid4vp://")).unwrap().replace("<uuid>", "u-1");
        let params = presentation_params(&qr, WALLET);
        assert_eq!(params.get("client_id"), Some("did:key:zDnaeVYnWTZu5nbrH1qmBVMvNwSrtKnkRbCZ4xH5h2LQPnzdr"));
        assert_eq!(params.get("request_uri"), Some("https://verifier.dome-marketplace.eu/oid4vp/auth-request/u-1"));

        // The login page's same-device button: openid4vp:// replaced by DOME's wallet host.
        let same_device = qr.replace("openid4vp://", "https://wallet.dome-marketplace.org");
        assert_eq!(presentation_params(&same_device, WALLET), params);
        // dome-mfe-login: the whole link, URL-encoded, in authorization_request.
        let encoded: String = url::form_urlencoded::byte_serialize(qr.as_bytes()).collect();
        for wallet in ["https://wallet.example.eu", "https://wallet.dome-marketplace.org"] {
            let callback = format!("{wallet}/protocol/callback?authorization_request={encoded}");
            assert_eq!(presentation_params(&callback, WALLET), params, "{wallet}");
        }
    }

    #[test]
    fn all_schemes() {
        let offer_uri = "credential_offer_uri=https%3A%2F%2Fissuer.example.com%2Fo%2F1";
        for scheme in ["openid-credential-offer://", "web+openid-credential-offer://", "web+openid-credential-offer:", "OPENID-CREDENTIAL-OFFER://"] {
            assert_eq!(by_reference(&format!("{scheme}?{offer_uri}"), None), "https://issuer.example.com/o/1", "{scheme}");
        }
        // Some issuers put a host in the custom-scheme link.
        assert_eq!(by_reference(&format!("openid-credential-offer://credential_offer?{offer_uri}"), None), "https://issuer.example.com/o/1");
        for scheme in ["openid4vp://", "openid://", "eudi-openid4vp://", "haip://", "web+openid4vp:", "web+openid4vp://"] {
            let params = presentation_params(&format!("{scheme}?client_id=x509_san_dns%3Av.example&request_uri=https%3A%2F%2Fv.example%2Fr"), None);
            assert_eq!(params.get("client_id"), Some("x509_san_dns:v.example"), "{scheme}");
            assert_eq!(params.iter().map(|(n, _)| n).collect::<Vec<_>>(), ["client_id", "request_uri"]);
        }
        // Wallet paths, own origin (including a base path) or not.
        for link in [
            format!("https://wallet.example.eu/?{offer_uri}"),
            format!("https://wallet.example.eu?{offer_uri}"),
            format!("https://wallet.example.eu/tabs/home?{offer_uri}"),
            format!("https://wallet.example.eu/protocol-callback?{offer_uri}"),
            format!("https://other-wallet.example/protocol-callback/?{offer_uri}"),
            format!("https://wallet.example.eu/any/route?{offer_uri}"),
        ] {
            assert_eq!(by_reference(&link, WALLET), "https://issuer.example.com/o/1", "{link}");
        }
        assert_eq!(
            by_reference(&format!("https://example.eu/wallet/scan?{offer_uri}"), Some("https://example.eu/wallet/")),
            "https://issuer.example.com/o/1"
        );
        assert_eq!(by_reference(&format!("http://127.0.0.1:8080/?{offer_uri}"), Some("http://127.0.0.1:8080")), "https://issuer.example.com/o/1");
    }

    #[test]
    fn offers_by_value() {
        let offer = r#"{"credential_issuer":"https://issuer.example.com","credential_configuration_ids":["A"],"grants":{"urn:ietf:params:oauth:grant-type:pre-authorized_code":{"pre-authorized_code":"c","tx_code":{"length":4}}}}"#;
        let encoded: String = url::form_urlencoded::byte_serialize(offer.as_bytes()).collect();
        for link in [format!("openid-credential-offer://?credential_offer={encoded}"), format!("https://wallet.example.eu/?credential_offer={encoded}")] {
            match Invocation::parse(&link, WALLET) {
                Ok(Invocation::CredentialOffer(OfferSource::ByValue(o))) => {
                    assert_eq!(o.credential_issuer().as_str(), "https://issuer.example.com");
                    assert_eq!(o.grant().tx_code().unwrap().length(), Some(4));
                }
                other => panic!("{other:?}"),
            }
        }
        let auth_code_only = r#"{"credential_issuer":"https://issuer.example.com","credential_configuration_ids":["A"],"grants":{"authorization_code":{}}}"#;
        let encoded: String = url::form_urlencoded::byte_serialize(auth_code_only.as_bytes()).collect();
        assert_eq!(
            Invocation::parse(&format!("openid-credential-offer://?credential_offer={encoded}"), None),
            Err(InvocationError::Offer(OfferError::AuthorizationCodeOnly))
        );
    }

    #[test]
    fn malformed_and_hostile_links() {
        for (link, expected) in [
            ("openid-credential-offer://?credential_offer_uri=http%3A%2F%2Fissuer.example.com%2Fo", InvocationError::OfferUri(PeerUrlError::Scheme("http".into()))),
            ("openid-credential-offer://?credential_offer_uri=javascript%3Aalert(1)", InvocationError::OfferUri(PeerUrlError::NoHost)),
            ("openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fu%3Ap%40issuer.example.com%2F", InvocationError::OfferUri(PeerUrlError::Userinfo)),
            ("openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fa.example&credential_offer=%7B%7D", InvocationError::Malformed("both credential_offer and credential_offer_uri")),
            ("openid-credential-offer://", InvocationError::Malformed("neither credential_offer nor credential_offer_uri")),
            ("openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fa.example&credential_offer_uri=https%3A%2F%2Fb.example", InvocationError::Malformed("a parameter appears twice")),
            ("openid4vp://", InvocationError::Malformed("the request link has no parameters")),
            ("openid4vp://?client_id=a&client_id=b", InvocationError::Malformed("a parameter appears twice")),
            ("https://wallet.example.eu/protocol/callback?authorization_request=https%3A%2F%2Fevil.example%2F%3Frequest_uri%3Dx", InvocationError::Malformed("authorization_request is not an OpenID4VP link")),
        ] {
            assert_eq!(Invocation::parse(link, WALLET), Err(expected), "{link}");
        }
        assert!(matches!(
            Invocation::parse("openid-credential-offer://?credential_offer=not%20json", None),
            Err(InvocationError::Offer(OfferError::NotJson(_)))
        ));
        let huge = format!("openid4vp://?request_uri={}", "a".repeat(MAX_LINK_LEN));
        assert!(matches!(Invocation::parse(&huge, None), Err(InvocationError::TooLong(_))));
        let many: String = (0..70).map(|i| format!("p{i}=1&")).collect();
        assert_eq!(Invocation::parse(&format!("openid4vp://?{many}"), None), Err(InvocationError::Malformed("too many parameters")));
    }

    #[test]
    fn anything_else_is_not_a_wallet_request() {
        for text in [
            "",
            "hello",
            "mailto:someone@example.com",
            "https://www.example.com/some/page",
            "https://www.example.com/",
            // An OAuth authorization request (PAR) is not an OpenID4VP request.
            "https://as.example.com/authorize?client_id=c&request_uri=urn%3Aietf%3Aparams%3Aoauth%3Arequest_uri%3Ax",
            // A foreign site's root with a client_id only.
            "https://www.example.com/?client_id=x",
            // Plain http to another host is never a wallet link.
            "http://wallet.example.org/?credential_offer_uri=https%3A%2F%2Fa.example",
            "https://wallet.example.eu/",
        ] {
            assert!(matches!(Invocation::parse(text, WALLET), Ok(Invocation::NotAWalletRequest { .. })), "{text}");
        }
        let long = format!("some text {}\u{7}", "x".repeat(500));
        let Ok(Invocation::NotAWalletRequest { shown }) = Invocation::parse(&long, None) else { panic!() };
        assert_eq!(shown.chars().count(), SHOWN_CHARS + 1);
        assert!(shown.ends_with('…') && !shown.contains('\u{7}'));
    }
}
