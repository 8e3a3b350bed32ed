//! URLs read by the browser's own parser (`new URL(…)`): the one its `fetch` uses, so the
//! wallet checks the very address the browser will contact, and the module carries no parser.

use crate::core::url::{ParseError, Url};

/// Parses `input` with the browser's `URL`.
///
/// # Errors
/// [`ParseError::Invalid`] when the browser refuses it, and what [`Url::from_browser`] refuses.
pub fn parse(input: &str) -> Result<Url, ParseError> {
    let url = web_sys::Url::new(input).map_err(|_| ParseError::Invalid)?;
    Url::from_browser(input, &url.href())
}
