//! The credential offer (OpenID4VCI 1.0 §4.1; draft 13 shapes too) and the secrets of the
//! pre-authorized code flow.
//!
//! The offer is parsed once, here, into a [`CredentialOffer`] with exactly one usable grant: the
//! pre-authorized code. An offer that only allows the authorization code flow is recognised and
//! refused with its own error (the wallet cannot run it yet); unknown grants are ignored.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::core::json;
use crate::core::net::{PeerUrl, PeerUrlError};

/// Largest offer accepted, by value in a link or fetched by reference.
pub const MAX_OFFER_BYTES: usize = 16 * 1024;
const MAX_CODE_LEN: usize = 4096;
const MAX_CONFIGURATION_IDS: usize = 16;
const MAX_ID_LEN: usize = 256;
/// OpenID4VCI 1.0 §4.1.1 caps the `tx_code` description at 300 characters.
const MAX_TX_DESCRIPTION_CHARS: usize = 300;
/// Longest PIN the wallet will send (and largest `length` it accepts in a `tx_code`).
const MAX_TX_CODE_LEN: usize = 64;


/// Declares a secret string: redacted `Debug`, no `Clone`, read only through `.secret()`.
macro_rules! secret {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(PartialEq, Eq)]
        pub struct $name(String);

        impl $name {
            pub fn new(value: String) -> Self {
                Self(value)
            }

            pub fn secret(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

secret!(
    /// The issuer's one-time authorization, carried in the offer.
    PreAuthorizedCode
);
secret!(
    /// The transaction code (PIN) the person types, e.g. from DOME's e-mail.
    TxCode
);
secret!(
    /// The access token for the credential, deferred and notification endpoints. Serialisable,
    /// because a deferred issuance must survive a reload.
    #[derive(Serialize, Deserialize)]
    #[serde(transparent)]
    AccessToken
);

impl AccessToken {
    /// A second handle on the same token, for a notification or deferred issuance that
    /// outlives the flow. Deliberately not `Clone`: every copy is visible here.
    pub(crate) fn duplicate(&self) -> AccessToken {
        AccessToken(self.0.clone())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputMode {
    /// Digits only (the default).
    Numeric,
    /// Any characters.
    Text,
}

/// What the issuer says about the PIN it expects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxCodeSpec {
    length: Option<usize>,
    input_mode: InputMode,
    description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TxCodeError {
    #[error("the PIN is empty")]
    Empty,
    #[error("the PIN has {found} characters; the issuer expects {expected}")]
    WrongLength { expected: usize, found: usize },
    #[error("the PIN must be digits only")]
    NotNumeric,
    #[error("the PIN is longer than {MAX_TX_CODE_LEN} characters")]
    TooLong,
}

impl TxCodeSpec {
    pub fn length(&self) -> Option<usize> {
        self.length
    }

    pub fn input_mode(&self) -> InputMode {
        self.input_mode
    }

    /// The issuer's hint on where to find the PIN (control characters removed, at most 300
    /// characters). Text from the issuer: show it as text, never as markup.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// Checks a typed PIN against the spec before anything is sent.
    pub fn validate(&self, code: &str) -> Result<(), TxCodeError> {
        let chars = code.chars().count();
        if chars == 0 {
            return Err(TxCodeError::Empty);
        }
        if chars > MAX_TX_CODE_LEN {
            return Err(TxCodeError::TooLong);
        }
        if self.input_mode == InputMode::Numeric && !code.chars().all(|c| c.is_ascii_digit()) {
            return Err(TxCodeError::NotNumeric);
        }
        match self.length {
            Some(expected) if expected != chars => Err(TxCodeError::WrongLength { expected, found: chars }),
            _ => Ok(()),
        }
    }

    /// What an offer with only the legacy `user_pin_required: true` implies: a PIN of unknown
    /// shape, so nothing the person types is refused here.
    fn legacy() -> Self {
        Self { length: None, input_mode: InputMode::Text, description: None }
    }
}

/// The pre-authorized code grant of an offer.
#[derive(Debug, PartialEq, Eq)]
pub struct PreAuthorizedGrant {
    code: PreAuthorizedCode,
    tx_code: Option<TxCodeSpec>,
    legacy_user_pin: bool,
    authorization_server: Option<PeerUrl>,
}

impl PreAuthorizedGrant {
    pub fn code(&self) -> &PreAuthorizedCode {
        &self.code
    }

    /// The PIN the token request needs, if any.
    pub fn tx_code(&self) -> Option<&TxCodeSpec> {
        self.tx_code.as_ref()
    }

    /// Whether the PIN goes in the pre-draft-13 `user_pin` parameter (the offer said
    /// `user_pin_required: true` and had no `tx_code`).
    pub fn legacy_user_pin(&self) -> bool {
        self.legacy_user_pin
    }

    /// The authorization server the offer names for this grant (must be one the issuer lists).
    pub fn authorization_server(&self) -> Option<&PeerUrl> {
        self.authorization_server.as_ref()
    }
}

/// A parsed credential offer. Only the pre-authorized code flow is supported.
#[derive(Debug, PartialEq, Eq)]
pub struct CredentialOffer {
    credential_issuer: PeerUrl,
    configuration_ids: Vec<String>,
    grant: PreAuthorizedGrant,
}

/// Where an offer comes from: a link carries it by reference (to fetch once) or by value.
#[derive(Debug, PartialEq, Eq)]
pub enum OfferSource {
    ByReference(PeerUrl),
    ByValue(Box<CredentialOffer>),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OfferError {
    #[error("offer of {0} bytes exceeds the limit of {MAX_OFFER_BYTES}")]
    TooLarge(usize),
    #[error("the offer is not the expected JSON: {0}")]
    NotJson(String),
    #[error("credential_issuer: {0}")]
    BadIssuer(PeerUrlError),
    #[error("the offer names no credential (credential_configuration_ids is missing or empty)")]
    NoConfigurationIds,
    #[error("a credential_configuration_ids entry is empty, too long, or one of too many")]
    BadConfigurationId,
    #[error("the offer only allows the authorization code flow, which this wallet does not support")]
    AuthorizationCodeOnly,
    #[error("the offer has no grant this wallet can use (it supports the pre-authorized code flow)")]
    NoUsableGrant,
    #[error("the pre-authorized_code is empty or longer than {MAX_CODE_LEN} bytes")]
    BadCode,
    #[error("malformed tx_code: {0}")]
    BadTxCode(&'static str),
    #[error("authorization_server: {0}")]
    BadAuthorizationServer(PeerUrlError),
}

struct RawOffer {
    credential_issuer: String,
    credential_configuration_ids: Vec<String>,
    grants: Option<RawGrants>,
}

struct RawGrants {
    pre_authorized: Option<RawPreAuthorized>,
    authorization_code: bool,
}

struct RawPreAuthorized {
    code: String,
    tx_code: Option<RawTxCode>,
    user_pin_required: bool,
    authorization_server: Option<String>,
}

struct RawTxCode {
    length: Option<u64>,
    input_mode: Option<String>,
    description: Option<String>,
}

impl RawOffer {
    /// Reads the members, checking their types (values are checked by [`CredentialOffer::from_json`]).
    fn read(bytes: &[u8]) -> Result<Self, String> {
        let offer = json::parse_object(bytes)?;
        let grants = match json::opt_object(&offer, "grants")? {
            None => None,
            Some(grants) => Some(RawGrants {
                pre_authorized: match json::opt_object(grants, "urn:ietf:params:oauth:grant-type:pre-authorized_code")? {
                    None => None,
                    Some(pre) => Some(RawPreAuthorized {
                        code: json::string(pre, "pre-authorized_code")?,
                        tx_code: match json::opt_object(pre, "tx_code")? {
                            None => None,
                            Some(tx) => Some(RawTxCode {
                                length: json::opt_u64(tx, "length")?,
                                input_mode: json::opt_string(tx, "input_mode")?,
                                description: json::opt_string(tx, "description")?,
                            }),
                        },
                        user_pin_required: json::flag(pre, "user_pin_required")?,
                        authorization_server: json::opt_string(pre, "authorization_server")?,
                    }),
                },
                authorization_code: grants.get("authorization_code").is_some_and(|g| !g.is_null()),
            }),
        };
        Ok(Self {
            credential_issuer: json::string(&offer, "credential_issuer")?,
            credential_configuration_ids: json::strings(&offer, "credential_configuration_ids")?,
            grants,
        })
    }
}

impl CredentialOffer {
    /// Parses an offer's JSON (from `credential_offer=` or the `credential_offer_uri` answer).
    pub fn from_json(bytes: &[u8]) -> Result<Self, OfferError> {
        if bytes.len() > MAX_OFFER_BYTES {
            return Err(OfferError::TooLarge(bytes.len()));
        }
        let raw = RawOffer::read(bytes).map_err(OfferError::NotJson)?;
        let credential_issuer = PeerUrl::parse_identifier(&raw.credential_issuer).map_err(OfferError::BadIssuer)?;

        if raw.credential_configuration_ids.is_empty() {
            return Err(OfferError::NoConfigurationIds);
        }
        if raw.credential_configuration_ids.len() > MAX_CONFIGURATION_IDS
            || raw.credential_configuration_ids.iter().any(|id| id.is_empty() || id.len() > MAX_ID_LEN)
        {
            return Err(OfferError::BadConfigurationId);
        }
        let mut configuration_ids: Vec<String> = Vec::new();
        for id in raw.credential_configuration_ids {
            if !configuration_ids.contains(&id) {
                configuration_ids.push(id);
            }
        }

        let grants = raw.grants.unwrap_or(RawGrants { pre_authorized: None, authorization_code: false });
        let grant = match (grants.pre_authorized, grants.authorization_code) {
            (Some(pre), _) => parse_pre_authorized(pre)?,
            (None, true) => return Err(OfferError::AuthorizationCodeOnly),
            (None, false) => return Err(OfferError::NoUsableGrant),
        };
        Ok(Self { credential_issuer, configuration_ids, grant })
    }

    /// The credential issuer identifier, exactly as the offer wrote it.
    pub fn credential_issuer(&self) -> &PeerUrl {
        &self.credential_issuer
    }

    /// The offered `credential_configuration_ids` (non-empty, duplicates removed).
    pub fn configuration_ids(&self) -> &[String] {
        &self.configuration_ids
    }

    pub fn grant(&self) -> &PreAuthorizedGrant {
        &self.grant
    }
}

fn parse_pre_authorized(raw: RawPreAuthorized) -> Result<PreAuthorizedGrant, OfferError> {
    if raw.code.is_empty() || raw.code.len() > MAX_CODE_LEN {
        return Err(OfferError::BadCode);
    }
    let legacy_user_pin = raw.tx_code.is_none() && raw.user_pin_required;
    let tx_code = match raw.tx_code {
        Some(spec) => Some(parse_tx_code(spec)?),
        None if legacy_user_pin => Some(TxCodeSpec::legacy()),
        None => None,
    };
    let authorization_server = raw
        .authorization_server
        .map(|s| PeerUrl::parse_identifier(&s))
        .transpose()
        .map_err(OfferError::BadAuthorizationServer)?;
    Ok(PreAuthorizedGrant { code: PreAuthorizedCode(raw.code), tx_code, legacy_user_pin, authorization_server })
}

fn parse_tx_code(raw: RawTxCode) -> Result<TxCodeSpec, OfferError> {
    let input_mode = match raw.input_mode.as_deref() {
        None | Some("numeric") => InputMode::Numeric,
        Some("text") => InputMode::Text,
        Some(_) => return Err(OfferError::BadTxCode("input_mode is neither \"numeric\" nor \"text\"")),
    };
    let length = match raw.length {
        None => None,
        Some(n) if (1..=MAX_TX_CODE_LEN as u64).contains(&n) => usize::try_from(n).ok(),
        Some(_) => return Err(OfferError::BadTxCode("length is not between 1 and 64")),
    };
    let description = raw
        .description
        .map(|d| d.chars().filter(|c| !c.is_control()).take(MAX_TX_DESCRIPTION_CHARS).collect::<String>())
        .filter(|d| !d.trim().is_empty());
    Ok(TxCodeSpec { length, input_mode, description })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::credential::test_support::read_shared;
    use crate::core::oid4vci::messages::PRE_AUTHORIZED_GRANT_TYPE as PRE_AUTHORIZED_GRANT;

    fn offer(json: serde_json::Value) -> Result<CredentialOffer, OfferError> {
        CredentialOffer::from_json(json.to_string().as_bytes())
    }

    fn with_grant(grant: serde_json::Value) -> Result<CredentialOffer, OfferError> {
        offer(serde_json::json!({
            "credential_issuer": "https://issuer.example.com",
            "credential_configuration_ids": ["A"],
            "grants": grant,
        }))
    }

    #[test]
    fn parses_the_dome_and_wallet_side_offers() {
        for (file, issuer, id, description) in [
            ("dome/profile/issuer-v2.2-credential-offer.json", "https://issuer.dome-marketplace.eu", "LEARCredentialEmployee", None),
            (
                "dome/profile/issuer-v1.6-credential-offer.json",
                "https://issuer.dome-marketplace.eu",
                "LEARCredentialEmployee",
                Some("A PIN has been sent to your email. Check your inbox. Enter your PIN Code."),
            ),
            (
                "dome/wallet-side/01-credential-offer.json",
                "https://credential-issuer.example.com",
                "UniversityDegreeCredential",
                Some("Please provide the one-time code that was sent via e-mail"),
            ),
        ] {
            let Some(text) = read_shared(file) else { return };
            let offer = CredentialOffer::from_json(text.as_bytes()).unwrap();
            assert_eq!(offer.credential_issuer().as_str(), issuer);
            assert_eq!(offer.configuration_ids(), [id.to_owned()]);
            let spec = offer.grant().tx_code().unwrap();
            assert_eq!((spec.length(), spec.input_mode(), spec.description()), (Some(4), InputMode::Numeric, description));
            assert!(!offer.grant().legacy_user_pin());
            assert!(!format!("{offer:?}").contains(offer.grant().code().secret()), "the code must not be logged");
        }
    }

    #[test]
    fn tx_code_spec_defaults_and_validation() {
        let o = with_grant(serde_json::json!({PRE_AUTHORIZED_GRANT: {"pre-authorized_code": "c", "tx_code": {}}})).unwrap();
        let spec = o.grant().tx_code().unwrap();
        assert_eq!((spec.length(), spec.input_mode()), (None, InputMode::Numeric));
        assert_eq!(spec.validate("0042"), Ok(()));
        assert_eq!(spec.validate("12a"), Err(TxCodeError::NotNumeric));
        assert_eq!(spec.validate(""), Err(TxCodeError::Empty));

        let o = with_grant(serde_json::json!({PRE_AUTHORIZED_GRANT: {"pre-authorized_code": "c", "tx_code": {"length": 4}}})).unwrap();
        let spec = o.grant().tx_code().unwrap();
        assert_eq!(spec.validate("123"), Err(TxCodeError::WrongLength { expected: 4, found: 3 }));
        assert_eq!(spec.validate("１２３４"), Err(TxCodeError::NotNumeric), "full-width digits are not ASCII digits");

        let o = with_grant(serde_json::json!({PRE_AUTHORIZED_GRANT: {"pre-authorized_code": "c", "tx_code": {"input_mode": "text", "length": 6}}})).unwrap();
        assert_eq!(o.grant().tx_code().unwrap().validate("ab-12!"), Ok(()));
        assert_eq!(o.grant().tx_code().unwrap().validate(&"x".repeat(65)), Err(TxCodeError::TooLong));

        let long = "é".repeat(400) + "\u{7}";
        let o = with_grant(serde_json::json!({PRE_AUTHORIZED_GRANT: {"pre-authorized_code": "c", "tx_code": {"description": long}}})).unwrap();
        assert_eq!(o.grant().tx_code().unwrap().description().unwrap().chars().count(), 300);

        let none = with_grant(serde_json::json!({PRE_AUTHORIZED_GRANT: {"pre-authorized_code": "c"}})).unwrap();
        assert!(none.grant().tx_code().is_none());
    }

    #[test]
    fn legacy_user_pin_required() {
        let o = with_grant(serde_json::json!({PRE_AUTHORIZED_GRANT: {"pre-authorized_code": "c", "user_pin_required": true}})).unwrap();
        assert!(o.grant().legacy_user_pin());
        assert_eq!(o.grant().tx_code().unwrap().validate("1234"), Ok(()));
        let o = with_grant(serde_json::json!({PRE_AUTHORIZED_GRANT: {"pre-authorized_code": "c", "user_pin_required": false}})).unwrap();
        assert!(o.grant().tx_code().is_none() && !o.grant().legacy_user_pin());
        // A tx_code wins over the legacy flag.
        let o = with_grant(serde_json::json!({PRE_AUTHORIZED_GRANT: {"pre-authorized_code": "c", "user_pin_required": true, "tx_code": {"length": 4}}})).unwrap();
        assert!(!o.grant().legacy_user_pin());
    }

    #[test]
    fn grants_authorization_code_only_unknown_only_or_none() {
        assert_eq!(with_grant(serde_json::json!({"authorization_code": {"issuer_state": "x"}})), Err(OfferError::AuthorizationCodeOnly));
        assert_eq!(with_grant(serde_json::json!({"urn:example:magic": {}})), Err(OfferError::NoUsableGrant));
        assert_eq!(with_grant(serde_json::json!({})), Err(OfferError::NoUsableGrant));
        assert_eq!(
            offer(serde_json::json!({"credential_issuer": "https://i.example", "credential_configuration_ids": ["A"]})),
            Err(OfferError::NoUsableGrant)
        );
        // Both: the pre-authorized code is used; unknown grants are ignored.
        let both = with_grant(serde_json::json!({
            "authorization_code": {}, "urn:example:magic": 7,
            PRE_AUTHORIZED_GRANT: {"pre-authorized_code": "c", "authorization_server": "https://as.example.com"}
        }))
        .unwrap();
        assert_eq!(both.grant().authorization_server().unwrap().as_str(), "https://as.example.com");
    }

    #[test]
    fn malformed_offers() {
        let grant = serde_json::json!({PRE_AUTHORIZED_GRANT: {"pre-authorized_code": "c"}});
        for (json, expected) in [
            (serde_json::json!({"credential_issuer": "http://issuer.example.com", "credential_configuration_ids": ["A"], "grants": grant}),
             OfferError::BadIssuer(PeerUrlError::Scheme("http".into()))),
            (serde_json::json!({"credential_issuer": "https://issuer.example.com?x", "credential_configuration_ids": ["A"], "grants": grant}),
             OfferError::BadIssuer(PeerUrlError::Query)),
            (serde_json::json!({"credential_issuer": "https://issuer.example.com", "credential_configuration_ids": [], "grants": grant}),
             OfferError::NoConfigurationIds),
            // Draft 11 `credentials` is not read.
            (serde_json::json!({"credential_issuer": "https://issuer.example.com", "credentials": ["A"], "grants": grant}),
             OfferError::NoConfigurationIds),
            (serde_json::json!({"credential_issuer": "https://issuer.example.com", "credential_configuration_ids": [""], "grants": grant}),
             OfferError::BadConfigurationId),
        ] {
            assert_eq!(offer(json), Err(expected));
        }
        for grant in [
            serde_json::json!({PRE_AUTHORIZED_GRANT: {"pre-authorized_code": ""}}),
            serde_json::json!({PRE_AUTHORIZED_GRANT: {"pre-authorized_code": "x".repeat(MAX_CODE_LEN + 1)}}),
        ] {
            assert_eq!(with_grant(grant), Err(OfferError::BadCode));
        }
        for tx in [serde_json::json!({"length": 0}), serde_json::json!({"length": 65}), serde_json::json!({"input_mode": "emoji"})] {
            assert!(matches!(
                with_grant(serde_json::json!({PRE_AUTHORIZED_GRANT: {"pre-authorized_code": "c", "tx_code": tx}})),
                Err(OfferError::BadTxCode(_))
            ));
        }
        for bad in [&b"not json"[..], b"[]", br#"{"credential_issuer": 7}"#, b"{\"credential_issuer\":\"https://a.example\",\"credential_issuer\":\"https://b.example\"}"] {
            assert!(matches!(CredentialOffer::from_json(bad), Err(OfferError::NotJson(_))), "{}", String::from_utf8_lossy(bad));
        }
        let huge = vec![b' '; MAX_OFFER_BYTES + 1];
        assert_eq!(CredentialOffer::from_json(&huge), Err(OfferError::TooLarge(MAX_OFFER_BYTES + 1)));
    }

    #[test]
    fn secrets_are_redacted() {
        assert_eq!(format!("{:?}", TxCode::new("1234".into())), "TxCode([redacted])");
        assert_eq!(format!("{:?}", AccessToken::new("eyJ".into())), "AccessToken([redacted])");
        assert_eq!(format!("{:?}", PreAuthorizedCode::new("c".into())), "PreAuthorizedCode([redacted])");
        assert_eq!(serde_json::to_string(&AccessToken::new("t".into())).unwrap(), "\"t\"");
    }
}
