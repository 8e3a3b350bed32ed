//! Receiving a credential: the offer screen (before anything is requested), and the outcome.

use crate::core::oid4vci::{InputMode, ResolvedOffer};
use crate::i18n::{fill, msg, Lang, Msg};
use crate::screen::{Action, Block, Field, Party, Screen};

use super::SEE_CREDENTIALS;

pub const ACCEPT: &str = "accept";
pub const CANCEL: &str = "cancel";
/// The name of the PIN field.
pub const PIN: &str = "pin";

/// A credential type in words, for the types the wallet knows.
pub fn type_in_words(lang: Lang, credential_type: &str) -> Option<&'static str> {
    Some(msg(
        lang,
        match credential_type {
            "LEARCredentialEmployee" => Msg::TypeEmployeeMandate,
            "LEARCredentialMachine" => Msg::TypeMachineMandate,
            "VerifiableCertification" => Msg::TypeCertification,
            _ => return None,
        },
    ))
}

/// The offer: who offers what, the PIN field when one is needed, Accept or Cancel.
/// `problem` says why the previous attempt failed when the offer can be tried again.
pub fn offer(lang: Lang, offer: &ResolvedOffer, problem: Option<&str>) -> Screen {
    let tag = lang.tag();
    let issuer = offer.issuer_name(tag);
    let display = offer.issuer_display(tag);
    let mut blocks = vec![
        Block::Party(Party {
            role: msg(lang, Msg::OfferedBy).into(),
            name: issuer.clone(),
            detail: Some(offer.credential_issuer().as_str().into()),
            logo: display.and_then(|d| d.logo.as_ref()).map(|l| l.uri.clone()),
            logo_alt: display.and_then(|d| d.logo.as_ref()).and_then(|l| l.alt_text.clone()),
            background: display.and_then(|d| d.background_color.clone()),
            text_color: display.and_then(|d| d.text_color.clone()),
            verified: None,
            unverified: None,
        }),
        Block::Help(msg(lang, Msg::IssuerUnverifiedName).into()),
        Block::Text(fill(msg(lang, Msg::OfferText), &[("issuer", &issuer)])),
        Block::List {
            label: msg(lang, Msg::OfferedCredentials).into(),
            items: offer
                .credentials()
                .map(|(_, c)| {
                    let name = c.name_for(tag);
                    match c.specific_types().last().and_then(|t| type_in_words(lang, t)) {
                        Some(words) if words != name => format!("{name} ({words})"),
                        _ => name,
                    }
                })
                .collect(),
        },
    ];
    if let Some(spec) = offer.tx_code() {
        let mut help = spec.description().unwrap_or(msg(lang, Msg::PinHelp)).to_owned();
        if let Some(n) = spec.length() {
            help = format!("{help} {}", fill(msg(lang, Msg::PinLength), &[("n", &n.to_string())]));
        }
        blocks.push(Block::Field(Field {
            name: PIN.into(),
            label: msg(lang, Msg::PinLabel).into(),
            help: Some(help),
            numeric: spec.input_mode() == InputMode::Numeric,
            length: spec.length().and_then(|n| u32::try_from(n).ok()),
            invalid: problem.is_some(),
        }));
    }
    if let Some(problem) = problem {
        blocks.push(Block::Alert(problem.into()));
    }
    Screen {
        title: msg(lang, Msg::OfferTitle).into(),
        blocks,
        actions: vec![
            Action::primary(ACCEPT, msg(lang, Msg::Accept), Some(msg(lang, Msg::Receiving))),
            Action::secondary(CANCEL, msg(lang, Msg::Cancel)),
        ],
    }
}

/// What became of one offered credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    Stored { name: String },
    Pending { name: String },
    Refused { name: String, reason: String },
}

/// The outcome of an accepted offer.
pub fn outcome(lang: Lang, results: &[Received]) -> Screen {
    let stored = results.iter().filter(|r| matches!(r, Received::Stored { .. })).count();
    let pending = results.iter().filter(|r| matches!(r, Received::Pending { .. })).count();
    let title = if stored > 0 {
        Msg::ReceivedTitle
    } else if pending > 0 {
        Msg::PendingTitle
    } else {
        Msg::FailedTitle
    };
    let mut blocks = Vec::new();
    if stored > 0 {
        blocks.push(Block::Status(msg(lang, Msg::ReceivedText).into()));
    }
    if pending > 0 {
        blocks.push(Block::Status(msg(lang, Msg::PendingText).into()));
    }
    for result in results {
        blocks.push(match result {
            Received::Stored { name } => Block::Text(format!("✓ {name}")),
            Received::Pending { name } => Block::Text(format!("… {name}")),
            Received::Refused { name, reason } => Block::Alert(format!("{name}: {reason}")),
        });
    }
    Screen { title: msg(lang, title).into(), blocks, actions: vec![Action::primary(SEE_CREDENTIALS, msg(lang, Msg::SeeCredentials), None)] }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::core::net::mock::MockHttp;
    use crate::core::oid4vci::{CredentialOffer, OfferSource};
    use crate::core::testing::block_on;
    use crate::screen::Block;

    const ISSUER: &str = "https://issuer.example";

    fn resolved(tx_code: serde_json::Value, display: serde_json::Value) -> ResolvedOffer {
        let http = MockHttp::new();
        http.get(
            &format!("{ISSUER}/.well-known/openid-credential-issuer"),
            200,
            json!({
                "credential_issuer": ISSUER,
                "credential_endpoint": format!("{ISSUER}/credential"),
                "nonce_endpoint": format!("{ISSUER}/nonce"),
                "display": display,
                "credential_configurations_supported": {"LEARCredentialEmployee": {
                    "format": "jwt_vc_json",
                    "credential_definition": {"type": ["VerifiableCredential", "LEARCredentialEmployee"]},
                    "cryptographic_binding_methods_supported": ["did:key"],
                    "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ["ES256"]}}
                }}
            })
            .to_string(),
        )
        .get(
            &format!("{ISSUER}/.well-known/oauth-authorization-server"),
            200,
            json!({"issuer": ISSUER, "token_endpoint": format!("{ISSUER}/token")}).to_string(),
        );
        let mut grant = json!({"pre-authorized_code": "code-1"});
        if !tx_code.is_null() {
            grant["tx_code"] = tx_code;
        }
        let offer = json!({
            "credential_issuer": ISSUER,
            "credential_configuration_ids": ["LEARCredentialEmployee"],
            "grants": {"urn:ietf:params:oauth:grant-type:pre-authorized_code": grant}
        });
        let source = OfferSource::ByValue(Box::new(CredentialOffer::from_json(offer.to_string().as_bytes()).unwrap()));
        block_on(source.resolve(&http)).unwrap()
    }

    #[test]
    fn the_offer_screen_names_the_issuer_the_credential_and_asks_for_the_pin() {
        let display = json!([{"name": "GoodAir Issuer", "locale": "en", "background_color": "#112233",
            "logo": {"uri": "https://issuer.example/logo.png", "alt_text": "GoodAir"}}]);
        let offer = resolved(json!({"length": 4, "input_mode": "numeric", "description": "Check your e-mail"}), display);
        let screen = super::offer(Lang::En, &offer, None);
        assert_eq!(screen.title, "Credential offer");
        let Some(Block::Party(party)) = screen.blocks.first() else { panic!("{screen:?}") };
        assert_eq!(party.name, "GoodAir Issuer");
        assert_eq!(party.logo.as_deref(), Some("https://issuer.example/logo.png"));
        assert_eq!(party.background.as_deref(), Some("#112233"));
        let text = screen.text();
        assert!(text.contains("GoodAir Issuer offers you:"), "{text}");
        assert!(text.contains("LEARCredentialEmployee (Employee mandate)"), "{text}");
        let pin = screen.field(PIN).unwrap();
        assert_eq!(pin.label, "PIN");
        assert_eq!(pin.help.as_deref(), Some("Check your e-mail 4 digits."));
        assert!(pin.numeric && !pin.invalid);
        assert_eq!(pin.length, Some(4));
        assert_eq!(screen.action(ACCEPT).unwrap().label, "Accept");
        assert!(screen.action(ACCEPT).unwrap().busy.is_some(), "accepting shows progress");
        assert_eq!(screen.action(CANCEL).unwrap().label, "Cancel");
    }

    #[test]
    fn without_a_pin_or_display_the_screen_uses_the_issuer_host() {
        let screen = super::offer(Lang::En, &resolved(serde_json::Value::Null, json!([])), None);
        assert!(screen.field(PIN).is_none());
        assert!(screen.text().contains("issuer.example offers you:"));
    }

    #[test]
    fn a_refused_pin_is_marked_and_explained() {
        let offer = resolved(json!({"length": 4}), json!([]));
        let screen = super::offer(Lang::En, &offer, Some("The PIN was not accepted."));
        assert!(screen.field(PIN).unwrap().invalid);
        assert!(screen.blocks.contains(&Block::Alert("The PIN was not accepted.".into())));
    }

    #[test]
    fn the_outcome_says_what_was_stored_pending_or_refused() {
        let screen = outcome(Lang::En, &[Received::Pending { name: "Employee mandate".into() }]);
        assert_eq!(screen.title, "Credential accepted");
        assert!(screen.text().contains("pending") || screen.text().contains("still has to sign"));
        let screen = outcome(
            Lang::En,
            &[
                Received::Stored { name: "A".into() },
                Received::Refused { name: "B".into(), reason: "expired".into() },
            ],
        );
        assert_eq!(screen.title, "Credential received");
        assert!(screen.blocks.contains(&Block::Alert("B: expired".into())));
        assert_eq!(screen.actions.len(), 1);
    }
}
