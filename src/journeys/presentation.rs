//! Presenting a credential: who asks (and how that was checked), what will be shared, Share or
//! Decline. Nothing leaves the wallet before Share.

use crate::core::oid4vp::{Matches, Verification, VerifiedRequest};
use crate::i18n::{fill, msg, Lang, Msg};
use crate::screen::{Action, Block, Choice, ChoiceOption, Party, Screen};

use super::CLOSE;

pub const SHARE: &str = "share";
pub const DECLINE: &str = "decline";
/// Radio groups are named `choice:<query id>`.
pub const CHOICE_PREFIX: &str = "choice:";

/// A stored credential as the consent screen describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialLabel {
    pub id: String,
    /// e.g. "Employee mandate · Ana García · GoodAir S.L."
    pub title: String,
}

/// The verifier as the person sees it: the name it gives itself (unverified), and what the
/// wallet checked.
fn verifier_party(lang: Lang, request: &VerifiedRequest) -> Party {
    let identity = request.verifier();
    let name = request.hints().name.clone().unwrap_or_else(|| identity.label());
    let (verified, unverified) = match identity.verification() {
        Verification::Did { did } => (Some(fill(msg(lang, Msg::VerifierSignedByDid), &[("did", did)])), None),
        Verification::DnsName { dns_name, certificate } => (
            Some(fill(msg(lang, Msg::VerifierSignedByCertificate), &[("name", dns_name), ("issuer", &certificate.chain_issuer)])),
            None,
        ),
        Verification::CertificateHash { certificate } => (
            Some(fill(msg(lang, Msg::VerifierSignedByCertificate), &[("name", &certificate.subject), ("issuer", &certificate.chain_issuer)])),
            None,
        ),
        Verification::Unverified { .. } => (None, Some(msg(lang, Msg::VerifierUnverified).into())),
    };
    Party {
        role: msg(lang, Msg::AskedBy).into(),
        name,
        detail: Some(fill(msg(lang, Msg::AnswersGoTo), &[("host", request.response_host())])),
        logo: request.hints().logo_uri.as_ref().map(|u| u.to_string()),
        logo_alt: None,
        background: None,
        text_color: None,
        verified,
        unverified,
    }
}

/// A claim path as people read it: `credentialSubject.mandate.mandatee.firstName` →
/// "mandate › mandatee › firstName".
pub fn claim_in_words(path: &str) -> String {
    let path = path.strip_prefix("credentialSubject.").unwrap_or(path);
    path.replace('.', " › ")
}

/// The consent screen: who asks, why, which credential goes (a choice when several fit), and
/// every claim it carries.
pub fn consent(lang: Lang, request: &VerifiedRequest, matches: &Matches, labels: &[CredentialLabel]) -> Screen {
    let title_of = |id: &str| labels.iter().find(|l| l.id == id).map(|l| l.title.clone()).unwrap_or_else(|| id.to_owned());
    let mut blocks = vec![Block::Party(verifier_party(lang, request))];
    if let Some(purpose) = request.purpose() {
        blocks.push(Block::Text(fill(msg(lang, Msg::Purpose), &[("purpose", purpose)])));
    }
    for query in matches.queries.iter().filter(|q| !q.candidates.is_empty()) {
        if query.candidates.len() > 1 {
            blocks.push(Block::Choice(Choice {
                name: format!("{CHOICE_PREFIX}{}", query.id),
                legend: fill(msg(lang, Msg::ChooseCredential), &[("asked", &query.asked)]),
                options: query
                    .candidates
                    .iter()
                    .map(|c| ChoiceOption { value: c.id.clone(), title: title_of(&c.id), detail: None })
                    .collect(),
                selected: None,
            }));
        } else if let Some(only) = query.candidates.first() {
            blocks.push(Block::Text(fill(msg(lang, Msg::WillShare), &[("credential", &title_of(&only.id))])));
        }
        if let Some(first) = query.candidates.first() {
            blocks.push(Block::List {
                label: msg(lang, Msg::ClaimsShared).into(),
                items: first.disclosed.iter().map(|c| claim_in_words(c)).collect(),
            });
        }
    }
    blocks.push(Block::Help(msg(lang, Msg::WholeCredentialShared).into()));
    Screen {
        title: msg(lang, Msg::ConsentTitle).into(),
        blocks,
        actions: vec![
            Action::primary(SHARE, msg(lang, Msg::Share), Some(msg(lang, Msg::Sending))),
            Action { id: DECLINE.into(), label: msg(lang, Msg::Decline).into(), primary: false, busy: Some(msg(lang, Msg::Declining).into()) },
        ],
    }
}

/// Nothing in the wallet answers the request: say what was asked.
pub fn no_match(lang: Lang, request: &VerifiedRequest, matches: &Matches) -> Screen {
    let asked = matches.missing().unwrap_or_default();
    Screen {
        title: msg(lang, Msg::NoMatchTitle).into(),
        blocks: vec![
            Block::Party(verifier_party(lang, request)),
            Block::Alert(fill(msg(lang, Msg::NoMatchText), &[("asked", &asked)])),
        ],
        actions: vec![
            Action { id: DECLINE.into(), label: msg(lang, Msg::Decline).into(), primary: true, busy: Some(msg(lang, Msg::Declining).into()) },
        ],
    }
}

/// The verifier accepted the presentation and continues on its own (cross-device login).
pub fn shared(lang: Lang, message: &str, refused_redirect: Option<&str>) -> Screen {
    let mut blocks = vec![Block::Status(message.into())];
    if let Some(reason) = refused_redirect {
        blocks.push(Block::Alert(reason.into()));
    }
    Screen { title: msg(lang, Msg::SharedTitle).into(), blocks, actions: vec![Action::primary(CLOSE, msg(lang, Msg::Close), None)] }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_paths_read_as_words() {
        assert_eq!(claim_in_words("credentialSubject.mandate.mandatee.firstName"), "mandate › mandatee › firstName");
        assert_eq!(claim_in_words("issuer"), "issuer");
    }
}
