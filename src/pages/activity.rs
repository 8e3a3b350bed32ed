use leptos::prelude::*;

use crate::app::Wallet;
use crate::i18n::Key;

#[component]
pub fn ActivityPage(wallet: Wallet) -> impl IntoView {
    view! {
        <h1>{wallet.t(Key::NavActivity)}</h1>
        <p class="empty">{wallet.t(Key::ActivityEmpty)}</p>
    }
}
