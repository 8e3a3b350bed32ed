//! Leptos' reactive primitives, instantiated once for the whole interface.
//!
//! `Effect::new` is generic over its closure: every effect compiled its own copy of the effect's
//! scheduling code (an async task, about 0.6 KB of WebAssembly each). Boxed, the closures share
//! one copy.

use leptos::prelude::Effect;

/// Runs `f` after rendering, and again whenever a signal it read changes (`Effect::new`).
pub fn effect(f: impl Fn() + 'static) {
    effect_boxed(Box::new(f));
}

fn effect_boxed(f: Box<dyn Fn()>) {
    Effect::new(move |_| f());
}
