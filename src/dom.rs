//! A tiny DOM builder for static content.
//!
//! Content that only changes as a whole (a journey screen) is built directly with the DOM: text
//! goes through `textContent`, never HTML, and the code is a handful of non-generic calls, far
//! smaller in the bundle than a typed view per element.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element};

pub fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// An element under construction. Failures of the DOM calls (which only happen for invalid
/// tag or attribute names, fixed in the code) leave the element as it was.
pub struct El(pub Element);

pub fn el(tag: &str) -> El {
    let element = document()
        .and_then(|d| d.create_element(tag).ok())
        .unwrap_or_else(|| JsValue::UNDEFINED.unchecked_into());
    El(element)
}

impl El {
    pub fn attr(self, name: &str, value: &str) -> Self {
        let _ = self.0.set_attribute(name, value);
        self
    }

    pub fn attr_if(self, condition: bool, name: &str, value: &str) -> Self {
        if condition {
            self.attr(name, value)
        } else {
            self
        }
    }

    /// Sets a style property through the CSSOM: a `style` attribute would be refused by the
    /// Content-Security-Policy (no inline style), this is not.
    pub fn css(self, property: &str, value: &str) -> Self {
        if let Some(element) = self.0.dyn_ref::<web_sys::HtmlElement>() {
            let _ = element.style().set_property(property, value);
        }
        self
    }

    pub fn class(self, name: &str) -> Self {
        self.attr("class", name)
    }

    pub fn text(self, text: &str) -> Self {
        let _ = self.0.append_with_str_1(text);
        self
    }

    pub fn child(self, child: El) -> Self {
        let _ = self.0.append_child(&child.0);
        self
    }

    pub fn children(self, children: impl IntoIterator<Item = El>) -> Self {
        for child in children {
            let _ = self.0.append_child(&child.0);
        }
        self
    }

    pub fn child_if(self, child: Option<El>) -> Self {
        match child {
            Some(child) => self.child(child),
            None => self,
        }
    }
}

/// Moves focus to `element` (an `HtmlElement`).
pub fn focus(element: &Element) {
    if let Some(element) = element.dyn_ref::<web_sys::HtmlElement>() {
        let _ = element.focus();
    }
}

/// Focus on the card of credential `card` inside `root` when it is there, else on `root`'s
/// first heading (made focusable from script for this).
pub fn focus_in(root: &Element, card: Option<&str>) {
    let card = card
        .filter(|id| !id.contains(['"', '\\']))
        .and_then(|id| root.query_selector(&format!("[data-credential=\"{id}\"]")).ok().flatten());
    let target = card.or_else(|| {
        let heading = root.query_selector("h1").ok().flatten()?;
        let _ = heading.set_attribute("tabindex", "-1");
        Some(heading)
    });
    if let Some(target) = target {
        focus(&target);
    }
}

/// Replaces `root`'s children by `parts`. Focus that was inside `root` is not lost: it stays on
/// the same element when that is among `parts`, else goes to the same credential's card or to
/// the heading.
pub fn refill(root: &Element, parts: Vec<El>) {
    let active = document().and_then(|d| d.active_element()).filter(|a| root.contains(Some(a)));
    root.set_text_content(None);
    for part in parts {
        let _ = root.append_child(&part.0);
    }
    if let Some(active) = active {
        if active.is_connected() {
            focus(&active);
        } else {
            focus_in(root, active.get_attribute("data-credential").as_deref());
        }
    }
}
