//! Settings: the language, the wallet's identifiers, its storage, and the key self-check.
//!
//! Built with the DOM builder rather than typed views: the page only changes as a few blocks
//! (in the interface module a typed view of it weighed about 7 KB compressed).

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::adapters::platform::Persistence;
use crate::app::Wallet;
use crate::bridge::{self, obj, request};
use crate::dom::{el, El};
use crate::i18n::{text, Key, Lang};
use crate::listen::listen;
use crate::components::dom_view::dom_view;

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

pub fn settings_page(wallet: Wallet) -> Element {
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
    listen(&button, "click", move |_| run_check());

    // The language menu, also kept for the page's life (each language named in itself).
    let menu: Element = el("select")
        .attr("id", "language")
        .children(Lang::ALL.iter().map(|l| {
            el("option")
                .attr("value", l.tag())
                .attr("lang", l.tag())
                .text(l.own_name())
        }))
        .0;
    listen(&menu, "change", move |event| {
        let chosen = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .and_then(|s| Lang::from_tag(&s.value()));
        if let Some(lang) = chosen {
            wallet.use_lang(lang, true);
        }
    });

    // The trusted issuers registry: a form that lives as long as the page (its field keeps what
    // was typed when the language changes); the engine checks and saves the address.
    let registry_input: Element = el("input")
        .attr("id", "registry")
        .attr("name", "registry")
        .attr("type", "url")
        .attr("inputmode", "url")
        .attr("autocomplete", "off")
        .attr("aria-describedby", "registry-help")
        .0;
    let registry_note: Element = el("p").attr("role", "status").0;
    let registry_save: Element = el("button").attr("type", "submit").0;
    let registry_form: Element = el("form").class("registry").0;
    let (input, note) = (registry_input.clone(), registry_note.clone());
    listen(&registry_form, "submit", move |event| {
        event.prevent_default();
        let url = input.dyn_ref::<web_sys::HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
        let note = note.clone();
        leptos::task::spawn_local(async move {
            let answer = match wallet.engine() {
                Ok(engine) => engine.call(obj(&[("kind", request::SET_REGISTRY.into()), ("url", url.trim().into())])).await.ok(),
                Err(_) => None,
            };
            let saved = answer.is_some_and(|a| bridge::get_bool(&a, "saved"));
            let key = match (saved, url.trim().is_empty()) {
                (true, true) => Key::RegistryOff,
                (true, false) => Key::RegistrySaved,
                (false, _) => Key::RegistryInvalid,
            };
            note.set_text_content(Some(text(wallet.lang.get_untracked(), key)));
        });
    });
    if let Some(db) = wallet.db() {
        let input = registry_input.clone();
        leptos::task::spawn_local(async move {
            if let (Some(url), Some(field)) = (crate::adapters::records::registry(&db).await, input.dyn_ref::<web_sys::HtmlInputElement>()) {
                field.set_value(&url);
            }
        });
    }

    let lock = super::lock::lock_settings(wallet);
    // The page in the current language, with the keys and the storage state.
    let (b, c, m) = (button.clone(), checks.clone(), menu.clone());
    let (form, field, save, note) = (registry_form.clone(), registry_input.clone(), registry_save.clone(), registry_note.clone());
    let page = dom_view(move |root| {
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
        // The registry form's texts (its field and note stay as they are).
        form.set_text_content(None);
        let help = el("p").class("help").attr("id", "registry-help").text(t(Key::SettingsRegistryHelp));
        save.set_text_content(Some(t(Key::RegistrySave)));
        for part in [el("label").attr("for", "registry").text(t(Key::RegistryLabel)), help, El(field.clone()), El(save.clone()), El(note.clone())] {
            let _ = form.append_child(&part.0);
        }
        crate::dom::refill(root, vec![
            el("h1").text(t(Key::NavSettings)),
            section("lang-h", t(Key::SettingsLanguage))
                .child(
                    el("label")
                        .attr("for", "language")
                        .text(t(Key::SettingsLanguageLabel)),
                )
                .child(El(m.clone())),
            section("ids-h", t(Key::SettingsIdentifiers))
                .child(el("p").class("help").text(t(Key::SettingsIdentifiersHelp)))
                .child(ids),
            section("storage-h", t(Key::SettingsStorage)).child(el("p").text(t(persistence))),
            section("check-h", t(Key::SettingsKeyCheck))
                .child(el("p").class("help").text(t(Key::SettingsKeyCheckHelp)))
                .child(El(b.clone()))
                // The results are announced as they arrive.
                .child(el("div").attr("role", "status").child(El(c.clone()))),
            section("registry-h", t(Key::SettingsRegistry)).child(El(form.clone())),
            El(lock.clone()),
        ]);
    });
    // The button's state and the results, in the current language.
    crate::reactive::effect(move || {
        let lang = wallet.lang.get();
        if let Some(select) = menu.dyn_ref::<web_sys::HtmlSelectElement>() {
            select.set_value(lang.tag());
        }
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
    page
}
