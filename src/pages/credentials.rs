use leptos::prelude::*;

use crate::app::Wallet;
use crate::i18n::Key;

#[component]
pub fn CredentialsPage(wallet: Wallet) -> impl IntoView {
    view! {
        <h1>{wallet.t(Key::NavCredentials)}</h1>
        <p class="empty">{wallet.t(Key::CredentialsEmpty)}</p>
    }
}
