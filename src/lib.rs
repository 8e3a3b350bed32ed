//! The DOME business wallet.
//!
//! `core` is the protocol core in plain Rust (no browser types): it builds and tests natively.
//! Everything that touches the browser (adapters, UI) only exists on `wasm32`.

pub mod core;
pub mod i18n;
pub mod journeys;
pub mod routes;
pub mod screen;

#[cfg(target_arch = "wasm32")]
pub mod adapters;
#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod bridge;
#[cfg(target_arch = "wasm32")]
mod dom;
#[cfg(target_arch = "wasm32")]
pub mod engine;
#[cfg(target_arch = "wasm32")]
mod engine_client;
#[cfg(target_arch = "wasm32")]
mod journey;
#[cfg(target_arch = "wasm32")]
mod components;
#[cfg(target_arch = "wasm32")]
mod pages;
