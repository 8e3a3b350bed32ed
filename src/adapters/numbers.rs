//! Floats read and written by the browser: `parseFloat` rounds correctly, and
//! `Number.prototype.toString` gives the shortest text that reads back as the same float, so
//! the module needs no float parser or formatter of its own.

/// `f` as the browser writes it (`1.5`, `1e+21`, `5e-324`; never NaN or infinite here).
pub fn shortest(f: f64) -> String {
    js_sys::Number::from(f).to_string_with_radix(10).map(String::from).unwrap_or_default()
}

/// The float a JSON number's text (already checked by the JSON reader) stands for; infinite
/// when it is out of range (NaN for a text that is no number).
pub fn parse(text: &str) -> f64 {
    js_sys::Number::parse_float(text)
}
