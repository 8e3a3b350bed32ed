//! Reading the JSON documents peers send, member by member, without derived deserializers.
//!
//! A `#[derive(Deserialize)]` struct compiles to its own visitor for every input it is read from
//! (several KB of WebAssembly each). The wallet instead parses a document once into a
//! [`serde_json::Value`] (one parser for every document) and reads the members it needs with
//! these functions, which keep the rules the derived code had:
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

use std::fmt;

use serde::de::{Deserialize, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::error::Category;
use serde_json::{Map, Number, Value};

use super::collections::TryCollect;
use super::credential::json_kind;

/// A JSON object.
pub type Object = Map<String, Value>;

/// Parses `bytes` as JSON whose top level is an object, refusing repeated member names.
pub fn parse_object(bytes: &[u8]) -> Result<Object, String> {
    match serde_json::from_slice::<Strict>(bytes).map(|s| s.0) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(other) => Err(format!("expected a JSON object, found {}", json_kind(&other))),
        Err(e) => Err(not_json(&e)),
    }
}

/// Parses `bytes` as any JSON value (e.g. an array), refusing repeated member names.
pub fn parse_value(bytes: &[u8]) -> Result<Value, String> {
    serde_json::from_slice::<Strict>(bytes).map(|s| s.0).map_err(|e| not_json(&e))
}

/// What was wrong with a document that is not JSON, for developers. Not serde_json's `Display`,
/// whose messages (and those of `std::io::Error` it may wrap) weigh ~2 KB in the engine.
fn not_json(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        Category::Syntax => "not JSON",
        Category::Eof => "JSON cut short",
        // The only data error the strict reader raises.
        Category::Data => "a member name is repeated",
        Category::Io => "unreadable",
    };
    format!("{what} at line {}, column {}", e.line(), e.column())
}

/// A JSON value read like `serde_json::Value` reads one, except that an object with a repeated
/// member name is an error.
struct Strict(Value);

impl<'de> Deserialize<'de> for Strict {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut object = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let Strict(value) = map.next_value()?;
            if object.insert(key, value).is_some() {
                return Err(A::Error::custom("a member name is repeated"));
            }
        }
        Ok(Value::Object(object))
    }
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
