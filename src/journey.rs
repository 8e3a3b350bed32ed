//! The journey in progress (receiving or presenting a credential), on the interface's side:
//! the engine says what to show, this sends what the user chose.

use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::app::Wallet;
use crate::bridge::{get, get_bool, get_f64, obj, request, Problem};
use crate::journeys;
use crate::screen::{Block, Screen};

/// Cloned whenever it is read from its signal: the screen is shared, not copied.
#[derive(Debug, Clone, Default)]
pub enum Journey {
    #[default]
    Idle,
    /// The engine is reading a link (fetching the offer or request, checking who sent it).
    Opening,
    /// A screen, and the action being worked on (its busy text), if any.
    Showing { session: f64, screen: Arc<Screen>, busy: Option<String> },
}

fn failure_screen(wallet: Wallet, problem: &Problem) -> Screen {
    use crate::i18n::Key;
    let t = |k| crate::i18n::text(wallet.lang.get_untracked(), k).to_owned();
    Screen {
        title: t(Key::FailedTitle),
        blocks: vec![Block::Alert(problem.message.clone())],
        actions: vec![crate::screen::Action::secondary("close", &t(Key::Back))],
    }
}

fn show(wallet: Wallet, answer: Result<JsValue, Problem>) {
    wallet.journey.set(match answer {
        Ok(answer) if get_bool(&answer, "done") => {
            // The list is current: the engine says what it stored (`Wallet::credentials_changed`).
            // A finished journey ends on the credentials.
            wallet.navigate(crate::routes::Route::Credentials);
            // A same-device login continues at the verifier (the engine checked the address).
            if let Some(url) = crate::bridge::get_str(&answer, "navigate") {
                if let Some(window) = web_sys::window() {
                    let _ = window.location().assign(&url);
                }
            }
            Journey::Idle
        }
        Ok(answer) => Journey::Showing {
            session: get_f64(&answer, "session").unwrap_or(0.0),
            screen: Arc::new(Screen::from_js(&get(&answer, "screen"))),
            busy: None,
        },
        Err(problem) => Journey::Showing { session: 0.0, screen: Arc::new(failure_screen(wallet, &problem)), busy: None },
    });
}

async fn call(wallet: Wallet, message: js_sys::Object) -> Result<JsValue, Problem> {
    let _ = js_sys::Reflect::set(&message, &"lang".into(), &wallet.lang.get_untracked().tag().into());
    match wallet.engine() {
        Ok(engine) => engine.call(message).await,
        Err(message) => Err(Problem { id: "internal".into(), message }),
    }
}

/// Hands a scanned, pasted or opened link to the engine and shows what it is.
pub fn open(wallet: Wallet, text: String) {
    wallet.journey.set(Journey::Opening);
    wallet.focus_page();
    leptos::task::spawn_local(async move {
        let answer = call(wallet, obj(&[("kind", request::OPEN.into()), ("text", text.into())])).await;
        show(wallet, answer);
    });
}

thread_local! {
    /// The credential whose detail was opened last: its card gets focus back when the journey ends.
    static OPENED: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The credential whose detail was shown since this was last asked, if any.
pub fn take_opened() -> Option<String> {
    OPENED.with(|o| o.borrow_mut().take())
}

/// Shows a stored credential's detail (built by the engine).
pub fn describe(wallet: Wallet, id: String) {
    OPENED.with(|o| *o.borrow_mut() = Some(id.clone()));
    wallet.journey.set(Journey::Opening);
    wallet.focus_page();
    leptos::task::spawn_local(async move {
        let answer = call(wallet, obj(&[("kind", request::DESCRIBE.into()), ("credential", id.into())])).await;
        show(wallet, answer);
    });
}

/// The user chose `action` on the current screen, with the values of its fields.
pub fn act(wallet: Wallet, action: String, values: Vec<(String, String)>) {
    let Journey::Showing { session, screen, .. } = wallet.journey.get_untracked() else { return };
    if session == 0.0 && (action == journeys::CLOSE || action == journeys::SEE_CREDENTIALS) {
        wallet.journey.set(Journey::Idle);
        if action == journeys::SEE_CREDENTIALS {
            wallet.navigate(crate::routes::Route::Credentials);
        } else {
            wallet.focus_page();
        }
        return;
    }
    let busy = screen.action(&action).and_then(|a| a.busy.clone());
    // The screen on display shows the work in progress itself, unrebuilt.
    let in_place = busy.as_deref().is_some_and(crate::components::screen_view::show_busy);
    let showing = Journey::Showing { session, screen, busy };
    if in_place {
        wallet.journey.update_untracked(|j| *j = showing);
    } else {
        wallet.journey.set(showing);
    }
    leptos::task::spawn_local(async move {
        let fields = js_sys::Object::new();
        for (k, v) in values {
            let _ = js_sys::Reflect::set(&fields, &k.into(), &v.into());
        }
        let message = obj(&[
            ("kind", request::ACT.into()),
            ("session", session.into()),
            ("action", action.into()),
            ("values", fields.into()),
        ]);
        let answer = call(wallet, message).await;
        show(wallet, answer);
    });
}

/// Leaves the journey (the user navigated away): the engine forgets an unanswered session.
pub fn leave(wallet: Wallet) {
    if let Journey::Showing { session, busy: None, .. } = wallet.journey.get_untracked() {
        if session != 0.0 {
            leptos::task::spawn_local(async move {
                let _ = call(wallet, obj(&[("kind", request::LEAVE.into()), ("session", session.into())])).await;
            });
        }
    }
    wallet.journey.set(Journey::Idle);
}
