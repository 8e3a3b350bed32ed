//! What a request asks for, whichever way it asks: a DCQL query (OpenID4VP 1.0), a Presentation
//! Exchange 2.0 definition (drafts ≤ 24), or a `scope` naming a credential type (DOME), and how
//! the wallet's credentials answer it.
//!
//! Only `jwt_vc_json` credentials exist in this wallet. Such a credential cannot disclose part of
//! itself, so whatever claims are asked for, the verifier receives the whole credential: the
//! consent screen shows both the claims asked for and every claim disclosed.

use crate::core::quote::quoted;
use crate::i18n::Msg;
use serde_json::{Map, Value};

use super::dcql::DcqlQuery;
use super::json_param;
use super::pex::PresentationDefinition;
use crate::core::collections::{join, sort_by};
use crate::core::did_key::DidKey;

/// The DOME verifier's scopes and the credential type each stands for.
const KNOWN_SCOPES: &[(&str, &str)] =
    &[("dome.credentials.presentation.LEARCredentialEmployee", "LEARCredentialEmployee")];

/// Most claim names listed for one credential on the consent screen.
const MAX_LISTED_CLAIMS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum QueryError {
    #[error("the request asks in more than one way at once ({0}); OpenID4VP allows one")]
    Ambiguous(String),
    #[error("the request asks for nothing: it has no dcql_query, presentation_definition or known scope")]
    NothingAsked,
    #[error("unknown scope {q0} (known: dome.credentials.presentation.LEARCredentialEmployee)", q0 = quoted(.0))]
    UnknownScope(String),
    #[error("dcql_query: {0}")]
    Dcql(String),
    #[error("presentation_definition: {0}")]
    PresentationDefinition(String),
    #[error("unsupported: {0}")]
    Unsupported(String),
    #[error("no credential in the wallet matches {0}")]
    NoMatch(String),
}

impl QueryError {
    pub fn user_message(&self) -> Msg {
        match self {
            Self::Ambiguous(_) | Self::Dcql(_) | Self::PresentationDefinition(_) => {
                Msg::QueryUnreadable
            }
            Self::NothingAsked => Msg::QueryEmpty,
            Self::UnknownScope(_) => Msg::QueryUnknownScope,
            Self::Unsupported(_) => Msg::QueryUnsupported,
            Self::NoMatch(_) => Msg::QueryNoMatch,
        }
    }
}

/// A credential the wallet holds, as matching and presenting need it.
#[derive(Debug, Clone, Copy)]
pub struct Candidate<'a> {
    /// The wallet's own identifier for the credential.
    pub id: &'a str,
    /// Its format; only `jwt_vc_json` ever matches.
    pub format: &'a str,
    /// Its `type` values.
    pub types: &'a [String],
    /// The decoded JWT payload.
    pub payload: &'a Value,
    /// The credential JWT exactly as issued; it goes into the presentation unchanged.
    pub jwt: &'a str,
    /// The wallet key the credential is bound to; it signs the presentation.
    pub holder: &'a DidKey,
}

impl Candidate<'_> {
    /// The W3C credential: the `vc` claim of a VC-JWT, or the payload itself (VCDM 2.0).
    pub fn credential(&self) -> &Value {
        self.payload.get("vc").filter(|vc| vc.is_object()).unwrap_or(self.payload)
    }

    pub(crate) fn is_jwt_vc(&self) -> bool {
        self.format == "jwt_vc_json"
    }

    pub(crate) fn has_type(&self, wanted: &str) -> bool {
        // VCDM defines `VerifiableCredential` in its own context; DCQL may ask for the expanded IRI.
        fn expanded(t: &str) -> &str {
            if t == "https://www.w3.org/2018/credentials#VerifiableCredential" {
                "VerifiableCredential"
            } else {
                t
            }
        }
        self.types.iter().any(|t| expanded(t) == expanded(wanted))
    }
}

/// What the request asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    Dcql(DcqlQuery),
    PresentationExchange(PresentationDefinition),
    /// A scope naming one credential type (DOME). Answered with DOME's `vp_token` encoding.
    Scope {
        scope: String,
        credential_type: String,
    },
}

/// One query of a request (a DCQL credential query, a PE input descriptor, or the scope) with
/// the wallet's credentials that answer it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryMatch {
    /// The query's identifier (DCQL `id`, input descriptor `id`, or the credential type).
    pub id: String,
    /// What is asked, in words: "a LEARCredentialEmployee credential".
    pub asked: String,
    /// Whether the request cannot be answered without it.
    pub required: bool,
    /// Whether more than one credential may be sent for it.
    pub multiple: bool,
    /// The claims the verifier names (paths into the credential); empty: the whole credential.
    pub requested_claims: Vec<String>,
    pub candidates: Vec<CandidateMatch>,
}

/// A credential that answers a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateMatch {
    pub id: String,
    /// Every claim the verifier would receive (a `jwt_vc_json` credential is sent whole).
    pub disclosed: Vec<String>,
}

/// The result of matching the wallet's credentials against a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matches {
    pub queries: Vec<QueryMatch>,
    satisfiable: bool,
}

impl Matches {
    /// Whether some choice of the wallet's credentials answers the request.
    pub fn is_satisfiable(&self) -> bool {
        self.satisfiable
    }

    /// What is asked but cannot be answered, in words, e.g. "a LEARCredentialEmployee credential",
    /// for "No credential in your wallet matches what … asks for (…)".
    pub fn missing(&self) -> Option<String> {
        if self.satisfiable {
            return None;
        }
        let missing: Vec<&str> =
            self.queries.iter().filter(|q| q.required && q.candidates.is_empty()).map(|q| q.asked.as_str()).collect();
        let all: Vec<&str> = self.queries.iter().map(|q| q.asked.as_str()).collect();
        Some(if missing.is_empty() { join(&all, " or ") } else { join(&missing, " and ") })
    }

    /// The first matching credential for every required query (and for optional ones that match):
    /// a starting point for the consent screen.
    pub fn default_choices(&self) -> Vec<Choice> {
        self.queries
            .iter()
            .filter_map(|q| q.candidates.first().map(|c| Choice { query_id: q.id.clone(), candidate_id: c.id.clone() }))
            .collect()
    }
}

/// The person's choice: send this credential for this query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub query_id: String,
    pub candidate_id: String,
}

impl Query {
    /// Reads what the request asks for from its parameters.
    pub(crate) fn from_params(params: &Map<String, Value>) -> Result<Self, QueryError> {
        if params.contains_key("presentation_definition_uri") {
            return Err(QueryError::Unsupported("presentation_definition_uri (send the definition by value)".into()));
        }
        let dcql = json_param(params, "dcql_query").map_err(QueryError::Dcql)?;
        let definition = json_param(params, "presentation_definition").map_err(QueryError::PresentationDefinition)?;
        let scope = match params.get("scope") {
            None => None,
            Some(Value::String(s)) => Some(s.as_str()),
            Some(_) => return Err(QueryError::Ambiguous("scope is not a string".into())),
        };
        // "openid" and scopes unknown to the wallet may accompany a query; alone they ask nothing.
        let mut known = Vec::new();
        let mut unknown = None;
        for word in scope.unwrap_or_default().split_whitespace().filter(|w| *w != "openid") {
            match KNOWN_SCOPES.iter().find(|(s, _)| *s == word) {
                Some(&(s, t)) => known.push((s, t)),
                None => unknown = unknown.or(Some(word)),
            }
        }
        let ways: Vec<&str> = [
            (dcql.is_some(), "dcql_query"),
            (definition.is_some(), "presentation_definition"),
            (!known.is_empty(), "scope"),
        ]
        .iter()
        .filter(|(present, _)| *present)
        .map(|(_, name)| *name)
        .collect();
        if ways.len() > 1 || known.len() > 1 {
            return Err(QueryError::Ambiguous(join(&ways, ", ")));
        }
        if let Some(dcql) = dcql {
            return DcqlQuery::parse(&dcql).map(Query::Dcql);
        }
        if let Some(definition) = definition {
            return PresentationDefinition::parse(&definition).map(Query::PresentationExchange);
        }
        match (known.first(), unknown) {
            (Some(&(scope, credential_type)), _) => {
                Ok(Query::Scope { scope: scope.into(), credential_type: credential_type.into() })
            }
            (None, Some(word)) => Err(QueryError::UnknownScope(word.chars().take(120).collect())),
            (None, None) => Err(QueryError::NothingAsked),
        }
    }

    /// Which of `candidates` answer which query, and what each would disclose.
    pub fn match_candidates(&self, candidates: &[Candidate<'_>]) -> Matches {
        let queries: Vec<QueryMatch> = match self {
            Query::Dcql(q) => q.match_candidates(candidates),
            Query::PresentationExchange(d) => d.match_candidates(candidates),
            Query::Scope { credential_type, .. } => vec![QueryMatch {
                id: credential_type.clone(),
                asked: a_credential(std::slice::from_ref(credential_type)),
                required: true,
                multiple: false,
                requested_claims: Vec::new(),
                candidates: candidates
                    .iter()
                    .filter(|c| c.is_jwt_vc() && c.has_type(credential_type))
                    .map(CandidateMatch::of)
                    .collect(),
            }],
        };
        let answered: Vec<&str> = queries.iter().filter(|q| !q.candidates.is_empty()).map(|q| q.id.as_str()).collect();
        let satisfiable = self.check_answered(&answered).is_ok();
        Matches { queries, satisfiable }
    }

    /// Whether answering exactly the queries `answered` satisfies the request (DCQL credential
    /// sets, PE submission requirements); `Err` says what is missing.
    pub(crate) fn check_answered(&self, answered: &[&str]) -> Result<(), String> {
        match self {
            Query::Dcql(q) => q.check_answered(answered),
            Query::PresentationExchange(d) => d.check_answered(answered),
            Query::Scope { credential_type, .. } if answered.contains(&credential_type.as_str()) => Ok(()),
            Query::Scope { credential_type, .. } => Err(format!("nothing chosen for {credential_type}")),
        }
    }

    /// Whether `query_id` allows more than one credential.
    pub(crate) fn allows_multiple(&self, query_id: &str) -> bool {
        match self {
            Query::Dcql(q) => q.allows_multiple(query_id),
            Query::PresentationExchange(_) | Query::Scope { .. } => false,
        }
    }
}

impl CandidateMatch {
    pub(crate) fn of(candidate: &Candidate<'_>) -> Self {
        Self { id: candidate.id.to_owned(), disclosed: claim_names(candidate.credential()) }
    }
}

/// "a LEARCredentialEmployee credential", "an IDCredential or DiplomaCredential credential".
pub(crate) fn a_credential(types: &[String]) -> String {
    let names: Vec<&str> = types
        .iter()
        .map(|t| t.rsplit(['#', '/']).next().unwrap_or(t))
        .filter(|t| !t.is_empty() && *t != "VerifiableCredential")
        .collect();
    if names.is_empty() {
        return "a verifiable credential".into();
    }
    let joined = join(&names.iter().map(|n| n.chars().take(80).collect::<String>()).collect::<Vec<_>>(), " or ");
    let article = if joined.starts_with(['A', 'E', 'I', 'O', 'U', 'a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {joined} credential")
}

/// The dotted paths of every leaf claim of a credential, arrays written `[]`:
/// `credentialSubject.mandate.power[].action`.
pub(crate) fn claim_names(credential: &Value) -> Vec<String> {
    fn walk(value: &Value, path: &str, depth: usize, out: &mut Vec<String>) {
        if out.len() >= MAX_LISTED_CLAIMS {
            return;
        }
        match value {
            Value::Object(map) if depth < 16 && !map.is_empty() => {
                for (key, child) in map {
                    let next = if path.is_empty() { key.clone() } else { format!("{path}.{key}") };
                    walk(child, &next, depth + 1, out);
                }
            }
            Value::Array(items) if depth < 16 && items.iter().any(|i| i.is_object()) => {
                for item in items {
                    walk(item, &format!("{path}[]"), depth + 1, out);
                }
            }
            _ if !path.is_empty() && !out.iter().any(|known| known == path) => out.push(path.to_owned()),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(credential, "", 0, &mut out);
    // Sorted, as a set would give them.
    sort_by(&mut out, |a, b| a.cmp(b));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn params(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn dome_scope_names_a_credential_type() {
        let q = Query::from_params(&params(json!({"scope": "dome.credentials.presentation.LEARCredentialEmployee"})))
            .unwrap();
        assert_eq!(
            q,
            Query::Scope {
                scope: "dome.credentials.presentation.LEARCredentialEmployee".into(),
                credential_type: "LEARCredentialEmployee".into()
            }
        );
        let q = Query::from_params(&params(
            json!({"scope": "openid dome.credentials.presentation.LEARCredentialEmployee"}),
        ))
        .unwrap();
        assert!(matches!(q, Query::Scope { .. }));
    }

    #[test]
    fn refuses_unknown_scopes_nothing_and_two_ways_at_once() {
        assert_eq!(
            Query::from_params(&params(json!({"scope": "com.example.healthCard"}))),
            Err(QueryError::UnknownScope("com.example.healthCard".into()))
        );
        assert_eq!(Query::from_params(&params(json!({}))), Err(QueryError::NothingAsked));
        assert_eq!(Query::from_params(&params(json!({"scope": "openid"}))), Err(QueryError::NothingAsked));
        let dcql = json!({"credentials": [{"id": "a", "format": "jwt_vc_json", "meta": {"type_values": [["X"]]}}]});
        let both = json!({"dcql_query": dcql, "scope": "dome.credentials.presentation.LEARCredentialEmployee"});
        assert!(matches!(Query::from_params(&params(both)), Err(QueryError::Ambiguous(_))));
        let both = json!({"dcql_query": dcql, "presentation_definition": {"id": "x", "input_descriptors": []}});
        assert!(matches!(Query::from_params(&params(both)), Err(QueryError::Ambiguous(_))));
        // A scope the wallet does not know beside a query is some other OAuth scope.
        assert!(matches!(
            Query::from_params(&params(json!({"dcql_query": dcql, "scope": "openid profile"}))),
            Ok(Query::Dcql(_))
        ));
        assert!(matches!(
            Query::from_params(&params(json!({"presentation_definition_uri": "https://v.example/pd"}))),
            Err(QueryError::Unsupported(_))
        ));
        // JSON text, as in URL parameters.
        assert!(matches!(Query::from_params(&params(json!({"dcql_query": dcql.to_string()}))), Ok(Query::Dcql(_))));
        assert!(matches!(Query::from_params(&params(json!({"dcql_query": "{not json"}))), Err(QueryError::Dcql(_))));
    }

    #[test]
    fn says_what_is_asked_in_words() {
        assert_eq!(
            a_credential(&["VerifiableCredential".into(), "LEARCredentialEmployee".into()]),
            "a LEARCredentialEmployee credential"
        );
        assert_eq!(a_credential(&["https://example.org/examples#IDCredential".into()]), "an IDCredential credential");
        assert_eq!(a_credential(&[]), "a verifiable credential");
    }

    #[test]
    fn lists_every_claim_a_whole_credential_discloses() {
        let vc = json!({"type": ["VerifiableCredential"], "credentialSubject": {"mandate": {"mandatee": {"email": "a@b"}, "power": [{"action": ["x", "y"]}, {"domain": "DOME"}]}}});
        assert_eq!(
            claim_names(&vc),
            vec![
                "credentialSubject.mandate.mandatee.email",
                "credentialSubject.mandate.power[].action",
                "credentialSubject.mandate.power[].domain",
                "type"
            ]
        );
    }
}
