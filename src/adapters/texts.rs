//! Loads a language's texts (`/i18n/<lang>.json`, written from `public/i18n/` by the build) into the
//! translation tables. Works in the page and in the engine's worker alike: both call the global
//! `fetch`. The service worker keeps the files for offline use.

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::i18n::{self, Lang, Section};

/// Makes the interface's texts of `lang` available to [`i18n::text`]; English needs nothing.
pub async fn load_shell(lang: Lang) -> Result<(), String> {
    if !i18n::is_installed(lang, Section::Shell) {
        let texts = fetch_section(lang, Section::Shell).await?;
        i18n::install_shell(lang, |index| lookup(&texts, index));
    }
    Ok(())
}

/// Makes the journeys' texts of `lang` available to [`i18n::msg`]; English needs nothing.
pub async fn load_journey(lang: Lang) -> Result<(), String> {
    if !i18n::is_installed(lang, Section::Journey) {
        let texts = fetch_section(lang, Section::Journey).await?;
        i18n::install_journey(lang, |index| lookup(&texts, index));
    }
    Ok(())
}

/// The text at `index` of a section (the build writes sections as arrays in the ids' order).
fn lookup(texts: &JsValue, index: usize) -> Option<String> {
    Reflect::get_u32(texts, u32::try_from(index).ok()?).ok()?.as_string()
}

/// The member `section` of the language's file.
async fn fetch_section(lang: Lang, section: Section) -> Result<JsValue, String> {
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
    Ok(Reflect::get(&json, &section.name().into()).unwrap_or(JsValue::UNDEFINED))
}
