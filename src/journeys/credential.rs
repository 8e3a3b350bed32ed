//! A stored credential in plain words: who empowered whom, to do what, until when, who issued
//! it; the raw credential for experts; and deleting it (with confirmation).

use serde_json::Value;

use crate::core::credential::mandate::{self, CredentialData, Mandatee, Mandator, Power};
use crate::core::credential::standing::{standing, State, StatusRecord, Unverifiable};
use crate::core::credential::{JwtVc, IssuerKey};
use crate::i18n::{fill, msg, Lang, Msg};
use crate::screen::{Action, Block, Screen};

use super::issuance::type_in_words;
use super::CLOSE;

pub const DELETE: &str = "delete";
pub const CONFIRM_DELETE: &str = "confirm-delete";
pub const KEEP: &str = "keep";
pub const CHECK_STATUS: &str = "check-status";

/// What the detail screen says about the issuer's signature, checked when it is shown.
pub enum SignatureCheck {
    Verified(IssuerKey),
    Failed(String),
    /// Waiting for the issuer's signature (deferred issuance).
    Pending,
}

/// Actions that read as verbs in a power sentence.
const VERBS: &[&str] = &["execute", "create", "update", "delete", "read", "upload", "download", "attest", "sign", "issue", "revoke", "manage", "submit", "approve"];

/// "ProductOffering" → "Product Offering". Only ASCII letters count as upper or lower case:
/// DOME's identifiers are ASCII, and Unicode's case tables would add ~10 KB to the engine
/// (other letters are kept as they are).
fn words(identifier: &str) -> String {
    let mut out = String::with_capacity(identifier.len() + 4);
    let mut previous_lower = false;
    for c in identifier.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            out.push(' ');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c);
    }
    out
}

/// An action (or role) of a power in the user's language: DOME's known ones are translated,
/// others read as words ("SubmitReport" → "submit report"; ASCII letters lowered, see [`words`]).
fn action_words(lang: Lang, action: &str) -> String {
    let known = match action.to_ascii_lowercase().as_str() {
        "execute" => Msg::ActionExecute,
        "create" => Msg::ActionCreate,
        "update" => Msg::ActionUpdate,
        "delete" => Msg::ActionDelete,
        "read" => Msg::ActionRead,
        "upload" => Msg::ActionUpload,
        "download" => Msg::ActionDownload,
        "attest" => Msg::ActionAttest,
        "sign" => Msg::ActionSign,
        "issue" => Msg::ActionIssue,
        "revoke" => Msg::ActionRevoke,
        "manage" => Msg::ActionManage,
        "submit" => Msg::ActionSubmit,
        "approve" => Msg::ActionApprove,
        "operator" => Msg::RoleOperator,
        "customer" => Msg::RoleCustomer,
        "provider" => Msg::RoleProvider,
        "marketplace" => Msg::RoleMarketplace,
        _ => return words(action).to_ascii_lowercase(),
    };
    msg(lang, known).to_owned()
}

/// "a", "a and b", "a, b and c".
fn and_list(lang: Lang, items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {} {last}", crate::core::collections::join(init, ", "), msg(lang, Msg::And)),
    }
}

/// A power as a sentence: "May execute Onboarding in DOME", "May create, update and delete
/// Product Offering in DOME".
pub fn power_sentence(lang: Lang, power: &Power) -> String {
    let actions: Vec<String> = power
        .actions
        .iter()
        .map(|a| action_words(lang, a))
        .collect();
    let function = words(
        power
            .function
            .as_deref()
            .or(power.kind.as_deref())
            .unwrap_or("?"),
    );
    // DOME's actions are verbs (Execute, Create…), except on its platform function, where they
    // are roles (Operator, Customer, Provider, Marketplace).
    let roles = !actions.is_empty() && power.actions.iter().all(|a| !VERBS.contains(&a.to_ascii_lowercase().as_str()));
    let template = match (&power.domain, actions.is_empty(), roles) {
        (Some(_), false, true) => Msg::PowerRoles,
        (None, false, true) => Msg::PowerRolesNoDomain,
        (Some(_), false, false) => Msg::PowerSentence,
        (None, false, false) => Msg::PowerSentenceNoDomain,
        (Some(_), true, _) => Msg::PowerSentenceNoAction,
        (None, true, _) => Msg::PowerSentenceNoActionNoDomain,
    };
    fill(
        msg(lang, template),
        &[("actions", &and_list(lang, &actions)), ("function", &function), ("domain", power.domain.as_deref().unwrap_or(""))],
    )
}

fn push(rows: &mut Vec<(String, String)>, lang: Lang, label: Msg, value: Option<&str>) {
    if let Some(value) = value.filter(|v| !v.trim().is_empty()) {
        rows.push((msg(lang, label).into(), value.into()));
    }
}

fn mandator_facts(lang: Lang, m: &Mandator) -> Block {
    let mut rows = Vec::new();
    push(&mut rows, lang, Msg::FieldName, m.common_name.as_deref());
    push(&mut rows, lang, Msg::FieldOrganisation, m.organization.as_deref());
    push(&mut rows, lang, Msg::FieldOrganisationId, m.organization_identifier.as_deref());
    push(&mut rows, lang, Msg::FieldCountry, m.country.as_deref());
    push(&mut rows, lang, Msg::FieldEmail, m.email.as_deref());
    Block::Facts { label: msg(lang, Msg::Mandator).into(), rows }
}

fn mandatee_facts(lang: Lang, m: &Mandatee) -> Block {
    let mut rows = Vec::new();
    match m {
        Mandatee::Person(p) => {
            let name = p.full_name();
            push(&mut rows, lang, Msg::FieldName, Some(&name));
            push(&mut rows, lang, Msg::FieldEmail, p.email.as_deref());
            push(&mut rows, lang, Msg::FieldEmployeeId, p.employee_id.as_deref());
        }
        Mandatee::Machine(machine) => {
            push(&mut rows, lang, Msg::FieldService, machine.service_name.as_deref());
            push(&mut rows, lang, Msg::FieldDomain, machine.domain.as_deref());
            push(&mut rows, lang, Msg::FieldIpAddress, machine.ip_address.as_deref());
            push(&mut rows, lang, Msg::FieldEmail, machine.contact.as_ref().and_then(|c| c.email.as_deref()));
        }
    }
    Block::Facts { label: msg(lang, Msg::Mandatee).into(), rows }
}

/// What the trusted issuers registry set in Settings says about the issuer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistryCheck {
    /// Listed, for these credential types (possibly none named).
    Listed(Vec<String>),
    NotListed,
    /// The registry could not be asked, or its answer not read.
    Unchecked,
}

/// A stored credential as the detail screen shows it.
pub struct Stored<'a> {
    /// The signed credential; `None` while it waits for the issuer's signature.
    pub credential: Option<&'a JwtVc>,
    pub credential_type: &'a str,
    pub issuer_name: Option<&'a str>,
    pub holder: &'a str,
    pub signature: &'a SignatureCheck,
    pub status: Option<&'a StatusRecord>,
    /// `None` when no registry is set.
    pub registry: Option<&'a RegistryCheck>,
    /// Milliseconds since the Unix epoch.
    pub now: f64,
}

/// A credential's state in words.
pub fn state_text(lang: Lang, state: State) -> &'static str {
    msg(
        lang,
        match state {
            State::Valid => Msg::StateValid,
            State::Unchecked => Msg::StateNotChecked,
            State::NotYetValid => Msg::StateNotYetValid,
            State::Pending => Msg::StatePending,
            State::Suspended => Msg::StateSuspended,
            State::Expired => Msg::StateExpired,
            State::Revoked => Msg::StateRevoked,
        },
    )
}

/// The status block: the state, when the issuer's list last answered, and why the latest check
/// failed, if it did.
fn status_block(lang: Lang, stored: &Stored, date_time: &dyn Fn(f64) -> String) -> Vec<Block> {
    let validity = stored.credential.map(JwtVc::validity).unwrap_or_default();
    let shown = standing(
        stored.credential.is_none(),
        validity.from.map(|b| b.at as f64),
        validity.until.map(|b| b.at as f64),
        stored.status,
        stored.now,
    );
    let entries = stored.status.map_or(0, |s| s.entries);
    let state = match (shown.state, shown.problem) {
        (State::Unchecked, Some(_)) => msg(lang, Msg::StateCouldNotCheck),
        (state, _) => state_text(lang, state),
    };
    let mut rows = vec![(msg(lang, Msg::Status).to_owned(), state.to_owned())];
    let mut blocks = Vec::new();
    if entries > 0 && stored.credential.is_some() {
        let last = shown.checked_at.map_or_else(|| msg(lang, Msg::LastCheckedNever).to_owned(), date_time);
        rows.push((msg(lang, Msg::LastChecked).into(), last));
        if let Some(problem) = shown.problem {
            let why = match problem {
                Unverifiable::Unreachable => Msg::StatusUnreachable,
                Unverifiable::Invalid => Msg::StatusInvalid,
                Unverifiable::Unsupported => Msg::StatusUnsupported,
            };
            rows.push((msg(lang, Msg::StateCouldNotCheck).into(), msg(lang, why).into()));
        }
    }
    blocks.push(Block::Facts { label: msg(lang, Msg::Status).into(), rows });
    if entries == 0 && stored.status.is_some() && stored.credential.is_some() {
        blocks.push(Block::Help(msg(lang, Msg::StatusNoList).into()));
    }
    blocks
}

/// The detail screen. `date` formats Unix seconds, `date_time` milliseconds, in the user's
/// language.
pub fn detail(lang: Lang, stored: &Stored, date: &dyn Fn(i64) -> String, date_time: &dyn Fn(f64) -> String) -> Screen {
    let (credential, credential_type, issuer_name, holder, signature) =
        (stored.credential, stored.credential_type, stored.issuer_name, stored.holder, stored.signature);
    let kind = type_in_words(lang, credential_type).map(str::to_owned).unwrap_or_else(|| credential_type.to_owned());
    let mut blocks = status_block(lang, stored, date_time);
    match credential.map(|c| (c, mandate::read(c.vc()))) {
        Some((_, CredentialData::Lear(m))) => {
            let who = match &m.mandatee {
                Mandatee::Person(p) => p.full_name(),
                Mandatee::Machine(machine) => machine.service_name.clone().unwrap_or_default(),
            };
            let org = m.mandator.organization.clone().or(m.mandator.common_name.clone()).unwrap_or_default();
            blocks.push(Block::Text(fill(msg(lang, Msg::MandateSummary), &[("mandator", &org), ("mandatee", &who)])));
            blocks.push(Block::List { label: msg(lang, Msg::Powers).into(), items: m.powers.iter().map(|p| power_sentence(lang, p)).collect() });
            blocks.push(mandator_facts(lang, &m.mandator));
            blocks.push(mandatee_facts(lang, &m.mandatee));
        }
        Some((_, CredentialData::Other(generic))) => {
            blocks.push(Block::Facts { label: msg(lang, Msg::Claims).into(), rows: generic.claims.clone() });
        }
        None => blocks.push(Block::Status(msg(lang, Msg::PendingText).into())),
    }
    let mut validity = Vec::new();
    if let Some(c) = credential {
        let v = c.validity();
        if let Some(from) = v.from {
            validity.push((msg(lang, Msg::ValidFrom).into(), date(from.at)));
        }
        if let Some(until) = v.until {
            validity.push((msg(lang, Msg::ValidUntil).into(), date(until.at)));
        }
    }
    if !validity.is_empty() {
        blocks.push(Block::Facts { label: msg(lang, Msg::Validity).into(), rows: validity });
    }
    let mut issuer = Vec::new();
    push(&mut issuer, lang, Msg::FieldName, issuer_name);
    if let Some(vc_issuer) = credential.and_then(|c| c.vc().issuer.as_ref()) {
        push(&mut issuer, lang, Msg::FieldIdentifier, Some(&vc_issuer.id));
        push(&mut issuer, lang, Msg::FieldOrganisationId, vc_issuer.organization_identifier.as_deref());
    }
    match signature {
        SignatureCheck::Verified(IssuerKey::Certificate(cert)) => {
            push(&mut issuer, lang, Msg::CertificateSubject, Some(&cert.subject().to_rfc4514()));
            push(&mut issuer, lang, Msg::CertificateIssuer, Some(&cert.issuer().to_rfc4514()));
            push(&mut issuer, lang, Msg::Signature, Some(msg(lang, Msg::SignatureVerified)));
        }
        SignatureCheck::Verified(IssuerKey::DidKey(did)) => {
            push(&mut issuer, lang, Msg::FieldIdentifier, Some(did.as_str()));
            push(&mut issuer, lang, Msg::Signature, Some(msg(lang, Msg::SignatureVerified)));
        }
        SignatureCheck::Failed(reason) => push(&mut issuer, lang, Msg::Signature, Some(reason)),
        SignatureCheck::Pending => {}
    }
    let listed = stored.registry.map(|check| match check {
        RegistryCheck::Listed(types) if types.is_empty() => msg(lang, Msg::RegistryListed).to_owned(),
        RegistryCheck::Listed(types) => fill(msg(lang, Msg::RegistryListedFor), &[("types", &and_list(lang, types))]),
        RegistryCheck::NotListed => msg(lang, Msg::RegistryNotListed).to_owned(),
        RegistryCheck::Unchecked => msg(lang, Msg::RegistryUnchecked).to_owned(),
    });
    push(&mut issuer, lang, Msg::Registry, listed.as_deref());
    blocks.push(Block::Facts { label: msg(lang, Msg::Issuer).into(), rows: issuer });
    blocks.push(Block::Facts { label: msg(lang, Msg::Holder).into(), rows: vec![(msg(lang, Msg::FieldIdentifier).into(), holder.into())] });
    if let Some(c) = credential {
        let raw = c.jws().claims().map(Value::Object).map(|v| crate::core::json::write_pretty(&v)).unwrap_or_default();
        blocks.push(Block::Details { summary: msg(lang, Msg::RawCredential).into(), body: raw });
    }
    let mut actions = Vec::new();
    if credential.is_some() && stored.status.is_some_and(|s| s.entries > 0) {
        actions.push(Action::primary(CHECK_STATUS, msg(lang, Msg::CheckStatus), Some(msg(lang, Msg::CheckingStatus))));
    }
    actions.push(Action::secondary(DELETE, msg(lang, Msg::DeleteCredential)));
    actions.push(Action::primary(CLOSE, msg(lang, Msg::Back), None));
    Screen { title: kind, blocks, actions }
}

/// "Delete this credential?" with what deleting means.
pub fn confirm_delete(lang: Lang, credential_type: &str, notifies_issuer: bool) -> Screen {
    let kind = type_in_words(lang, credential_type).map(str::to_owned).unwrap_or_else(|| credential_type.to_owned());
    let mut blocks = vec![Block::Alert(fill(msg(lang, Msg::DeleteWarning), &[("credential", &kind)]))];
    if notifies_issuer {
        blocks.push(Block::Help(msg(lang, Msg::DeleteNotifiesIssuer).into()));
    }
    Screen {
        title: msg(lang, Msg::DeleteTitle).into(),
        blocks,
        actions: vec![
            Action::primary(CONFIRM_DELETE, msg(lang, Msg::DeleteCredential), Some(msg(lang, Msg::Deleting))),
            Action::secondary(KEEP, msg(lang, Msg::Keep)),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn power(function: &str, actions: &[&str], domain: Option<&str>) -> Power {
        Power { function: Some(function.into()), actions: actions.iter().map(|a| a.to_string()).collect(), domain: domain.map(Into::into), ..Power::default() }
    }

    #[test]
    fn powers_read_as_sentences() {
        assert_eq!(power_sentence(Lang::En, &power("Onboarding", &["Execute"], Some("DOME"))), "May execute Onboarding in DOME");
        assert_eq!(
            power_sentence(Lang::En, &power("ProductOffering", &["Create", "Update", "Delete"], Some("DOME"))),
            "May create, update and delete Product Offering in DOME"
        );
        assert_eq!(power_sentence(Lang::En, &power("Onboarding", &["Execute"], None)), "May execute Onboarding");
        assert_eq!(power_sentence(Lang::En, &power("DomePlatform", &[], Some("DOME"))), "Has the Dome Platform power in DOME");
    }

    #[test]
    fn unknown_identifiers_read_as_words() {
        assert_eq!(words("ProductOffering"), "Product Offering");
        assert_eq!(words("Step2Review"), "Step2 Review");
        assert_eq!(action_words(Lang::En, "SubmitReport"), "submit report");
        // Only ASCII letters change case: other letters are kept as they are.
        assert_eq!(action_words(Lang::En, "PrüfenÄnderung"), "prüfenÄnderung");
    }

    #[test]
    fn the_real_dome_mandate_in_plain_words() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/dome/captured/dome-vcverifier-test-vp1-vc1.jwt");
        let Ok(jwt) = std::fs::read_to_string(path) else {
            eprintln!("SKIPPED: {path} not found (../shared is not beside the project)");
            return;
        };
        let credential = JwtVc::parse(jwt.trim()).unwrap();
        let stored = Stored {
            credential: Some(&credential),
            credential_type: "LEARCredentialEmployee",
            issuer_name: Some("IN2"),
            holder: "did:key:zDnae",
            signature: &SignatureCheck::Pending,
            status: None,
            registry: None,
            now: 1_800_000_000_000.0,
        };
        let screen = detail(Lang::En, &stored, &|t| t.to_string(), &|t| t.to_string());
        let text = screen.text();
        assert_eq!(screen.title, "Employee mandate");
        assert!(text.contains("IN2, Ingeniería de la Información, S.L. empowers Ruben Modamio"), "{text}");
        assert!(text.contains("May execute Onboarding"), "{text}");
        assert!(text.contains("Acts as operator and marketplace for Dome Platform"), "{text}");
        assert!(text.contains("Organisation identifier: VATES-B60645900"), "{text}");
        assert!(text.contains("E-mail: ruben.modamio@in2.es"), "{text}");
        assert!(screen.action(DELETE).is_some());
        assert!(screen.blocks.iter().any(|b| matches!(b, Block::Details { body, .. } if body.contains("\"mandatee\""))));
    }

    fn signed(exp: i64) -> JwtVc {
        let claims = serde_json::json!({"iss": "did:key:zDnaeIssuer", "nbf": 1_700_000_000, "exp": exp, "vc": {"type": ["VerifiableCredential", "LEARCredentialEmployee"], "credentialSubject": {}}});
        let header = crate::core::encoding::b64url_encode(br#"{"alg":"ES256"}"#);
        let payload = crate::core::encoding::b64url_encode(claims.to_string().as_bytes());
        JwtVc::parse(&format!("{header}.{payload}.{}", crate::core::encoding::b64url_encode(&[0; 64]))).unwrap()
    }

    /// A stored credential as the detail screen sees it, signature not yet checked.
    fn stored<'a>(credential: &'a JwtVc, status: Option<&'a StatusRecord>, registry: Option<&'a RegistryCheck>) -> Stored<'a> {
        Stored {
            credential: Some(credential),
            credential_type: "LEARCredentialEmployee",
            issuer_name: None,
            holder: "did:key:zDnae",
            signature: &SignatureCheck::Pending,
            status,
            registry,
            now: 1_800_000_000_000.0,
        }
    }

    /// The status rows of the detail screen, with the credential expiring at `exp`.
    fn status_text(exp: i64, status: Option<&StatusRecord>) -> (String, bool) {
        let credential = signed(exp);
        let stored = stored(&credential, status, None);
        let screen = detail(Lang::En, &stored, &|t| format!("day {t}"), &|t| format!("at {t}"));
        (screen.text(), screen.action(CHECK_STATUS).is_some())
    }

    #[test]
    fn the_detail_says_where_the_credential_stands_and_when_that_was_checked() {
        use crate::core::credential::standing::Listed;
        let later = 1_900_000_000;
        let checked = |listed, problem| StatusRecord { entries: 1, listed, checked_at: listed.map(|_| 1_799_000_000_000.0), problem, attempted_at: Some(1_800_000_000_000.0) };
        let (text, check) = status_text(later, Some(&checked(Some(Listed::Revoked), None)));
        assert!(text.contains("Status: Revoked by the issuer"), "{text}");
        assert!(text.contains("Last checked: at 1799000000000"), "{text}");
        assert!(check, "a credential with a status list can be checked again");
        let (text, _) = status_text(later, Some(&checked(Some(Listed::Valid), Some(Unverifiable::Unreachable))));
        assert!(text.contains("Status: Valid"), "{text}");
        assert!(text.contains("Last checked: at 1799000000000"), "{text}");
        assert!(text.contains("Could not be checked: The issuer's status list could not be reached"), "{text}");
        let (text, _) = status_text(later, Some(&checked(None, Some(Unverifiable::Invalid))));
        assert!(text.contains("Status: Could not be checked"), "{text}");
        assert!(text.contains("Last checked: never"), "{text}");
        assert!(text.contains("did not pass the wallet's checks"), "{text}");
        let (text, _) = status_text(later, Some(&checked(Some(Listed::Suspended), None)));
        assert!(text.contains("Status: Suspended by the issuer"), "{text}");
        // Expired by its dates; no status list.
        let none = StatusRecord { entries: 0, attempted_at: Some(1.0), ..StatusRecord::default() };
        let (text, check) = status_text(1_750_000_000, Some(&none));
        assert!(text.contains("Status: Expired"), "{text}");
        assert!(text.contains("publishes no status list"), "{text}");
        assert!(!text.contains("Last checked"), "{text}");
        assert!(!check, "nothing to check");
        // Stored before status checks existed: dates only, nothing claimed about a list.
        let (text, check) = status_text(later, None);
        assert!(text.contains("Status: Valid") && !text.contains("status list") && !check, "{text}");
    }

    #[test]
    fn the_detail_says_whether_the_registry_lists_the_issuer() {
        let credential = signed(1_900_000_000);
        let text = |registry: Option<&RegistryCheck>| {
            let stored = stored(&credential, None, registry);
            detail(Lang::En, &stored, &|t| t.to_string(), &|t| t.to_string()).text()
        };
        let types = RegistryCheck::Listed(vec!["LEARCredentialEmployee".into(), "LEARCredentialMachine".into()]);
        assert!(text(Some(&types)).contains("Trusted issuers registry: listed, for LEARCredentialEmployee and LEARCredentialMachine"));
        assert!(text(Some(&RegistryCheck::Listed(vec![]))).contains("Trusted issuers registry: listed"));
        assert!(text(Some(&RegistryCheck::NotListed)).contains("Trusted issuers registry: not listed"));
        assert!(text(Some(&RegistryCheck::Unchecked)).contains("Trusted issuers registry: could not be checked"));
        assert!(!text(None).contains("registry"), "no registry set: nothing said");
    }

    #[test]
    fn deleting_asks_first() {
        let screen = confirm_delete(Lang::En, "LEARCredentialEmployee", true);
        assert!(screen.text().contains("Employee mandate"));
        assert!(screen.text().contains("issuer"));
        assert!(screen.action(CONFIRM_DELETE).is_some() && screen.action(KEEP).is_some());
    }
}
