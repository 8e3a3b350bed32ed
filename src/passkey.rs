//! Passkeys for the wallet lock: WebAuthn with the PRF extension, on the main thread (where
//! `navigator.credentials` is). The authenticator evaluates a PRF over the wallet's random salt;
//! only that output goes to the engine, which derives the key-encryption key from it (HKDF).
//! Called through `Reflect` rather than typed bindings, which would weigh more in the interface.
//!
//! The relying party is the wallet's host name: passkeys need a domain (not an IP address), and
//! a passkey made for one host does not unlock the wallet served from another.

use js_sys::{Array, Function, Object, Promise, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::adapters::webcrypto::WebCrypto;
use crate::bridge::{get, get_bool, get_str, obj};
use crate::core::ports::Crypto as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasskeyProblem {
    /// No WebAuthn here (or the page's host cannot be a relying party).
    Unsupported,
    /// The person cancelled, or no matching passkey was there.
    Cancelled,
    /// The authenticator does not give PRF results: it cannot protect the lock.
    NoPrf,
}

fn container() -> Option<JsValue> {
    let window = web_sys::window()?;
    if get(&window, "PublicKeyCredential").is_undefined() {
        return None;
    }
    let credentials = get(&window.navigator(), "credentials");
    (!credentials.is_undefined()).then_some(credentials)
}

/// Whether this browser offers passkeys at all (whether the authenticator has PRF is only known
/// when one is made).
pub fn available() -> bool {
    container().is_some()
}

fn bytes(value: &[u8]) -> JsValue {
    Uint8Array::from(value).into()
}

fn random(len: usize) -> Result<JsValue, PasskeyProblem> {
    WebCrypto.random_bytes(len).map(|b| bytes(&b)).map_err(|_| PasskeyProblem::Unsupported)
}

async fn call(method: &str, public_key: Object) -> Result<JsValue, PasskeyProblem> {
    let container = container().ok_or(PasskeyProblem::Unsupported)?;
    let function: Function = get(&container, method).dyn_into().map_err(|_| PasskeyProblem::Unsupported)?;
    let promise: Promise = function
        .call1(&container, &obj(&[("publicKey", public_key.into())]))
        .ok()
        .and_then(|p| p.dyn_into().ok())
        .ok_or(PasskeyProblem::Unsupported)?;
    JsFuture::from(promise).await.map_err(|e| match get_str(&e, "name").as_deref() {
        Some("NotAllowedError" | "AbortError" | "InvalidStateError") => PasskeyProblem::Cancelled,
        _ => PasskeyProblem::Unsupported,
    })
}

/// Whether the credential says PRF is supported, and its first PRF output when there is one.
fn prf_first(credential: &JsValue) -> (bool, Option<Vec<u8>>) {
    let results = get(credential, "getClientExtensionResults")
        .dyn_into::<Function>()
        .ok()
        .and_then(|f| f.call0(credential).ok())
        .unwrap_or(JsValue::UNDEFINED);
    let prf = get(&results, "prf");
    let first = get(&get(&prf, "results"), "first");
    let output = (first.is_instance_of::<js_sys::ArrayBuffer>() || first.is_instance_of::<Uint8Array>()).then(|| Uint8Array::new(&first).to_vec());
    (get_bool(&prf, "enabled") || output.is_some(), output)
}

fn prf_extension(salt: &[u8]) -> JsValue {
    obj(&[("prf", obj(&[("eval", obj(&[("first", bytes(salt))]).into())]).into())]).into()
}

/// Makes a passkey for the wallet and evaluates its PRF over `salt`: its raw id and the output.
/// A passkey whose authenticator has no PRF is refused ([`PasskeyProblem::NoPrf`]).
pub async fn register(name: &str, salt: &[u8]) -> Result<(Vec<u8>, Vec<u8>), PasskeyProblem> {
    let algorithms: Array = [-7, -257].iter().map(|alg| JsValue::from(obj(&[("type", "public-key".into()), ("alg", (*alg).into())]))).collect();
    let options = obj(&[
        ("rp", obj(&[("name", name.into())]).into()),
        ("user", obj(&[("id", random(16)?), ("name", name.into()), ("displayName", name.into())]).into()),
        ("challenge", random(32)?),
        ("pubKeyCredParams", algorithms.into()),
        ("authenticatorSelection", obj(&[("residentKey", "preferred".into()), ("userVerification", "required".into())]).into()),
        ("timeout", 120_000.into()),
        ("extensions", prf_extension(salt)),
    ]);
    let credential = call("create", options).await?;
    let id = Uint8Array::new(&get(&credential, "rawId")).to_vec();
    match prf_first(&credential) {
        (_, Some(output)) => Ok((id, output)),
        // Some authenticators evaluate the PRF only when the passkey is used.
        (true, None) => evaluate(&id, salt).await.map(|output| (id, output)),
        (false, None) => Err(PasskeyProblem::NoPrf),
    }
}

/// Uses the passkey `id` (with user verification) and returns its PRF output for `salt`.
pub async fn evaluate(id: &[u8], salt: &[u8]) -> Result<Vec<u8>, PasskeyProblem> {
    let allow: Array = [JsValue::from(obj(&[("type", "public-key".into()), ("id", bytes(id))]))].into_iter().collect();
    let options = obj(&[
        ("challenge", random(32)?),
        ("allowCredentials", allow.into()),
        ("userVerification", "required".into()),
        ("timeout", 120_000.into()),
        ("extensions", prf_extension(salt)),
    ]);
    let credential = call("get", options).await?;
    prf_first(&credential).1.ok_or(PasskeyProblem::NoPrf)
}
