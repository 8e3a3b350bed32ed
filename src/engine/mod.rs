//! The engine: the protocol core with its browser adapters, running in a Web Worker.
//!
//! It is loaded only when the interface first needs it, so the start page carries no protocol
//! code, and its work (JSON, signatures, network) never blocks the interface.

mod key_check;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::adapters::{keystore::KeyStore, schema};
use crate::bridge::{self, get_str, obj, request};

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn reply(id: JsValue, body: js_sys::Object) {
    let _ = js_sys::Reflect::set(&body, &"id".into(), &id);
    let _ = scope().post_message(&body);
}

fn failure(detail: String) -> js_sys::Object {
    obj(&[("error", detail.into())])
}

async fn handle(message: JsValue) -> js_sys::Object {
    let kind = get_str(&message, "kind").unwrap_or_default();
    let store = match schema::open().await {
        Ok(db) => KeyStore::new(db),
        Err(e) => return failure(crate::core::Error::from(e).to_string()),
    };
    match kind.as_str() {
        request::KEY_CHECK => key_check::run(&store).await,
        other => failure(format!("unknown request {other}")),
    }
}

/// Installs the message handler; called once when the worker's module starts.
pub fn start() {
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(|event: MessageEvent| {
        let message = event.data();
        let id = bridge::get(&message, "id");
        wasm_bindgen_futures::spawn_local(async move {
            let body = handle(message).await;
            reply(id, body);
        });
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope().post_message(&obj(&[("kind", bridge::event::READY.into())]));
}
