//! The wallet lock in the interface: the lock screen, and the lock's section of Settings. The
//! keys and the cryptography stay in the engine (`engine::lock`); this only asks and shows.
//! Built with the DOM builder (see `credentials.rs`).

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlInputElement};

use crate::app::Wallet;
use crate::bridge::{get, get_bool, get_f64, get_str, obj, request};
use crate::core::lock::{self, AutoLock, PassphraseProblem};
use crate::dom::{document, el, El};
use crate::i18n::{fill, text, Key, Lang};
use crate::journey::Journey;
use crate::listen::listen;
use crate::components::dom_view::dom_view;
use crate::passkey::{self, PasskeyProblem};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LockState {
    #[default]
    Off,
    Locked,
    Unlocked,
}

/// The lock as the engine describes it (`request::LOCK_STATUS`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LockView {
    pub state: LockState,
    pub passphrase: bool,
    /// The passkey's credential id and PRF salt.
    pub passkey: Option<(Vec<u8>, Vec<u8>)>,
    /// Auto-lock after this many idle seconds (0: never).
    pub idle: u32,
}

fn bytes(value: &JsValue, key: &str) -> Option<Vec<u8>> {
    let v = get(value, key);
    v.is_instance_of::<js_sys::Uint8Array>().then(|| js_sys::Uint8Array::new(&v).to_vec())
}

impl LockView {
    pub fn from_js(value: &JsValue) -> Self {
        LockView {
            state: match get_str(value, "state").as_deref() {
                Some("unlocked") => LockState::Unlocked,
                Some("off") => LockState::Off,
                _ => LockState::Locked,
            },
            passphrase: get_bool(value, "passphrase"),
            passkey: bytes(value, "passkeyId").zip(bytes(value, "passkeySalt")),
            idle: get_f64(value, "idle").unwrap_or(0.0) as u32,
        }
    }

    /// Before the engine has said anything about a wallet whose lock is on.
    pub fn locked() -> Self {
        LockView { state: LockState::Locked, ..LockView::default() }
    }
}

fn passkey_text(problem: PasskeyProblem) -> Key {
    match problem {
        PasskeyProblem::Unsupported => Key::LockPasskeyUnsupported,
        PasskeyProblem::Cancelled => Key::LockPasskeyCancelled,
        PasskeyProblem::NoPrf => Key::LockPasskeyNoPrf,
    }
}

/// Sends a lock request; the answer's state becomes the wallet's. `Err` carries what to tell
/// the person when the engine refused.
async fn call(wallet: Wallet, message: js_sys::Object) -> Result<(), String> {
    let lang = wallet.lang.get_untracked();
    let answer = match wallet.engine() {
        Ok(engine) => engine.call(message).await.map_err(|p| p.message)?,
        Err(e) => return Err(e),
    };
    wallet.apply_lock(LockView::from_js(&answer));
    let key = match get_str(&answer, "problem").as_deref() {
        None => return Ok(()),
        Some("wrong") => Key::LockWrong,
        Some("wait") => {
            // Whole seconds: formatting an `f64` would bring float printing (about 8 KB) to the start page.
            let seconds = (get_f64(&answer, "seconds").unwrap_or(0.0) as u32).to_string();
            return Err(fill(text(lang, Key::LockWait), &[("seconds", &seconds)]));
        }
        Some("passphrase") => Key::LockTooShort,
        Some("refused") => Key::LockRefused,
        Some(_) => Key::LockFailed,
    };
    Err(text(lang, key).to_owned())
}

fn input_value(id: &str) -> String {
    document()
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
        .map(|i| i.value())
        .unwrap_or_default()
}

/// A labelled password field.
fn secret_field(id: &str, label: &str, autocomplete: &str) -> [El; 2] {
    [el("label").attr("for", id).text(label), el("input").attr("id", id).attr("type", "password").attr("autocomplete", autocomplete)]
}

fn status_line(element: &Element, message: Option<&str>) {
    element.set_text_content(message);
}

/// Shown instead of every page while the wallet is locked. A journey that arrived meanwhile
/// (`Journey::Opening`) waits in the engine and goes on once unlocked.
pub fn lock_screen(wallet: Wallet) -> Element {
    let form: Element = el("form").class("lock").0;
    let alert: Element = el("p").class("error").attr("role", "alert").0;
    let busy = RwSignal::new(false);
    let shown = alert.clone();
    let drawn = form.clone();
    let lock_screen = dom_view(move |_| {
        let lang = wallet.lang.get();
        let t = |k| text(lang, k);
        let view = wallet.lock.get();
        let waiting = wallet.journey.with(|j| matches!(j, Journey::Opening));
        let mut parts = vec![el("h1").text(t(Key::LockTitle)), el("p").text(t(if waiting { Key::LockWaiting } else { Key::LockText }))];
        if view.passphrase {
            parts.extend(secret_field("unlock-passphrase", t(Key::LockPassphrase), "current-password"));
            parts.push(el("div").class("actions").child(el("button").attr("type", "submit").text(t(Key::LockUnlock))));
        }
        if view.passkey.is_some() {
            parts.push(el("div").class("actions").child(el("button").attr("type", "button").class("secondary").attr("data-op", "passkey").text(t(Key::LockUnlockPasskey))));
        }
        let fieldset = el("fieldset").class("plain").attr_if(busy.get(), "disabled", "").children(parts).child(El(shown.clone()));
        drawn.set_text_content(None);
        let _ = drawn.append_child(&fieldset.0);
        if let Some(input) = document().and_then(|d| d.get_element_by_id("unlock-passphrase")).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = input.focus();
        }
    });
    let unlock = move |message: Option<js_sys::Object>| {
        let alert = alert.clone();
        busy.set(true);
        status_line(&alert, Some(text(wallet.lang.get_untracked(), Key::LockUnlocking)));
        leptos::task::spawn_local(async move {
            let outcome = match message {
                Some(message) => call(wallet, message).await,
                None => {
                    let passkey = wallet.lock.get_untracked().passkey;
                    match passkey {
                        Some((id, salt)) => match passkey::evaluate(&id, &salt).await {
                            Ok(prf) => call(wallet, obj(&[("kind", request::UNLOCK.into()), ("prf", js_sys::Uint8Array::from(prf.as_slice()).into())])).await,
                            Err(p) => Err(text(wallet.lang.get_untracked(), passkey_text(p)).to_owned()),
                        },
                        None => Ok(()),
                    }
                }
            };
            status_line(&alert, outcome.err().as_deref());
            busy.set(false);
        });
    };
    let unlock_with_passkey = unlock.clone();
    listen(&form, "submit", move |event| {
        event.prevent_default();
        let passphrase = input_value("unlock-passphrase");
        if !passphrase.is_empty() {
            unlock(Some(obj(&[("kind", request::UNLOCK.into()), ("passphrase", passphrase.into())])));
        }
    });
    listen(&form, "click", move |event| {
        let pressed = event.target().and_then(|t| t.dyn_into::<Element>().ok());
        if pressed.and_then(|e| e.closest("[data-op=passkey]").ok().flatten()).is_some() {
            unlock_with_passkey(None);
        }
    });
    let _ = lock_screen.append_child(&form);
    lock_screen
}

fn idle_choice(lang: Lang, choice: AutoLock, current: u32) -> El {
    let key = match choice.seconds() {
        0 => Key::LockNever,
        60 => Key::LockMinute1,
        300 => Key::LockMinutes5,
        900 => Key::LockMinutes15,
        _ => Key::LockHour1,
    };
    el("option").attr("value", &choice.seconds().to_string()).attr_if(choice.seconds() == current, "selected", "").text(text(lang, key))
}

fn op_button(op: &str, label: &str, secondary: bool) -> El {
    el("button").attr("type", "button").attr("data-op", op).attr_if(secondary, "class", "secondary").text(label)
}

/// The lock's controls in Settings: turn it on (passphrase or passkey), lock now, the auto-lock
/// time, change the passphrase, add or remove the passkey, turn it off.
fn controls(lang: Lang, view: &LockView) -> Vec<El> {
    let t = |k| text(lang, k);
    let mut parts = Vec::new();
    if view.state == LockState::Off {
        parts.push(el("p").class("help").text(t(Key::SettingsLockHelp)));
        parts.extend(secret_field("lock-new", t(Key::LockNewPassphrase), "new-password"));
        parts.extend(secret_field("lock-repeat", t(Key::LockRepeatPassphrase), "new-password"));
        let mut actions = el("div").class("actions").child(op_button("on", t(Key::LockTurnOn), false));
        if passkey::available() {
            actions = actions.child(op_button("on-passkey", t(Key::LockTurnOnPasskey), true));
        }
        parts.push(actions);
        return parts;
    }
    let on = match (view.passphrase, view.passkey.is_some()) {
        (true, true) => Key::LockOnBoth,
        (false, _) => Key::LockOnPasskey,
        (true, false) => Key::LockOnPassphrase,
    };
    parts.push(el("p").text(t(on)));
    parts.push(el("div").class("actions").child(op_button("lock", t(Key::LockNow), false)));
    parts.push(el("label").attr("for", "lock-idle").text(t(Key::LockAfter)));
    parts.push(el("select").attr("id", "lock-idle").children(AutoLock::CHOICES.iter().map(|c| idle_choice(lang, *c, view.idle))));
    parts.push(el("p").class("help").text(t(Key::LockChangeHelp)));
    if view.passphrase {
        parts.extend(secret_field("lock-current", t(Key::LockCurrentPassphrase), "current-password"));
    }
    parts.extend(secret_field("lock-new", t(Key::LockNewPassphrase), "new-password"));
    parts.extend(secret_field("lock-repeat", t(Key::LockRepeatPassphrase), "new-password"));
    let mut actions = el("div")
        .class("actions")
        .child(op_button("passphrase", t(if view.passphrase { Key::LockChangePassphrase } else { Key::LockSetPassphrase }), false));
    match (&view.passkey, view.passphrase) {
        (None, true) if passkey::available() => actions = actions.child(op_button("add-passkey", t(Key::LockAddPasskey), true)),
        (Some(_), true) => actions = actions.child(op_button("remove-passkey", t(Key::LockRemovePasskey), true)),
        _ => {}
    }
    parts.push(actions.child(op_button("off", t(Key::LockTurnOff), true)));
    parts
}

/// A new passphrase from the two fields, checked.
fn new_passphrase(lang: Lang) -> Result<String, String> {
    let (new, repeated) = (input_value("lock-new"), input_value("lock-repeat"));
    lock::check_new_passphrase(&new, &repeated).map(|()| new).map_err(|p| {
        text(lang, match p {
            PassphraseProblem::TooShort => Key::LockTooShort,
            PassphraseProblem::TooLong => Key::LockTooLong,
            PassphraseProblem::Mismatch => Key::LockMismatch,
        })
        .to_owned()
    })
}

fn u8s(value: &[u8]) -> JsValue {
    js_sys::Uint8Array::from(value).into()
}

/// The proof a change needs: the current passphrase when typed, else the passkey.
async fn auth(wallet: Wallet, passkey_allowed: bool) -> Result<JsValue, String> {
    let lang = wallet.lang.get_untracked();
    let current = input_value("lock-current");
    if !current.is_empty() {
        return Ok(obj(&[("passphrase", current.into())]).into());
    }
    match wallet.lock.get_untracked().passkey {
        Some((id, salt)) if passkey_allowed => match passkey::evaluate(&id, &salt).await {
            Ok(prf) => Ok(obj(&[("prf", u8s(&prf))]).into()),
            Err(p) => Err(text(lang, passkey_text(p)).to_owned()),
        },
        _ => Err(text(lang, Key::LockNeedCurrent).to_owned()),
    }
}

/// A passkey made now for the lock: `{id, salt, prf}`.
async fn new_passkey(lang: Lang) -> Result<JsValue, String> {
    use crate::core::ports::Crypto as _;
    let salt = crate::adapters::webcrypto::WebCrypto.random_bytes(lock::PRF_SALT_LEN).map_err(|e| e.to_string())?;
    let (id, prf) = passkey::register(text(lang, Key::AppName), &salt).await.map_err(|p| text(lang, passkey_text(p)).to_owned())?;
    Ok(obj(&[("id", u8s(&id)), ("salt", u8s(&salt)), ("prf", u8s(&prf))]).into())
}

fn set(op: &str, entries: &[(&str, JsValue)]) -> js_sys::Object {
    let message = obj(entries);
    let _ = js_sys::Reflect::set(&message, &"kind".into(), &request::LOCK_SET.into());
    let _ = js_sys::Reflect::set(&message, &"op".into(), &op.into());
    message
}

/// Runs one of the section's operations; `Ok` with what to tell the person.
async fn run(wallet: Wallet, op: &str) -> Result<Key, String> {
    let lang = wallet.lang.get_untracked();
    match op {
        "lock" => call(wallet, obj(&[("kind", request::LOCK.into())])).await.map(|()| Key::LockSaved),
        "on" => {
            let passphrase = new_passphrase(lang)?;
            call(wallet, set("on", &[("passphrase", passphrase.into())])).await.map(|()| Key::LockTurnedOn)
        }
        "on-passkey" => {
            let passkey = new_passkey(lang).await?;
            call(wallet, set("on", &[("passkey", passkey)])).await.map(|()| Key::LockTurnedOn)
        }
        "passphrase" => {
            let passphrase = new_passphrase(lang)?;
            let proof = auth(wallet, true).await?;
            call(wallet, set(op, &[("passphrase", passphrase.into()), ("auth", proof)])).await.map(|()| Key::LockSaved)
        }
        "add-passkey" => {
            let proof = auth(wallet, false).await?;
            let passkey = new_passkey(lang).await?;
            call(wallet, set(op, &[("passkey", passkey), ("auth", proof)])).await.map(|()| Key::LockSaved)
        }
        "remove-passkey" => {
            let proof = auth(wallet, false).await?;
            call(wallet, set(op, &[("auth", proof)])).await.map(|()| Key::LockSaved)
        }
        "off" => {
            let proof = auth(wallet, true).await?;
            call(wallet, set(op, &[("auth", proof)])).await.map(|()| Key::LockTurnedOff)
        }
        _ => Err(String::new()),
    }
}

/// The "Wallet lock" section of Settings, made with the Settings page (its effects and
/// listeners end with that page).
pub fn lock_settings(wallet: Wallet) -> Element {
    let body: Element = el("fieldset").class("plain").0;
    let status: Element = el("p").attr("role", "status").0;
    let busy = RwSignal::new(false);
    let shown = status.clone();
    let changed = status.clone();
    let root = body.clone();
    crate::reactive::effect(move || {
        let lang = wallet.lang.get();
        let view = wallet.lock.get();
        root.set_text_content(None);
        let _ = root.append_child(&el("h2").attr("id", "lock-h").text(text(lang, Key::SettingsLock)).0);
        for part in controls(lang, &view) {
            let _ = root.append_child(&part.0);
        }
        let _ = root.append_child(&shown);
    });
    let fieldset = body.clone();
    crate::reactive::effect(move || {
        let _ = if busy.get() { fieldset.set_attribute("disabled", "") } else { fieldset.remove_attribute("disabled") };
    });
    let start = move |op: String| {
        let status = status.clone();
        busy.set(true);
        status_line(&status, Some(text(wallet.lang.get_untracked(), Key::LockWorking)));
        leptos::task::spawn_local(async move {
            let outcome = run(wallet, &op).await;
            let lang = wallet.lang.get_untracked();
            status_line(&status, Some(&outcome.map_or_else(|e| e, |k| text(lang, k).to_owned())));
            busy.set(false);
        });
    };
    listen(&body, "click", move |event| {
        let pressed = event.target().and_then(|t| t.dyn_into::<Element>().ok());
        if let Some(op) = pressed.and_then(|e| e.closest("button[data-op]").ok().flatten()).and_then(|b| b.get_attribute("data-op")) {
            start(op);
        }
    });
    listen(&body, "change", move |event| {
        let select = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok());
        let Some(seconds) = select.and_then(|s| s.value().parse::<u32>().ok()) else { return };
        let status = changed.clone();
        leptos::task::spawn_local(async move {
            let outcome = call(wallet, set("idle", &[("seconds", seconds.into())])).await;
            let saved = text(wallet.lang.get_untracked(), Key::LockSaved).to_owned();
            status_line(&status, Some(&outcome.map_or_else(|e| e, |()| saved)));
        });
    });
    el("section").attr("aria-labelledby", "lock-h").child(El(body)).0
}
