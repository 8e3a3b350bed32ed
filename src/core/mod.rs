//! The protocol core: parsing, validation, keys and protocol flows, in plain Rust.
//!
//! Nothing here uses `web-sys` or `wasm-bindgen`; the browser sits behind the traits in
//! [`ports`]. Input from outside is parsed once at the boundary and never trusted.
#![cfg_attr(not(test), deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing))]

pub mod credential;
pub mod collections;
pub mod der;
pub mod did_key;
pub mod encoding;
pub mod error;
pub mod gzip;
pub mod invocation;
pub mod json;
pub mod jws;
pub mod key_check;
pub mod lock;
pub mod net;
pub mod oid4vci;
pub mod oid4vp;
pub mod ports;
pub mod quote;
pub mod tir;
pub mod url;
pub mod x509;

#[cfg(not(target_arch = "wasm32"))]
pub mod native;
#[cfg(test)]
pub(crate) mod testing;

pub use error::Error;
