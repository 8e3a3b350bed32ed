//! Settings: the wallet's identifiers, its storage, and the key self-check.
//!
//! Built with the DOM builder rather than typed views: the page only changes as a few blocks
//! (in the interface module a typed view of it weighed about 7 KB compressed).

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::adapters::platform::Persistence;
use crate::app::Wallet;
use crate::bridge::{self, obj, request};
use crate::dom::{el, El};
use crate::i18n::{text, Key, Lang};

/// Outcome of the key check for one key.
#[derive(Clone)]
struct CheckResult {
    did: String,
    /// The signed statement when the key works; the developer detail otherwise.
    outcome: Result<String, String>,
}

fn parse_results(answer: &wasm_bindgen::JsValue) -> Vec<CheckResult> {
    bridge::get_array(answer, "results")
        .iter()
        .map(|r| CheckResult {
            did: bridge::get_str(&r, "did").unwrap_or_default(),
            outcome: if bridge::get_bool(&r, "ok") {
                Ok(bridge::get_str(&r, "jws").unwrap_or_default())
            } else {
                Err(bridge::get_str(&r, "detail").unwrap_or_default())
            },
        })
        .collect()
}

/// A section headed by `heading`, labelled by its `<h2 id>`.
fn section(id: &str, heading: &str) -> El {
    el("section").attr("aria-labelledby", id).child(el("h2").attr("id", id).text(heading))
}

fn check_result(lang: Lang, r: &CheckResult) -> El {
    let (class, verdict, code) = match &r.outcome {
        Ok(jws) => ("ok", Key::KeyCheckPassed, el("code").class("jws").text(jws)),
        Err(detail) => ("bad", Key::KeyCheckFailed, el("code").text(detail)),
    };
    el("li")
        .child(el("code").class("did").text(&r.did))
        .child(el("p").class(class).text(text(lang, verdict)))
        .child(el("details").child(el("summary").text(text(lang, Key::TechnicalDetails))).child(code))
}

#[component]
pub fn SettingsPage(wallet: Wallet) -> impl IntoView {
    let results = RwSignal::new(Vec::<CheckResult>::new());
    let running = RwSignal::new(false);
    let run_check = move || {
        running.set(true);
        leptos::task::spawn_local(async move {
            let answer = match wallet.engine() {
                Ok(engine) => engine.call(obj(&[("kind", request::KEY_CHECK.into())])).await,
                Err(e) => Err(bridge::Problem { id: "internal".into(), message: e }),
            };
            results.set(match answer {
                Ok(answer) => parse_results(&answer),
                Err(problem) => vec![CheckResult { did: String::new(), outcome: Err(problem.message) }],
            });
            running.set(false);
        });
    };

    // The button and the results list live as long as the page, so the button keeps focus
    // while the check runs; the handler is dropped with the page.
    let button: Element = el("button").attr("type", "button").0;
    let checks: Element = el("ul").class("checks").0;
    let on_click = Closure::<dyn Fn()>::new(run_check);
    let _ = button.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    let on_click = StoredValue::new_local(on_click);

    let page = NodeRef::<html::Div>::new();
    // The page in the current language, with the keys and the storage state.
    let (b, c) = (button.clone(), checks.clone());
    Effect::new(move |_| {
        let Some(root) = page.get() else { return };
        let lang = wallet.lang.get();
        let t = |k| text(lang, k);
        let keys = wallet.keys.get();
        let ids = if keys.is_empty() {
            el("p").text(t(Key::SettingsNoKeys))
        } else {
            el("ul")
                .class("dids")
                .attr("aria-label", t(Key::SettingsIdentifiers))
                .children(keys.iter().map(|k| el("li").child(el("code").class("did").text(&k.did))))
        };
        let persistence = match wallet.persistence.get() {
            Some(Persistence::Persistent) => Key::StoragePersistent,
            Some(Persistence::BestEffort) | Some(Persistence::Unsupported) => Key::StorageNotPersistent,
            None => Key::StorageUnknown,
        };
        crate::dom::refill(&root, vec![
            el("h1").text(t(Key::NavSettings)),
            section("ids-h", t(Key::SettingsIdentifiers)).child(el("p").class("help").text(t(Key::SettingsIdentifiersHelp))).child(ids),
            section("storage-h", t(Key::SettingsStorage)).child(el("p").text(t(persistence))),
            section("check-h", t(Key::SettingsKeyCheck))
                .child(el("p").class("help").text(t(Key::SettingsKeyCheckHelp)))
                .child(El(b.clone()))
                // The results are announced as they arrive.
                .child(el("div").attr("role", "status").child(El(c.clone()))),
        ]);
    });
    // The button's state and the results, in the current language.
    Effect::new(move |_| {
        let lang = wallet.lang.get();
        let busy = running.get();
        button.set_text_content(Some(text(lang, if busy { Key::KeyCheckRunning } else { Key::KeyCheckRun })));
        let _ = if busy { button.set_attribute("disabled", "") } else { button.remove_attribute("disabled") };
        checks.set_text_content(None);
        results.with(|list| {
            for r in list {
                let _ = checks.append_child(&check_result(lang, r).0);
            }
        });
    });
    on_cleanup(move || on_click.dispose());
    view! { <div node_ref=page></div> }
}
