//! The interface's event listeners: each lives as long as the page or screen that added it
//! (the reactive owner it was added under).
//!
//! Leptos' `on:` attributes attach through code that can also delegate events to the document,
//! which the wallet never does, and a typed attribute per handler; every listener goes through
//! the one non-generic path here instead.

use leptos::prelude::{on_cleanup, Dispose, StoredValue};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Event, EventTarget};

/// Calls `handler` for every `kind` event at `target` until the current owner (the page or
/// screen being made; the App for its own) is cleaned up.
pub fn listen(target: &EventTarget, kind: &'static str, handler: impl Fn(Event) + 'static) {
    attach(target.clone(), kind, Box::new(handler));
}

/// A listener that is removed when dropped.
struct Listener {
    target: EventTarget,
    kind: &'static str,
    callback: Closure<dyn Fn(Event)>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self.target.remove_event_listener_with_callback(self.kind, self.callback.as_ref().unchecked_ref());
    }
}

fn attach(target: EventTarget, kind: &'static str, handler: Box<dyn Fn(Event)>) {
    let callback = Closure::wrap(handler);
    let _ = target.add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref());
    let listener = StoredValue::new_local(Listener { target, kind, callback });
    on_cleanup(move || listener.dispose());
}
