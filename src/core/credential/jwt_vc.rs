//! A typed, unverified view of a `jwt_vc_json` credential.
//!
//! The JWT claims (`iss`, `sub`, `nbf`, `exp`, `iat`, `jti`, `cnf`) are read next to the
//! credential itself, which is the `vc` claim (VC-JWT of VCDM 1.1, as DOME issues it) or, when
//! there is no `vc` claim, the payload itself (a bare VCDM 2.0 credential, as DOME's status list
//! credentials are). Nothing here is trusted: [`super::verify`] decides that.
//!
//! Shapes accepted as the data model allows them: `type` and `@context` as a string or an array,
//! `issuer` as a string or an object with `id`, `credentialSubject` as an object or an array
//! (the first subject is used). Dates are read by [`super::dates`]; one that is present but
//! unreadable is an error, because a validity period that cannot be read cannot be checked.

use crate::core::quote::quoted;
use std::fmt;

use serde_json::{Map, Value};

use super::dates::{self, DateError};
use super::json_kind;
use super::status::{self, CredentialStatus, StatusError};
use crate::core::jws::{Jws, JwsError};

/// Largest credential JWT accepted (a DOME LEARCredential with its x5c is about 7 KB; a status
/// list credential about 25 KB).
pub const MAX_CREDENTIAL_LEN: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JwtVcError {
    #[error("a credential of {len} bytes exceeds the limit of {limit}")]
    TooLong { len: usize, limit: usize },
    #[error("JWS: {0}")]
    Jws(#[from] JwsError),
    #[error(
        "the JWT carries no credential: expected a \"vc\" object, or \"type\" and \"credentialSubject\" in the payload"
    )]
    NotACredential,
    #[error("{q_claim}: expected {expected}, found {found}", q_claim = quoted(.claim))]
    BadClaim { claim: &'static str, expected: &'static str, found: &'static str },
    #[error("{field}: {error}")]
    BadDate { field: &'static str, error: DateError },
    #[error("credentialStatus: {0}")]
    Status(#[from] StatusError),
}

/// The registered JWT claims a credential JWT carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JwtClaims {
    pub iss: Option<String>,
    pub sub: Option<String>,
    pub jti: Option<String>,
    pub nbf: Option<i64>,
    pub exp: Option<i64>,
    pub iat: Option<i64>,
    pub cnf: Option<Confirmation>,
}

/// `cnf` (RFC 7800): the key the credential is bound to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Confirmation {
    pub kid: Option<String>,
    pub jwk: Option<Map<String, Value>>,
}

/// The credential's `issuer`, with the descriptive fields DOME's v2/v3 issuer object carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VcIssuer {
    pub id: String,
    pub name: Option<String>,
    pub common_name: Option<String>,
    pub organization: Option<String>,
    pub organization_identifier: Option<String>,
    pub country: Option<String>,
}

/// `credentialSubject.mandate.life_span` of LEAR credentials v1 (unix seconds).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LifeSpan {
    pub start: Option<i64>,
    pub end: Option<i64>,
}

/// A W3C verifiable credential (VCDM 1.1 or 2.0), read field by field.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vc {
    pub context: Vec<String>,
    pub types: Vec<String>,
    pub id: Option<String>,
    pub issuer: Option<VcIssuer>,
    /// The (first) credential subject.
    pub subject: Map<String, Value>,
    pub valid_from: Option<i64>,
    pub valid_until: Option<i64>,
    pub issuance_date: Option<i64>,
    pub expiration_date: Option<i64>,
    pub life_span: Option<LifeSpan>,
    pub status: Vec<CredentialStatus>,
    /// The whole credential object, for display of fields not modelled here.
    pub raw: Map<String, Value>,
}

impl Vc {
    /// Reads a credential object (the `vc` claim, a bare payload, or unsigned JSON).
    pub fn from_json(vc: &Map<String, Value>) -> Result<Self, JwtVcError> {
        let subject = match vc.get("credentialSubject") {
            Some(Value::Object(subject)) => subject.clone(),
            Some(Value::Array(subjects)) => match subjects.first() {
                Some(Value::Object(subject)) => subject.clone(),
                other => return Err(bad("credentialSubject", "an object", other)),
            },
            other => return Err(bad("credentialSubject", "an object", other)),
        };
        let types = strings(vc, "type")?;
        if types.is_empty() {
            return Err(bad("type", "a string or an array of strings", vc.get("type")));
        }
        let life_span = match subject.get("mandate").and_then(|m| m.get("life_span")) {
            None => None,
            Some(Value::Object(span)) => Some(LifeSpan {
                start: date_of(span, &["start_date_time", "startDateTime"], "life_span start")?,
                end: date_of(span, &["end_date_time", "endDateTime"], "life_span end")?,
            }),
            other => return Err(bad("life_span", "an object", other)),
        };
        Ok(Self {
            context: strings(vc, "@context")?,
            types,
            id: string(vc, "id")?,
            issuer: issuer(vc.get("issuer"))?,
            valid_from: date_of(vc, &["validFrom"], "validFrom")?,
            valid_until: date_of(vc, &["validUntil"], "validUntil")?,
            issuance_date: date_of(vc, &["issuanceDate"], "issuanceDate")?,
            expiration_date: date_of(vc, &["expirationDate"], "expirationDate")?,
            life_span,
            status: vc.get("credentialStatus").map(status::parse).transpose()?.unwrap_or_default(),
            subject,
            raw: vc.clone(),
        })
    }

    pub fn has_type(&self, name: &str) -> bool {
        self.types.iter().any(|t| t == name)
    }

    /// `credentialSubject.id`.
    pub fn subject_id(&self) -> Option<&str> {
        self.subject.get("id").and_then(Value::as_str)
    }

    /// `credentialSubject.mandate.mandatee.id` (LEAR credentials).
    pub fn mandatee_id(&self) -> Option<&str> {
        self.subject.get("mandate")?.get("mandatee")?.get("id")?.as_str()
    }
}

/// A parsed credential JWT: header and signature (unverified), claims and credential.
#[derive(Debug, Clone)]
pub struct JwtVc {
    jws: Jws,
    claims: JwtClaims,
    vc: Vc,
}

impl JwtVc {
    /// Parses a compact credential JWT. Does not verify anything.
    pub fn parse(jwt: &str) -> Result<Self, JwtVcError> {
        Self::parse_limited(jwt, MAX_CREDENTIAL_LEN)
    }

    /// [`Self::parse`] with another size limit (status list credentials may be larger).
    pub fn parse_limited(jwt: &str, limit: usize) -> Result<Self, JwtVcError> {
        let jwt = jwt.trim();
        if jwt.len() > limit {
            return Err(JwtVcError::TooLong { len: jwt.len(), limit });
        }
        Self::from_jws(Jws::parse(jwt)?)
    }

    pub fn from_jws(jws: Jws) -> Result<Self, JwtVcError> {
        let payload = jws.claims()?;
        let (claims, vc) = read_payload(&payload)?;
        Ok(Self { jws, claims, vc })
    }

    pub fn jws(&self) -> &Jws {
        &self.jws
    }

    /// The compact JWT as received.
    pub fn as_str(&self) -> &str {
        self.jws.as_str()
    }

    pub fn claims(&self) -> &JwtClaims {
        &self.claims
    }

    pub fn vc(&self) -> &Vc {
        &self.vc
    }

    /// The issuer as the JWT names it: `iss`, else the credential's `issuer`.
    pub fn issuer_id(&self) -> Option<&str> {
        self.claims.iss.as_deref().or(self.vc.issuer.as_ref().map(|i| i.id.as_str()))
    }

    /// The holder's DID, by DOME's rule: `credentialSubject.id`, else the JWT `sub`, else
    /// `credentialSubject.mandate.mandatee.id`.
    pub fn holder(&self) -> Option<&str> {
        self.vc.subject_id().or(self.claims.sub.as_deref()).or_else(|| self.vc.mandatee_id())
    }

    /// The period in which every validity statement of the credential holds: the latest start
    /// and the earliest end among the JWT's `nbf`/`exp`, `validFrom`/`validUntil`,
    /// `issuanceDate`/`expirationDate` and the mandate's `life_span`.
    pub fn validity(&self) -> Validity {
        let (c, vc) = (&self.claims, &self.vc);
        let span = vc.life_span.unwrap_or_default();
        let starts = [
            (c.nbf, DateSource::Nbf),
            (vc.valid_from, DateSource::ValidFrom),
            (vc.issuance_date, DateSource::IssuanceDate),
            (span.start, DateSource::MandateStart),
        ];
        let ends = [
            (c.exp, DateSource::Exp),
            (vc.valid_until, DateSource::ValidUntil),
            (vc.expiration_date, DateSource::ExpirationDate),
            (span.end, DateSource::MandateEnd),
        ];
        let bounds = |list: [(Option<i64>, DateSource); 4]| {
            list.into_iter().filter_map(|(at, source)| at.map(|at| Bound { at, source }))
        };
        Validity {
            // On a tie the first listed (the JWT claim) is reported.
            from: bounds(starts).reduce(|a, b| if b.at > a.at { b } else { a }),
            until: bounds(ends).reduce(|a, b| if b.at < a.at { b } else { a }),
        }
    }
}

/// Which statement a validity bound comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateSource {
    Nbf,
    Exp,
    ValidFrom,
    ValidUntil,
    IssuanceDate,
    ExpirationDate,
    MandateStart,
    MandateEnd,
}

impl fmt::Display for DateSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Nbf => "JWT nbf",
            Self::Exp => "JWT exp",
            Self::ValidFrom => "validFrom",
            Self::ValidUntil => "validUntil",
            Self::IssuanceDate => "issuanceDate",
            Self::ExpirationDate => "expirationDate",
            Self::MandateStart => "mandate life_span start",
            Self::MandateEnd => "mandate life_span end",
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bound {
    /// Unix seconds.
    pub at: i64,
    pub source: DateSource,
}

/// The credential's validity period; `None` is unbounded on that side.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Validity {
    pub from: Option<Bound>,
    pub until: Option<Bound>,
}

fn read_payload(payload: &Map<String, Value>) -> Result<(JwtClaims, Vc), JwtVcError> {
    let claims = JwtClaims {
        iss: string(payload, "iss")?,
        sub: string(payload, "sub")?,
        jti: string(payload, "jti")?,
        nbf: numeric_date(payload, "nbf")?,
        exp: numeric_date(payload, "exp")?,
        iat: numeric_date(payload, "iat")?,
        cnf: match payload.get("cnf") {
            None => None,
            Some(Value::Object(cnf)) => Some(Confirmation {
                kid: string(cnf, "kid")?,
                jwk: match cnf.get("jwk") {
                    None => None,
                    Some(Value::Object(jwk)) => Some(jwk.clone()),
                    other => return Err(bad("cnf.jwk", "an object", other)),
                },
            }),
            other => return Err(bad("cnf", "an object", other)),
        },
    };
    let vc = match payload.get("vc") {
        Some(Value::Object(vc)) => Vc::from_json(vc)?,
        Some(other) => return Err(bad("vc", "an object", Some(other))),
        None if payload.contains_key("type") && payload.contains_key("credentialSubject") => Vc::from_json(payload)?,
        None => return Err(JwtVcError::NotACredential),
    };
    Ok((claims, vc))
}

fn bad(claim: &'static str, expected: &'static str, found: Option<&Value>) -> JwtVcError {
    JwtVcError::BadClaim { claim, expected, found: found.map_or("nothing", json_kind) }
}

/// An optional string member; present with another type is an error.
fn string(map: &Map<String, Value>, name: &'static str) -> Result<Option<String>, JwtVcError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        other => Err(bad(name, "a string", other)),
    }
}

/// A string or an array (whose non-string entries, such as inline JSON-LD contexts, are skipped).
fn strings(map: &Map<String, Value>, name: &'static str) -> Result<Vec<String>, JwtVcError> {
    match map.get(name) {
        None => Ok(Vec::new()),
        Some(Value::String(s)) => Ok(vec![s.clone()]),
        Some(Value::Array(items)) => Ok(items.iter().filter_map(Value::as_str).map(str::to_owned).collect()),
        other => Err(bad(name, "a string or an array of strings", other)),
    }
}

/// A JWT NumericDate (RFC 7519 §2): seconds, possibly with a fraction.
fn numeric_date(map: &Map<String, Value>, name: &'static str) -> Result<Option<i64>, JwtVcError> {
    // Far beyond any real date, and exactly representable as f64.
    const LIMIT: f64 = 1e15;
    match map.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => match (n.as_i64(), n.as_f64()) {
            (Some(i), _) if (i as f64).abs() < LIMIT => Ok(Some(i)),
            (None, Some(f)) if f.is_finite() && f.abs() < LIMIT => Ok(Some(f.floor() as i64)),
            _ => Err(bad(name, "seconds since 1970", map.get(name))),
        },
        other => Err(bad(name, "a number (seconds since 1970)", other)),
    }
}

/// The first present member among `names`, parsed as a date-time.
fn date_of(map: &Map<String, Value>, names: &[&str], field: &'static str) -> Result<Option<i64>, JwtVcError> {
    let Some(value) = names.iter().find_map(|n| map.get(*n)) else { return Ok(None) };
    match value {
        Value::String(text) => {
            dates::parse_datetime(text).map(Some).map_err(|error| JwtVcError::BadDate { field, error })
        }
        other => Err(bad(field, "a date-time string", Some(other))),
    }
}

fn issuer(value: Option<&Value>) -> Result<Option<VcIssuer>, JwtVcError> {
    match value {
        None => Ok(None),
        Some(Value::String(id)) => Ok(Some(VcIssuer { id: id.clone(), ..VcIssuer::default() })),
        Some(Value::Object(obj)) => {
            let id = string(obj, "id")?.ok_or_else(|| bad("issuer.id", "a string", obj.get("id")))?;
            // Descriptive fields are for display only; a non-string one is ignored, not refused.
            let text = |name: &str| obj.get(name).and_then(Value::as_str).map(str::to_owned);
            Ok(Some(VcIssuer {
                id,
                name: text("name"),
                common_name: text("commonName"),
                organization: text("organization"),
                organization_identifier: text("organizationIdentifier"),
                country: text("country"),
            }))
        }
        other => Err(bad("issuer", "a string or an object with \"id\"", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::credential::test_support::{compact, read_shared, read_shared_json, DOME_CREDENTIAL};
    use serde_json::json;

    fn unsigned(claims: &Value) -> String {
        compact(&json!({"alg": "ES256"}), claims, |_| vec![0; 64])
    }

    fn vc_of(claims: Value) -> Result<JwtVc, JwtVcError> {
        JwtVc::parse(&unsigned(&claims))
    }

    #[test]
    fn reads_the_real_dome_credential() {
        let Some(jwt) = read_shared(DOME_CREDENTIAL) else { return };
        let view = JwtVc::parse(&jwt).unwrap();
        let c = view.claims();
        assert_eq!(c.iss.as_deref(), Some("did:elsi:VATES-B60645900"));
        assert_eq!(c.sub.as_deref(), Some("did:key:zDnaepbQkLnywX4GHsnpTuGQkBHtJ4UnGM97ts7XuM273L1ih"));
        assert_eq!((c.nbf, c.iat, c.exp), (Some(1_717_438_003), Some(1_717_438_003), Some(1_720_030_003)));
        assert_eq!(c.jti.as_deref(), Some("745939c0-4dbf-451b-a213-32df4f07c264"));
        let vc = view.vc();
        assert_eq!(vc.context[1], "https://www.evidenceledger.eu/2022/credentials/employee/v1");
        assert_eq!(vc.types, ["VerifiableCredential", "LEARCredentialEmployee"]);
        assert_eq!(vc.issuer.as_ref().map(|i| i.id.as_str()), Some("did:elsi:VATES-B60645900"));
        // Go's time format.
        assert_eq!(vc.issuance_date, Some(1_715_577_633));
        assert_eq!(vc.valid_from, Some(1_715_577_633));
        assert_eq!(vc.expiration_date, Some(1_747_113_633));
        assert_eq!(vc.life_span, Some(LifeSpan { start: Some(1_717_055_258), end: Some(1_719_647_258) }));
        assert_eq!(view.holder(), Some("did:key:zDnaepbQkLnywX4GHsnpTuGQkBHtJ4UnGM97ts7XuM273L1ih"));
        assert_eq!(view.issuer_id(), Some("did:elsi:VATES-B60645900"));
        // Valid from nbf (2024-06-03) until the mandate's end (2024-06-29), the earliest end.
        assert_eq!(
            view.validity(),
            Validity {
                from: Some(Bound { at: 1_717_438_003, source: DateSource::Nbf }),
                until: Some(Bound { at: 1_719_647_258, source: DateSource::MandateEnd }),
            }
        );
    }

    #[test]
    fn reads_the_dome_v3_profile_payload() {
        let Some(mut payload) = read_shared_json("dome/profile/learcredentialemployee-v3-jwt-payload.json") else {
            return;
        };
        // Its status entry has an "<idx>" placeholder, which is not an index.
        assert_eq!(vc_of(payload.clone()).unwrap_err(), JwtVcError::Status(StatusError::BadIndex("<idx>".into())));
        payload["vc"]["credentialStatus"]["statusListIndex"] = json!("94567");
        let view = vc_of(payload).unwrap();
        assert_eq!(view.claims().cnf.as_ref().and_then(|c| c.kid.as_deref()), Some("did:key:zDnaeHolder..."));
        let vc = view.vc();
        assert_eq!(vc.id.as_deref(), Some("urn:uuid:<uuid>"));
        assert_eq!(vc.valid_from, Some(1_735_689_600));
        assert_eq!(vc.valid_until, Some(1_767_225_600));
        let issuer = vc.issuer.as_ref().unwrap();
        assert_eq!(
            (issuer.organization.as_deref(), issuer.organization_identifier.as_deref()),
            (Some("IN2"), Some("VATES-B60645900"))
        );
        assert!(matches!(
            &vc.status[..],
            [CredentialStatus::BitstringStatusListEntry { index: 94567, purpose, .. }] if purpose == "revocation"
        ));
        assert_eq!(view.holder(), Some("did:key:zDnaeHolder..."));
    }

    #[test]
    fn holder_rule_prefers_subject_id_then_sub_then_mandatee() {
        let vc = |subject: Value| json!({"type": ["VerifiableCredential"], "credentialSubject": subject});
        let mandate = json!({"mandatee": {"id": "did:key:mandatee"}});
        let both = vc_of(json!({"sub": "did:key:sub", "vc": vc(json!({"id": "did:key:subject", "mandate": mandate}))}))
            .unwrap();
        assert_eq!(both.holder(), Some("did:key:subject"));
        let sub = vc_of(json!({"sub": "did:key:sub", "vc": vc(json!({"mandate": mandate}))})).unwrap();
        assert_eq!(sub.holder(), Some("did:key:sub"));
        let mandatee = vc_of(json!({"vc": vc(json!({"mandate": mandate}))})).unwrap();
        assert_eq!(mandatee.holder(), Some("did:key:mandatee"));
        assert_eq!(vc_of(json!({"vc": vc(json!({}))})).unwrap().holder(), None);
    }

    #[test]
    fn a_bare_credential_payload_is_read_as_the_credential() {
        // The shape of DOME's status list credential (no "vc" wrapper).
        let view = vc_of(json!({
            "@context": "https://www.w3.org/ns/credentials/v2",
            "id": "https://issuer.example/status/1",
            "type": ["VerifiableCredential", "BitstringStatusListCredential"],
            "issuer": "did:elsi:VATES-B60645900",
            "validFrom": "2025-01-01T00:00:00Z",
            "credentialSubject": [{"id": "https://issuer.example/status/1#list", "type": "BitstringStatusList", "statusPurpose": "revocation", "encodedList": "uH4sI"}]
        }))
        .unwrap();
        assert_eq!(view.vc().context, ["https://www.w3.org/ns/credentials/v2"]);
        assert!(view.vc().has_type("BitstringStatusListCredential"));
        assert_eq!(view.issuer_id(), Some("did:elsi:VATES-B60645900"));
        assert_eq!(view.vc().subject["encodedList"], "uH4sI");
        assert_eq!(view.validity().from, Some(Bound { at: 1_735_689_600, source: DateSource::ValidFrom }));
        assert_eq!(view.validity().until, None);
    }

    #[test]
    fn type_may_be_a_string_and_dates_may_be_fractional() {
        let view = vc_of(json!({"nbf": 1_700_000_000.75, "exp": 1_800_000_000, "vc": {
            "type": "VerifiableCredential", "credentialSubject": {},
            "validUntil": "2026-01-01T00:00:00.999999999+01:00"
        }}))
        .unwrap();
        assert_eq!(view.vc().types, ["VerifiableCredential"]);
        assert_eq!(view.claims().nbf, Some(1_700_000_000));
        assert_eq!(view.validity().until, Some(Bound { at: 1_767_222_000, source: DateSource::ValidUntil }));
    }

    #[test]
    fn refuses_what_is_not_a_credential() {
        assert_eq!(vc_of(json!({"iss": "x"})).unwrap_err(), JwtVcError::NotACredential);
        let err = |claims| vc_of(claims).unwrap_err();
        let vc = |extra: Value| {
            let mut vc = json!({"type": ["VerifiableCredential"], "credentialSubject": {}});
            vc.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
            json!({"vc": vc})
        };
        assert_eq!(
            err(json!({"vc": "eyJ..."})),
            JwtVcError::BadClaim { claim: "vc", expected: "an object", found: "a string" }
        );
        assert!(matches!(
            err(json!({"vc": {"type": [], "credentialSubject": {}}})),
            JwtVcError::BadClaim { claim: "type", .. }
        ));
        assert!(matches!(err(json!({"vc": {"type": "X"}})), JwtVcError::BadClaim { claim: "credentialSubject", .. }));
        assert!(matches!(
            err(json!({"vc": {"type": "X", "credentialSubject": [1]}})),
            JwtVcError::BadClaim { claim: "credentialSubject", .. }
        ));
        assert!(matches!(
            err(json!({"iss": 7, "vc": {"type": "X", "credentialSubject": {}}})),
            JwtVcError::BadClaim { claim: "iss", .. }
        ));
        assert!(matches!(
            err(json!({"exp": "tomorrow", "vc": {"type": "X", "credentialSubject": {}}})),
            JwtVcError::BadClaim { claim: "exp", .. }
        ));
        assert!(matches!(
            err(json!({"exp": 1e300, "vc": {"type": "X", "credentialSubject": {}}})),
            JwtVcError::BadClaim { claim: "exp", .. }
        ));
        assert!(matches!(
            err(json!({"cnf": "did:key:x", "vc": {"type": "X", "credentialSubject": {}}})),
            JwtVcError::BadClaim { claim: "cnf", .. }
        ));
        assert!(matches!(
            err(vc(json!({"issuer": {"name": "no id"}}))),
            JwtVcError::BadClaim { claim: "issuer.id", .. }
        ));
        assert!(matches!(err(vc(json!({"issuer": 3}))), JwtVcError::BadClaim { claim: "issuer", .. }));
        assert!(matches!(err(vc(json!({"validUntil": "next year"}))), JwtVcError::BadDate { field: "validUntil", .. }));
        assert!(matches!(
            err(vc(json!({"validFrom": 1_700_000_000}))),
            JwtVcError::BadClaim { claim: "validFrom", .. }
        ));
        assert!(matches!(
            err(vc(
                json!({"credentialSubject": {"mandate": {"life_span": {"end_date_time": "2024-13-01T00:00:00Z"}}}})
            )),
            JwtVcError::BadDate { field: "life_span end", .. }
        ));
        assert!(matches!(err(vc(json!({"credentialStatus": "revoked"}))), JwtVcError::Status(_)));
        let huge = "a".repeat(MAX_CREDENTIAL_LEN + 1);
        assert_eq!(
            JwtVc::parse(&huge).unwrap_err(),
            JwtVcError::TooLong { len: MAX_CREDENTIAL_LEN + 1, limit: MAX_CREDENTIAL_LEN }
        );
        assert_eq!(JwtVc::parse("a.b").unwrap_err(), JwtVcError::Jws(JwsError::Parts(2)));
    }
}
