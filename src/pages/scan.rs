use leptos::prelude::*;

use crate::app::Wallet;
use crate::i18n::Key;

#[component]
pub fn ScanPage(wallet: Wallet) -> impl IntoView {
    view! {
        <h1>{wallet.t(Key::NavScan)}</h1>
        <p>{wallet.t(Key::ScanIntro)}</p>
    }
}
