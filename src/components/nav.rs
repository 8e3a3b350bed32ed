//! The main navigation: a bottom bar on phones, a side rail on wide screens.

use leptos::prelude::*;
use web_sys::MouseEvent;

use crate::app::Wallet;
use crate::i18n::Key;
use crate::routes::Route;

#[component]
fn NavLink(wallet: Wallet, route: Route, label: Key, icon: &'static str) -> impl IntoView {
    let path = route.path();
    let current = {
        let route = route.clone();
        move || (wallet.route.get() == route).then_some("page")
    };
    let on_click = move |ev: MouseEvent| {
        // Let the browser handle new-tab and new-window clicks.
        if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key() || ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        // Leaving a journey that was not answered forgets it.
        crate::journey::leave(wallet);
        wallet.navigate(route.clone());
    };
    view! {
        <a href=path aria-current=current on:click=on_click>
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
