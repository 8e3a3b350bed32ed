//! Reading the JSON documents peers send, member by member, without derived deserializers.
//!
//! A `#[derive(Deserialize)]` struct compiles to its own visitor for every input it is read from
//! (several KB of WebAssembly each). The wallet instead parses a document once into a
//! [`serde_json::Value`] with [`parse`] (one parser for every document: headers, payloads,
//! answers, parameters) and reads the members it needs with these functions, which keep the
//! rules the derived code had:
//!
//! - an optional member that is missing or `null` is absent;
//! - a required member that is missing (or `null`) is an error;
//! - a list or flag with a default may be missing, but not `null` or of another type;
//! - a member of the wrong type is an error, never silently absent;
//! - a member name that appears twice in an object is an error (a derived struct refused
//!   repeated members; here it holds at every level, so two readers of a document can never
//!   disagree on which value counts).
//!
//! The errors are short descriptions for developers (they end up in `Display`), never shown to
//! people and never containing the values.

use serde_json::{Map, Number, Value};

use super::collections::TryCollect;
use super::credential::json_kind;

/// A JSON object.
pub type Object = Map<String, Value>;

/// Parses `bytes` as JSON whose top level is an object, refusing repeated member names.
pub fn parse_object(bytes: &[u8]) -> Result<Object, String> {
    match parse(bytes)? {
        Value::Object(object) => Ok(object),
        other => Err(format!("expected a JSON object, found {}", json_kind(&other))),
    }
}

/// Parses `bytes` as one JSON value (RFC 8259), refusing repeated member names at any level.
///
/// The wallet's own reader, not serde_json's `Deserialize` machinery (~10 KB of WebAssembly for
/// its two instantiations). It reads what `serde_json::from_slice::<Value>` reads, to the same
/// values: integers as `u64`/`i64` when they fit, other numbers through serde_json's own
/// `Number::from_str` (so floats round the same way), strings checked as UTF-8 with paired
/// surrogates, at most 127 nested arrays and objects. The error says what was wrong and where,
/// for developers.
pub fn parse(bytes: &[u8]) -> Result<Value, String> {
    let mut reader = Reader { bytes, at: 0, depth: 0 };
    let value = reader.value().and_then(|value| {
        reader.skip_space();
        if reader.at < bytes.len() {
            Err(reader.fail(Fail::Syntax))
        } else {
            Ok(value)
        }
    });
    value.map_err(|(fail, at)| {
        let what = match fail {
            Fail::Syntax => "not JSON",
            Fail::Eof => "JSON cut short",
            Fail::Repeated => "a member name is repeated",
        };
        let consumed = bytes.get(..at).unwrap_or(bytes);
        let line_start = consumed.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let line = 1 + consumed.iter().filter(|&&b| b == b'\n').count();
        format!("{what} at line {line}, column {}", at - line_start)
    })
}

/// A number as JSON text: integers in decimal; floats as their shortest text that reads back
/// the same, with a `.0` if they would otherwise read as an integer.
///
/// In the browser the float's digits are the browser's (`Number.prototype.toString`, shortest
/// round-trip as serde_json's zmij, and `1e+21` where serde_json writes `1e21`), so the module
/// carries no float formatter; natively they are serde_json's.
pub fn number_text(n: &Number) -> String {
    if let Some(i) = n.as_u64() {
        return i.to_string();
    }
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    #[cfg(not(target_arch = "wasm32"))]
    let mut text = n.to_string();
    #[cfg(target_arch = "wasm32")]
    let mut text = match n.as_f64().unwrap_or_default() {
        // The browser writes -0 as "0".
        f if f == 0.0 && f.is_sign_negative() => "-0".to_owned(),
        f => crate::adapters::numbers::shortest(f),
    };
    if !text.contains(['.', 'e', 'E']) {
        text.push_str(".0");
    }
    text
}

fn float_value(f: f64) -> Value {
    Number::from_f64(f).map_or(Value::Null, Value::Number)
}

/// 10^`n` (n ≤ 308) rounded to the nearest `f64`, ties to even: the value of the literal
/// `1e<n>`. Worked out in integers, as a table of 309 floats would weigh 2.5 KB.
#[cfg(not(target_arch = "wasm32"))]
fn pow10(n: u32) -> f64 {
    // 10^308 < 2^1024: 32 limbs of 32 bits.
    let mut limbs = [0u32; 32];
    if let Some(first) = limbs.first_mut() {
        *first = 1;
    }
    for _ in 0..n.min(308) {
        let mut carry = 0u64;
        for limb in limbs.iter_mut() {
            let product = u64::from(*limb) * 10 + carry;
            *limb = product as u32;
            carry = product >> 32;
        }
    }
    // The value's bits, most significant first, and how many there are.
    let top = limbs.iter().rposition(|&l| l != 0).unwrap_or(0);
    let bits = top * 32 + 32 - limbs.get(top).map_or(32, |l| l.leading_zeros() as usize);
    let bit = |i: usize| limbs.get(i / 32).is_some_and(|l| (l >> (i % 32)) & 1 == 1);
    let shift = bits.saturating_sub(53);
    let mut mantissa = (shift..bits).rev().fold(0u64, |m, i| (m << 1) | u64::from(bit(i)));
    if shift > 0 {
        let half = bit(shift - 1);
        let sticky = (0..shift - 1).any(bit);
        if half && (sticky || mantissa & 1 == 1) {
            mantissa += 1;
        }
    }
    // mantissa × 2^shift, exactly (mantissa < 2^54, shift ≤ 971).
    let mut f = mantissa as f64;
    for _ in 0..shift {
        f *= 2.0;
    }
    f
}

#[derive(Debug, Clone, Copy)]
enum Fail {
    Syntax,
    Eof,
    Repeated,
}

/// What failed, and where (the number of bytes read, as serde_json counts columns).
type Failure = (Fail, usize);

/// Nesting this deep is refused (serde_json's limit: 127 arrays or objects in one another).
const MAX_DEPTH: u32 = 128;

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    depth: u32,
}

impl Reader<'_> {
    /// A failure at the next byte, or at the end when there is none.
    fn fail(&self, fail: Fail) -> Failure {
        match self.peek() {
            Some(_) => (fail, self.at + 1),
            None => (Fail::Eof, self.at),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.at += 1;
        Some(b)
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Result<(), Failure> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.fail(Fail::Syntax))
        }
    }

    fn value(&mut self) -> Result<Value, Failure> {
        self.skip_space();
        match self.peek() {
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.word(b"true", Value::Bool(true)),
            Some(b'f') => self.word(b"false", Value::Bool(false)),
            Some(b'n') => self.word(b"null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.fail(Fail::Syntax)),
        }
    }

    fn nested(&mut self, read: fn(&mut Self) -> Result<Value, Failure>) -> Result<Value, Failure> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return Err(self.fail(Fail::Syntax));
        }
        self.at += 1;
        let value = read(self);
        self.depth -= 1;
        value
    }

    fn word(&mut self, word: &[u8], value: Value) -> Result<Value, Failure> {
        for &b in word {
            match self.next() {
                Some(found) if found == b => {}
                Some(_) => return Err((Fail::Syntax, self.at)),
                None => return Err((Fail::Eof, self.at)),
            }
        }
        Ok(value)
    }

    /// After `[`.
    fn array(&mut self) -> Result<Value, Failure> {
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.fail(Fail::Syntax)),
            }
        }
    }

    /// After `{`.
    fn object(&mut self) -> Result<Value, Failure> {
        let mut object = Map::new();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(object));
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(self.fail(Fail::Syntax));
            }
            let name = self.string()?;
            self.skip_space();
            self.expect(b':')?;
            let value = self.value()?;
            self.skip_space();
            if object.insert(name, value).is_some() {
                return Err((Fail::Repeated, self.at + 1));
            }
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(object));
                }
                _ => return Err(self.fail(Fail::Syntax)),
            }
        }
    }

    /// At `"`: the string, unescaped.
    fn string(&mut self) -> Result<String, Failure> {
        self.at += 1;
        let mut out = Vec::new();
        loop {
            let start = self.at;
            while matches!(self.peek(), Some(b) if b != b'"' && b != b'\\' && b >= 0x20) {
                self.at += 1;
            }
            let chunk = self.bytes.get(start..self.at).unwrap_or_default();
            std::str::from_utf8(chunk).map_err(|e| (Fail::Syntax, start + e.valid_up_to() + 1))?;
            out.extend_from_slice(chunk);
            match self.next() {
                Some(b'"') => return String::from_utf8(out).map_err(|_| (Fail::Syntax, self.at)),
                Some(b'\\') => self.escape(&mut out)?,
                Some(_) => return Err((Fail::Syntax, self.at)),
                None => return Err((Fail::Eof, self.at)),
            }
        }
    }

    /// After `\`.
    fn escape(&mut self, out: &mut Vec<u8>) -> Result<(), Failure> {
        let byte = match self.next() {
            None => return Err((Fail::Eof, self.at)),
            Some(b'"') => b'"',
            Some(b'\\') => b'\\',
            Some(b'/') => b'/',
            Some(b'b') => 8,
            Some(b'f') => 12,
            Some(b'n') => b'\n',
            Some(b'r') => b'\r',
            Some(b't') => b'\t',
            Some(b'u') => {
                let mut code = u32::from(self.hex4()?);
                if (0xDC00..0xE000).contains(&code) {
                    return Err((Fail::Syntax, self.at));
                }
                if (0xD800..0xDC00).contains(&code) {
                    // A leading surrogate must be followed by `\u` and a trailing one.
                    for b in [b'\\', b'u'] {
                        match self.next() {
                            Some(found) if found == b => {}
                            Some(_) => return Err((Fail::Syntax, self.at)),
                            None => return Err((Fail::Eof, self.at)),
                        }
                    }
                    let low = u32::from(self.hex4()?);
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err((Fail::Syntax, self.at));
                    }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                }
                let c = char::from_u32(code).ok_or((Fail::Syntax, self.at))?;
                out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                return Ok(());
            }
            Some(_) => return Err((Fail::Syntax, self.at)),
        };
        out.push(byte);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u16, Failure> {
        let Some(hex) = self.bytes.get(self.at..self.at + 4) else {
            self.at = self.bytes.len();
            return Err((Fail::Eof, self.at));
        };
        self.at += 4;
        let mut value = 0u16;
        for &b in hex {
            let digit = char::from(b).to_digit(16).ok_or((Fail::Syntax, self.at))?;
            value = (value << 4) | u16::try_from(digit).unwrap_or_default();
        }
        Ok(value)
    }

    /// A number (RFC 8259 §6), to the value serde_json reads (without its `float_roundtrip`
    /// feature): integers as `u64` or `i64` when they fit (`-0` is a float); otherwise up to 19
    /// significant digits (further ones are dropped) scaled by the correctly rounded power of
    /// ten, so floats come out bit for bit the same; out of range is an error. In the browser
    /// the browser reads the floats (`parseFloat`, correctly rounded: the nearest float, where
    /// serde_json's scaling can be one off in the last bit), and the module carries no scaling.
    fn number(&mut self) -> Result<Value, Failure> {
        let start = self.at;
        let positive = self.peek() != Some(b'-');
        if !positive {
            self.at += 1;
        }
        let mut significand = 0u64;
        let mut exponent = 0i32;
        // Digits past what a u64 holds: dropped, counted in the exponent while before the point.
        let mut dropping = false;
        match self.next() {
            None => return Err((Fail::Eof, self.at)),
            Some(b'0') if matches!(self.peek(), Some(b'0'..=b'9')) => return Err(self.fail(Fail::Syntax)),
            Some(b'0') => {}
            Some(first @ b'1'..=b'9') => {
                significand = u64::from(first - b'0');
                while let Some(c @ b'0'..=b'9') = self.peek() {
                    self.at += 1;
                    let digit = u64::from(c - b'0');
                    dropping = dropping || significand > (u64::MAX - digit) / 10;
                    if dropping {
                        exponent = exponent.saturating_add(1);
                    } else {
                        significand = significand * 10 + digit;
                    }
                }
            }
            Some(_) => return Err((Fail::Syntax, self.at)),
        }
        let mut float = dropping;
        if self.peek() == Some(b'.') {
            self.at += 1;
            float = true;
            let mut digits = false;
            let mut full = false;
            while let Some(c @ b'0'..=b'9') = self.peek() {
                let digit = u64::from(c - b'0');
                full = full || significand > (u64::MAX - digit) / 10;
                self.at += 1;
                digits = true;
                if !full {
                    significand = significand * 10 + digit;
                    exponent = exponent.saturating_sub(1);
                }
            }
            if !digits {
                return Err(self.fail(Fail::Syntax));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            float = true;
            let positive_exp = match self.peek() {
                Some(b'-') => false,
                Some(b'+') => true,
                _ => {
                    self.at -= 1;
                    true
                }
            };
            self.at += 1;
            let mut exp = match self.next() {
                None => return Err((Fail::Eof, self.at)),
                Some(c @ b'0'..=b'9') => i32::from(c - b'0'),
                Some(_) => return Err((Fail::Syntax, self.at)),
            };
            while let Some(c @ b'0'..=b'9') = self.peek() {
                self.at += 1;
                let digit = i32::from(c - b'0');
                if exp > (i32::MAX - digit) / 10 {
                    // An exponent past i32: infinity is an error, zero is zero.
                    if significand != 0 && positive_exp {
                        return Err((Fail::Syntax, self.at));
                    }
                    self.skip_digits();
                    return Ok(float_value(if positive { 0.0 } else { -0.0 }));
                }
                exp = exp * 10 + digit;
            }
            exponent = if positive_exp { exponent.saturating_add(exp) } else { exponent.saturating_sub(exp) };
        }
        if !float {
            if positive {
                return Ok(Value::Number(significand.into()));
            }
            return Ok(match 0i64.checked_sub_unsigned(significand) {
                Some(n) if n < 0 => Value::Number(n.into()),
                _ => float_value(-(significand as f64)),
            });
        }
        self.float(start, positive, significand, exponent)
    }

    /// In the browser, the browser reads the number's text (`parseFloat`, correctly rounded);
    /// the module carries no scaling.
    #[cfg(target_arch = "wasm32")]
    fn float(&self, start: usize, _positive: bool, _significand: u64, _exponent: i32) -> Result<Value, Failure> {
        let text = self.bytes.get(start..self.at).and_then(|b| std::str::from_utf8(b).ok()).unwrap_or_default();
        let f = crate::adapters::numbers::parse(text);
        // Out of range (infinite); NaN cannot come from a checked number, but is refused too.
        if !f.is_finite() {
            return Err((Fail::Syntax, self.at));
        }
        Ok(float_value(f))
    }

    /// Natively, serde_json's scaling: one multiplication or division by a power of ten (past
    /// 10^308, divisions by 1e308 first), so the native tests match serde_json bit for bit.
    #[cfg(not(target_arch = "wasm32"))]
    fn float(&self, _start: usize, positive: bool, significand: u64, mut exponent: i32) -> Result<Value, Failure> {
        let mut f = significand as f64;
        loop {
            let scale = exponent.unsigned_abs();
            if scale <= 308 {
                if exponent >= 0 {
                    f *= pow10(scale);
                    if f.is_infinite() {
                        return Err((Fail::Syntax, self.at));
                    }
                } else {
                    f /= pow10(scale);
                }
                break;
            }
            if f == 0.0 {
                break;
            }
            if exponent >= 0 {
                return Err((Fail::Syntax, self.at));
            }
            f /= pow10(308);
            exponent += 308;
        }
        Ok(float_value(if positive { f } else { -f }))
    }

    fn skip_digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
    }

}

/// `value` as compact JSON text, exactly as serde_json writes it (`Value`'s `Display`), without
/// its `Serialize` machinery: the wallet's one JSON writer.
pub fn write(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, None);
    out
}

/// `value` as JSON indented by two spaces, as `serde_json::to_string_pretty` writes it.
pub fn write_pretty(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, Some(0));
    out
}

/// Writes `value`; `indent` is the nesting depth when pretty-printing.
fn write_value(out: &mut String, value: &Value, indent: Option<usize>) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&number_text(n)),
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                next_member(out, i, indent);
                write_value(out, item, indent.map(|d| d + 1));
            }
            close(out, ']', items.is_empty(), indent);
        }
        Value::Object(members) => {
            out.push('{');
            for (i, (name, item)) in members.iter().enumerate() {
                next_member(out, i, indent);
                write_string(out, name);
                out.push_str(if indent.is_some() { ": " } else { ":" });
                write_value(out, item, indent.map(|d| d + 1));
            }
            close(out, '}', members.is_empty(), indent);
        }
    }
}

/// Before the `i`th member of an array or object at depth `indent`.
fn next_member(out: &mut String, i: usize, indent: Option<usize>) {
    if i > 0 {
        out.push(',');
    }
    if let Some(depth) = indent {
        out.push('\n');
        push_indent(out, depth + 1);
    }
}

fn close(out: &mut String, bracket: char, empty: bool, indent: Option<usize>) {
    if let (Some(depth), false) = (indent, empty) {
        out.push('\n');
        push_indent(out, depth);
    }
    out.push(bracket);
}

fn push_indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// A JSON string: `"` and `\` escaped, control characters as `\n`-style or `\u00xx` escapes.
fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c < ' ' => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                for nibble in [u32::from(c) >> 4, u32::from(c) & 15] {
                    out.push(char::from(HEX.get(nibble as usize).copied().unwrap_or(b'0')));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A JSON object of `members`, for the documents the wallet writes. Unlike `json!`, which
/// serialises each value through its own `Serialize` instantiation, values are built with
/// `Value::from` and the object once here. A later member of the same name replaces an earlier
/// one, as in `json!`.
pub fn object(members: &mut [(&str, Value)]) -> Value {
    let mut object = Map::new();
    for (name, value) in members.iter_mut() {
        object.insert((*name).to_owned(), std::mem::take(value));
    }
    Value::Object(object)
}

fn wrong_type(key: &str, expected: &str, found: &Value) -> String {
    format!("\"{key}\" is {}, not {expected}", json_kind(found))
}

/// An optional member, `None` when missing or `null`.
fn optional<'a>(object: &'a Object, key: &str) -> Option<&'a Value> {
    object.get(key).filter(|v| !v.is_null())
}

/// An optional string member.
pub fn opt_str<'a>(object: &'a Object, key: &str) -> Result<Option<&'a str>, String> {
    match optional(object, key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(wrong_type(key, "a string", other)),
    }
}

/// An optional string member, owned.
pub fn opt_string(object: &Object, key: &str) -> Result<Option<String>, String> {
    opt_str(object, key).map(|s| s.map(str::to_owned))
}

/// A required string member.
pub fn string(object: &Object, key: &str) -> Result<String, String> {
    opt_string(object, key)?.ok_or_else(|| format!("\"{key}\" is missing"))
}

/// A list of strings that defaults to empty when the member is missing.
pub fn strings(object: &Object, key: &str) -> Result<Vec<String>, String> {
    match object.get(key) {
        None => Ok(Vec::new()),
        Some(value) => string_list(key, value),
    }
}

/// A list of strings.
pub fn string_list(key: &str, value: &Value) -> Result<Vec<String>, String> {
    let Value::Array(items) = value else { return Err(wrong_type(key, "an array", value)) };
    items
        .iter()
        .map(|item| match item {
            Value::String(s) => Ok(s.clone()),
            other => Err(wrong_type(key, "a list of strings", other)),
        })
        .try_vec()
}

/// An optional non-negative integer member.
pub fn opt_u64(object: &Object, key: &str) -> Result<Option<u64>, String> {
    match optional(object, key) {
        None => Ok(None),
        Some(value) => value.as_u64().map(Some).ok_or_else(|| wrong_type(key, "a non-negative integer", value)),
    }
}

/// An integer member (required).
pub fn int(object: &Object, key: &str) -> Result<i64, String> {
    match object.get(key) {
        None => Err(format!("\"{key}\" is missing")),
        Some(value) => value.as_i64().ok_or_else(|| wrong_type(key, "an integer", value)),
    }
}

/// A flag that defaults to `false` when the member is missing.
pub fn flag(object: &Object, key: &str) -> Result<bool, String> {
    match object.get(key) {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(wrong_type(key, "a boolean", other)),
    }
}

/// An optional object member.
pub fn opt_object<'a>(object: &'a Object, key: &str) -> Result<Option<&'a Object>, String> {
    match optional(object, key) {
        None => Ok(None),
        Some(Value::Object(o)) => Ok(Some(o)),
        Some(other) => Err(wrong_type(key, "an object", other)),
    }
}

/// An optional array member.
pub fn opt_array<'a>(object: &'a Object, key: &str) -> Result<Option<&'a Vec<Value>>, String> {
    match optional(object, key) {
        None => Ok(None),
        Some(Value::Array(a)) => Ok(Some(a)),
        Some(other) => Err(wrong_type(key, "an array", other)),
    }
}

/// An object value (e.g. an entry of a map of objects).
pub fn as_object<'a>(key: &str, value: &'a Value) -> Result<&'a Object, String> {
    value.as_object().ok_or_else(|| wrong_type(key, "an object", value))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn object(value: Value) -> Object {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn optional_members_are_absent_when_missing_or_null_and_wrong_types_are_errors() {
        let o = object(json!({"s": "x", "n": null, "i": 7, "b": true, "a": ["p", "q"], "o": {}, "neg": -1, "f": 1.5}));
        assert_eq!(opt_str(&o, "s"), Ok(Some("x")));
        assert_eq!(opt_str(&o, "n"), Ok(None));
        assert_eq!(opt_str(&o, "missing"), Ok(None));
        assert!(opt_str(&o, "i").is_err());
        assert_eq!(string(&o, "s"), Ok("x".to_owned()));
        assert!(string(&o, "n").is_err() && string(&o, "missing").is_err());
        assert_eq!(strings(&o, "a"), Ok(vec!["p".to_owned(), "q".to_owned()]));
        assert_eq!(strings(&o, "missing"), Ok(vec![]));
        assert!(strings(&o, "n").is_err() && strings(&o, "s").is_err());
        assert!(strings(&object(json!({"a": ["p", 1]})), "a").is_err());
        assert_eq!(opt_u64(&o, "i"), Ok(Some(7)));
        assert_eq!(opt_u64(&o, "n"), Ok(None));
        assert!(opt_u64(&o, "neg").is_err() && opt_u64(&o, "f").is_err() && opt_u64(&o, "s").is_err());
        assert_eq!(int(&o, "neg"), Ok(-1));
        assert!(int(&o, "missing").is_err() && int(&o, "f").is_err());
        assert_eq!(flag(&o, "b"), Ok(true));
        assert_eq!(flag(&o, "missing"), Ok(false));
        assert!(flag(&o, "n").is_err() && flag(&o, "i").is_err());
        assert!(opt_object(&o, "o").unwrap().is_some());
        assert_eq!(opt_object(&o, "n"), Ok(None));
        assert!(opt_object(&o, "a").is_err());
        assert_eq!(opt_array(&o, "a").unwrap().map(Vec::len), Some(2));
        assert!(opt_array(&o, "o").is_err());
    }

    #[test]
    fn objects_are_built_like_json_macro_ones() {
        let built = super::object(&mut [
            ("b", Value::from(1)),
            ("a", Value::from(vec!["x", "y"])),
            ("c", super::object(&mut [("d", Value::Null)])),
        ]);
        assert_eq!(built, json!({"a": ["x", "y"], "b": 1, "c": {"d": null}}));
        assert_eq!(built.to_string(), r#"{"a":["x","y"],"b":1,"c":{"d":null}}"#);
    }

    /// What serde_json says of `text`: the value, or its error in the words of [`parse`].
    fn serde_json_reads(text: &[u8]) -> Result<Value, String> {
        use serde_json::error::Category;
        serde_json::from_slice::<Value>(text).map_err(|e| {
            let what = match e.classify() {
                Category::Eof => "JSON cut short",
                _ => "not JSON",
            };
            format!("{what} at line {}, column {}", e.line(), e.column())
        })
    }

    #[test]
    fn reads_what_serde_json_reads() {
        let cases: &[&[u8]] = &[
            b"{}", b"[]", b" [ 1 , 2 ] ", b"\"x\"", b"true", b"false", b"null", b"0", b"-0", b"-0.0", b"1.5",
            b"-1", b"12345678901234567890", b"18446744073709551615", b"18446744073709551616", b"-9223372036854775808",
            b"-9223372036854775809", b"1e2", b"1E+2", b"1e-2", b"1.25e-300", b"1e400", b"-1e400", b"1e-400",
            b"0.1", b"123456789012345678901234567890.5", b"2.2250738585072014e-308", b"01", b"1.", b".5", b"1e",
            b"1e+", b"-", b"--1", b"+1", b"1x", b"[1,]", b"[,1]", b"{\"a\":1,}", b"{\"a\" 1}", b"{a:1}",
            b"\"\\u00e9\\ud83d\\ude00\\n\\/\\b\\f\\r\\t\\\"\"", b"\"\\ud83d\"", b"\"\\ude00\"",
            b"\"\\ud83dx\"", b"\"\\ud83d\\u0041\"", b"\"\\u00\"", b"\"\\x\"", b"\"a\tb\"", b"\"\xff\"",
            b"\"\xc3\xa9\"", b"tru", b"trux", b"nul", b"[1 2]", b"{\"a\":{\"b\":[{}]}}", b"[", b"{", b"\"abc",
            b"", b" ", b"\n\n  [1,\n x]", b"[1] [2]", b"[1]  ", b"\xef\xbb\xbf[]",
        ];
        for &text in cases {
            assert_eq!(parse(text), serde_json_reads(text), "{}", String::from_utf8_lossy(text));
        }
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(parse(deep(127).as_bytes()).is_ok() && serde_json_reads(deep(127).as_bytes()).is_ok());
        assert_eq!(parse(deep(128).as_bytes()), serde_json_reads(deep(128).as_bytes()));
        assert_eq!(parse(deep(5000).as_bytes()), serde_json_reads(deep(5000).as_bytes()));
    }

    #[test]
    fn reads_numbers_bit_for_bit_as_serde_json_does() {
        for n in 0..=308 {
            assert_eq!(pow10(n), format!("1e{n}").parse::<f64>().unwrap(), "10^{n}");
        }
        let mut rng = crate::core::testing::Xorshift(0x6a09_e667_f3bc_c909);
        let mut next = |n: u64| rng.below(n as usize) as u64;
        for _ in 0..100_000 {
            let mut text = String::new();
            if next(3) == 0 {
                text.push('-');
            }
            let digits = |text: &mut String, count: u64, next: &mut dyn FnMut(u64) -> u64| {
                for _ in 0..count {
                    text.push(char::from(b'0' + next(10) as u8));
                }
            };
            match next(4) {
                0 => text.push('0'),
                _ => {
                    text.push(char::from(b'1' + next(9) as u8));
                    let count = next(25);
                    digits(&mut text, count, &mut next);
                }
            }
            if next(2) == 0 {
                text.push('.');
                let count = 1 + next(25);
                digits(&mut text, count, &mut next);
            }
            if next(2) == 0 {
                text.push(['e', 'E'][next(2) as usize]);
                text.push_str(["", "+", "-"][next(3) as usize]);
                let exp = [next(10), next(30), next(400), 290 + next(50), next(12_000_000_000)][next(5) as usize];
                text.push_str(&exp.to_string());
            }
            let (ours, theirs) = (parse(text.as_bytes()), serde_json_reads(text.as_bytes()));
            assert_eq!(ours, theirs, "{text}");
            if let Ok(value) = &ours {
                assert_eq!(write(value), value.to_string(), "{text}");
            }
            assert_eq!(ours.map(|v| v.to_string()), theirs.map(|v| v.to_string()), "{text}");
        }
    }

    #[test]
    fn reads_random_texts_as_serde_json_does() {
        const PIECES: &[&str] = &[
            "{", "}", "[", "]", ",", ":", " ", "\n", "\"", "\"a\"", "\"b\"", "\\", "\\u", "d83d", "\\ude00", "00e9", "0", "1",
            "-", ".", "e", "E", "+", "9", "18446744073709551616", "true", "null", "fals", "x", "\u{e9}", "\t",
        ];
        let mut rng = crate::core::testing::Xorshift(0x2545_f491_4f6c_dd1d);
        let mut next = |n: usize| rng.below(n);
        for _ in 0..50_000 {
            let text: String = (0..1 + next(12)).map(|_| PIECES[next(PIECES.len())]).collect();
            let ours = parse(text.as_bytes());
            if ours.as_ref().is_err_and(|e| e.starts_with("a member name is repeated")) {
                continue;
            }
            let theirs = serde_json_reads(text.as_bytes());
            // Where a number is out of range is told at its end (serde_json: where it noticed).
            let what = |r: &Result<Value, String>| r.clone().map_err(|e| e.split(" at ").next().map(str::to_owned));
            if what(&ours) != what(&theirs) || !text.contains(['e', 'E']) {
                assert_eq!(ours, theirs, "{text:?}");
            }
        }
    }

    #[test]
    fn writes_what_serde_json_writes() {
        let values = [
            json!(null),
            json!([]),
            json!({}),
            json!({"b": [1, -2, 3.5, 1e300, -0.0, 18446744073709551615u64, "x\u{e9}\"\\/\n\r\t\u{8}\u{c}\u{1}\u{1f}\u{7f}"],
                   "a": {"c": {}, "d": [], "e": [[1], {"f": null}]}, "g": true, "h": false, "": ""}),
            json!("\u{2028}😀"),
            json!(0.1),
            json!(1e21),
            json!(123456789.0),
        ];
        for value in values {
            assert_eq!(write(&value), value.to_string());
            assert_eq!(write_pretty(&value), serde_json::to_string_pretty(&value).unwrap());
        }
    }

    #[test]
    fn documents_must_be_json_objects() {
        assert!(parse_object(br#"{"a": 1}"#).is_ok());
        assert!(parse_object(b"[1]").is_err());
        assert!(parse_object(b"not json").is_err());
        assert!(parse_object(br#"{"a": 1} x"#).is_err());
        assert_eq!(parse_object(br#"{"a": 1, "a": 1}"#), Err("a member name is repeated at line 1, column 16".to_owned()));
        assert_eq!(parse_object(b"{").unwrap_err(), "JSON cut short at line 1, column 1");
        assert_eq!(parse_object(b"<html>").unwrap_err(), "not JSON at line 1, column 1");
        assert!(parse_object(br#"{"a": {"b": [{"c": 1, "c": 2}]}}"#).is_err());
        let text = br#"{"a": [1, -2, 3.5, 1e300, "x\u00e9", true, null, {}], "b": {"c": 18446744073709551615}}"#;
        assert_eq!(Value::Object(parse_object(text).unwrap()), serde_json::from_slice::<Value>(text).unwrap());
    }
}
