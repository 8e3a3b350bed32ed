use leptos::prelude::*;

use crate::app::Wallet;
use crate::i18n::Key;
use crate::routes::Route;

#[component]
pub fn NotFoundPage(wallet: Wallet) -> impl IntoView {
    view! {
        <h1>{wallet.t(Key::PageNotFound)}</h1>
        <p>
            <a href="/" on:click=move |ev| { ev.prevent_default(); wallet.navigate(Route::Credentials); }>
                {wallet.t(Key::GoToCredentials)}
            </a>
        </p>
    }
}
