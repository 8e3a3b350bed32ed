//! The LEARCredential data model: an electronic mandate in which a legal representative
//! (mandator) of an organisation grants an employee or a machine (mandatee) powers, read into
//! one [`Mandate`] from every shape DOME has issued:
//!
//! | version | context (second `@context` entry) | shape |
//! |---|---|---|
//! | Employee v1 | `trust-framework.dome-marketplace.eu/credentials/learcredentialemployee/v1`, and older ones such as `…/2022/credentials/employee/v1` | `first_name`, `mobile_phone`; powers `tmf_type`/`tmf_domain`/`tmf_function`/`tmf_action`; `signer`; `life_span` |
//! | Employee v2 | `www.dome-marketplace.eu/2025/credentials/learcredentialemployee/v2` | `firstName`, `nationality`; powers `type`/`domain`/`function`/`action`; `signer` |
//! | Employee v3 | `credentials.eudistack.eu/.well-known/credentials/lear_credential_employee/w3c/v3` | holder in `credentialSubject.id`; mandator `id` (did:elsi) and `email`; mandatee `employeeId` |
//! | Machine v1 | `trust-framework.dome-marketplace.eu/credentials/learcredentialmachine/v1` (or none) | mandatee `serviceName`, `serviceType`, `version`, `domain`, `ipAddress`, `description`, `contact`; `tmf_*` powers; `signer`; `life_span` |
//! | Machine v2 | `credentials.eudistack.eu/.well-known/credentials/lear_credential_machine/w3c/v2` | mandatee `domain`, `ipAddress`; mandator `id`, `email`; plain powers |
//!
//! The version comes from the context when it is known, else from the fields present. Fields are
//! read by every name any version gives them (`firstName` or `first_name`, `action` or
//! `tmf_action`, `email` or `emailAddress`, …), since issuers mixed them; `action` may be a
//! string or an array; `domain` may be absent. Reading never fails: a credential that is not a
//! LEAR credential comes back as a [`GenericCredential`] of its types and flattened claims.

use std::fmt;

use serde_json::{Map, Value};

use super::jwt_vc::{LifeSpan, Vc};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialData {
    Lear(Box<Mandate>),
    Other(GenericCredential),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LearKind {
    Employee,
    Machine,
}

/// The data-model version, numbered per kind (Employee v1–v3, Machine v1–v2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LearVersion {
    V1,
    V2,
    V3,
}

/// How the version was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionEvidence {
    /// A known `@context` entry, or one whose path ends in the version.
    Context,
    /// No telling context: the fields present.
    Shape,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mandate {
    pub kind: LearKind,
    pub version: LearVersion,
    pub evidence: VersionEvidence,
    pub id: Option<String>,
    pub mandator: Mandator,
    pub mandatee: Mandatee,
    pub powers: Vec<Power>,
    /// Who signed the mandate for the mandator (v1, v2); it has the mandator's fields.
    pub signer: Option<Mandator>,
    pub life_span: Option<LifeSpan>,
}

/// The organisation granting the mandate, as its legal representative is described.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mandator {
    /// v3: the organisation's DID (`did:elsi:…`).
    pub id: Option<String>,
    /// `commonName`: the legal representative's name.
    pub common_name: Option<String>,
    pub organization: Option<String>,
    /// eIDAS organisation identifier, e.g. `VATES-B60645900`.
    pub organization_identifier: Option<String>,
    pub country: Option<String>,
    /// `email` (v3) or `emailAddress` (v1, v2).
    pub email: Option<String>,
    pub serial_number: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mandatee {
    Person(PersonMandatee),
    Machine(MachineMandatee),
}

impl Mandatee {
    pub fn id(&self) -> Option<&str> {
        match self {
            Self::Person(p) => p.id.as_deref(),
            Self::Machine(m) => m.id.as_deref(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonMandatee {
    pub id: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub employee_id: Option<String>,
    pub mobile_phone: Option<String>,
    pub nationality: Option<String>,
}

impl PersonMandatee {
    /// First and last name, as far as given.
    pub fn full_name(&self) -> String {
        crate::core::collections::join_present(&[self.first_name.as_deref(), self.last_name.as_deref()], " ")
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MachineMandatee {
    pub id: Option<String>,
    pub service_name: Option<String>,
    pub service_type: Option<String>,
    pub version: Option<String>,
    pub domain: Option<String>,
    pub ip_address: Option<String>,
    pub description: Option<String>,
    pub contact: Option<Contact>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub email: Option<String>,
    pub phone: Option<String>,
}

/// One power: what the mandatee may do (`function`: `actions`), in which `domain`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Power {
    pub id: Option<String>,
    /// `type` / `tmf_type` (e.g. `Domain`).
    pub kind: Option<String>,
    pub domain: Option<String>,
    pub function: Option<String>,
    pub actions: Vec<String>,
}

/// "Onboarding: Execute (DOME)", "ProductOffering: Create, Update, Delete (DOME)".
impl fmt::Display for Power {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.function.as_deref().or(self.kind.as_deref()).unwrap_or("?"))?;
        if !self.actions.is_empty() {
            write!(f, ": {}", crate::core::collections::join(&self.actions, ", "))?;
        }
        if let Some(domain) = &self.domain {
            write!(f, " ({domain})")?;
        }
        Ok(())
    }
}

/// Any other credential: its types and its subject's claims as `path = value` lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GenericCredential {
    pub types: Vec<String>,
    pub claims: Vec<(String, String)>,
    /// More claims than [`MAX_GENERIC_CLAIMS`] were left out.
    pub truncated: bool,
}

/// The most claims a generic view lists.
pub const MAX_GENERIC_CLAIMS: usize = 200;

/// Reads a credential's content. Never fails.
pub fn read(vc: &Vc) -> CredentialData {
    let mandate = match vc.subject.get("mandate") {
        Some(Value::Object(m)) if is_lear(vc, m) => m,
        _ => return CredentialData::Other(generic(vc)),
    };
    let empty = Map::new();
    let part = |name: &str| mandate.get(name).and_then(Value::as_object).unwrap_or(&empty);
    let kind = kind(vc, part("mandatee"));
    let (version, evidence) = match version_from_context(&vc.context) {
        Some(v) => (v, VersionEvidence::Context),
        None => (version_from_shape(kind, vc, mandate), VersionEvidence::Shape),
    };
    let mandatee = part("mandatee");
    let mut mandatee = match kind {
        LearKind::Employee => Mandatee::Person(person(mandatee)),
        LearKind::Machine => Mandatee::Machine(machine(mandatee)),
    };
    // v3 puts the holder in credentialSubject.id and may leave mandatee.id out.
    if mandatee.id().is_none() {
        let subject_id = vc.subject_id().map(str::to_owned);
        match &mut mandatee {
            Mandatee::Person(p) => p.id = subject_id,
            Mandatee::Machine(m) => m.id = subject_id,
        }
    }
    let powers = match mandate.get("power") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).map(power).collect(),
        Some(Value::Object(one)) => vec![power(one)],
        _ => Vec::new(),
    };
    CredentialData::Lear(Box::new(Mandate {
        kind,
        version,
        evidence,
        id: text(mandate, &["id"]),
        mandator: party(part("mandator")),
        mandatee,
        powers,
        signer: mandate.get("signer").and_then(Value::as_object).map(party),
        life_span: vc.life_span,
    }))
}

fn is_lear(vc: &Vc, mandate: &Map<String, Value>) -> bool {
    vc.types.iter().any(|t| t.starts_with("LEARCredential"))
        || (mandate.get("mandator").is_some_and(Value::is_object)
            && mandate.get("mandatee").is_some_and(Value::is_object))
}

fn kind(vc: &Vc, mandatee: &Map<String, Value>) -> LearKind {
    if vc.has_type("LEARCredentialMachine") {
        return LearKind::Machine;
    }
    if vc.has_type("LEARCredentialEmployee") {
        return LearKind::Employee;
    }
    let machine_fields = ["serviceName", "serviceType", "ipAddress", "domain"];
    let person_fields = ["firstName", "first_name", "lastName", "last_name", "email", "employeeId"];
    if machine_fields.iter().any(|f| mandatee.contains_key(*f))
        && !person_fields.iter().any(|f| mandatee.contains_key(*f))
    {
        LearKind::Machine
    } else {
        LearKind::Employee
    }
}

/// Contexts DOME's issuers and verifiers use (DOME-Marketplace/trust-framework, in2workspace
/// verifier schema resolver).
const KNOWN_CONTEXTS: &[(&str, LearVersion)] = &[
    ("https://trust-framework.dome-marketplace.eu/credentials/learcredentialemployee/v1", LearVersion::V1),
    ("https://www.dome-marketplace.eu/2025/credentials/learcredentialemployee/v2", LearVersion::V2),
    ("https://credentials.eudistack.eu/.well-known/credentials/lear_credential_employee/w3c/v3", LearVersion::V3),
    ("https://trust-framework.dome-marketplace.eu/credentials/learcredentialmachine/v1", LearVersion::V1),
    ("https://www.dome-marketplace.eu/2025/credentials/learcredentialmachine/v2", LearVersion::V2),
    ("https://credentials.eudistack.eu/.well-known/credentials/lear_credential_machine/w3c/v2", LearVersion::V2),
];

/// The version named by a context after the first (the base VC context): a known one, or a
/// LEAR-looking one whose path ends in `/v1`, `/v2` or `/v3` (e.g. `…/2022/credentials/employee/v1`).
fn version_from_context(context: &[String]) -> Option<LearVersion> {
    let extra = context.iter().skip(1);
    for ctx in extra.clone() {
        if let Some((_, v)) = KNOWN_CONTEXTS.iter().find(|(known, _)| known == ctx) {
            return Some(*v);
        }
    }
    extra
        .filter_map(|ctx| {
            let lower = ctx.to_ascii_lowercase();
            let lear_like = ["lear", "employee", "machine"].iter().any(|w| lower.contains(w));
            let version = match lower.trim_end_matches('/').rsplit('/').next() {
                Some("v1") => LearVersion::V1,
                Some("v2") => LearVersion::V2,
                Some("v3") => LearVersion::V3,
                _ => return None,
            };
            lear_like.then_some(version)
        })
        .next()
}

fn version_from_shape(kind: LearKind, vc: &Vc, mandate: &Map<String, Value>) -> LearVersion {
    let has = |part: &str, fields: &[&str]| {
        mandate.get(part).and_then(Value::as_object).is_some_and(|o| fields.iter().any(|f| o.contains_key(*f)))
    };
    let tmf_powers = match mandate.get("power") {
        Some(Value::Array(items)) => {
            items.iter().filter_map(Value::as_object).any(|p| p.keys().any(|k| k.starts_with("tmf_")))
        }
        _ => false,
    };
    let v1 = tmf_powers
        || mandate.contains_key("life_span")
        || has("mandatee", &["first_name", "last_name", "mobile_phone"]);
    let newest = vc.subject_id().is_some() || has("mandator", &["id", "email"]) || has("mandatee", &["employeeId"]);
    match (kind, v1, newest) {
        (_, true, _) => LearVersion::V1,
        (LearKind::Employee, false, true) => LearVersion::V3,
        (LearKind::Employee, false, false) => LearVersion::V2,
        // DOME's verifier reads a machine credential without a telling context as v1.
        (LearKind::Machine, false, true) => LearVersion::V2,
        (LearKind::Machine, false, false) => LearVersion::V1,
    }
}

/// The first of `names` present as a string (a number is taken as its decimal text).
fn text(obj: &Map<String, Value>, names: &[&str]) -> Option<String> {
    names.iter().find_map(|n| match obj.get(*n) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(crate::core::json::number_text(n)),
        _ => None,
    })
}

fn party(obj: &Map<String, Value>) -> Mandator {
    Mandator {
        id: text(obj, &["id"]),
        common_name: text(obj, &["commonName", "name"]),
        organization: text(obj, &["organization"]),
        organization_identifier: text(obj, &["organizationIdentifier"]),
        country: text(obj, &["country"]),
        email: text(obj, &["email", "emailAddress"]),
        serial_number: text(obj, &["serialNumber"]),
    }
}

fn person(obj: &Map<String, Value>) -> PersonMandatee {
    PersonMandatee {
        id: text(obj, &["id"]),
        first_name: text(obj, &["firstName", "first_name"]),
        last_name: text(obj, &["lastName", "last_name"]),
        email: text(obj, &["email", "emailAddress"]),
        employee_id: text(obj, &["employeeId", "employee_id"]),
        mobile_phone: text(obj, &["mobile_phone", "mobilePhone"]),
        nationality: text(obj, &["nationality"]),
    }
}

fn machine(obj: &Map<String, Value>) -> MachineMandatee {
    MachineMandatee {
        id: text(obj, &["id"]),
        service_name: text(obj, &["serviceName"]),
        service_type: text(obj, &["serviceType"]),
        version: text(obj, &["version"]),
        domain: text(obj, &["domain"]),
        ip_address: text(obj, &["ipAddress"]),
        description: text(obj, &["description"]),
        contact: obj
            .get("contact")
            .and_then(Value::as_object)
            .map(|c| Contact { email: text(c, &["email"]), phone: text(c, &["phone"]) }),
    }
}

fn power(obj: &Map<String, Value>) -> Power {
    let actions = match obj.get("action").or_else(|| obj.get("tmf_action")) {
        Some(Value::String(one)) => vec![one.clone()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
        _ => Vec::new(),
    };
    Power {
        id: text(obj, &["id"]),
        kind: text(obj, &["type", "tmf_type"]),
        domain: text(obj, &["domain", "tmf_domain"]),
        function: text(obj, &["function", "tmf_function"]),
        actions,
    }
}

fn generic(vc: &Vc) -> GenericCredential {
    let mut out = GenericCredential { types: vc.types.clone(), ..GenericCredential::default() };
    for (key, value) in &vc.subject {
        flatten(key.clone(), value, 0, &mut out);
    }
    out
}

/// `a.b[0].c = value` lines, depth- and count-limited.
fn flatten(path: String, value: &Value, depth: usize, out: &mut GenericCredential) {
    const MAX_DEPTH: usize = 16;
    if out.claims.len() >= MAX_GENERIC_CLAIMS || depth > MAX_DEPTH {
        out.truncated = true;
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                flatten(format!("{path}.{key}"), value, depth + 1, out);
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                flatten(format!("{path}[{i}]"), value, depth + 1, out);
            }
        }
        Value::String(s) => out.claims.push((path, s.clone())),
        Value::Null => {}
        other => out.claims.push((path, crate::core::json::write(other))),
    }
}

#[cfg(test)]
mod tests;
