use leptos::prelude::*;
use web_sys::Element;

use crate::adapters::records::{self, ActivityEntry, ActivityKind, Outcome};
use crate::app::Wallet;
use crate::dom::{el, El};
use crate::i18n::Key;
use crate::components::dom_view::dom_view;

fn entry(wallet: Wallet, e: &ActivityEntry) -> El {
    let t = |k| crate::i18n::text(wallet.lang.get_untracked(), k);
    let what = match (e.kind, e.outcome) {
        (ActivityKind::Issuance, Outcome::Success) => t(Key::ActivityReceived),
        (ActivityKind::Issuance, Outcome::Pending) => t(Key::ActivityAccepted),
        (ActivityKind::Issuance, _) => t(Key::ActivityOffer),
        (ActivityKind::Presentation, _) => t(Key::ActivityLogin),
        (ActivityKind::Deletion, _) => t(Key::ActivityDeleted),
    };
    let outcome = match e.outcome {
        Outcome::Success => t(Key::OutcomeSuccess),
        Outcome::Pending => t(Key::OutcomePending),
        Outcome::Declined => t(Key::OutcomeDeclined),
        Outcome::Failed => t(Key::OutcomeFailed),
    };
    let credential = e.credential_type.as_deref().map(|c| wallet.credential_type_text(c));
    let shared = (!e.claims.is_empty()).then(|| format!("{} {}", t(Key::ActivityClaims), crate::core::collections::join(&e.claims, ", ")));
    el("li")
        .class("entry card")
        .child(el("p").class("what").text(&format!("{what} · {outcome}")))
        .child(el("p").class("peer").text(&e.peer_name))
        .child_if(credential.map(|c| el("p").text(&c)))
        .child_if(shared.map(|s| el("p").class("claims").text(&s)))
        .child_if(e.reason.as_ref().map(|r| el("p").class("reason").text(r)))
        .child(el("p").class("when").text(&wallet.format_date_time(e.at / 1000.0)))
}

pub fn activity_page(wallet: Wallet) -> Element {
    let entries = RwSignal::new(None::<Vec<ActivityEntry>>);
    if let Some(db) = wallet.db() {
        leptos::task::spawn_local(async move {
            // With the lock on, only the engine reads the log.
            let read = if wallet.lock.get_untracked().state == crate::pages::lock::LockState::Off {
                records::activity_in_clear(&db).await.map_err(|e| e.to_string())
            } else {
                wallet.listed("activity").await.map(|list| list.iter().filter_map(|r| ActivityEntry::from_js(&r)).collect())
            };
            match read {
                Ok(list) => entries.set(Some(list)),
                Err(e) => leptos::logging::error!("activity: {e}"),
            }
        });
    }
    dom_view(move |root| {
        let lang = wallet.lang.get();
        let t = |k| crate::i18n::text(lang, k);
        let list = el("ul").class("activity").attr("aria-label", t(Key::ActivityList));
        let parts = entries.with(|entries| match entries {
            // Read, and empty.
            Some(items) if items.is_empty() => [Some(el("p").class("empty").text(t(Key::ActivityEmpty))), Some(list)],
            Some(items) => [None, Some(list.children(items.iter().map(|item| entry(wallet, item))))],
            None => [None, Some(list)],
        });
        let heading = el("h1").text(t(Key::NavActivity));
        crate::dom::refill(root, std::iter::once(heading).chain(parts.into_iter().flatten()).collect());
    })
}
