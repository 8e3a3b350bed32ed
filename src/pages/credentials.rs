//! The stored credentials, newest first.
//!
//! Built with the DOM builder rather than typed views (a typed view of the cards weighed about
//! 7 KB compressed in the interface module); the list is drawn again whenever it changes, and one
//! click handler on the page opens the card that was pressed.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::adapters::platform::Persistence;
use crate::adapters::records::{CredentialState, StoredCredential};
use crate::app::Wallet;
use crate::dom::{el, El};
use crate::i18n::{text, Key, Lang};

fn card(wallet: Wallet, lang: Lang, credential: &StoredCredential) -> El {
    let s = &credential.summary;
    let pending = credential.state == CredentialState::Pending;
    let button = el("button")
        .attr("type", "button")
        .attr("data-credential", &credential.id)
        .class(if pending { "credential card pending" } else { "credential card" })
        .child(el("span").class("type").text(&wallet.credential_type_text(&s.credential_type)))
        .child_if(s.mandatee.as_ref().map(|m| el("span").class("mandatee").text(m)))
        .child_if(s.organisation.as_ref().map(|o| el("span").class("org").text(o)))
        .child_if(pending.then(|| el("span").class("state").text(text(lang, Key::StatePending))))
        .child_if(s.valid_until.map(|t| el("span").class("until").text(text(lang, Key::ValidUntil)).text(" ").text(&wallet.format_date(t))));
    el("li").child(button)
}

#[component]
pub fn CredentialsPage(wallet: Wallet) -> impl IntoView {
    let page = NodeRef::<html::Div>::new();
    let heading = el("h1").0;
    Effect::new(move |_| {
        let Some(root) = page.get() else { return };
        let lang = wallet.lang.get();
        heading.set_text_content(Some(text(lang, Key::NavCredentials)));
        // The browser may evict the data of sites it does not consider important: say so once
        // there is something to lose.
        let at_risk = wallet.persistence.get() == Some(Persistence::BestEffort) && !wallet.credentials.with(Vec::is_empty);
        let list = wallet.credentials.with(|credentials| {
            if credentials.is_empty() {
                el("p").class("empty").text(text(lang, Key::CredentialsEmpty))
            } else {
                el("ul")
                    .class("credentials")
                    .attr("aria-label", text(lang, Key::CredentialsList))
                    .children(credentials.iter().map(|c| card(wallet, lang, c)))
            }
        });
        let warning = at_risk.then(|| el("p").class("warning").attr("role", "note").text(text(lang, Key::StorageAtRisk)));
        crate::dom::refill(&root, [Some(El(heading.clone())), warning, Some(list)].into_iter().flatten().collect());
    });
    let open = move |event: web_sys::MouseEvent| {
        let pressed = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let card = pressed.and_then(|e| e.closest("button[data-credential]").ok().flatten());
        if let Some(id) = card.and_then(|c| c.get_attribute("data-credential")) {
            crate::journey::describe(wallet, id);
        }
    };
    view! { <div node_ref=page on:click=open></div> }
}
