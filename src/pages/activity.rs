use leptos::html;
use leptos::prelude::*;

use crate::adapters::records::{self, ActivityEntry, ActivityKind, Outcome};
use crate::app::Wallet;
use crate::dom::{el, El};
use crate::i18n::Key;

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
    let shared = (!e.claims.is_empty()).then(|| format!("{} {}", t(Key::ActivityClaims), e.claims.join(", ")));
    el("li")
        .class("entry card")
        .child(el("p").class("what").text(&format!("{what} · {outcome}")))
        .child(el("p").class("peer").text(&e.peer_name))
        .child_if(credential.map(|c| el("p").text(&c)))
        .child_if(shared.map(|s| el("p").class("claims").text(&s)))
        .child_if(e.reason.as_ref().map(|r| el("p").class("reason").text(r)))
        .child(el("p").class("when").text(&wallet.format_date_time(e.at / 1000.0)))
}

#[component]
pub fn ActivityPage(wallet: Wallet) -> impl IntoView {
    let entries = RwSignal::new(None::<Vec<ActivityEntry>>);
    if let Some(db) = wallet.db() {
        leptos::task::spawn_local(async move {
            match records::activity(&db).await {
                Ok(list) => entries.set(Some(list)),
                Err(e) => leptos::logging::error!("activity: {e}"),
            }
        });
    }
    let list = NodeRef::<html::Ul>::new();
    Effect::new(move |_| {
        let (Some(ul), Some(items)) = (list.get(), entries.get()) else { return };
        ul.set_text_content(None);
        for item in &items {
            let _ = ul.append_child(&entry(wallet, item).0);
        }
    });
    view! {
        <h1>{wallet.t(Key::NavActivity)}</h1>
        <Show when=move || entries.with(|e| e.as_ref().is_some_and(|e| e.is_empty()))>
            <p class="empty">{wallet.t(Key::ActivityEmpty)}</p>
        </Show>
        <ul class="activity" aria-label=wallet.t(Key::ActivityList) node_ref=list></ul>
    }
}
