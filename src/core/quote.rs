//! Outside values quoted in developer messages (errors' `Display`): `"…"`, with quotes,
//! backslashes and control characters escaped, as `{:?}` quotes a string.
//!
//! `{:?}` would do, but its escaping asks Unicode tables which characters print as themselves:
//! without them and their code the engine module is 2.6 KB (brotli) smaller. Here every character
//! that is not a control character is written as it is.

use std::fmt::{self, Display, Formatter, Write};

/// A value that can be quoted: text, a character, an optional text, a list of texts.
pub trait Quote {
    fn quote(&self, f: &mut Formatter<'_>) -> fmt::Result;
}

/// `value`, quoted when displayed.
pub fn quoted<T: Quote + ?Sized>(value: &T) -> Quoted<'_, T> {
    Quoted(value)
}

pub struct Quoted<'a, T: ?Sized>(&'a T);

impl<T: Quote + ?Sized> Display for Quoted<'_, T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.0.quote(f)
    }
}

fn escaped(c: char, f: &mut Formatter<'_>) -> fmt::Result {
    match c {
        '"' => f.write_str("\\\""),
        '\\' => f.write_str("\\\\"),
        '\n' => f.write_str("\\n"),
        '\r' => f.write_str("\\r"),
        '\t' => f.write_str("\\t"),
        '\0' => f.write_str("\\0"),
        c if c.is_control() => write!(f, "\\u{{{:x}}}", u32::from(c)),
        c => f.write_char(c),
    }
}

impl Quote for str {
    fn quote(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        for c in self.chars() {
            escaped(c, f)?;
        }
        f.write_char('"')
    }
}

impl Quote for String {
    fn quote(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.as_str().quote(f)
    }
}

impl Quote for char {
    fn quote(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char('\'')?;
        match self {
            '\'' => f.write_str("\\'")?,
            '"' => f.write_char('"')?,
            c => escaped(*c, f)?,
        }
        f.write_char('\'')
    }
}

/// `Some("…")` or `None`, as `{:?}` writes them.
impl<T: Quote> Quote for Option<T> {
    fn quote(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Some(value) => {
                f.write_str("Some(")?;
                value.quote(f)?;
                f.write_char(')')
            }
            None => f.write_str("None"),
        }
    }
}

/// `["…", "…"]`, as `{:?}` writes a list.
impl<T: Quote> Quote for [T] {
    fn quote(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_char('[')?;
        for (i, value) in self.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            value.quote(f)?;
        }
        f.write_char(']')
    }
}

impl<T: Quote> Quote for Vec<T> {
    fn quote(&self, f: &mut Formatter<'_>) -> fmt::Result {
        self.as_slice().quote(f)
    }
}

impl<T: Quote + ?Sized> Quote for &T {
    fn quote(&self, f: &mut Formatter<'_>) -> fmt::Result {
        (**self).quote(f)
    }
}

#[cfg(test)]
mod tests {
    use super::quoted;

    #[test]
    fn quotes_as_debug_does() {
        for text in ["plain", "with \"quotes\" and \\", "line\nbreak\ttab\r\0", "bell\u{7}", "caf\u{e9} \u{2713}", ""] {
            assert_eq!(quoted(text).to_string(), format!("{text:?}"), "{text:?}");
        }
        for c in ['a', '\'', '"', '\n', '\u{1b}'] {
            assert_eq!(quoted(&c).to_string(), format!("{c:?}"));
        }
        let some: Option<String> = Some("x\"y".into());
        assert_eq!(quoted(&some).to_string(), format!("{some:?}"));
        assert_eq!(quoted(&None::<String>).to_string(), "None");
        let list = vec!["a".to_owned(), "b\n".to_owned()];
        assert_eq!(quoted(&list).to_string(), format!("{list:?}"));
        assert_eq!(quoted(&Vec::<String>::new()).to_string(), "[]");
    }

    #[test]
    fn non_printing_characters_other_than_controls_are_written_as_they_are() {
        // `{:?}` escapes these (a soft hyphen, a combining accent); the messages keep them.
        assert_eq!(quoted("a\u{ad}b\u{301}").to_string(), "\"a\u{ad}b\u{301}\"");
    }
}
