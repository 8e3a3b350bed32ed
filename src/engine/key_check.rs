use js_sys::Array;
use wasm_bindgen::JsValue;

use crate::adapters::keystore::KeyStore;
use crate::adapters::webcrypto::WebCrypto;
use crate::bridge::obj;
use crate::core::did_key::DidKey;
use crate::core::key_check;

/// Runs the key self-check on every holder key: `{results: [{did, ok, jws | detail}]}`.
pub async fn run(store: &KeyStore) -> js_sys::Object {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let results = Array::new();
    let keys = match store.list().await {
        Ok(keys) => keys,
        Err(e) => return super::failure(&e.into()),
    };
    for info in keys {
        let did = match DidKey::parse(&info.did) {
            Ok(did) => did,
            Err(e) => return super::failure(&e.into()),
        };
        let entry = match key_check::run(&did, store, &WebCrypto, now).await {
            Ok(jws) => obj(&[("did", info.did.as_str().into()), ("ok", true.into()), ("jws", jws.into())]),
            Err(e) => obj(&[("did", info.did.as_str().into()), ("ok", false.into()), ("detail", e.to_string().into())]),
        };
        results.push(&JsValue::from(entry));
    }
    obj(&[("results", results.into())])
}
