//! The main navigation: a bottom bar on phones, a side rail on wide screens.
//!
//! Built once with the DOM builder; its labels follow the language and `aria-current` the page.
//! Its links, like every in-app link (`data-route`), are followed by the App's one listener.

use leptos::prelude::*;
use web_sys::Element;

use crate::app::Wallet;
use crate::dom::{el, El};
use crate::i18n::{text, Key};
use crate::routes::Route;

const LINKS: [(Route, Key, &str); 4] = [
    (Route::Credentials, Key::NavCredentials, "▤"),
    (Route::Scan, Key::NavScan, "▦"),
    (Route::Activity, Key::NavActivity, "↻"),
    (Route::Settings, Key::NavSettings, "⚙"),
];

/// The `<nav>`, kept up to date while the App lives.
pub fn nav(wallet: Wallet) -> Element {
    let links: Vec<(Route, Key, Element, Element)> = LINKS
        .iter()
        .map(|&(route, key, icon)| {
            let label = el("span").0;
            let link = el("a")
                .attr("href", route.path())
                .attr("data-route", "")
                .child(el("span").class("icon").attr("aria-hidden", "true").text(icon))
                .child(El(label.clone()));
            (route, key, link.0, label)
        })
        .collect();
    let nav = el("nav").class("nav").children(links.iter().map(|(_, _, link, _)| El(link.clone()))).0;
    let shown = nav.clone();
    crate::reactive::effect(move || {
        let lang = wallet.lang.get();
        let current = wallet.route.get();
        let _ = shown.set_attribute("aria-label", text(lang, Key::MainNavigation));
        for (route, key, link, label) in &links {
            label.set_text_content(Some(text(lang, *key)));
            let _ = if *route == current { link.set_attribute("aria-current", "page") } else { link.remove_attribute("aria-current") };
        }
    });
    nav
}
