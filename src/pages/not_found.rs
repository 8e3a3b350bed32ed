use leptos::prelude::*;

use crate::app::Wallet;
use crate::i18n::Key;

#[component]
pub fn NotFoundPage(wallet: Wallet) -> impl IntoView {
    view! {
        <h1>{wallet.t(Key::PageNotFound)}</h1>
        <p>
            <a href="/" data-route="">
                {wallet.t(Key::GoToCredentials)}
            </a>
        </p>
    }
}
