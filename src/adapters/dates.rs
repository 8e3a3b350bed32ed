//! Dates and times in the user's language, by the browser's `Intl.DateTimeFormat`, for the
//! interface and the engine alike.

use std::cell::RefCell;

use wasm_bindgen::JsValue;

use crate::i18n::Lang;

/// How much of a date to show (`Intl.DateTimeFormat`'s `dateStyle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// "23 Nov 2026": lists.
    Medium,
    /// "23 November 2026": a credential's detail.
    Long,
}

thread_local! {
    /// One formatter per language, style and time-or-not: `toLocaleDateString` builds a formatter
    /// on every call, which took 60 ms of a list of 1,000 credentials.
    static FORMATS: RefCell<Vec<(Lang, Style, bool, js_sys::Function)>> = const { RefCell::new(Vec::new()) };
}

/// `epoch_ms` (milliseconds since the Unix epoch) as a date, with the time when `with_time`.
pub fn format(lang: Lang, style: Style, with_time: bool, epoch_ms: f64) -> String {
    let format = FORMATS.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((.., format)) = cache.iter().find(|(l, s, t, _)| (*l, *s, *t) == (lang, style, with_time)) {
            return format.clone();
        }
        let date_style = match style {
            Style::Medium => "medium",
            Style::Long => "long",
        };
        let time = if with_time { "short".into() } else { JsValue::UNDEFINED };
        let options = crate::bridge::obj(&[("dateStyle", date_style.into()), ("timeStyle", time)]);
        let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::of1(&lang.tag().into()), &options).format();
        cache.push((lang, style, with_time, format.clone()));
        format
    });
    let date = js_sys::Date::new(&JsValue::from_f64(epoch_ms));
    format.call1(&JsValue::NULL, &date).ok().and_then(|s| s.as_string()).unwrap_or_default()
}
