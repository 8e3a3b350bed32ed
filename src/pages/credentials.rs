//! The stored credentials: usable ones first, newest first within each state, each card saying
//! in words where it stands (valid, expired, revoked…) and, when the issuer's status list could
//! not be checked lately, since when the status is known.
//!
//! Built with the DOM builder rather than typed views (a typed view of the cards weighed about
//! 7 KB compressed in the interface module); the list is drawn again whenever it changes, and one
//! click handler on the page opens the card that was pressed.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::adapters::platform::Persistence;
use crate::adapters::records::{CredentialState, StoredCredential};
use crate::app::Wallet;
use crate::core::credential::standing::{standing, Standing, State};
use crate::dom::{el, El};
use crate::i18n::{text, Key, Lang};
use crate::listen::listen;
use crate::components::dom_view::dom_view;

fn standing_of(credential: &StoredCredential, now: f64) -> Standing {
    let s = &credential.summary;
    standing(credential.state == CredentialState::Pending, s.valid_from, s.valid_until, credential.status.as_ref(), now)
}

fn card(wallet: Wallet, lang: Lang, credential: &StoredCredential, shown: Standing) -> El {
    let s = &credential.summary;
    let (class, key) = match shown.state {
        State::Valid => ("credential card valid", Key::StateValid),
        State::Unchecked if shown.problem.is_some() => ("credential card unchecked", Key::StateUnchecked),
        State::Unchecked => ("credential card unchecked", Key::StateNotChecked),
        State::NotYetValid => ("credential card not-yet-valid", Key::StateNotYetValid),
        State::Pending => ("credential card pending", Key::StatePending),
        State::Suspended => ("credential card suspended", Key::StateSuspended),
        State::Expired => ("credential card expired", Key::StateExpired),
        State::Revoked => ("credential card revoked", Key::StateRevoked),
    };
    // The last result stands, but the latest check failed: say so, and since when it is known.
    let failed = shown.problem.is_some() && shown.state != State::Unchecked;
    let since = shown.problem.and(shown.checked_at);
    let button = el("button")
        .attr("type", "button")
        .attr("data-credential", &credential.id)
        .class(class)
        .child(el("span").class("type").text(&wallet.credential_type_text(&s.credential_type)))
        .child_if(s.mandatee.as_ref().map(|m| el("span").class("mandatee").text(m)))
        .child_if(s.organisation.as_ref().map(|o| el("span").class("org").text(o)))
        .child(el("span").class("state").text(text(lang, key)))
        .child_if(failed.then(|| el("span").class("note").text(text(lang, Key::StateUnchecked))))
        .child_if(since.map(|at| el("span").class("note").text(text(lang, Key::LastChecked)).text(" ").text(&wallet.format_date_time(at / 1000.0))))
        .child_if(s.valid_until.map(|t| el("span").class("until").text(text(lang, Key::ValidUntil)).text(" ").text(&wallet.format_date(t))));
    el("li").child(button)
}

pub fn credentials_page(wallet: Wallet) -> web_sys::Element {
    let heading = el("h1").0;
    // The button lives as long as the page, so it keeps focus while the check runs.
    let check: web_sys::Element = el("button").attr("type", "button").class("secondary check-status").0;
    let button = check.clone();
    listen(&check, "click", move |_| wallet.check_status(Some(button.clone())));
    let open = move |event: web_sys::Event| {
        let pressed = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let card = pressed.and_then(|e| e.closest("button[data-credential]").ok().flatten());
        if let Some(id) = card.and_then(|c| c.get_attribute("data-credential")) {
            crate::journey::describe(wallet, id);
        }
    };
    let page = dom_view(move |root| {
        let lang = wallet.lang.get();
        heading.set_text_content(Some(text(lang, Key::NavCredentials)));
        // The browser may evict the data of sites it does not consider important: say so once
        // there is something to lose.
        let at_risk = wallet.persistence.get() == Some(Persistence::BestEffort) && !wallet.credentials.with(Vec::is_empty);
        let now = js_sys::Date::now();
        let (list, signed) = wallet.credentials.with(|credentials| {
            // Usable first; the list comes newest first, and the sort keeps that order within a state.
            let mut shown: Vec<(&StoredCredential, Standing)> = credentials.iter().map(|c| (c, standing_of(c, now))).collect();
            crate::core::collections::sort_by(&mut shown, |a, b| a.1.state.rank().cmp(&b.1.state.rank()));
            let signed = credentials.iter().any(|c| c.state == CredentialState::Valid);
            let list = if credentials.is_empty() {
                el("p").class("empty").text(text(lang, Key::CredentialsEmpty))
            } else {
                el("ul")
                    .class("credentials")
                    .attr("aria-label", text(lang, Key::CredentialsList))
                    .children(shown.into_iter().map(|(c, s)| card(wallet, lang, c, s)))
            };
            (list, signed)
        });
        let warning = at_risk.then(|| el("p").class("warning").attr("role", "note").text(text(lang, Key::StorageAtRisk)));
        let check = signed.then(|| {
            let busy = crate::app::STATUS_CHECKING.get();
            check.set_text_content(Some(text(lang, if busy { Key::CheckingStatus } else { Key::CheckStatus })));
            let _ = if busy { check.set_attribute("disabled", "") } else { check.remove_attribute("disabled") };
            El(check.clone())
        });
        crate::dom::refill(root, [Some(El(heading.clone())), warning, check, Some(list)].into_iter().flatten().collect());
    });
    listen(&page, "click", open);
    page
}
