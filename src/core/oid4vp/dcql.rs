//! The Digital Credentials Query Language (OpenID4VP 1.0 §6, §7) for `jwt_vc_json`.
//!
//! A credential query matches a credential when the format is `jwt_vc_json`, one of the
//! `meta.type_values` alternatives is among its types, and its claims satisfy `claims` (all of
//! them, or the first satisfiable `claim_sets` option). Claims path pointers apply to the root of
//! the W3C credential (the `vc` claim), as §B.1.2 ("Claims Matching") says. `values` are compared
//! by JSON type and value. `trusted_authorities` is advisory (a SHOULD) and not evaluated.

use crate::core::quote::quoted;
use crate::core::collections::{has_duplicates, TryCollect};

use serde_json::Value;

use super::kind;
use super::query::{a_credential, Candidate, CandidateMatch, QueryError, QueryMatch};

const MAX_CREDENTIAL_QUERIES: usize = 64;
const MAX_CLAIMS: usize = 64;
const MAX_PATH_LEN: usize = 32;
const MAX_ID_LEN: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DcqlQuery {
    credentials: Vec<CredentialQuery>,
    /// Empty when the query has no `credential_sets` (then every credential query is required).
    credential_sets: Vec<CredentialSet>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct CredentialQuery {
    id: String,
    format: String,
    multiple: bool,
    type_values: Option<Vec<Vec<String>>>,
    claims: Vec<ClaimQuery>,
    claim_sets: Vec<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct ClaimQuery {
    id: Option<String>,
    path: Vec<Step>,
    values: Vec<Value>,
}

/// One component of a claims path pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
    All,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct CredentialSet {
    options: Vec<Vec<String>>,
    required: bool,
}

fn bad(message: impl Into<String>) -> QueryError {
    QueryError::Dcql(message.into())
}

/// Identifiers are non-empty and use only `A-Z a-z 0-9 _ -`.
fn identifier(value: Option<&Value>, what: &str) -> Result<String, QueryError> {
    match value {
        Some(Value::String(id))
            if !id.is_empty()
                && id.len() <= MAX_ID_LEN
                && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') =>
        {
            Ok(id.clone())
        }
        Some(Value::String(_)) => {
            Err(bad(format!("{what} must be 1 to {MAX_ID_LEN} characters of A-Z, a-z, 0-9, _ or -")))
        }
        Some(other) => Err(bad(format!("{what} is {}, not a string", kind(other)))),
        None => Err(bad(format!("{what} is missing"))),
    }
}

/// A non-empty array of at most `max` items.
fn non_empty_array<'v>(value: Option<&'v Value>, what: &str, max: usize) -> Result<Option<&'v Vec<Value>>, QueryError> {
    match value {
        None => Ok(None),
        Some(Value::Array(items)) if !items.is_empty() && items.len() <= max => Ok(Some(items)),
        Some(Value::Array(items)) if items.is_empty() => Err(bad(format!("{what} is an empty array"))),
        Some(Value::Array(_)) => Err(bad(format!("{what} has more than {max} entries"))),
        Some(other) => Err(bad(format!("{what} is {}, not an array", kind(other)))),
    }
}

fn optional_bool(value: Option<&Value>, what: &str, default: bool) -> Result<bool, QueryError> {
    match value {
        None => Ok(default),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(bad(format!("{what} is {}, not a boolean", kind(other)))),
    }
}

fn id_lists(value: Option<&Value>, what: &str, known: &[String]) -> Result<Vec<Vec<String>>, QueryError> {
    let Some(options) = non_empty_array(value, what, MAX_CREDENTIAL_QUERIES)? else { return Ok(Vec::new()) };
    options
        .iter()
        .map(|option| {
            let ids = non_empty_array(Some(option), what, MAX_CLAIMS)?.into_iter().flatten();
            ids.map(|id| {
                let id = identifier(Some(id), what)?;
                if known.contains(&id) {
                    Ok(id)
                } else {
                    Err(bad(format!("{what} names {}, which is not defined", quoted(&id))))
                }
            })
            .try_vec()
        })
        .try_vec()
}

impl DcqlQuery {
    pub fn parse(value: &Value) -> Result<Self, QueryError> {
        let Value::Object(query) = value else { return Err(bad(format!("is {}, not an object", kind(value)))) };
        let list = non_empty_array(query.get("credentials"), "credentials", MAX_CREDENTIAL_QUERIES)?
            .ok_or_else(|| bad("credentials is missing: the query asks for nothing"))?;
        let mut credentials = Vec::with_capacity(list.len());
        let mut ids: Vec<String> = Vec::new();
        for entry in list {
            let q = CredentialQuery::parse(entry)?;
            if ids.contains(&q.id) {
                return Err(bad(format!("credential query id {} appears twice", quoted(&q.id))));
            }
            ids.push(q.id.clone());
            credentials.push(q);
        }
        let credential_sets =
            match non_empty_array(query.get("credential_sets"), "credential_sets", MAX_CREDENTIAL_QUERIES)? {
                None => Vec::new(),
                Some(sets) => sets
                    .iter()
                    .map(|set| {
                        let options = id_lists(set.get("options"), "credential_sets[].options", &ids)?;
                        if options.is_empty() {
                            return Err(bad("a credential set has no options"));
                        }
                        Ok(CredentialSet {
                            options,
                            required: optional_bool(set.get("required"), "credential_sets[].required", true)?,
                        })
                    })
                    .try_vec()?,
            };
        Ok(Self { credentials, credential_sets })
    }

    pub(crate) fn match_candidates(&self, candidates: &[Candidate<'_>]) -> Vec<QueryMatch> {
        self.credentials
            .iter()
            .map(|q| QueryMatch {
                id: q.id.clone(),
                asked: q.asked(),
                required: self.is_required(&q.id),
                multiple: q.multiple,
                requested_claims: q.requested_claims(),
                candidates: candidates.iter().filter(|c| q.matches(c)).map(CandidateMatch::of).collect(),
            })
            .collect()
    }

    /// Without credential sets every query is required; with them, a query is required when every
    /// option of some required set names it.
    fn is_required(&self, id: &str) -> bool {
        self.credential_sets.is_empty()
            || self.credential_sets.iter().any(|s| s.required && s.options.iter().all(|o| o.iter().any(|i| i == id)))
    }

    pub(crate) fn check_answered(&self, answered: &[&str]) -> Result<(), String> {
        if self.credential_sets.is_empty() {
            return match self.credentials.iter().find(|q| !answered.contains(&q.id.as_str())) {
                Some(q) => Err(format!("nothing chosen for credential query {}", quoted(&q.id))),
                None => Ok(()),
            };
        }
        for set in self.credential_sets.iter().filter(|s| s.required) {
            if !set.options.iter().any(|option| option.iter().all(|id| answered.contains(&id.as_str()))) {
                return Err(format!("no option of the required credential set {} is complete", quoted(&set.options)));
            }
        }
        Ok(())
    }

    pub(crate) fn allows_multiple(&self, id: &str) -> bool {
        self.credentials.iter().any(|q| q.id == id && q.multiple)
    }
}

impl CredentialQuery {
    fn parse(value: &Value) -> Result<Self, QueryError> {
        let Value::Object(q) = value else {
            return Err(bad(format!("a credential query is {}, not an object", kind(value))));
        };
        let id = identifier(q.get("id"), "credentials[].id")?;
        let format = match q.get("format") {
            Some(Value::String(f)) => f.chars().take(64).collect(),
            _ => return Err(bad(format!("credential query {} has no format", quoted(&id)))),
        };
        let meta = match q.get("meta") {
            None => None,
            Some(Value::Object(meta)) => Some(meta),
            Some(other) => return Err(bad(format!("meta of {} is {}, not an object", quoted(&id), kind(other)))),
        };
        let type_values = match non_empty_array(meta.and_then(|m| m.get("type_values")), "meta.type_values", 32)? {
            None => None,
            Some(alternatives) => Some(
                alternatives
                    .iter()
                    .map(|alt| {
                        non_empty_array(Some(alt), "meta.type_values[]", 32)?
                            .into_iter()
                            .flatten()
                            .map(|t| {
                                t.as_str().map(str::to_owned).ok_or_else(|| bad("meta.type_values holds a non-string"))
                            })
                            .try_vec()
                    })
                    .try_vec()?,
            ),
        };
        let claims: Vec<ClaimQuery> = non_empty_array(q.get("claims"), "claims", MAX_CLAIMS)?
            .into_iter()
            .flatten()
            .map(ClaimQuery::parse)
            .try_vec()?;
        let claim_ids: Vec<String> = claims.iter().filter_map(|c| c.id.clone()).collect();
        if has_duplicates(&claim_ids) {
            return Err(bad(format!("claim ids repeat in {}", quoted(&id))));
        }
        let claim_sets = id_lists(q.get("claim_sets"), "claim_sets", &claim_ids)?;
        if !claim_sets.is_empty() && claims.is_empty() {
            return Err(bad(format!("{} has claim_sets without claims", quoted(&id))));
        }
        optional_bool(q.get("require_cryptographic_holder_binding"), "require_cryptographic_holder_binding", true)?;
        Ok(Self {
            multiple: optional_bool(q.get("multiple"), "multiple", false)?,
            id,
            format,
            type_values,
            claims,
            claim_sets,
        })
    }

    fn asked(&self) -> String {
        if self.format != "jwt_vc_json" {
            return format!("a credential in the {} format, which this wallet does not hold", self.format);
        }
        let mut names: Vec<String> = Vec::new();
        for alternative in self.type_values.iter().flatten() {
            let specific: Vec<&String> = alternative.iter().filter(|t| !t.ends_with("VerifiableCredential")).collect();
            if let Some(last) = specific.last() {
                names.push((*last).clone());
            }
        }
        a_credential(&names)
    }

    fn requested_claims(&self) -> Vec<String> {
        let shown = |c: &ClaimQuery| path_text(&c.path);
        match self.claim_sets.first() {
            Some(first) => {
                self.claims.iter().filter(|c| c.id.as_ref().is_some_and(|id| first.contains(id))).map(shown).collect()
            }
            None => self.claims.iter().map(shown).collect(),
        }
    }

    fn matches(&self, candidate: &Candidate<'_>) -> bool {
        if self.format != "jwt_vc_json" || !candidate.is_jwt_vc() {
            return false;
        }
        if let Some(alternatives) = &self.type_values {
            if !alternatives.iter().any(|types| types.iter().all(|t| candidate.has_type(t))) {
                return false;
            }
        }
        let credential = candidate.credential();
        let found = |c: &ClaimQuery| c.matches(credential);
        if self.claim_sets.is_empty() {
            return self.claims.iter().all(found);
        }
        // The first satisfiable option is the one the verifier prefers; any one will do.
        self.claim_sets
            .iter()
            .any(|option| option.iter().all(|id| self.claims.iter().filter(|c| c.id.as_ref() == Some(id)).all(found)))
    }
}

impl ClaimQuery {
    fn parse(value: &Value) -> Result<Self, QueryError> {
        let Value::Object(c) = value else { return Err(bad("a claims entry is not an object")) };
        let id = match c.get("id") {
            None => None,
            some => Some(identifier(some, "claims[].id")?),
        };
        let path = non_empty_array(c.get("path"), "claims[].path", MAX_PATH_LEN)?
            .ok_or_else(|| bad("a claims entry has no path"))?
            .iter()
            .map(|step| match step {
                Value::String(key) => Ok(Step::Key(key.clone())),
                Value::Null => Ok(Step::All),
                Value::Number(n) => n
                    .as_u64()
                    .and_then(|n| usize::try_from(n).ok())
                    .map(Step::Index)
                    .ok_or_else(|| bad("a path index is not a non-negative integer")),
                other => Err(bad(format!("a path component is {}", kind(other)))),
            })
            .try_vec()?;
        let values = non_empty_array(c.get("values"), "claims[].values", 64)?.cloned().unwrap_or_default();
        if values.iter().any(|v| !(v.is_string() || v.is_boolean() || v.as_i64().is_some() || v.as_u64().is_some())) {
            return Err(bad("claims[].values may hold only strings, integers and booleans"));
        }
        Ok(Self { id, path, values })
    }

    /// Processes the claims path pointer (§7.1.1) and, with `values`, compares what it selects.
    fn matches(&self, credential: &Value) -> bool {
        let mut selected: Vec<&Value> = vec![credential];
        for step in &self.path {
            let mut next = Vec::new();
            for value in selected {
                match (step, value) {
                    (Step::Key(key), Value::Object(map)) => next.extend(map.get(key)),
                    (Step::Index(i), Value::Array(items)) => next.extend(items.get(*i)),
                    (Step::All, Value::Array(items)) => next.extend(items),
                    // Selecting into a value of the wrong kind aborts processing: no match.
                    _ => return false,
                }
            }
            selected = next;
        }
        !selected.is_empty() && (self.values.is_empty() || selected.iter().any(|v| self.values.contains(v)))
    }
}

/// `["credentialSubject", "address", null, 0]` → `credentialSubject.address[][0]`.
fn path_text(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.extend(k.chars().take(80));
            }
            Step::Index(i) => out.push_str(&format!("[{i}]")),
            Step::All => out.push_str("[]"),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::did_key::DidKey;
    use serde_json::json;

    const HOLDER: &str = "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv";

    struct Held {
        id: &'static str,
        format: &'static str,
        types: Vec<String>,
        payload: Value,
    }

    fn held(id: &'static str, types: &[&str], subject: Value) -> Held {
        let types: Vec<String> = types.iter().map(|t| t.to_string()).collect();
        Held { id, format: "jwt_vc_json", payload: json!({"vc": {"type": types, "credentialSubject": subject}}), types }
    }

    fn run(query: Value, wallet: &[Held]) -> Vec<(String, Vec<String>)> {
        let holder = DidKey::parse(HOLDER).unwrap();
        let candidates: Vec<Candidate> = wallet
            .iter()
            .map(|h| Candidate {
                id: h.id,
                format: h.format,
                types: &h.types,
                payload: &h.payload,
                jwt: "",
                holder: &holder,
            })
            .collect();
        DcqlQuery::parse(&query)
            .unwrap()
            .match_candidates(&candidates)
            .into_iter()
            .map(|m| (m.id, m.candidates.into_iter().map(|c| c.id).collect()))
            .collect()
    }

    fn wallet() -> Vec<Held> {
        vec![
            held(
                "lear",
                &["VerifiableCredential", "LEARCredentialEmployee"],
                json!({"mandate": {"mandatee": {"firstName": "Ana", "email": "ana@example.org"}, "power": [{"function": "Onboarding"}, {"function": "ProductOffering"}]}}),
            ),
            held(
                "id",
                &["VerifiableCredential", "IDCredential"],
                json!({"given_name": "Max", "family_name": "Mustermann", "age": 30, "over_18": true}),
            ),
        ]
    }

    #[test]
    fn spec_example_matches_by_type_and_claims() {
        // OpenID4VP 1.0 examples/request/dcql_jwt_vc.json.
        let query = json!({"credentials": [{"id": "example_jwt_vc", "format": "jwt_vc_json", "meta": {"type_values": [["IDCredential"]]},
            "claims": [{"path": ["credentialSubject", "family_name"]}, {"path": ["credentialSubject", "given_name"]}]}]});
        assert_eq!(run(query, &wallet()), vec![("example_jwt_vc".to_string(), vec!["id".to_string()])]);
    }

    #[test]
    fn type_values_are_alternatives_of_type_sets() {
        let query = json!({"credentials": [{"id": "q", "format": "jwt_vc_json", "meta": {"type_values": [
            ["https://www.w3.org/2018/credentials#VerifiableCredential", "LEARCredentialEmployee"], ["DiplomaCredential"]]}}]});
        assert_eq!(run(query, &wallet())[0].1, vec!["lear"]);
        let query = json!({"credentials": [{"id": "q", "format": "jwt_vc_json", "meta": {"type_values": [["IDCredential", "LEARCredentialEmployee"]]}}]});
        assert!(run(query, &wallet())[0].1.is_empty());
    }

    #[test]
    fn other_formats_never_match() {
        for format in ["dc+sd-jwt", "mso_mdoc", "ldp_vc", "jwt_vc"] {
            let query = json!({"credentials": [{"id": "q", "format": format, "meta": {}}]});
            assert!(run(query, &wallet())[0].1.is_empty(), "{format}");
        }
    }

    #[test]
    fn values_null_and_indexes_in_paths() {
        let q = |claims: Value| json!({"credentials": [{"id": "q", "format": "jwt_vc_json", "meta": {"type_values": [["LEARCredentialEmployee"]]}, "claims": claims}]});
        let ids = |claims| run(q(claims), &wallet()).remove(0).1;
        assert_eq!(
            ids(
                json!([{"path": ["credentialSubject", "mandate", "power", null, "function"], "values": ["ProductOffering"]}])
            ),
            vec!["lear"]
        );
        assert_eq!(
            ids(
                json!([{"path": ["credentialSubject", "mandate", "power", 1, "function"], "values": ["ProductOffering"]}])
            ),
            vec!["lear"]
        );
        assert!(ids(
            json!([{"path": ["credentialSubject", "mandate", "power", 0, "function"], "values": ["ProductOffering"]}])
        )
        .is_empty());
        assert!(ids(json!([{"path": ["credentialSubject", "mandate", "power", 5]}])).is_empty());
        // Selecting a key inside an array aborts processing.
        assert!(ids(json!([{"path": ["credentialSubject", "mandate", "power", "function"]}])).is_empty());
        let id = |claims| {
            run(json!({"credentials": [{"id": "q", "format": "jwt_vc_json", "meta": {}, "claims": claims}]}), &wallet())
                .remove(0)
                .1
        };
        assert_eq!(id(json!([{"path": ["credentialSubject", "age"], "values": [30]}])), vec!["id"]);
        assert!(
            id(json!([{"path": ["credentialSubject", "age"], "values": ["30"]}])).is_empty(),
            "type and value must both match"
        );
        assert_eq!(id(json!([{"path": ["credentialSubject", "over_18"], "values": [true]}])), vec!["id"]);
    }

    #[test]
    fn claim_sets_take_any_satisfiable_option() {
        let query = json!({"credentials": [{"id": "q", "format": "jwt_vc_json", "meta": {},
            "claims": [{"id": "a", "path": ["credentialSubject", "nickname"]}, {"id": "b", "path": ["credentialSubject", "given_name"]}],
            "claim_sets": [["a"], ["b"]]}]});
        assert_eq!(run(query, &wallet())[0].1, vec!["id"]);
    }

    #[test]
    fn credential_sets_decide_what_is_required() {
        let query = DcqlQuery::parse(&json!({
            "credentials": [
                {"id": "lear", "format": "jwt_vc_json", "meta": {"type_values": [["LEARCredentialEmployee"]]}},
                {"id": "diploma", "format": "jwt_vc_json", "meta": {"type_values": [["DiplomaCredential"]]}},
                {"id": "loyalty", "format": "jwt_vc_json", "meta": {"type_values": [["LoyaltyCard"]]}}],
            "credential_sets": [{"options": [["lear"], ["diploma"]]}, {"options": [["loyalty"]], "required": false}]}))
        .unwrap();
        assert!(query.check_answered(&["lear"]).is_ok());
        assert!(query.check_answered(&["diploma", "loyalty"]).is_ok());
        assert!(query.check_answered(&["loyalty"]).is_err());
        assert!(!query.is_required("lear") && !query.is_required("loyalty"));

        let plain = DcqlQuery::parse(&json!({"credentials": [
            {"id": "a", "format": "jwt_vc_json", "meta": {}}, {"id": "b", "format": "jwt_vc_json", "meta": {}}]}))
        .unwrap();
        assert!(plain.check_answered(&["a"]).is_err());
        assert!(plain.check_answered(&["a", "b"]).is_ok());
    }

    #[test]
    fn malformed_and_empty_queries_are_refused() {
        for bad in [
            json!([]),
            json!({}),
            json!({"credentials": []}),
            json!({"credentials": [{"format": "jwt_vc_json"}]}),
            json!({"credentials": [{"id": "a b", "format": "jwt_vc_json"}]}),
            json!({"credentials": [{"id": "a", "format": "jwt_vc_json"}, {"id": "a", "format": "jwt_vc_json"}]}),
            json!({"credentials": [{"id": "a"}]}),
            json!({"credentials": [{"id": "a", "format": "jwt_vc_json", "meta": {"type_values": []}}]}),
            json!({"credentials": [{"id": "a", "format": "jwt_vc_json", "meta": {"type_values": [[]]}}]}),
            json!({"credentials": [{"id": "a", "format": "jwt_vc_json", "claims": []}]}),
            json!({"credentials": [{"id": "a", "format": "jwt_vc_json", "claims": [{"path": []}]}]}),
            json!({"credentials": [{"id": "a", "format": "jwt_vc_json", "claims": [{"path": ["x", -1]}]}]}),
            json!({"credentials": [{"id": "a", "format": "jwt_vc_json", "claims": [{"path": ["x", 1.5]}]}]}),
            json!({"credentials": [{"id": "a", "format": "jwt_vc_json", "claims": [{"path": ["x"], "values": [{"o": 1}]}]}]}),
            json!({"credentials": [{"id": "a", "format": "jwt_vc_json", "claim_sets": [["x"]]}]}),
            json!({"credentials": [{"id": "a", "format": "jwt_vc_json", "claims": [{"id": "x", "path": ["x"]}], "claim_sets": [["y"]]}]}),
            json!({"credentials": [{"id": "a", "format": "jwt_vc_json"}], "credential_sets": []}),
            json!({"credentials": [{"id": "a", "format": "jwt_vc_json"}], "credential_sets": [{"options": [["b"]]}]}),
            json!({"credentials": [{"id": "a", "format": "jwt_vc_json", "multiple": "yes"}]}),
        ] {
            assert!(matches!(DcqlQuery::parse(&bad), Err(QueryError::Dcql(_))), "{bad}");
        }
    }

    #[test]
    fn says_what_is_asked() {
        let query = DcqlQuery::parse(&json!({"credentials": [{"id": "q", "format": "jwt_vc_json", "meta": {"type_values": [["VerifiableCredential", "LEARCredentialEmployee"]]},
            "claims": [{"path": ["credentialSubject", "mandate", "mandatee", "email"]}, {"path": ["credentialSubject", "power", null, 0]}]}]})).unwrap();
        let m = query.match_candidates(&[]).remove(0);
        assert_eq!(m.asked, "a LEARCredentialEmployee credential");
        assert_eq!(
            m.requested_claims,
            vec!["credentialSubject.mandate.mandatee.email", "credentialSubject.power[][0]"]
        );
        assert!(m.required && !m.multiple);
    }
}
