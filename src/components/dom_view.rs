//! A page or screen drawn with the DOM builder (`crate::dom`) into one `<div>`.
//!
//! Every page, journey screen and start-up message is one. The App switches between views of a
//! single type, so Leptos' typed element code and its type-erasing (`AnyView`) code are compiled
//! for that type only, not once per page.

use leptos::html;
use leptos::prelude::*;
use web_sys::Element;

/// The view: `fill` draws into `host`'s `<div>` once it is in the page, and again whenever a
/// signal it read changes. It replaces what was there: the `<div>` of the view shown before may
/// be reused. `host` is for listeners on the `<div>` (`crate::listen::listen_on`).
pub fn dom_view(host: NodeRef<html::Div>, fill: impl Fn(&Element) + 'static) -> AnyView {
    crate::reactive::effect(move || {
        if let Some(root) = host.get() {
            fill(&root);
        }
    });
    view! { <div node_ref=host></div> }.into_any()
}
