//! The browser behind the core's ports: WebCrypto, IndexedDB, and the platform's storage policy.

pub mod dates;
pub mod gunzip;
pub mod http;
pub mod idb;
pub mod keystore;
pub mod numbers;
pub mod platform;
pub mod records;
pub mod schema;
pub mod vault;
pub mod texts;
pub mod url;
pub mod webcrypto;

use wasm_bindgen::JsValue;

/// A short description of a JavaScript exception, for `Display` of errors (never shown to
/// users, never containing key material: WebCrypto errors carry none).
pub(crate) fn js_error(value: &JsValue) -> String {
    if let Some(e) = value.dyn_ref::<js_sys::Error>() {
        return format!("{}: {}", String::from(e.name()), String::from(e.message()));
    }
    if let Some(e) = value.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", e.name(), e.message());
    }
    // JSON for other values (what wasm-bindgen's `Debug` would show, without its JS helper).
    value
        .as_string()
        .or_else(|| js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string()))
        .unwrap_or_else(|| "an unknown error".to_owned())
}

use wasm_bindgen::JsCast as _;
