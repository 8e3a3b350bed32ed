//! Loads a language's texts (`/i18n/<lang>.json`, copied from `public/i18n/`) into the
//! translation tables. Works in the page and in the engine's worker alike: both call the global
//! `fetch`. The service worker keeps the files for offline use.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{self, Lang};

/// Makes the texts of `lang` available to [`i18n::text`] and [`i18n::msg`]; English needs nothing.
pub async fn load(lang: Lang) -> Result<(), String> {
    if i18n::is_installed(lang) {
        return Ok(());
    }
    let url = format!("/i18n/{}.json", lang.tag());
    let global = js_sys::global();
    let fetch: Function = Reflect::get(&global, &"fetch".into())
        .map_err(|e| super::js_error(&e))?
        .dyn_into()
        .map_err(|_| "no fetch")?;
    let promise: Promise = fetch
        .call1(&global, &url.as_str().into())
        .map_err(|e| super::js_error(&e))?
        .dyn_into()
        .map_err(|_| "fetch gave no promise")?;
    let response: web_sys::Response = JsFuture::from(promise)
        .await
        .map_err(|e| super::js_error(&e))?
        .dyn_into()
        .map_err(|_| "fetch gave no response")?;
    if !response.ok() {
        return Err(format!("{url}: HTTP {}", response.status()));
    }
    let json = JsFuture::from(response.json().map_err(|e| super::js_error(&e))?)
        .await
        .map_err(|e| super::js_error(&e))?;
    let section = |name: &str| Reflect::get(&json, &name.into()).unwrap_or(JsValue::UNDEFINED);
    let shell = section(i18n::Section::Shell.name());
    let journey = section(i18n::Section::Journey.name());
    i18n::install(lang, |which, id| {
        let texts = match which {
            i18n::Section::Shell => &shell,
            i18n::Section::Journey => &journey,
        };
        Reflect::get(texts, &id.into()).ok()?.as_string()
    });
    Ok(())
}
