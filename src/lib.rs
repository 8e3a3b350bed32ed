//! The DOME business wallet.
//!
//! `core` is the protocol core in plain Rust (no browser types): it builds and tests natively.
//! Everything that touches the browser (adapters, UI) only exists on `wasm32`.

pub mod core;
pub mod housekeeping;
pub mod i18n;
pub mod journeys;
pub mod routes;
pub mod screen;

#[cfg(target_arch = "wasm32")]
pub mod adapters;
#[cfg(all(target_arch = "wasm32", feature = "ui"))]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod bridge;
#[cfg(all(target_arch = "wasm32", feature = "ui"))]
mod dom;
#[cfg(target_arch = "wasm32")]
pub mod engine;
#[cfg(all(target_arch = "wasm32", feature = "ui"))]
mod engine_client;
#[cfg(all(target_arch = "wasm32", feature = "ui"))]
mod journey;
#[cfg(all(target_arch = "wasm32", feature = "ui"))]
mod components;
#[cfg(all(target_arch = "wasm32", feature = "ui"))]
mod pages;
#[cfg(all(target_arch = "wasm32", feature = "ui"))]
mod listen;
#[cfg(all(target_arch = "wasm32", feature = "ui"))]
mod passkey;
#[cfg(all(target_arch = "wasm32", feature = "ui"))]
mod reactive;
