//! The few facts the credentials list shows for each credential, read once when it is stored so
//! the list needs no parsing: its type, the organisation, the mandatee, the validity.

use super::jwt_vc::JwtVc;
use super::mandate::{self, CredentialData, Mandatee};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// The most specific type, e.g. `LEARCredentialEmployee`.
    pub credential_type: String,
    /// The mandator's organisation, or the issuer's name for other credentials.
    pub organisation: Option<String>,
    /// The mandatee: a person's name, or a machine's service name.
    pub mandatee: Option<String>,
    /// Unix seconds.
    pub valid_from: Option<i64>,
    pub valid_until: Option<i64>,
}

/// The type that says what a credential is: the last one that is not the generic
/// `VerifiableCredential` (issuers list them in either order).
pub fn main_type(types: &[String]) -> String {
    types
        .iter()
        .rev()
        .find(|t| t.as_str() != "VerifiableCredential")
        .or_else(|| types.first())
        .cloned()
        .unwrap_or_default()
}

pub fn summarize(credential: &JwtVc) -> Summary {
    let vc = credential.vc();
    let validity = credential.validity();
    let (organisation, mandatee) = match mandate::read(vc) {
        CredentialData::Lear(m) => {
            let who = match &m.mandatee {
                Mandatee::Person(p) => Some(p.full_name()).filter(|name| !name.is_empty()),
                Mandatee::Machine(machine) => machine.service_name.clone().or_else(|| machine.domain.clone()),
            };
            (m.mandator.organization.clone().or_else(|| m.mandator.common_name.clone()), who)
        }
        CredentialData::Other(_) => (vc.issuer.as_ref().and_then(|i| i.name.clone().or_else(|| i.organization.clone())), None),
    };
    Summary {
        credential_type: main_type(&vc.types),
        organisation,
        mandatee,
        valid_from: validity.from.map(|b| b.at),
        valid_until: validity.until.map(|b| b.at),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_type_skips_the_generic_one_in_either_order() {
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(main_type(&t(&["VerifiableCredential", "LEARCredentialEmployee"])), "LEARCredentialEmployee");
        assert_eq!(main_type(&t(&["LEARCredentialEmployee", "VerifiableCredential"])), "LEARCredentialEmployee");
        assert_eq!(main_type(&t(&["VerifiableCredential"])), "VerifiableCredential");
        assert_eq!(main_type(&[]), "");
    }

    #[test]
    fn summarizes_the_real_dome_credential() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/dome/captured/dome-vcverifier-test-vp1-vc1.jwt");
        let Ok(jwt) = std::fs::read_to_string(path) else {
            eprintln!("SKIPPED: {path} not found (../shared is not beside the project)");
            return;
        };
        let summary = summarize(&JwtVc::parse(jwt.trim()).unwrap());
        assert_eq!(summary.credential_type, "LEARCredentialEmployee");
        assert_eq!(summary.organisation.as_deref(), Some("IN2, Ingeniería de la Información, S.L."));
        assert_eq!(summary.mandatee.as_deref(), Some("Ruben Modamio"));
        // The mandate's life span ends before the JWT's exp: the mandate bounds validity.
        assert_eq!(summary.valid_until, Some(1719647258));
    }
}
