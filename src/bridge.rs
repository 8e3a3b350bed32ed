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
    /// `{text, lang}`: a scanned, pasted or opened link. Answer: `{session, screen}`.
    pub const OPEN: &str = "open";
    /// `{session, action, values, lang}`: the user chose an action on the screen. Answer: the
    /// next `{session, screen}`, or `{done: true}` when the journey is over.
    pub const ACT: &str = "act";
    /// `{session}`: the user left the journey without answering; the engine forgets it.
    pub const LEAVE: &str = "leave";
    /// `{credential, lang}`: a stored credential's detail. Answer: `{session, screen}`.
    /// (`id` is taken: it pairs every request with its answer.)
    pub const DESCRIBE: &str = "describe";
    /// The wallet lock's state. Answer: `{state: "off" | "locked" | "unlocked", passphrase,
    /// passkeyId, passkeySalt, idle}` (the last four only when the lock is on).
    pub const LOCK_STATUS: &str = "lock-status";
    /// `{passphrase}` or `{prf}` (a passkey's PRF output): unlocks. Answer: the state, with
    /// `problem: "wrong" | "wait" | "refused" | "failed"` (and `seconds` for "wait") when refused.
    pub const UNLOCK: &str = "unlock";
    /// Locks now (every tab). Answer: the state.
    pub const LOCK: &str = "lock";
    /// `{op, …}`: turns the lock on (`on`, with `passphrase` or `passkey: {id, salt, prf}`) or
    /// off (`off`), changes it (`passphrase`, `add-passkey`, `remove-passkey`; these and `off`
    /// need `auth: {passphrase} | {prf}`), or sets the auto-lock time (`idle`, `seconds`).
    /// Answer: as for `UNLOCK` (`problem: "passphrase"` for a new passphrase refused).
    pub const LOCK_SET: &str = "lock-set";
    /// `{what: "credentials" | "activity"}`: the stored records as the interface reads them.
    /// Answer: `{records}`, or `{locked: true}`.
    pub const LIST: &str = "list";
    /// User input in the interface (throttled): no `id`, no answer.
    pub const INPUT: &str = "input";
    /// `{bitmap: ImageBitmap (transferred), harder: bool}`: the QR code in a picture (the Scan
    /// page). Answer: `{text: string | null, ms}`; see `engine::qr`.
    pub const READ_QR: &str = "read-qr";
    /// `{}`: check the stored credentials' status with their issuers. Answer: `{checked: true}`
    /// once a round of checks that started after the request has finished (the results are in
    /// the credential records; `store-changed` follows when one changed).
    pub const CHECK_STATUS: &str = "check-status";
    /// `{url}`: the trusted issuers registry to ask (empty: none). Answer: `{saved: bool}`, false
    /// when `url` is not an https address without query or fragment (nothing is saved then).
    pub const SET_REGISTRY: &str = "set-registry";
}

/// Event kinds (engine → main).
pub mod event {
    /// The engine has started and listens.
    pub const READY: &str = "ready";
    /// Stored credentials or activity changed: lists should be read again, or, when it carries
    /// `records` (credentials as listed), only those changed, and the list takes them as they are.
    pub const STORE_CHANGED: &str = "store-changed";
    /// The lock's state changed (locked, unlocked, turned on or off): as `request::LOCK_STATUS`.
    pub const LOCK: &str = "lock";
}

/// A failure as the interface shows it: a stable message id (translated by the interface) and
/// the English text as a fallback. Developer detail goes to the console only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub id: String,
    pub message: String,
}

impl Problem {
    pub fn to_js(&self, detail: &str) -> Object {
        obj(&[("id", self.id.as_str().into()), ("message", self.message.as_str().into()), ("detail", detail.into())])
    }

    pub fn from_js(value: &JsValue) -> Self {
        match value.as_string() {
            Some(message) => Problem { id: "internal".into(), message },
            None => Problem {
                id: get_str(value, "id").unwrap_or_else(|| "internal".into()),
                message: get_str(value, "message").unwrap_or_default(),
            },
        }
    }
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
