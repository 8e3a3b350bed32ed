use leptos::prelude::*;

use crate::adapters::platform::Persistence;
use crate::app::Wallet;
use crate::bridge::{self, obj, request};
use crate::i18n::Key;

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

#[component]
pub fn SettingsPage(wallet: Wallet) -> impl IntoView {
    let persistence = move || match wallet.persistence.get() {
        Some(Persistence::Persistent) => Key::StoragePersistent,
        Some(Persistence::BestEffort) | Some(Persistence::Unsupported) => Key::StorageNotPersistent,
        None => Key::StorageUnknown,
    };
    let results = RwSignal::new(Vec::<CheckResult>::new());
    let running = RwSignal::new(false);
    let run_check = move |_| {
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

    view! {
        <h1>{wallet.t(Key::NavSettings)}</h1>
        <section aria-labelledby="ids-h">
            <h2 id="ids-h">{wallet.t(Key::SettingsIdentifiers)}</h2>
            <p class="help">{wallet.t(Key::SettingsIdentifiersHelp)}</p>
            <Show when=move || !wallet.keys.with(Vec::is_empty) fallback=move || view! { <p>{wallet.t(Key::SettingsNoKeys)}</p> }>
                <ul class="dids" aria-label=wallet.t(Key::SettingsIdentifiers)>
                    <For each=move || wallet.keys.get() key=|k| k.did.clone() let:k>
                        <li><code class="did">{k.did.clone()}</code></li>
                    </For>
                </ul>
            </Show>
        </section>
        <section aria-labelledby="storage-h">
            <h2 id="storage-h">{wallet.t(Key::SettingsStorage)}</h2>
            <p>{move || crate::i18n::text(wallet.lang.get(), persistence())}</p>
        </section>
        <section aria-labelledby="check-h">
            <h2 id="check-h">{wallet.t(Key::SettingsKeyCheck)}</h2>
            <p class="help">{wallet.t(Key::SettingsKeyCheckHelp)}</p>
            <button type="button" on:click=run_check disabled=move || running.get()>
                {move || if running.get() { wallet.t(Key::KeyCheckRunning)() } else { wallet.t(Key::KeyCheckRun)() }}
            </button>
            <ul class="checks" role="status">
                <For each=move || results.get() key=|r| r.did.clone() let:r>
                    <li>
                        <code class="did">{r.did.clone()}</code>
                        {match r.outcome.clone() {
                            Ok(jws) => view! {
                                <p class="ok">{wallet.t(Key::KeyCheckPassed)}</p>
                                <details>
                                    <summary>{wallet.t(Key::TechnicalDetails)}</summary>
                                    <code class="jws">{jws}</code>
                                </details>
                            }.into_any(),
                            Err(detail) => view! {
                                <p class="bad">{wallet.t(Key::KeyCheckFailed)}</p>
                                <details>
                                    <summary>{wallet.t(Key::TechnicalDetails)}</summary>
                                    <code>{detail}</code>
                                </details>
                            }.into_any(),
                        }}
                    </li>
                </For>
            </ul>
        </section>
    }
}
