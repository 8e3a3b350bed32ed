use leptos::prelude::*;

use crate::adapters::records::{CredentialState, StoredCredential};
use crate::app::Wallet;
use crate::i18n::Key;

#[component]
fn CredentialCard(wallet: Wallet, credential: StoredCredential) -> impl IntoView {
    let s = credential.summary.clone();
    let pending = credential.state == CredentialState::Pending;
    let until = s.valid_until.map(|t| wallet.format_date(t));
    let id = credential.id.clone();
    view! {
        <li>
            <button type="button" class="credential card" class:pending=pending on:click=move |_| crate::journey::describe(wallet, id.clone())>
                <span class="type">{wallet.credential_type_text(&s.credential_type)}</span>
                {s.mandatee.clone().map(|m| view! { <span class="mandatee">{m}</span> })}
                {s.organisation.clone().map(|o| view! { <span class="org">{o}</span> })}
                {pending.then(|| view! { <span class="state">{wallet.t(Key::StatePending)}</span> })}
                {until.map(|u| view! { <span class="until">{wallet.t(Key::ValidUntil)}" "{u}</span> })}
            </button>
        </li>
    }
}

#[component]
pub fn CredentialsPage(wallet: Wallet) -> impl IntoView {
    // The browser may evict the data of sites it does not consider important: say so once there
    // is something to lose.
    let at_risk = move || {
        wallet.persistence.get() == Some(crate::adapters::platform::Persistence::BestEffort) && !wallet.credentials.with(Vec::is_empty)
    };
    view! {
        <h1>{wallet.t(Key::NavCredentials)}</h1>
        <Show when=at_risk>
            <p class="warning" role="note">{wallet.t(Key::StorageAtRisk)}</p>
        </Show>
        <Show when=move || !wallet.credentials.with(Vec::is_empty)
            fallback=move || view! { <p class="empty">{wallet.t(Key::CredentialsEmpty)}</p> }>
            <ul class="credentials" aria-label=wallet.t(Key::CredentialsList)>
                <For each=move || wallet.credentials.get() key=|c| (c.id.clone(), c.state == CredentialState::Pending) let:c>
                    <CredentialCard wallet credential=c/>
                </For>
            </ul>
        </Show>
    }
}
