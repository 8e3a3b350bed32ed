//! A page or screen drawn with the DOM builder (`crate::dom`) into its own `<div>`.
//!
//! Every page, journey screen and start-up message is one; the App shows one at a time in
//! `<main>`. Leptos' signals and effects keep them current; its view layer is not used (typed
//! views compiled their element and type-erasing code once per page).

use web_sys::Element;

use crate::dom::el;

/// A new `<div>` that `fill` draws into once the current task ends (the App has put it in the
/// page by then), and again whenever a signal it read changes. What stays the same can be
/// appended to the `<div>` at once instead.
pub fn dom_view(fill: impl Fn(&Element) + 'static) -> Element {
    let host = el("div").0;
    let root = host.clone();
    crate::reactive::effect(move || fill(&root));
    host
}
