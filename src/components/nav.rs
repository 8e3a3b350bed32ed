//! The main navigation: a bottom bar on phones, a side rail on wide screens.
//!
//! Its links, like every in-app link (`data-route`), are followed by the App's one listener.

use leptos::prelude::*;

use crate::app::Wallet;
use crate::i18n::Key;
use crate::routes::Route;

#[component]
fn NavLink(wallet: Wallet, route: Route, label: Key, icon: &'static str) -> impl IntoView {
    let path = route.path();
    let current = move || (wallet.route.get() == route).then_some("page");
    view! {
        <a href=path aria-current=current data-route="">
            <span class="icon" aria-hidden="true">{icon}</span>
            <span>{wallet.t(label)}</span>
        </a>
    }
}

#[component]
pub fn Nav(wallet: Wallet) -> impl IntoView {
    view! {
        <nav class="nav" aria-label=wallet.t(Key::MainNavigation)>
            <NavLink wallet route=Route::Credentials label=Key::NavCredentials icon="▤"/>
            <NavLink wallet route=Route::Scan label=Key::NavScan icon="▦"/>
            <NavLink wallet route=Route::Activity label=Key::NavActivity icon="↻"/>
            <NavLink wallet route=Route::Settings label=Key::NavSettings icon="⚙"/>
        </nav>
    }
}
