//! Messages between the user interface (main thread) and the engine (a worker).
//!
//! Messages are plain JavaScript objects (structured clone), built and read with the small
//! helpers here, so the interface module carries no JSON machinery. Requests carry an `id` that
//! the engine's reply repeats; events carry none.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

/// Request kinds (main → engine).
pub mod request {
    pub const KEY_CHECK: &str = "key-check";
}

/// Event kinds (engine → main).
pub mod event {
    /// The engine has started and listens.
    pub const READY: &str = "ready";
}

pub fn obj(entries: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in entries {
        // Setting a property of a fresh plain object cannot fail.
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o
}

pub fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

pub fn get_str(value: &JsValue, key: &str) -> Option<String> {
    get(value, key).as_string()
}

pub fn get_f64(value: &JsValue, key: &str) -> Option<f64> {
    get(value, key).as_f64()
}

pub fn get_bool(value: &JsValue, key: &str) -> bool {
    get(value, key).as_bool() == Some(true)
}

pub fn get_array(value: &JsValue, key: &str) -> Array {
    let v = get(value, key);
    if Array::is_array(&v) {
        Array::from(&v)
    } else {
        Array::new()
    }
}
