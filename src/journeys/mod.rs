//! The screens of the wallet's journeys, built from protocol state in plain Rust (the engine
//! sends them to the interface; `cargo test` checks them natively).

pub mod credential;
pub mod issuance;
pub mod presentation;

use crate::core::Error;
use crate::i18n::{msg, Lang, Msg};
use crate::screen::{Action, Block, Screen};

/// The action that ends a journey: a journey still in progress ends on the credentials, a
/// finished one (session 0) where it began, e.g. back on the Scan page.
pub const CLOSE: &str = "close";
/// The action that ends a finished journey on the credentials ("See your credentials").
pub const SEE_CREDENTIALS: &str = "credentials";

/// Something went wrong: what happened, and what to do (from the error's user message).
pub fn failure(lang: Lang, error: &Error) -> Screen {
    let mut text = msg(lang, error.user_message()).to_owned();
    if let Some(code) = error.user_detail() {
        text = format!("{text} ({code})");
    }
    problem(lang, &text)
}

/// A journey that cannot go on, and why.
pub fn problem(lang: Lang, text: &str) -> Screen {
    Screen {
        title: msg(lang, Msg::FailedTitle).into(),
        blocks: vec![Block::Alert(text.into())],
        actions: vec![Action::primary(CLOSE, msg(lang, Msg::Back), None)],
    }
}

/// The text was not an offer or a login request: say so, and show what it contained.
pub fn not_wallet(lang: Lang, shown: &str) -> Screen {
    Screen {
        title: msg(lang, Msg::NotWalletTitle).into(),
        blocks: vec![Block::Alert(msg(lang, Msg::NotWalletText).into()), Block::Details { summary: shown.chars().take(80).collect(), body: shown.into() }],
        actions: vec![Action::primary(CLOSE, msg(lang, Msg::Back), None)],
    }
}
