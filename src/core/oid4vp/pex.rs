//! DIF Presentation Exchange 2.0 `presentation_definition`s (OpenID4VP drafts ≤ 24), for JWT
//! credentials: input descriptors with `constraints.fields`, `format` designations,
//! `limit_disclosure`, `group` and simple `submission_requirements` (`all` / `pick` from a group).
//!
//! Field paths are a JSONPath subset (`$`, `.name`, `['name']`, `[n]`, `[*]`, `.*`, `..name`),
//! evaluated on the decoded JWT payload (`$.vc.type`) and, when that finds nothing, on the W3C
//! credential itself (`$.type`, `$.credentialSubject.x`), the two ways definitions are written.
//! Filters are a JSON Schema subset: `type`, `const`, `enum`, `pattern`, `contains`, `items`,
//! `properties`, `required`, `minimum`/`maximum`, `minLength`/`maxLength`, `minItems`, `not`,
//! `allOf`, `anyOf`, `oneOf`; other keywords are ignored, as JSON Schema ignores unknown ones.

use crate::core::quote::quoted;
use crate::core::collections::{has_duplicates, TryCollect};

use serde_json::{Map, Value};

use super::kind;
use super::query::{a_credential, Candidate, CandidateMatch, QueryError, QueryMatch};
use crate::core::encoding::b64url_decode;
use crate::core::json;

const MAX_DESCRIPTORS: usize = 64;
const MAX_FIELDS: usize = 64;
const MAX_PATHS: usize = 16;
const MAX_PATH_LEN: usize = 512;
const MAX_SCHEMA_DEPTH: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresentationDefinition {
    id: String,
    name: Option<String>,
    purpose: Option<String>,
    format: Option<Map<String, Value>>,
    descriptors: Vec<InputDescriptor>,
    requirements: Vec<Requirement>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct InputDescriptor {
    id: String,
    name: Option<String>,
    groups: Vec<String>,
    format: Option<Map<String, Value>>,
    fields: Vec<Field>,
    limit_disclosure: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Field {
    paths: Vec<(String, Vec<Segment>)>,
    filter: Option<Value>,
    optional: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Child(String),
    Index(usize),
    Wildcard,
    Descendant(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Requirement {
    from: String,
    /// `None` for `rule: all`; otherwise the least number to pick.
    pick_at_least: Option<usize>,
}

fn bad(message: impl Into<String>) -> QueryError {
    QueryError::PresentationDefinition(message.into())
}

fn text(map: &Map<String, Value>, key: &str, max: usize) -> Option<String> {
    map.get(key).and_then(Value::as_str).map(|s| s.chars().take(max).collect())
}

fn array<'v>(map: &'v Map<String, Value>, key: &str, max: usize) -> Result<&'v [Value], QueryError> {
    match map.get(key) {
        None => Ok(&[]),
        Some(Value::Array(items)) if items.len() <= max => Ok(items),
        Some(Value::Array(_)) => Err(bad(format!("{key} has more than {max} entries"))),
        Some(other) => Err(bad(format!("{key} is {}, not an array", kind(other)))),
    }
}

fn format_designation(map: &Map<String, Value>) -> Result<Option<Map<String, Value>>, QueryError> {
    match map.get("format") {
        None => Ok(None),
        Some(Value::Object(f)) => Ok(Some(f.clone())),
        Some(other) => Err(bad(format!("format is {}, not an object", kind(other)))),
    }
}

impl PresentationDefinition {
    pub fn parse(value: &Value) -> Result<Self, QueryError> {
        let Value::Object(def) = value else { return Err(bad(format!("is {}, not an object", kind(value)))) };
        let id = match def.get("id") {
            Some(Value::String(id)) if !id.is_empty() => id.chars().take(256).collect(),
            _ => return Err(bad("has no id")),
        };
        let list = array(def, "input_descriptors", MAX_DESCRIPTORS)?;
        if list.is_empty() {
            return Err(bad("has no input_descriptors: it asks for nothing"));
        }
        let descriptors: Vec<InputDescriptor> = list.iter().map(InputDescriptor::parse).try_vec()?;
        let ids: Vec<&str> = descriptors.iter().map(|d| d.id.as_str()).collect();
        if has_duplicates(&ids) {
            return Err(bad("input descriptor ids repeat"));
        }
        let requirements =
            array(def, "submission_requirements", 16)?.iter().map(Requirement::parse).try_vec()?;
        Ok(Self {
            id,
            name: text(def, "name", 200),
            purpose: text(def, "purpose", 500),
            format: format_designation(def)?,
            descriptors,
            requirements,
        })
    }

    /// The definition's `purpose`, else its `name` (unverified text from the verifier).
    pub fn purpose(&self) -> Option<&str> {
        self.purpose.as_deref().or(self.name.as_deref())
    }

    pub(crate) fn match_candidates(&self, candidates: &[Candidate<'_>]) -> Vec<QueryMatch> {
        self.descriptors
            .iter()
            .map(|d| QueryMatch {
                id: d.id.clone(),
                asked: d.asked(),
                required: self.is_required(d),
                multiple: false,
                requested_claims: d.fields.iter().filter_map(|f| f.paths.first()).map(|(p, _)| shown_path(p)).collect(),
                candidates: candidates.iter().filter(|c| self.matches(d, c)).map(CandidateMatch::of).collect(),
            })
            .collect()
    }

    fn is_required(&self, d: &InputDescriptor) -> bool {
        self.requirements.is_empty()
            || self.requirements.iter().any(|r| r.pick_at_least.is_none() && d.groups.contains(&r.from))
    }

    fn matches(&self, d: &InputDescriptor, candidate: &Candidate<'_>) -> bool {
        if !candidate.is_jwt_vc() || d.limit_disclosure {
            // A JWT credential cannot leave claims out.
            return false;
        }
        if let Some(format) = d.format.as_ref().or(self.format.as_ref()) {
            let jwt = ["jwt_vc_json", "jwt_vc"].iter().find_map(|name| format.get(*name));
            let Some(designation) = jwt else { return false };
            let algs = designation.get("alg").or_else(|| designation.get("alg_values")).and_then(Value::as_array);
            if let Some(algs) = algs {
                if !jwt_alg(candidate.jwt).is_some_and(|alg| algs.iter().any(|a| a.as_str() == Some(alg.as_str()))) {
                    return false;
                }
            }
        }
        d.fields.iter().all(|f| f.optional || f.matches(candidate))
    }

    /// Lower bounds only: every descriptor without requirements, `all` of a group, at least `count`
    /// or `min` of a group for `pick`.
    pub(crate) fn check_answered(&self, answered: &[&str]) -> Result<(), String> {
        if self.requirements.is_empty() {
            return match self.descriptors.iter().find(|d| !answered.contains(&d.id.as_str())) {
                Some(d) => Err(format!("nothing chosen for input descriptor {}", quoted(&d.id))),
                None => Ok(()),
            };
        }
        for r in &self.requirements {
            let group: Vec<&InputDescriptor> = self.descriptors.iter().filter(|d| d.groups.contains(&r.from)).collect();
            let have = group.iter().filter(|d| answered.contains(&d.id.as_str())).count();
            let need = r.pick_at_least.unwrap_or(group.len());
            if have < need || group.is_empty() {
                return Err(format!("group {} needs {need} credentials; {have} chosen", quoted(&r.from)));
            }
        }
        Ok(())
    }

    /// The `presentation_submission` for `entries` of (descriptor id, index of the VP in the
    /// `vp_token`, index of the credential in that VP). With one VP the token is the VP itself.
    pub(crate) fn submission(&self, submission_id: &str, entries: &[(String, usize, usize)], vp_count: usize) -> Value {
        let map: Vec<Value> = entries
            .iter()
            .map(|(id, vp, vc)| {
                let format = self.descriptors.iter().find(|d| &d.id == id).and_then(|d| d.format.as_ref()).or(self.format.as_ref());
                let (vp_format, vc_format) = format_names(format);
                json::object(&mut [
                    ("id", id.as_str().into()),
                    ("format", vp_format.into()),
                    ("path", (if vp_count == 1 { "$".to_owned() } else { format!("$[{vp}]") }).into()),
                    (
                        "path_nested",
                        json::object(&mut [
                            ("id", id.as_str().into()),
                            ("format", vc_format.into()),
                            ("path", format!("$.vp.verifiableCredential[{vc}]").into()),
                        ]),
                    ),
                ])
            })
            .collect();
        json::object(&mut [("id", submission_id.into()), ("definition_id", self.id.as_str().into()), ("descriptor_map", map.into())])
    }
}

/// The format names to declare: those the definition uses (`jwt_vp`/`jwt_vc` as DOME and the PE
/// registry name them, or `jwt_vp_json`/`jwt_vc_json`), else the registry's `jwt_vp`/`jwt_vc`.
fn format_names(format: Option<&Map<String, Value>>) -> (&'static str, &'static str) {
    let has = |name: &str| format.is_some_and(|f| f.contains_key(name));
    let vc = if has("jwt_vc_json") { "jwt_vc_json" } else { "jwt_vc" };
    let vp = if has("jwt_vp_json") || (!has("jwt_vp") && has("jwt_vc_json")) { "jwt_vp_json" } else { "jwt_vp" };
    (vp, vc)
}

/// The `alg` in a JWT's header.
fn jwt_alg(jwt: &str) -> Option<String> {
    let header = b64url_decode(jwt.split('.').next()?).ok()?;
    json::parse(&header).ok()?.get("alg")?.as_str().map(str::to_owned)
}

/// `$.vc.credentialSubject.email` → `credentialSubject.email`.
fn shown_path(path: &str) -> String {
    let p = path.trim_start_matches('$').trim_start_matches('.');
    p.strip_prefix("vc.").unwrap_or(p).chars().take(120).collect()
}

impl InputDescriptor {
    fn parse(value: &Value) -> Result<Self, QueryError> {
        let Value::Object(d) = value else { return Err(bad("an input descriptor is not an object")) };
        let id = match d.get("id") {
            Some(Value::String(id)) if !id.is_empty() => id.chars().take(256).collect(),
            _ => return Err(bad("an input descriptor has no id")),
        };
        let constraints = match d.get("constraints") {
            None => Map::new(),
            Some(Value::Object(c)) => c.clone(),
            Some(other) => return Err(bad(format!("constraints is {}, not an object", kind(other)))),
        };
        let fields = array(&constraints, "fields", MAX_FIELDS)?.iter().map(Field::parse).try_vec()?;
        let groups = array(d, "group", 16)?.iter().filter_map(Value::as_str).map(str::to_owned).collect();
        Ok(Self {
            id,
            name: text(d, "name", 200).or_else(|| text(d, "purpose", 200)),
            groups,
            format: format_designation(d)?,
            fields,
            limit_disclosure: constraints.get("limit_disclosure").and_then(Value::as_str) == Some("required"),
        })
    }

    fn asked(&self) -> String {
        let types: Vec<String> = self
            .fields
            .iter()
            .filter(|f| f.paths.iter().any(|(p, _)| p.ends_with("type")))
            .filter_map(|f| f.filter.as_ref())
            .flat_map(named_values)
            .collect();
        match (&self.name, types.is_empty()) {
            (_, false) => a_credential(&types),
            (Some(name), true) => format!("“{name}”"),
            (None, true) => format!("a credential for “{}”", self.id),
        }
    }
}

/// The strings a type filter names: `const`, `enum`, or inside `contains`.
fn named_values(filter: &Value) -> Vec<String> {
    let strings = |v: Option<&Value>| -> Vec<String> {
        match v {
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
            _ => Vec::new(),
        }
    };
    let mut out = strings(filter.get("const"));
    out.extend(strings(filter.get("enum")));
    if let Some(inner) = filter.get("contains") {
        out.extend(named_values(inner));
    }
    out
}

impl Field {
    fn parse(value: &Value) -> Result<Self, QueryError> {
        let Value::Object(f) = value else { return Err(bad("a field is not an object")) };
        let list = array(f, "path", MAX_PATHS)?;
        if list.is_empty() {
            return Err(bad("a field has no path"));
        }
        let paths = list
            .iter()
            .map(|p| {
                let p = p.as_str().ok_or_else(|| bad("a field path is not a string"))?;
                Ok((
                    p.to_owned(),
                    parse_path(p).map_err(|e| {
                        QueryError::Unsupported(format!("JSONPath {}: {e}", quoted(&p.chars().take(80).collect::<String>())))
                    })?,
                ))
            })
            .try_vec()?;
        let filter = f.get("filter").cloned();
        if let Some(filter) = &filter {
            check_schema(filter, 0).map_err(QueryError::Unsupported)?;
        }
        Ok(Self { paths, filter, optional: f.get("optional").and_then(Value::as_bool).unwrap_or(false) })
    }

    fn matches(&self, candidate: &Candidate<'_>) -> bool {
        let roots = [candidate.payload, candidate.credential()];
        self.paths.iter().any(|(_, path)| {
            // The payload first; the bare credential only when the payload has nothing there.
            let found =
                roots.iter().map(|root| evaluate(path, root)).find(|values| !values.is_empty()).unwrap_or_default();
            found.iter().any(|v| self.filter.as_ref().is_none_or(|f| validate(f, v, 0)))
        })
    }
}

impl Requirement {
    fn parse(value: &Value) -> Result<Self, QueryError> {
        let Value::Object(r) = value else { return Err(bad("a submission requirement is not an object")) };
        if r.contains_key("from_nested") {
            return Err(QueryError::Unsupported("nested submission requirements (from_nested)".into()));
        }
        let from = text(r, "from", 128).ok_or_else(|| bad("a submission requirement has no \"from\" group"))?;
        let number = |k: &str| r.get(k).and_then(Value::as_u64).and_then(|n| usize::try_from(n).ok());
        let pick_at_least = match r.get("rule").and_then(Value::as_str) {
            Some("all") => None,
            Some("pick") => Some(number("count").or_else(|| number("min")).unwrap_or(1)),
            _ => return Err(bad("a submission requirement's rule is neither \"all\" nor \"pick\"")),
        };
        Ok(Self { from, pick_at_least })
    }
}

/// Parses the JSONPath subset.
fn parse_path(path: &str) -> Result<Vec<Segment>, String> {
    if path.len() > MAX_PATH_LEN {
        return Err("too long".into());
    }
    let mut rest = path.strip_prefix('$').ok_or("does not start with $")?;
    let mut out = Vec::new();
    let name_end = |s: &str| s.find(['.', '[']).unwrap_or(s.len());
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("..") {
            let end = name_end(after);
            let name = after.get(..end).unwrap_or_default();
            if name.is_empty() || name == "*" {
                return Err("only ..name is supported for descent".into());
            }
            out.push(Segment::Descendant(name.to_owned()));
            rest = after.get(end..).unwrap_or_default();
        } else if let Some(after) = rest.strip_prefix('.') {
            let end = name_end(after);
            let name = after.get(..end).unwrap_or_default();
            out.push(match name {
                "" => return Err("empty name".into()),
                "*" => Segment::Wildcard,
                _ => Segment::Child(name.to_owned()),
            });
            rest = after.get(end..).unwrap_or_default();
        } else if let Some(after) = rest.strip_prefix('[') {
            let close = after.find(']').ok_or("unclosed [")?;
            let inner = after.get(..close).unwrap_or_default().trim();
            out.push(if inner == "*" {
                Segment::Wildcard
            } else if let Ok(i) = inner.parse::<usize>() {
                Segment::Index(i)
            } else if let Some(name) = inner
                .strip_prefix('\'')
                .and_then(|s| s.strip_suffix('\''))
                .or_else(|| inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
            {
                if name.contains(['\'', '"', '\\']) {
                    return Err("escaped quotes are not supported".into());
                }
                Segment::Child(name.to_owned())
            } else {
                return Err(format!("unsupported selector [{inner}]"));
            });
            rest = after.get(close + 1..).unwrap_or_default();
        } else {
            return Err("unexpected character".into());
        }
        if out.len() > 32 {
            return Err("too many segments".into());
        }
    }
    Ok(out)
}

fn evaluate<'v>(path: &[Segment], root: &'v Value) -> Vec<&'v Value> {
    fn descend<'v>(value: &'v Value, name: &str, depth: usize, out: &mut Vec<&'v Value>) {
        if depth > 32 || out.len() > 256 {
            return;
        }
        let children: Box<dyn Iterator<Item = &'v Value>> = match value {
            Value::Object(map) => {
                out.extend(map.get(name));
                Box::new(map.values())
            }
            Value::Array(items) => Box::new(items.iter()),
            _ => return,
        };
        for child in children {
            descend(child, name, depth + 1, out);
        }
    }
    let mut selected = vec![root];
    for segment in path {
        let mut next = Vec::new();
        for value in selected {
            match (segment, value) {
                (Segment::Child(name), Value::Object(map)) => next.extend(map.get(name)),
                (Segment::Index(i), Value::Array(items)) => next.extend(items.get(*i)),
                (Segment::Wildcard, Value::Array(items)) => next.extend(items),
                (Segment::Wildcard, Value::Object(map)) => next.extend(map.values()),
                (Segment::Descendant(name), v) => descend(v, name, 0, &mut next),
                _ => {}
            }
        }
        selected = next;
    }
    selected
}

/// Refuses, before any matching, filters the wallet cannot evaluate faithfully.
fn check_schema(schema: &Value, depth: usize) -> Result<(), String> {
    if depth > MAX_SCHEMA_DEPTH {
        return Err("the filter is nested too deeply".into());
    }
    let Value::Object(map) = schema else {
        return if schema.is_boolean() { Ok(()) } else { Err("a filter is not an object".into()) };
    };
    if let Some(pattern) = map.get("pattern") {
        let p = pattern.as_str().ok_or("pattern is not a string")?;
        Pattern::compile(p).map_err(|e| format!("pattern {}: {e}", quoted(&p.chars().take(80).collect::<String>())))?;
    }
    for key in ["contains", "items", "not"] {
        if let Some(inner) = map.get(key) {
            check_schema(inner, depth + 1)?;
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        for inner in map.get(key).and_then(Value::as_array).into_iter().flatten() {
            check_schema(inner, depth + 1)?;
        }
    }
    for inner in map.get("properties").and_then(Value::as_object).into_iter().flat_map(|p| p.values()) {
        check_schema(inner, depth + 1)?;
    }
    Ok(())
}

fn validate(schema: &Value, value: &Value, depth: usize) -> bool {
    let Value::Object(s) = schema else { return schema.as_bool().unwrap_or(false) };
    if depth > MAX_SCHEMA_DEPTH {
        return false;
    }
    let number = |k: &str| s.get(k).and_then(Value::as_f64);
    let checks: [&dyn Fn() -> bool; 14] = [
        &|| match s.get("type") {
            None => true,
            Some(Value::String(t)) => has_type(t, value),
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).any(|t| has_type(t, value)),
            Some(_) => false,
        },
        &|| s.get("const").is_none_or(|c| c == value),
        &|| s.get("enum").and_then(Value::as_array).is_none_or(|e| e.contains(value)),
        &|| match (s.get("pattern").and_then(Value::as_str), value.as_str()) {
            (Some(p), Some(v)) => Pattern::compile(p).is_ok_and(|p| p.is_match(v)),
            _ => true,
        },
        &|| {
            s.get("contains")
                .is_none_or(|c| value.as_array().is_some_and(|items| items.iter().any(|i| validate(c, i, depth + 1))))
        },
        &|| match (s.get("items"), value.as_array()) {
            (Some(item), Some(items)) if item.is_object() || item.is_boolean() => {
                items.iter().all(|i| validate(item, i, depth + 1))
            }
            _ => true,
        },
        &|| match (s.get("properties").and_then(Value::as_object), value.as_object()) {
            (Some(props), Some(obj)) => props.iter().all(|(k, p)| obj.get(k).is_none_or(|v| validate(p, v, depth + 1))),
            _ => true,
        },
        &|| match (s.get("required").and_then(Value::as_array), value.as_object()) {
            (Some(keys), Some(obj)) => keys.iter().filter_map(Value::as_str).all(|k| obj.contains_key(k)),
            _ => true,
        },
        &|| match value.as_f64() {
            Some(v) => number("minimum").is_none_or(|m| v >= m) && number("maximum").is_none_or(|m| v <= m),
            None => true,
        },
        &|| match value.as_str().map(|v| v.chars().count() as f64) {
            Some(n) => number("minLength").is_none_or(|m| n >= m) && number("maxLength").is_none_or(|m| n <= m),
            None => true,
        },
        &|| match value.as_array() {
            Some(items) => number("minItems").is_none_or(|m| items.len() as f64 >= m),
            None => true,
        },
        &|| s.get("not").is_none_or(|n| !validate(n, value, depth + 1)),
        &|| {
            s.get("allOf").and_then(Value::as_array).is_none_or(|all| all.iter().all(|x| validate(x, value, depth + 1)))
        },
        &|| {
            s.get("anyOf").and_then(Value::as_array).is_none_or(|any| any.iter().any(|x| validate(x, value, depth + 1)))
                && s.get("oneOf")
                    .and_then(Value::as_array)
                    .is_none_or(|one| one.iter().filter(|x| validate(x, value, depth + 1)).count() == 1)
        },
    ];
    checks.iter().all(|check| check())
}

fn has_type(name: &str, value: &Value) -> bool {
    match name {
        "string" => value.is_string(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64() || value.as_f64().is_some_and(|f| f.fract() == 0.0),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "null" => value.is_null(),
        _ => false,
    }
}

/// The regular expressions filters use in practice: literals, `.`, escapes (`\d \w \s` and
/// escaped punctuation), classes `[a-z0-9_]` and `[^…]`, quantifiers `* + ?`, anchors `^ $`, and
/// `|` between whole alternatives. Unanchored, as JSON Schema patterns are. Groups and counted
/// repetition are refused when the definition is read.
#[derive(Debug)]
struct Pattern {
    alternatives: Vec<Branch>,
}

#[derive(Debug)]
struct Branch {
    anchored_start: bool,
    anchored_end: bool,
    items: Vec<(Atom, Repeat)>,
}

#[derive(Debug)]
enum Atom {
    Char(char),
    Any,
    Class { negated: bool, ranges: Vec<(char, char)> },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repeat {
    One,
    ZeroOrOne,
    ZeroOrMore,
    OneOrMore,
}

impl Pattern {
    fn compile(pattern: &str) -> Result<Self, String> {
        if pattern.len() > 256 {
            return Err("too long".into());
        }
        let alternatives = pattern.split('|').map(Branch::compile).try_vec()?;
        Ok(Self { alternatives })
    }

    fn is_match(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().take(4096).collect();
        let mut budget = 100_000;
        self.alternatives.iter().any(|b| {
            let starts = if b.anchored_start { 0..=0 } else { 0..=chars.len() };
            starts.into_iter().any(|start| b.match_at(&b.items, chars.get(start..).unwrap_or_default(), &mut budget))
        })
    }
}

impl Branch {
    fn compile(source: &str) -> Result<Self, String> {
        let mut chars = source.chars().peekable();
        let anchored_start = chars.next_if_eq(&'^').is_some();
        let mut items: Vec<(Atom, Repeat)> = Vec::new();
        let mut anchored_end = false;
        while let Some(c) = chars.next() {
            if anchored_end {
                return Err("$ before the end".into());
            }
            let atom = match c {
                '$' => {
                    anchored_end = true;
                    continue;
                }
                '.' => Atom::Any,
                '\\' => escape(chars.next().ok_or("trailing \\")?)?,
                '[' => {
                    let negated = chars.next_if_eq(&'^').is_some();
                    let mut ranges = Vec::new();
                    loop {
                        let c = match chars.next().ok_or("unclosed [")? {
                            ']' if !ranges.is_empty() => break,
                            '\\' => match escape(chars.next().ok_or("trailing \\")?)? {
                                Atom::Char(c) => c,
                                Atom::Class { ranges: r, negated: false } => {
                                    ranges.extend(r);
                                    continue;
                                }
                                _ => return Err("unsupported escape in a class".into()),
                            },
                            c => c,
                        };
                        if chars.next_if_eq(&'-').is_some() {
                            match chars.next().ok_or("unclosed [")? {
                                ']' => {
                                    ranges.extend([(c, c), ('-', '-')]);
                                    break;
                                }
                                end => ranges.push((c, end)),
                            }
                        } else {
                            ranges.push((c, c));
                        }
                    }
                    Atom::Class { negated, ranges }
                }
                '(' | ')' | '{' | '}' => return Err(format!("'{c}' (groups and counted repetition) is not supported")),
                '*' | '+' | '?' => return Err("a quantifier with nothing before it".into()),
                c => Atom::Char(c),
            };
            let repeat = match chars.peek() {
                Some('*') => Repeat::ZeroOrMore,
                Some('+') => Repeat::OneOrMore,
                Some('?') => Repeat::ZeroOrOne,
                _ => Repeat::One,
            };
            if repeat != Repeat::One {
                chars.next();
                if matches!(chars.peek(), Some('*' | '+' | '?')) {
                    return Err("lazy or stacked quantifiers are not supported".into());
                }
            }
            items.push((atom, repeat));
        }
        Ok(Self { anchored_start, anchored_end, items })
    }

    /// Backtracking match of `items` at the start of `text`. `budget` bounds the work over the
    /// whole search, so a pathological pattern gives up instead of running for ever.
    fn match_at(&self, items: &[(Atom, Repeat)], text: &[char], budget: &mut usize) -> bool {
        if *budget == 0 {
            return false;
        }
        *budget -= 1;
        let Some(((atom, repeat), rest)) = items.split_first() else {
            return !self.anchored_end || text.is_empty();
        };
        let (least, most) = match repeat {
            Repeat::One => (1, 1),
            Repeat::ZeroOrOne => (0, 1),
            Repeat::ZeroOrMore => (0, usize::MAX),
            Repeat::OneOrMore => (1, usize::MAX),
        };
        let available = text.iter().take(most).take_while(|c| atom.matches(**c)).count();
        // Greedy: the longest run first.
        available >= least
            && (least..=available).rev().any(|n| self.match_at(rest, text.get(n..).unwrap_or_default(), budget))
    }
}

fn escape(c: char) -> Result<Atom, String> {
    let class = |ranges: &[(char, char)]| Atom::Class { negated: false, ranges: ranges.to_vec() };
    Ok(match c {
        'd' => class(&[('0', '9')]),
        'w' => class(&[('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')]),
        's' => class(&[(' ', ' '), ('\t', '\t'), ('\n', '\n'), ('\r', '\r')]),
        c if c.is_ascii_punctuation() => Atom::Char(c),
        c => return Err(format!("unsupported escape \\{c}")),
    })
}

impl Atom {
    fn matches(&self, c: char) -> bool {
        match self {
            Atom::Char(x) => *x == c,
            Atom::Any => c != '\n',
            Atom::Class { negated, ranges } => ranges.iter().any(|(a, b)| (*a..=*b).contains(&c)) != *negated,
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::core::did_key::DidKey;
    use crate::core::encoding::b64url_encode;

    const HOLDER: &str = "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv";

    fn jwt(alg: &str) -> String {
        format!("{}.e30.sig", b64url_encode(json!({"alg": alg}).to_string().as_bytes()))
    }

    fn matching(definition: &Value, payload: &Value, types: &[&str], alg: &str) -> Vec<(String, bool)> {
        let holder = DidKey::parse(HOLDER).unwrap();
        let types: Vec<String> = types.iter().map(|t| t.to_string()).collect();
        let jwt = jwt(alg);
        let c = Candidate { id: "c", format: "jwt_vc_json", types: &types, payload, jwt: &jwt, holder: &holder };
        PresentationDefinition::parse(definition)
            .unwrap()
            .match_candidates(&[c])
            .into_iter()
            .map(|m| (m.id, !m.candidates.is_empty()))
            .collect()
    }

    fn lear_payload() -> Value {
        json!({"iss": "did:elsi:VATES-B60645900", "vc": {"type": ["VerifiableCredential", "LEARCredentialEmployee"],
            "credentialSubject": {"mandate": {"mandatee": {"email": "ana@example.org"}, "power": [{"tmf_function": "Onboarding"}]}}}})
    }

    fn dome_definition() -> Option<Value> {
        crate::core::credential::test_support::read_shared_json(
            "dome/trust-framework/learCredentialEmployeePresentationDefinition.json",
        )
    }

    #[test]
    fn dome_trust_framework_definition_matches_a_lear_credential() {
        let Some(definition) = dome_definition() else { return };
        let pd = PresentationDefinition::parse(&definition).unwrap();
        assert_eq!(pd.id, "dome.credentials.presentation.LEARCredential.v1");
        assert_eq!(
            matching(&definition, &lear_payload(), &["VerifiableCredential", "LEARCredentialEmployee"], "RS256"),
            vec![("lear-credential-employee".to_string(), true)]
        );
        // The definition asks for RS256 credentials (DOME's JAdES seal).
        assert!(!matching(&definition, &lear_payload(), &[], "ES256")[0].1);
        let other = json!({"vc": {"type": ["VerifiableCredential", "LEARCredentialMachine"]}});
        assert!(!matching(&definition, &other, &[], "RS256")[0].1);
        let m = pd.match_candidates(&[]).remove(0);
        assert_eq!(m.asked, "a LEARCredentialEmployee credential");
        // DOME names the formats jwt_vp / jwt_vc.
        let sub = pd.submission("s1", &[("lear-credential-employee".into(), 0, 0)], 1);
        assert_eq!(sub["definition_id"], "dome.credentials.presentation.LEARCredential.v1");
        assert_eq!(
            sub["descriptor_map"][0],
            json!({"id": "lear-credential-employee", "format": "jwt_vp", "path": "$",
            "path_nested": {"id": "lear-credential-employee", "format": "jwt_vc", "path": "$.vp.verifiableCredential[0]"}})
        );
    }

    #[test]
    fn paths_reach_the_payload_or_the_bare_credential() {
        for path in [
            "$.vc.type",
            "$.type",
            "$['vc']['type']",
            "$.vc.credentialSubject.mandate.mandatee.email",
            "$.credentialSubject.mandate.power[0].tmf_function",
            "$.credentialSubject.mandate.power[*].tmf_function",
            "$..email",
            "$.vc.*.mandate.mandatee.email",
        ] {
            let def =
                json!({"id": "d", "input_descriptors": [{"id": "i", "constraints": {"fields": [{"path": [path]}]}}]});
            assert!(matching(&def, &lear_payload(), &[], "RS256")[0].1, "{path}");
        }
        let def = json!({"id": "d", "input_descriptors": [{"id": "i", "constraints": {"fields": [{"path": ["$.vc.credentialSubject.nickname"]}]}}]});
        assert!(!matching(&def, &lear_payload(), &[], "RS256")[0].1);
        let def = json!({"id": "d", "input_descriptors": [{"id": "i", "constraints": {"fields": [{"path": ["$.nickname"], "optional": true}]}}]});
        assert!(matching(&def, &lear_payload(), &[], "RS256")[0].1);
    }

    #[test]
    fn filters() {
        let check = |filter: Value, value: Value| validate(&filter, &value, 0);
        assert!(check(json!({"type": "array", "contains": {"const": "X"}}), json!(["A", "X"])));
        assert!(!check(json!({"type": "array", "contains": {"const": "X"}}), json!(["A"])));
        assert!(!check(json!({"type": "array", "contains": {"const": "X"}}), json!("X")));
        assert!(check(json!({"type": "string", "enum": ["a", "b"]}), json!("b")));
        assert!(check(json!({"type": "string", "pattern": "^did:key:z"}), json!("did:key:zDn")));
        assert!(check(json!({"pattern": "example\\.org$"}), json!("ana@example.org")));
        assert!(!check(json!({"pattern": "^example"}), json!("ana@example.org")));
        assert!(check(json!({"pattern": "^[A-Z]+-[0-9]+$"}), json!("VATES-123")));
        assert!(check(json!({"pattern": "^VATES|^VATFR"}), json!("VATFR-1")));
        assert!(check(json!({"items": {"type": "string"}}), json!(["a", "b"])));
        assert!(!check(json!({"items": {"type": "string"}}), json!(["a", 1])));
        assert!(check(json!({"type": "integer", "minimum": 18}), json!(21)));
        assert!(!check(json!({"type": "integer", "minimum": 18}), json!(17)));
        assert!(check(json!({"not": {"const": "x"}}), json!("y")));
        assert!(check(json!({"anyOf": [{"const": 1}, {"const": 2}]}), json!(2)));
        assert!(check(
            json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}),
            json!({"id": "x"})
        ));
        assert!(!check(json!({"type": "object", "required": ["id"]}), json!({})));
        assert!(check(json!({"format": "date-time", "x-unknown": 1}), json!("2025-01-01")));
    }

    #[test]
    fn patterns() {
        let m = |p: &str, t: &str| Pattern::compile(p).unwrap().is_match(t);
        assert!(m("^LEAR.*Employee$", "LEARCredentialEmployee"));
        assert!(!m("^LEAR.*Machine$", "LEARCredentialEmployee"));
        assert!(m("\\d+", "abc123"));
        assert!(m("^[^@]+@[a-z.]+$", "ana@example.org"));
        assert!(!m("^[^@]+@[a-z.]+$", "ana@EXAMPLE.org"));
        assert!(m("colou?r", "my color"));
        assert!(m("^$", ""));
        assert!(m("^a|^b", "bee"));
        assert!(m("[a-]", "-"));
        for unsupported in ["(a)", "a{2}", "*a", "a**", "[abc", "\\p{L}", "\\"] {
            assert!(Pattern::compile(unsupported).is_err(), "{unsupported}");
        }
        // Backtracking is bounded: a pathological pattern gives up instead of running for ever.
        let _ = m(&"a*".repeat(30), &format!("{}b", "a".repeat(60)));
    }

    #[test]
    fn formats_disclosure_and_requirements() {
        let payload = lear_payload();
        let def = json!({"id": "d", "input_descriptors": [{"id": "i", "format": {"ldp_vc": {"proof_type": ["Ed25519Signature2018"]}}}]});
        assert!(!matching(&def, &payload, &[], "ES256")[0].1);
        let def = json!({"id": "d", "input_descriptors": [{"id": "i", "format": {"jwt_vc_json": {"alg": ["ES256"]}}}]});
        assert!(matching(&def, &payload, &[], "ES256")[0].1);
        let pd = PresentationDefinition::parse(&def).unwrap();
        assert_eq!(pd.submission("s", &[("i".into(), 0, 0)], 1)["descriptor_map"][0]["format"], "jwt_vp_json");
        assert_eq!(pd.submission("s", &[("i".into(), 1, 0)], 2)["descriptor_map"][0]["path"], "$[1]");
        let def = json!({"id": "d", "input_descriptors": [{"id": "i", "constraints": {"limit_disclosure": "required", "fields": [{"path": ["$.vc.type"]}]}}]});
        assert!(!matching(&def, &payload, &[], "ES256")[0].1);

        let pd = PresentationDefinition::parse(&json!({"id": "d",
            "submission_requirements": [{"rule": "pick", "count": 1, "from": "A"}],
            "input_descriptors": [{"id": "x", "group": ["A"]}, {"id": "y", "group": ["A"]}]}))
        .unwrap();
        assert!(pd.check_answered(&["y"]).is_ok());
        assert!(pd.check_answered(&[]).is_err());
        let pd = PresentationDefinition::parse(&json!({"id": "d", "input_descriptors": [{"id": "x"}, {"id": "y"}]}))
            .unwrap();
        assert!(pd.check_answered(&["x"]).is_err());
    }

    #[test]
    fn malformed_definitions_are_refused() {
        for (bad, unsupported) in [
            (json!("x"), false),
            (json!({"input_descriptors": [{"id": "i"}]}), false),
            (json!({"id": "d"}), false),
            (json!({"id": "d", "input_descriptors": []}), false),
            (json!({"id": "d", "input_descriptors": [{"name": "no id"}]}), false),
            (json!({"id": "d", "input_descriptors": [{"id": "i"}, {"id": "i"}]}), false),
            (json!({"id": "d", "input_descriptors": [{"id": "i", "constraints": {"fields": [{"path": []}]}}]}), false),
            (
                json!({"id": "d", "input_descriptors": [{"id": "i", "constraints": {"fields": [{"path": "$.vc.type"}]}}]}),
                false,
            ),
            (
                json!({"id": "d", "input_descriptors": [{"id": "i", "constraints": {"fields": [{"path": ["vc.type"]}]}}]}),
                true,
            ),
            (
                json!({"id": "d", "input_descriptors": [{"id": "i", "constraints": {"fields": [{"path": ["$.vc[?(@.x)]"]}]}}]}),
                true,
            ),
            (
                json!({"id": "d", "input_descriptors": [{"id": "i", "constraints": {"fields": [{"path": ["$.x"], "filter": {"pattern": "(a|b)"}}]}}]}),
                true,
            ),
            (
                json!({"id": "d", "submission_requirements": [{"rule": "pick", "from_nested": []}], "input_descriptors": [{"id": "i"}]}),
                true,
            ),
            (
                json!({"id": "d", "submission_requirements": [{"rule": "some", "from": "A"}], "input_descriptors": [{"id": "i"}]}),
                false,
            ),
        ] {
            match PresentationDefinition::parse(&bad) {
                Err(QueryError::PresentationDefinition(_)) if !unsupported => {}
                Err(QueryError::Unsupported(_)) if unsupported => {}
                other => panic!("{bad}: {other:?}"),
            }
        }
    }
}
