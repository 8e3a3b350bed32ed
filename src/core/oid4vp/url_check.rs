//! The one rule for every address a verifier gives the wallet: https, or plain http only to this
//! device's loopback (local test verifiers), with no credentials in it.
//!
//! TODO(merge core-oid4vci): replace with `crate::core::net::PeerUrl`, which enforces the same rule.

use super::PresentationError;
use crate::core::url::Url;

/// Longest URL accepted from a verifier.
pub const MAX_URL_LEN: usize = 4096;

/// Parses `text` as a URL the wallet may contact. `what` names it in errors ("request_uri").
pub fn peer_url(text: &str, what: &'static str) -> Result<Url, PresentationError> {
    let insecure = || PresentationError::InsecureUrl { what, url: text.chars().take(200).collect() };
    if text.len() > MAX_URL_LEN {
        return Err(PresentationError::TooLarge { what, len: text.len(), limit: MAX_URL_LEN });
    }
    let url = Url::parse(text).map_err(|_| insecure())?;
    if !url.username().is_empty() || url.password().is_some() || url.host_str().is_none() {
        return Err(insecure());
    }
    match url.scheme() {
        "https" => Ok(url),
        "http" if url.is_loopback() => Ok(url),
        _ => Err(insecure()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_https_and_loopback_http_only() {
        for ok in
            ["https://verifier.example.org/x?y=1", "http://127.0.0.1:3000/cb", "http://localhost/a", "http://[::1]:80/"]
        {
            assert!(peer_url(ok, "response_uri").is_ok(), "{ok}");
        }
        for bad in [
            "http://verifier.example.org/",
            "javascript:alert(1)",
            "data:text/html,hi",
            "ftp://example.org/",
            "https://user:pw@example.org/",
            "//example.org",
            "openid4vp://authorize",
            "http://10.0.0.1/",
        ] {
            assert!(matches!(peer_url(bad, "response_uri"), Err(PresentationError::InsecureUrl { .. })), "{bad}");
        }
        let long = format!("https://example.org/{}", "a".repeat(MAX_URL_LEN));
        assert!(matches!(peer_url(&long, "request_uri"), Err(PresentationError::TooLarge { .. })));
    }
}
