//! The stored credentials, newest first.
//!
//! Built with the DOM builder rather than typed views (a typed view of the cards weighed about
//! 7 KB compressed in the interface module); the list is drawn again whenever it changes.

use leptos::html;
use leptos::prelude::*;

use crate::adapters::records::{CredentialState, StoredCredential};
use crate::app::Wallet;
use crate::dom::{el, El};
use crate::i18n::{text, Key, Lang};

fn card(wallet: Wallet, lang: Lang, credential: &StoredCredential) -> El {
    let s = &credential.summary;
    let pending = credential.state == CredentialState::Pending;
    el("li")
        .class(if pending { "credential card pending" } else { "credential card" })
        .child(el("p").class("type").text(&wallet.credential_type_text(&s.credential_type)))
        .child_if(s.mandatee.as_ref().map(|m| el("p").class("mandatee").text(m)))
        .child_if(s.organisation.as_ref().map(|o| el("p").class("org").text(o)))
        .child_if(pending.then(|| el("p").class("state").text(text(lang, Key::StatePending))))
        .child_if(s.valid_until.map(|t| el("p").class("until").text(text(lang, Key::ValidUntil)).text(" ").text(&wallet.format_date(t))))
}

#[component]
pub fn CredentialsPage(wallet: Wallet) -> impl IntoView {
    let page = NodeRef::<html::Div>::new();
    let heading = el("h1").0;
    Effect::new(move |_| {
        let Some(root) = page.get() else { return };
        let lang = wallet.lang.get();
        heading.set_text_content(Some(text(lang, Key::NavCredentials)));
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
        root.set_text_content(None);
        let _ = root.append_child(&heading);
        let _ = root.append_child(&list.0);
    });
    view! { <div node_ref=page></div> }
}
