//! Credential issuer metadata (OpenID4VCI 1.0 §12.2, draft 13 §11.2) and authorization server
//! metadata (RFC 8414), fetched and checked.
//!
//! What is checked, because everything here comes from the peer:
//! - the `credential_issuer` (or AS `issuer`) equals the identifier it was fetched for, exactly;
//! - every endpoint the wallet will POST to is on the origin of the server that published it, so
//!   metadata cannot send the access token or proofs to another site;
//! - every offered configuration exists; response or request encryption that is *required* is
//!   refused (the wallet does not encrypt);
//! - display data is sanitised: colours must be hex, logos `https` or `data:image/…`, texts are
//!   capped and free of control characters. Invalid display entries are dropped, not fatal.

use crate::core::quote::quoted;
use serde_json::{Map, Value};

use super::offer::CredentialOffer;
use crate::core::collections::lookup;
use super::{IssuanceError, Step};
use crate::core::error::NetworkError;
use crate::core::collections::TryCollect;
use crate::core::json;
use crate::core::net::{self, PeerUrl, PeerUrlError, Reply};
use crate::core::ports::HttpClient;

pub const MAX_ISSUER_METADATA_BYTES: usize = 256 * 1024;
pub const MAX_AS_METADATA_BYTES: usize = 64 * 1024;
const MAX_AUTHORIZATION_SERVERS: usize = 8;
const MAX_DISPLAYS: usize = 32;
const MAX_NAME_CHARS: usize = 128;
const MAX_TEXT_CHARS: usize = 512;
const MAX_LOGO_URI_LEN: usize = 64 * 1024;

const ISSUER_WELL_KNOWN: &str = "openid-credential-issuer";
const AS_WELL_KNOWN: &str = "oauth-authorization-server";
const OIDC_WELL_KNOWN: &str = "openid-configuration";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MetadataError {
    #[error("the metadata is not the expected JSON: {0}")]
    NotJson(String),
    #[error("the metadata is for {q_found}, not {q_expected}", q_found = quoted(.found), q_expected = quoted(.expected))]
    IssuerMismatch { expected: String, found: String },
    #[error("{field}: {error}")]
    BadUrl { field: &'static str, error: PeerUrlError },
    #[error("{field} {q_url} is not on the origin of {q_server}", q_url = quoted(.url), q_server = quoted(.server))]
    ForeignEndpoint { field: &'static str, url: String, server: String },
    #[error("the metadata has no {0}")]
    Missing(&'static str),
    #[error("the offered credential configuration {q0} is not in the issuer's metadata", q0 = quoted(.0))]
    UnknownConfiguration(String),
    #[error("credential configuration {q_id}: {reason}", q_id = quoted(.id))]
    BadConfiguration { id: String, reason: String },
    #[error("the issuer requires encrypted credential requests or responses, which this wallet does not support")]
    EncryptionRequired,
    #[error("the offer's authorization server {q0} is not one the issuer lists", q0 = quoted(.0))]
    UnlistedAuthorizationServer(String),
}

/// Display properties for one language (issuer `display`, or a credential's
/// `credential_metadata.display` / draft-13 `display`). Texts come from the issuer: show them as
/// text, never as markup.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Display {
    pub name: Option<String>,
    /// BCP 47 language tag.
    pub locale: Option<String>,
    pub logo: Option<Logo>,
    pub description: Option<String>,
    /// `#rgb` or `#rrggbb`; anything else is dropped (it could inject CSS).
    pub background_color: Option<String>,
    pub text_color: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    /// An `https` URL or a `data:image/…` URI.
    pub uri: String,
    pub alt_text: Option<String>,
}

/// The entry for `lang` (e.g. `"es-ES"`): exact tag, else same primary language, else one
/// without locale, else the first.
pub fn display_for<'a>(displays: &'a [Display], lang: &str) -> Option<&'a Display> {
    let primary = |tag: &str| tag.split('-').next().unwrap_or_default().to_ascii_lowercase();
    displays
        .iter()
        .find(|d| d.locale.as_deref().is_some_and(|l| l.eq_ignore_ascii_case(lang)))
        .or_else(|| displays.iter().find(|d| d.locale.as_deref().is_some_and(|l| primary(l) == primary(lang))))
        .or_else(|| displays.iter().find(|d| d.locale.is_none()))
        .or_else(|| displays.first())
}

/// One offered credential configuration, as the issuer describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialConfiguration {
    format: String,
    types: Vec<String>,
    scope: Option<String>,
    binding_methods: Vec<String>,
    /// `proof_types_supported`: each proof type's `proof_signing_alg_values_supported`.
    proof_types: Vec<(String, Vec<String>)>,
    display: Vec<Display>,
}

impl CredentialConfiguration {
    /// E.g. `jwt_vc_json`.
    pub fn format(&self) -> &str {
        &self.format
    }

    /// `credential_definition.type`, e.g. `["VerifiableCredential", "LEARCredentialEmployee"]`.
    pub fn types(&self) -> &[String] {
        &self.types
    }

    /// The specific types, without the generic `VerifiableCredential`.
    pub fn specific_types(&self) -> Vec<String> {
        self.types.iter().filter(|t| *t != "VerifiableCredential").cloned().collect()
    }

    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }

    /// `cryptographic_binding_methods_supported`.
    pub fn binding_methods(&self) -> &[String] {
        &self.binding_methods
    }

    /// The `proof_signing_alg_values_supported` of the `jwt` proof type, if the issuer lists it.
    pub fn jwt_proof_algs(&self) -> Option<&[String]> {
        lookup(&self.proof_types, "jwt").map(Vec::as_slice)
    }

    pub fn display(&self) -> &[Display] {
        &self.display
    }

    pub fn display_for(&self, lang: &str) -> Option<&Display> {
        display_for(&self.display, lang)
    }

    /// A name for people: the display name, else the last specific type (`LEARCredentialEmployee`).
    pub fn name_for(&self, lang: &str) -> String {
        self.display_for(lang)
            .and_then(|d| d.name.clone())
            .or_else(|| self.specific_types().pop())
            .unwrap_or_else(|| self.format.clone())
    }

    /// Whether the credential is bound to a holder key, so the request carries a proof
    /// (1.0 §12.2.4: binding methods and proof types are present together, or not at all).
    pub fn needs_proof(&self) -> bool {
        !self.binding_methods.is_empty() || !self.proof_types.is_empty()
    }

    /// Why the wallet cannot receive this credential, if it cannot: it holds `jwt_vc_json`
    /// bound to a P-256 `did:key`, proven with an ES256 `jwt` proof.
    pub fn unsupported_reason(&self) -> Option<&'static str> {
        if self.format != "jwt_vc_json" {
            return Some("its format is not jwt_vc_json");
        }
        if !self.needs_proof() {
            return None;
        }
        if !self.binding_methods.is_empty() && !self.binding_methods.iter().any(|m| m == "did:key" || m == "did") {
            return Some("it must be bound to a key form other than did:key");
        }
        match self.jwt_proof_algs() {
            None if !self.proof_types.is_empty() => Some("it needs a proof type other than jwt"),
            Some(algs) if !algs.is_empty() && !algs.iter().any(|a| a == "ES256") => Some("its proofs must use an algorithm other than ES256"),
            _ => None,
        }
    }
}

/// The credential issuer's metadata, restricted to what the offer needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerMetadata {
    credential_issuer: PeerUrl,
    credential_endpoint: PeerUrl,
    nonce_endpoint: Option<PeerUrl>,
    deferred_credential_endpoint: Option<PeerUrl>,
    notification_endpoint: Option<PeerUrl>,
    authorization_servers: Vec<PeerUrl>,
    display: Vec<Display>,
    /// The offered configurations, by id.
    configurations: Vec<(String, CredentialConfiguration)>,
}

struct RawIssuerMetadata {
    credential_issuer: String,
    credential_endpoint: Option<String>,
    nonce_endpoint: Option<String>,
    deferred_credential_endpoint: Option<String>,
    notification_endpoint: Option<String>,
    authorization_servers: Vec<String>,
    display: Option<Value>,
    credential_configurations_supported: Option<Map<String, Value>>,
    encryption_required: bool,
}

impl RawIssuerMetadata {
    /// Reads the members, checking their types (values are checked by [`IssuerMetadata::from_json`]).
    fn read(bytes: &[u8]) -> Result<Self, String> {
        let md = json::parse_object(bytes)?;
        let mut encryption_required = false;
        for key in ["credential_response_encryption", "credential_request_encryption"] {
            if let Some(encryption) = json::opt_object(&md, key)? {
                encryption_required |= json::flag(encryption, "encryption_required")?;
            }
        }
        // Copied out, not removed (see messages::RawCredentialResponse::read).
        let configurations = json::opt_object(&md, "credential_configurations_supported")?.cloned();
        Ok(Self {
            credential_issuer: json::string(&md, "credential_issuer")?,
            credential_endpoint: json::opt_string(&md, "credential_endpoint")?,
            nonce_endpoint: json::opt_string(&md, "nonce_endpoint")?,
            deferred_credential_endpoint: json::opt_string(&md, "deferred_credential_endpoint")?,
            notification_endpoint: json::opt_string(&md, "notification_endpoint")?,
            authorization_servers: json::strings(&md, "authorization_servers")?,
            display: md.get("display").filter(|d| !d.is_null()).cloned(),
            credential_configurations_supported: configurations,
            encryption_required,
        })
    }
}

/// Reads an offered configuration, checking the types of its members.
fn read_configuration(value: &Value) -> Result<CredentialConfiguration, String> {
    let config = json::as_object("configuration", value)?;
    let mut proof_types = Vec::new();
    if let Some(types) = config.get("proof_types_supported") {
        for (name, proof_type) in json::as_object("proof_types_supported", types)? {
            let proof_type = json::as_object(name, proof_type)?;
            proof_types.push((name.clone(), json::strings(proof_type, "proof_signing_alg_values_supported")?));
        }
    }
    let types = match json::opt_object(config, "credential_definition")? {
        Some(definition) => json::strings(definition, "type")?,
        None => Vec::new(),
    };
    // 1.0 puts display under credential_metadata; draft 13 directly in the configuration.
    let display = match json::opt_object(config, "credential_metadata")? {
        Some(metadata) => metadata.get("display").filter(|d| !d.is_null()),
        None => None,
    }
    .or_else(|| config.get("display").filter(|d| !d.is_null()));
    Ok(CredentialConfiguration {
        format: json::string(config, "format")?,
        types,
        scope: json::opt_string(config, "scope")?,
        binding_methods: json::strings(config, "cryptographic_binding_methods_supported")?,
        proof_types,
        display: parse_displays(display),
    })
}

impl IssuerMetadata {
    /// Parses and checks metadata fetched for `expected_issuer`, keeping the `offered`
    /// configurations (each must exist).
    pub fn from_json(bytes: &[u8], expected_issuer: &PeerUrl, offered: &[String]) -> Result<Self, MetadataError> {
        let raw = RawIssuerMetadata::read(bytes).map_err(MetadataError::NotJson)?;
        if raw.credential_issuer != expected_issuer.as_str() {
            return Err(MetadataError::IssuerMismatch {
                expected: expected_issuer.as_str().to_owned(),
                found: raw.credential_issuer.chars().take(256).collect(),
            });
        }
        let issuer = expected_issuer;
        let credential_endpoint = raw.credential_endpoint.ok_or(MetadataError::Missing("credential_endpoint"))?;
        let endpoint = |field, url: Option<String>| url.map(|u| endpoint_on(issuer, field, &u)).transpose();
        if raw.encryption_required {
            return Err(MetadataError::EncryptionRequired);
        }
        if raw.authorization_servers.len() > MAX_AUTHORIZATION_SERVERS {
            return Err(MetadataError::BadUrl { field: "authorization_servers", error: PeerUrlError::TooLong(raw.authorization_servers.len()) });
        }
        let authorization_servers = raw
            .authorization_servers
            .iter()
            .map(|s| PeerUrl::parse_identifier(s).map_err(|error| MetadataError::BadUrl { field: "authorization_servers", error }))
            .try_vec()?;

        let supported = raw.credential_configurations_supported.ok_or(MetadataError::Missing("credential_configurations_supported"))?;
        let mut configurations: Vec<(String, _)> = Vec::new();
        for id in offered {
            // An id offered twice finds nothing the second time, as when entries were taken out.
            let value = supported
                .get(id)
                .filter(|_| !configurations.iter().any(|(taken, _)| taken == id))
                .ok_or_else(|| MetadataError::UnknownConfiguration(id.clone()))?;
            let configuration =
                read_configuration(value).map_err(|reason| MetadataError::BadConfiguration { id: id.clone(), reason })?;
            configurations.push((id.clone(), configuration));
        }

        Ok(Self {
            credential_issuer: issuer.clone(),
            credential_endpoint: endpoint_on(issuer, "credential_endpoint", &credential_endpoint)?,
            nonce_endpoint: endpoint("nonce_endpoint", raw.nonce_endpoint)?,
            deferred_credential_endpoint: endpoint("deferred_credential_endpoint", raw.deferred_credential_endpoint)?,
            notification_endpoint: endpoint("notification_endpoint", raw.notification_endpoint)?,
            authorization_servers,
            display: parse_displays(raw.display.as_ref()),
            configurations,
        })
    }

    pub fn credential_issuer(&self) -> &PeerUrl {
        &self.credential_issuer
    }

    pub fn credential_endpoint(&self) -> &PeerUrl {
        &self.credential_endpoint
    }

    pub fn nonce_endpoint(&self) -> Option<&PeerUrl> {
        self.nonce_endpoint.as_ref()
    }

    pub fn deferred_credential_endpoint(&self) -> Option<&PeerUrl> {
        self.deferred_credential_endpoint.as_ref()
    }

    pub fn notification_endpoint(&self) -> Option<&PeerUrl> {
        self.notification_endpoint.as_ref()
    }

    /// Empty means the credential issuer is its own authorization server.
    pub fn authorization_servers(&self) -> &[PeerUrl] {
        &self.authorization_servers
    }

    pub fn display(&self) -> &[Display] {
        &self.display
    }

    pub fn display_for(&self, lang: &str) -> Option<&Display> {
        display_for(&self.display, lang)
    }

    /// An offered configuration (only offered ones are kept).
    pub fn configuration(&self, id: &str) -> Option<&CredentialConfiguration> {
        lookup(&self.configurations, id)
    }

    /// The authorization server to use: the offer's `authorization_server` (which must be
    /// listed), else the first listed one, else the credential issuer itself.
    pub fn choose_authorization_server<'a>(&'a self, offer: &'a CredentialOffer) -> Result<&'a PeerUrl, MetadataError> {
        match (offer.grant().authorization_server(), self.authorization_servers.first()) {
            (Some(named), _) if self.authorization_servers.contains(named) => Ok(named),
            (Some(named), Some(_)) => Err(MetadataError::UnlistedAuthorizationServer(named.as_str().to_owned())),
            // Named by the offer but the issuer lists none: only the issuer itself is acceptable.
            (Some(named), None) if named == &self.credential_issuer => Ok(named),
            (Some(named), None) => Err(MetadataError::UnlistedAuthorizationServer(named.as_str().to_owned())),
            (None, Some(first)) => Ok(first),
            (None, None) => Ok(&self.credential_issuer),
        }
    }
}

fn endpoint_on(server: &PeerUrl, field: &'static str, url: &str) -> Result<PeerUrl, MetadataError> {
    let url = PeerUrl::parse(url).map_err(|error| MetadataError::BadUrl { field, error })?;
    if !url.same_origin(server) {
        return Err(MetadataError::ForeignEndpoint { field, url: url.as_str().chars().take(256).collect(), server: server.as_str().to_owned() });
    }
    Ok(url)
}

fn parse_displays(value: Option<&Value>) -> Vec<Display> {
    let Some(Value::Array(entries)) = value else { return Vec::new() };
    entries.iter().take(MAX_DISPLAYS).filter_map(parse_display).collect()
}

fn parse_display(value: &Value) -> Option<Display> {
    let entry = value.as_object()?;
    let text = |name: &str, max: usize| entry.get(name).and_then(Value::as_str).and_then(|s| clean_text(s, max));
    let logo = entry.get("logo").and_then(Value::as_object).and_then(|logo| {
        // Draft 13 and earlier used `url`; 1.0 uses `uri`.
        let uri = logo.get("uri").or_else(|| logo.get("url")).and_then(Value::as_str)?;
        safe_logo_uri(uri).then(|| Logo {
            uri: uri.to_owned(),
            alt_text: logo.get("alt_text").and_then(Value::as_str).and_then(|s| clean_text(s, MAX_NAME_CHARS)),
        })
    });
    Some(Display {
        name: text("name", MAX_NAME_CHARS),
        locale: text("locale", 35),
        logo,
        description: text("description", MAX_TEXT_CHARS),
        background_color: text("background_color", 7).filter(|c| is_hex_color(c)),
        text_color: text("text_color", 7).filter(|c| is_hex_color(c)),
    })
}

fn clean_text(text: &str, max_chars: usize) -> Option<String> {
    let clean: String = text.chars().filter(|c| !c.is_control()).take(max_chars).collect();
    let trimmed = clean.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

fn is_hex_color(c: &str) -> bool {
    c.strip_prefix('#').is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.chars().all(|h| h.is_ascii_hexdigit()))
}

fn safe_logo_uri(uri: &str) -> bool {
    if uri.len() > MAX_LOGO_URI_LEN {
        return false;
    }
    let data_image = ["data:image/png;", "data:image/jpeg;", "data:image/gif;", "data:image/webp;", "data:image/svg+xml;"];
    PeerUrl::parse(uri).is_ok_and(|u| u.url().scheme() == "https") || data_image.iter().any(|p| uri.starts_with(p))
}

/// An authorization server's metadata: what the pre-authorized code flow needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthServerMetadata {
    issuer: PeerUrl,
    token_endpoint: PeerUrl,
}


impl AuthServerMetadata {
    pub fn from_json(bytes: &[u8], expected_issuer: &PeerUrl) -> Result<Self, MetadataError> {
        let md = json::parse_object(bytes).map_err(MetadataError::NotJson)?;
        let read = || Ok::<_, String>((json::string(&md, "issuer")?, json::opt_string(&md, "token_endpoint")?));
        let (issuer, token_endpoint) = read().map_err(MetadataError::NotJson)?;
        if issuer != expected_issuer.as_str() {
            return Err(MetadataError::IssuerMismatch {
                expected: expected_issuer.as_str().to_owned(),
                found: issuer.chars().take(256).collect(),
            });
        }
        let token_endpoint = token_endpoint.ok_or(MetadataError::Missing("token_endpoint"))?;
        Ok(Self { issuer: expected_issuer.clone(), token_endpoint: endpoint_on(expected_issuer, "token_endpoint", &token_endpoint)? })
    }

    pub fn issuer(&self) -> &PeerUrl {
        &self.issuer
    }

    pub fn token_endpoint(&self) -> &PeerUrl {
        &self.token_endpoint
    }
}

/// Fetches the issuer metadata: RFC 8414-style inserted form first (1.0), then the suffix form
/// (draft 13 and earlier; Credo serves it). For a host-only identifier the two are one URL.
pub(super) async fn fetch_issuer_metadata(http: &impl HttpClient, offer: &CredentialOffer) -> Result<IssuerMetadata, IssuanceError> {
    let issuer = offer.credential_issuer();
    let candidates = well_known_candidates(issuer, &[(ISSUER_WELL_KNOWN, true), (ISSUER_WELL_KNOWN, false)], Step::IssuerMetadata)?;
    fetch_first(http, &candidates, MAX_ISSUER_METADATA_BYTES, Step::IssuerMetadata, |reply| {
        IssuerMetadata::from_json(&reply.body, issuer, offer.configuration_ids())
    })
    .await
}

/// Discovers an authorization server: `oauth-authorization-server` (inserted form, then the
/// suffix form some servers use), then `openid-configuration` (OpenID Connect Discovery, suffix
/// form: DOME publishes only this one).
pub(super) async fn discover_authorization_server(http: &impl HttpClient, id: &PeerUrl) -> Result<AuthServerMetadata, IssuanceError> {
    let step = Step::AuthorizationServer;
    let candidates = well_known_candidates(id, &[(AS_WELL_KNOWN, true), (AS_WELL_KNOWN, false), (OIDC_WELL_KNOWN, false)], step)?;
    fetch_first(http, &candidates, MAX_AS_METADATA_BYTES, step, |reply| AuthServerMetadata::from_json(&reply.body, id)).await
}

fn well_known_candidates(id: &PeerUrl, forms: &[(&str, bool)], step: Step) -> Result<Vec<PeerUrl>, IssuanceError> {
    let mut out: Vec<PeerUrl> = Vec::new();
    for &(name, inserted) in forms {
        let url = if inserted { id.well_known_inserted(name) } else { id.well_known_suffix(name) };
        let url = url.map_err(|error| IssuanceError::Metadata { step, error: MetadataError::BadUrl { field: "well-known URL", error } })?;
        if !out.contains(&url) {
            out.push(url);
        }
    }
    Ok(out)
}

/// GETs the candidates in order and returns the first that answers 2xx with a parsable
/// document. A miss (any other status, an unreachable URL, which is how a missing path without
/// CORS headers looks in a browser, or a 2xx that is not JSON, like a web app's index page)
/// moves on; a document that parses but fails a check is an error at once.
async fn fetch_first<T>(
    http: &impl HttpClient,
    candidates: &[PeerUrl],
    limit: usize,
    step: Step,
    parse: impl Fn(&Reply) -> Result<T, MetadataError>,
) -> Result<T, IssuanceError> {
    let mut first_miss: Option<IssuanceError> = None;
    for url in candidates {
        let miss = match net::get(http, url, limit).await {
            Ok(reply) if reply.is_success() => match parse(&reply) {
                Ok(document) => return Ok(document),
                Err(MetadataError::NotJson(detail)) => IssuanceError::BadResponse { step, detail },
                Err(error) => return Err(IssuanceError::Metadata { step, error }),
            },
            Ok(reply) => IssuanceError::MetadataNotFound { step, status: reply.status },
            Err(NetworkError::Unreachable { host, detail }) => IssuanceError::Network { step, error: NetworkError::Unreachable { host, detail } },
            Err(error) => return Err(IssuanceError::Network { step, error }),
        };
        first_miss.get_or_insert(miss);
    }
    Err(first_miss.unwrap_or(IssuanceError::MetadataNotFound { step, status: 404 }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::credential::test_support::read_shared;

    fn url(s: &str) -> PeerUrl {
        PeerUrl::parse(s).unwrap()
    }

    #[test]
    fn parses_dome_issuer_metadata() {
        let Some(text) = read_shared("dome/profile/issuer-v2.2-openid-credential-issuer.json") else { return };
        let issuer = url("https://issuer.dome-marketplace.eu");
        let offered = ["LEARCredentialEmployee".to_owned(), "gx:LabelCredential".to_owned()];
        let md = IssuerMetadata::from_json(text.as_bytes(), &issuer, &offered).unwrap();
        assert_eq!(md.credential_endpoint().as_str(), "https://issuer.dome-marketplace.eu/oid4vci/v1/credential");
        assert!(md.nonce_endpoint().is_none());
        assert_eq!(md.notification_endpoint().unwrap().as_str(), "https://issuer.dome-marketplace.eu/oid4vci/v1/notification");
        assert!(md.authorization_servers().is_empty() && md.display().is_empty());
        let lear = md.configuration("LEARCredentialEmployee").unwrap();
        assert_eq!(lear.format(), "jwt_vc_json");
        assert_eq!(lear.specific_types(), ["LEARCredentialEmployee"]);
        assert_eq!(lear.jwt_proof_algs(), Some(&["ES256".to_owned()][..]));
        assert!(lear.needs_proof() && lear.unsupported_reason().is_none());
        assert_eq!(lear.name_for("en"), "LEARCredentialEmployee");
        let label = md.configuration("gx:LabelCredential").unwrap();
        assert!(!label.needs_proof(), "no binding method: no proof");
        assert!(md.configuration("LEARCredentialMachine").is_none(), "only offered configurations are kept");
        assert_eq!(
            IssuerMetadata::from_json(text.as_bytes(), &issuer, &["UniversityDegree".to_owned()]),
            Err(MetadataError::UnknownConfiguration("UniversityDegree".into()))
        );
        // Exact comparison: a trailing slash is another identifier.
        assert!(matches!(
            IssuerMetadata::from_json(text.as_bytes(), &url("https://issuer.dome-marketplace.eu/"), &offered),
            Err(MetadataError::IssuerMismatch { .. })
        ));
    }

    #[test]
    fn parses_wallet_side_metadata_and_as_metadata() {
        let (Some(md), Some(asm), Some(oidc)) = (
            read_shared("dome/wallet-side/03-credential-issuer-metadata.json"),
            read_shared("dome/wallet-side/04-authorization-server-metadata.json"),
            read_shared("dome/profile/issuer-v2.2-openid-configuration.json"),
        ) else {
            return;
        };
        let issuer = url("https://issuer.example.org");
        let md = IssuerMetadata::from_json(md.as_bytes(), &issuer, &["LEARCredentialMachine".to_owned()]).unwrap();
        assert!(md.notification_endpoint().is_none());
        let asm = AuthServerMetadata::from_json(asm.as_bytes(), &issuer).unwrap();
        assert_eq!(asm.token_endpoint().as_str(), "https://issuer.example.org/oauth/token");
        let dome = AuthServerMetadata::from_json(oidc.as_bytes(), &url("https://issuer.dome-marketplace.eu")).unwrap();
        assert_eq!(dome.token_endpoint().as_str(), "https://issuer.dome-marketplace.eu/oauth/token");
        assert!(matches!(AuthServerMetadata::from_json(oidc.as_bytes(), &issuer), Err(MetadataError::IssuerMismatch { .. })));
    }

    fn metadata(extra: Value) -> Result<IssuerMetadata, MetadataError> {
        let mut md = serde_json::json!({
            "credential_issuer": "https://issuer.example.com/tenant",
            "credential_endpoint": "https://issuer.example.com/credential",
            "credential_configurations_supported": {"A": {"format": "jwt_vc_json"}},
        });
        if let (Some(md), Value::Object(extra)) = (md.as_object_mut(), extra) {
            md.extend(extra);
        }
        IssuerMetadata::from_json(md.to_string().as_bytes(), &url("https://issuer.example.com/tenant"), &["A".to_owned()])
    }

    #[test]
    fn each_offered_configuration_is_read_once() {
        let md = serde_json::json!({
            "credential_issuer": "https://issuer.example.com/tenant",
            "credential_endpoint": "https://issuer.example.com/credential",
            "credential_configurations_supported": {"A": {"format": "jwt_vc_json"}, "B": {"format": "jwt_vc_json"}},
        })
        .to_string();
        let issuer = url("https://issuer.example.com/tenant");
        let read = |offered: &[&str]| {
            let offered: Vec<String> = offered.iter().map(|o| o.to_string()).collect();
            IssuerMetadata::from_json(md.as_bytes(), &issuer, &offered)
        };
        assert!(read(&["A", "B"]).is_ok());
        assert_eq!(read(&["A", "A"]).unwrap_err(), MetadataError::UnknownConfiguration("A".into()));
        assert_eq!(read(&["C"]).unwrap_err(), MetadataError::UnknownConfiguration("C".into()));
    }

    #[test]
    fn endpoints_must_be_on_the_issuers_origin() {
        assert!(metadata(serde_json::json!({})).is_ok());
        for field in ["credential_endpoint", "nonce_endpoint", "deferred_credential_endpoint", "notification_endpoint"] {
            for bad in ["https://evil.example/x", "https://issuer.example.com:8443/x", "https://a.issuer.example.com/x"] {
                assert!(
                    matches!(metadata(serde_json::json!({field: bad})), Err(MetadataError::ForeignEndpoint { field: f, .. }) if f == field),
                    "{field} {bad}"
                );
            }
            assert!(matches!(metadata(serde_json::json!({field: "http://issuer.example.com/x"})), Err(MetadataError::BadUrl { .. })));
        }
        assert_eq!(
            metadata(serde_json::json!({"credential_endpoint": null})),
            Err(MetadataError::Missing("credential_endpoint"))
        );
        assert!(matches!(metadata(serde_json::json!({"authorization_servers": ["http://as.example"]})), Err(MetadataError::BadUrl { .. })));
        assert_eq!(
            metadata(serde_json::json!({"credential_response_encryption": {"alg_values_supported": ["ECDH-ES"], "enc_values_supported": ["A128GCM"], "encryption_required": true}})),
            Err(MetadataError::EncryptionRequired)
        );
        assert!(metadata(serde_json::json!({"credential_response_encryption": {"encryption_required": false}})).is_ok());
        // The AS token endpoint too.
        let asm = br#"{"issuer":"https://as.example.com","token_endpoint":"https://evil.example/token"}"#;
        assert!(matches!(AuthServerMetadata::from_json(asm, &url("https://as.example.com")), Err(MetadataError::ForeignEndpoint { .. })));
    }

    #[test]
    fn display_is_sanitised_and_chosen_by_language() {
        let md = metadata(serde_json::json!({
            "display": [
                {"name": "Emisor", "locale": "es-ES", "background_color": "#12a4Ff", "text_color": "red;background:url(x)",
                 "logo": {"uri": "https://issuer.example.com/logo.png", "alt_text": "Logo"}},
                {"name": "Issuer\u{0007}", "locale": "en", "logo": {"uri": "javascript:alert(1)"}},
                {"name": "Default", "logo": {"url": "data:image/png;base64,AAAA"}},
                "not an object",
            ],
            "credential_configurations_supported": {"A": {
                "format": "jwt_vc_json",
                "credential_definition": {"type": ["VerifiableCredential", "Degree"]},
                "credential_metadata": {"display": [{"name": "Degree", "locale": "en-GB"}]},
            }},
        }))
        .unwrap();
        assert_eq!(md.display().len(), 3);
        let es = md.display_for("es-ES").unwrap();
        assert_eq!(es.background_color.as_deref(), Some("#12a4Ff"));
        assert_eq!(es.text_color, None);
        assert_eq!(es.logo.as_ref().unwrap().alt_text.as_deref(), Some("Logo"));
        assert_eq!(md.display_for("es").unwrap().name.as_deref(), Some("Emisor"));
        let en = md.display_for("en-US").unwrap();
        assert_eq!((en.name.as_deref(), en.logo.as_ref()), (Some("Issuer"), None));
        assert_eq!(md.display_for("de").unwrap().name.as_deref(), Some("Default"));
        assert!(md.display_for("de").unwrap().logo.is_some());
        let a = md.configuration("A").unwrap();
        assert_eq!(a.name_for("en"), "Degree");
        assert_eq!(a.display_for("fr").unwrap().locale.as_deref(), Some("en-GB"));
    }

    #[test]
    fn configurations_the_wallet_cannot_receive() {
        let config = |c: Value| {
            let md = metadata(serde_json::json!({"credential_configurations_supported": {"A": c}})).unwrap();
            md.configuration("A").unwrap().unsupported_reason()
        };
        assert_eq!(config(serde_json::json!({"format": "jwt_vc_json", "cryptographic_binding_methods_supported": ["did:key"], "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ["ES256"]}}})), None);
        assert_eq!(config(serde_json::json!({"format": "jwt_vc_json", "cryptographic_binding_methods_supported": ["did"], "proof_types_supported": {"jwt": {}}})), None);
        assert!(config(serde_json::json!({"format": "dc+sd-jwt", "vct": "x"})).is_some());
        assert!(config(serde_json::json!({"format": "jwt_vc_json", "cryptographic_binding_methods_supported": ["jwk"], "proof_types_supported": {"jwt": {}}})).is_some());
        assert!(config(serde_json::json!({"format": "jwt_vc_json", "cryptographic_binding_methods_supported": ["did:key"], "proof_types_supported": {"attestation": {}}})).is_some());
        assert!(config(serde_json::json!({"format": "jwt_vc_json", "cryptographic_binding_methods_supported": ["did:key"], "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ["EdDSA"]}}})).is_some());
        assert!(matches!(
            metadata(serde_json::json!({"credential_configurations_supported": {"A": {"format": 7}}})),
            Err(MetadataError::BadConfiguration { .. })
        ));
    }
}
