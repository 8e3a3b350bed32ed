use leptos::prelude::*;

use crate::app::Wallet;
use crate::journey;
use crate::i18n::Key;

#[component]
pub fn ScanPage(wallet: Wallet) -> impl IntoView {
    let link = RwSignal::new(String::new());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = link.get_untracked().trim().to_owned();
        if !text.is_empty() {
            journey::open(wallet, text);
        }
    };
    view! {
        <h1>{wallet.t(Key::NavScan)}</h1>
        <p>{wallet.t(Key::ScanIntro)}</p>
        <form class="paste" on:submit=on_submit>
            <label for="paste">{wallet.t(Key::PasteLabel)}</label>
            <p class="help" id="paste-help">{wallet.t(Key::PasteHelp)}</p>
            <textarea id="paste" rows="3" aria-describedby="paste-help" autocomplete="off" spellcheck="false"
                prop:value=move || link.get() on:input=move |ev| link.set(event_target_value(&ev))></textarea>
            <div class="actions"><button type="submit">{wallet.t(Key::PasteOpen)}</button></div>
        </form>
    }
}
