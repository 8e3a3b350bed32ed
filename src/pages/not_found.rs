use leptos::prelude::*;
use web_sys::Element;

use crate::app::Wallet;
use crate::components::dom_view::dom_view;
use crate::dom::{el, refill};
use crate::i18n::{text, Key};

pub fn not_found_page(wallet: Wallet) -> Element {
    dom_view(move |root| {
        let lang = wallet.lang.get();
        // An in-app link (`data-route`): the App's listener shows the page.
        let home = el("a").attr("href", "/").attr("data-route", "").text(text(lang, Key::GoToCredentials));
        refill(root, vec![el("h1").text(text(lang, Key::PageNotFound)), el("p").child(home)]);
    })
}
