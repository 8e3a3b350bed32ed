//! The wire format of the flow: what the wallet sends (token request form, proof JWT, credential
//! request in its three forms, deferred and notification requests) and how each answer is read.
//! Answers are checked here, so the flow only ever sees typed, bounded values.

use serde_json::{Map, Value};

use super::metadata::CredentialConfiguration;
use super::offer::{AccessToken, PreAuthorizedCode, TxCode};
use super::{IssuanceError, Step};
use crate::core::did_key::DidKey;
use crate::core::error::Error;
use crate::core::collections::TryCollect;
use crate::core::json;
use crate::core::jws::{self, Jws};
use crate::core::net::Reply;
use crate::core::ports::HolderKeys;

pub const MAX_TOKEN_RESPONSE_BYTES: usize = 16 * 1024;
pub const MAX_NONCE_RESPONSE_BYTES: usize = 4 * 1024;
/// A DOME LEARCredential with its x5c is ~10 KB; this leaves room for a batch.
pub const MAX_CREDENTIAL_RESPONSE_BYTES: usize = 512 * 1024;
pub const MAX_NOTIFICATION_RESPONSE_BYTES: usize = 4 * 1024;
const MAX_ACCESS_TOKEN_LEN: usize = 8 * 1024;
const MAX_ID_LEN: usize = 512;
const MAX_CREDENTIALS_PER_RESPONSE: usize = 16;
/// How long a DOME v1.6 proof stays valid (v1.6 requires `exp`; DOME accepts `iat` −300 s).
const PROOF_LIFETIME_SECS: i64 = 300;

pub const PRE_AUTHORIZED_GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
pub const PROOF_TYP: &str = "openid4vci-proof+jwt";

/// The shape of the credential request; see the table in the [module docs](super).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestForm {
    /// OpenID4VCI 1.0: `proofs: {jwt: [..]}`, nonce endpoint, no `iss` in the proof.
    V1,
    /// DOME issuer v2.2 (draft 13 shaped): singular `proof`, no nonce.
    Draft13,
    /// DOME issuer v1.6: `format` + `credential_definition`, `proofs: {proof_type, jwt: [..]}`,
    /// `c_nonce` from the token response.
    DomeV16,
}

impl RequestForm {
    /// The decision rule: see the module docs.
    pub fn choose(has_nonce_endpoint: bool, token_has_c_nonce: bool) -> Self {
        match (has_nonce_endpoint, token_has_c_nonce) {
            (true, _) => RequestForm::V1,
            (false, true) => RequestForm::DomeV16,
            (false, false) => RequestForm::Draft13,
        }
    }

    /// Whether notifications also carry DOME's camelCase `notificationId`: for the issuers
    /// that are not 1.0-shaped (see the module docs).
    pub fn dome_names(self) -> bool {
        self != RequestForm::V1
    }
}

/// The token request form (RFC 6749 §4.5, OpenID4VCI 1.0 §6.1). The PIN goes in `tx_code`, or
/// in the legacy `user_pin` when the offer only said `user_pin_required`.
pub fn token_request<'a>(code: &'a PreAuthorizedCode, pin: Option<&'a TxCode>, legacy_user_pin: bool) -> Vec<(&'static str, &'a str)> {
    let mut form = vec![("grant_type", PRE_AUTHORIZED_GRANT_TYPE), ("pre-authorized_code", code.secret())];
    if let Some(pin) = pin {
        form.push((if legacy_user_pin { "user_pin" } else { "tx_code" }, pin.secret()));
    }
    form
}

/// What the token response gives the flow.
#[derive(Debug)]
pub struct Token {
    pub access_token: AccessToken,
    /// A nonce for the proofs (draft 13; DOME v1.6).
    pub c_nonce: Option<String>,
    /// `authorization_details[].credential_identifiers` by configuration id (1.0 §6.2), one
    /// entry per id (a later detail for the same id replaces an earlier one); see
    /// [`crate::core::collections::lookup`].
    pub credential_identifiers: Vec<(String, Vec<String>)>,
}

struct RawToken {
    access_token: String,
    token_type: Option<String>,
    c_nonce: Option<String>,
    authorization_details: Vec<RawAuthorizationDetail>,
}

struct RawAuthorizationDetail {
    kind: Option<String>,
    credential_configuration_id: Option<String>,
    credential_identifiers: Vec<String>,
}

impl RawToken {
    /// Reads the members, checking their types (values are checked by [`parse_token`]).
    fn read(reply: &Reply) -> Result<Self, String> {
        let token = reply.object()?;
        let mut authorization_details = Vec::new();
        if let Some(details) = token.get("authorization_details") {
            let Value::Array(details) = details else { return Err("\"authorization_details\" is not an array".into()) };
            for detail in details {
                let detail = json::as_object("authorization_details", detail)?;
                authorization_details.push(RawAuthorizationDetail {
                    kind: json::opt_string(detail, "type")?,
                    credential_configuration_id: json::opt_string(detail, "credential_configuration_id")?,
                    credential_identifiers: json::strings(detail, "credential_identifiers")?,
                });
            }
        }
        Ok(Self {
            access_token: json::string(&token, "access_token")?,
            token_type: json::opt_string(&token, "token_type")?,
            c_nonce: json::opt_string(&token, "c_nonce")?,
            authorization_details,
        })
    }
}

pub fn parse_token(reply: &Reply) -> Result<Token, IssuanceError> {
    let bad = |detail: &str| IssuanceError::BadResponse { step: Step::Token, detail: detail.to_owned() };
    let raw = RawToken::read(reply).map_err(|e| bad(&e))?;
    match raw.token_type.as_deref() {
        Some(t) if t.eq_ignore_ascii_case("bearer") => {}
        Some(t) if t.eq_ignore_ascii_case("dpop") => return Err(IssuanceError::DpopRequired),
        Some(_) => return Err(bad("token_type is neither Bearer nor DPoP")),
        None => return Err(bad("token_type is missing")),
    }
    // It goes into an Authorization header: RFC 6750 b64token characters only.
    let token_ok = !raw.access_token.is_empty()
        && raw.access_token.len() <= MAX_ACCESS_TOKEN_LEN
        && raw.access_token.chars().all(|c| c.is_ascii_alphanumeric() || "-._~+/=".contains(c));
    if !token_ok {
        return Err(bad("access_token is empty, too long, or has characters a bearer token cannot have"));
    }
    let mut credential_identifiers: Vec<(String, Vec<String>)> = Vec::new();
    for detail in raw.authorization_details {
        if let (Some("openid_credential"), Some(id)) = (detail.kind.as_deref(), detail.credential_configuration_id) {
            let ids: Vec<String> = detail.credential_identifiers.into_iter().filter(|i| is_safe_id(i)).collect();
            if !ids.is_empty() {
                match credential_identifiers.iter_mut().find(|(known, _)| *known == id) {
                    Some((_, known)) => *known = ids,
                    None => credential_identifiers.push((id, ids)),
                }
            }
        }
    }
    Ok(Token {
        access_token: AccessToken::new(raw.access_token),
        c_nonce: raw.c_nonce.filter(|n| is_safe_id(n)),
        credential_identifiers,
    })
}

/// The nonce endpoint's answer (1.0 §7.2).
pub fn parse_nonce(reply: &Reply) -> Result<String, IssuanceError> {
    let c_nonce = reply
        .object()
        .and_then(|answer| json::string(&answer, "c_nonce"))
        .map_err(|detail| IssuanceError::BadResponse { step: Step::Nonce, detail })?;
    if !is_safe_id(&c_nonce) {
        return Err(IssuanceError::BadResponse { step: Step::Nonce, detail: "c_nonce is empty or too long".into() });
    }
    Ok(c_nonce)
}

/// Signs the key proof (1.0 Appendix F.1) with `holder`.
pub async fn proof_jwt(
    keys: &impl HolderKeys,
    holder: &DidKey,
    form: RequestForm,
    credential_issuer: &str,
    nonce: Option<&str>,
    now: i64,
) -> Result<String, Error> {
    let mut header = Map::new();
    header.insert("typ".into(), Value::from(PROOF_TYP));
    header.insert("kid".into(), Value::from(holder.key_id()));
    let mut claims = Map::new();
    claims.insert("aud".into(), Value::from(credential_issuer));
    claims.insert("iat".into(), Value::from(now));
    if let Some(nonce) = nonce {
        claims.insert("nonce".into(), Value::from(nonce));
    }
    // 1.0: omit `iss` with anonymous pre-authorized access. DOME's issuers (and its own wallet)
    // use the holder DID; Credo checks `iss` only against a client_id, which there is none of.
    if form != RequestForm::V1 {
        claims.insert("iss".into(), Value::from(holder.as_str()));
    }
    if form == RequestForm::DomeV16 {
        claims.insert("exp".into(), Value::from(now + PROOF_LIFETIME_SECS));
    }
    jws::sign_es256(header, &Value::Object(claims), holder, keys).await
}

/// The credential request body in `form`. `identifier` is a 1.0 `credential_identifier` from the
/// token response; `proof` is a signed proof JWT when the configuration needs one.
pub fn credential_request(
    form: RequestForm,
    configuration_id: &str,
    identifier: Option<&str>,
    config: &CredentialConfiguration,
    proof: Option<&str>,
) -> Value {
    let mut body = Map::new();
    match (form, identifier) {
        (RequestForm::DomeV16, _) => {
            body.insert("format".into(), Value::from(config.format()));
            body.insert("credential_definition".into(), json::object(&mut [("type", config.types().to_vec().into())]));
        }
        (_, Some(identifier)) => {
            body.insert("credential_identifier".into(), Value::from(identifier));
        }
        (RequestForm::V1, None) => {
            body.insert("credential_configuration_id".into(), Value::from(configuration_id));
        }
        (RequestForm::Draft13, None) => {
            body.insert("credential_configuration_id".into(), Value::from(configuration_id));
            body.insert("format".into(), Value::from(config.format()));
        }
    }
    if let Some(jwt) = proof {
        let proof = match form {
            RequestForm::V1 => ("proofs", json::object(&mut [("jwt", vec![jwt].into())])),
            RequestForm::Draft13 => ("proof", json::object(&mut [("proof_type", "jwt".into()), ("jwt", jwt.into())])),
            RequestForm::DomeV16 => ("proofs", json::object(&mut [("proof_type", "jwt".into()), ("jwt", vec![jwt].into())])),
        };
        body.insert(proof.0.into(), proof.1);
    }
    Value::Object(body)
}

/// A credential (or deferred credential) endpoint's successful answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialAnswer {
    /// Signed credentials (compact JWS, structure checked, signature not yet verified).
    Issued { credentials: Vec<String>, notification_id: Option<String>, c_nonce: Option<String> },
    /// Come back later with `transaction_id`.
    Deferred { transaction_id: String, interval: Option<u64>, notification_id: Option<String> },
}

struct RawCredentialResponse {
    /// 1.0: `[{credential}]`; draft 14 issuers (Credo's draft-13 style) send `["<JWT>"]`.
    credentials: Option<Vec<Value>>,
    credential: Option<Value>,
    transaction_id: Option<String>,
    interval: Option<Value>,
    notification_id: Option<String>,
    c_nonce: Option<String>,
}

impl RawCredentialResponse {
    /// Reads the members, checking their types (values are checked by [`parse_credential_answer`]).
    ///
    /// Members are copied out, never removed: nothing else removes from a JSON map, so the
    /// B-tree's removal code (~4 KB of WebAssembly) stays out of the engine.
    fn read(reply: &Reply) -> Result<Self, String> {
        let answer = reply.object()?;
        let credentials = json::opt_array(&answer, "credentials")?.cloned();
        Ok(Self {
            credentials,
            credential: answer.get("credential").filter(|c| !c.is_null()).cloned(),
            transaction_id: json::opt_string(&answer, "transaction_id")?,
            interval: answer.get("interval").filter(|i| !i.is_null()).cloned(),
            notification_id: json::opt_string(&answer, "notification_id")?,
            c_nonce: json::opt_string(&answer, "c_nonce")?,
        })
    }
}


/// Reads a 200 or 202 answer of the credential or deferred credential endpoint.
///
/// A 202 is always deferred: DOME v1.6 puts an *unsigned* credential JSON in `credential` next
/// to the `transaction_id`, which must never be taken for the credential.
pub fn parse_credential_answer(reply: &Reply, step: Step) -> Result<CredentialAnswer, IssuanceError> {
    let bad = |detail: String| IssuanceError::BadResponse { step, detail };
    let raw = RawCredentialResponse::read(reply).map_err(bad)?;
    let notification_id = raw.notification_id.filter(|id| is_safe_id(id));
    let deferred = |transaction_id: String| {
        if !is_safe_id(&transaction_id) {
            return Err(bad("transaction_id is empty or too long".into()));
        }
        let interval = raw.interval.as_ref().and_then(|i| i.as_u64().or_else(|| i.as_f64().filter(|f| *f > 0.0).map(|f| f.ceil() as u64)));
        Ok(CredentialAnswer::Deferred { transaction_id, interval, notification_id: notification_id.clone() })
    };
    if reply.status == 202 {
        return match raw.transaction_id {
            Some(id) => deferred(id),
            None => Err(bad("HTTP 202 without a transaction_id".into())),
        };
    }
    let credentials: Vec<Value> = match (raw.credentials, raw.credential) {
        (Some(list), _) if !list.is_empty() => list
            .into_iter()
            .map(|c| match c {
                Value::Object(entry) => entry.get("credential").cloned().unwrap_or(Value::Null),
                other => other,
            })
            .collect(),
        (_, Some(single)) if !single.is_null() => vec![single],
        _ => {
            return match raw.transaction_id {
                Some(id) => deferred(id),
                None => Err(bad("no credentials and no transaction_id".into())),
            }
        }
    };
    if credentials.len() > MAX_CREDENTIALS_PER_RESPONSE {
        return Err(bad(format!("{} credentials in one answer", credentials.len())));
    }
    let credentials = credentials
        .into_iter()
        .map(|c| match c {
            Value::String(jwt) => Jws::parse(&jwt).map(|_| jwt).map_err(|e| bad(format!("the credential is not a compact JWS: {e}"))),
            _ => Err(bad("the credential is not a string (only jwt_vc_json is supported)".into())),
        })
        .try_vec()?;
    Ok(CredentialAnswer::Issued { credentials, notification_id, c_nonce: raw.c_nonce.filter(|n| is_safe_id(n)) })
}

/// OpenID4VCI members of an error answer: a fresh `c_nonce` (draft 13 `invalid_proof`,
/// `invalid_nonce`) and `interval` (draft 13 `issuance_pending`).
#[derive(Debug, Default)]
pub struct ErrorExtras {
    pub c_nonce: Option<String>,
    pub interval: Option<u64>,
}

/// The extras of an error answer; none at all when the answer is not JSON or either member has
/// the wrong type.
pub fn error_extras(reply: &Reply) -> ErrorExtras {
    let read = || -> Result<ErrorExtras, String> {
        let answer = reply.object()?;
        Ok(ErrorExtras { c_nonce: json::opt_string(&answer, "c_nonce")?, interval: json::opt_u64(&answer, "interval")? })
    };
    let extras = read().unwrap_or_default();
    ErrorExtras { c_nonce: extras.c_nonce.filter(|n| is_safe_id(n)), interval: extras.interval }
}

pub fn deferred_request(transaction_id: &str) -> Value {
    json::object(&mut [("transaction_id", transaction_id.into())])
}

/// The notification request (1.0 §11.1). `dome_names` adds the camelCase `notificationId` that
/// DOME's issuer reads.
pub fn notification_request(notification_id: &str, event: &str, dome_names: bool) -> Value {
    let mut body = json::object(&mut [("notification_id", notification_id.into()), ("event", event.into())]);
    if let (true, Some(map)) = (dome_names, body.as_object_mut()) {
        map.insert("notificationId".into(), Value::from(notification_id));
    }
    body
}

/// Identifiers from the issuer (nonces, transaction and notification ids) are echoed back in
/// JSON: bounded, printable, non-empty.
fn is_safe_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_LEN && !id.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn reply(status: u16, body: Value) -> Reply {
        Reply { status, body: body.to_string().into_bytes() }
    }

    const JWT: &str = "eyJhbGciOiJFUzI1NiJ9.e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    #[test]
    fn the_form_is_chosen_from_the_issuers_messages() {
        assert_eq!(RequestForm::choose(true, true), RequestForm::V1);
        assert_eq!(RequestForm::choose(true, false), RequestForm::V1);
        assert_eq!(RequestForm::choose(false, true), RequestForm::DomeV16);
        assert_eq!(RequestForm::choose(false, false), RequestForm::Draft13);
    }

    #[test]
    fn token_responses() {
        let t = parse_token(&reply(200, json!({"access_token": "a.b-c_d", "token_type": "bearer", "expires_in": 2591999, "refresh_token": "r"}))).unwrap();
        assert_eq!((t.access_token.secret(), t.c_nonce.as_deref()), ("a.b-c_d", None));
        let t = parse_token(&reply(200, json!({
            "access_token": "t", "token_type": "Bearer", "c_nonce": "n",
            "authorization_details": [{"type": "openid_credential", "credential_configuration_id": "A", "credential_identifiers": ["A-1", "A-2"]}, {"type": "other"}],
        })))
        .unwrap();
        assert_eq!(t.c_nonce.as_deref(), Some("n"));
        assert_eq!(crate::core::collections::lookup(&t.credential_identifiers, "A").unwrap(), &["A-1".to_owned(), "A-2".to_owned()]);
        assert_eq!(parse_token(&reply(200, json!({"access_token": "t", "token_type": "DPoP"}))).unwrap_err(), IssuanceError::DpopRequired);
        for bad in [
            json!({"token_type": "bearer"}),
            json!({"access_token": "t"}),
            json!({"access_token": "t", "token_type": "mac"}),
            json!({"access_token": "", "token_type": "bearer"}),
            json!({"access_token": "t\r\nX-Evil: 1", "token_type": "bearer"}),
            json!({"access_token": "x".repeat(MAX_ACCESS_TOKEN_LEN + 1), "token_type": "bearer"}),
        ] {
            assert!(matches!(parse_token(&reply(200, bad.clone())), Err(IssuanceError::BadResponse { step: Step::Token, .. })), "{bad}");
        }
        assert!(matches!(parse_token(&Reply { status: 200, body: b"<html>".to_vec() }), Err(IssuanceError::BadResponse { .. })));
    }

    #[test]
    fn credential_answers() {
        let issued = |v| parse_credential_answer(&reply(200, v), Step::Credential);
        assert_eq!(
            issued(json!({"credentials": [{"credential": JWT}], "notification_id": "n-1"})),
            Ok(CredentialAnswer::Issued { credentials: vec![JWT.into()], notification_id: Some("n-1".into()), c_nonce: None })
        );
        // Legacy single credential, with a fresh c_nonce (DOME v1.6 "immediate_http_200_main").
        assert_eq!(
            issued(json!({"credential": JWT, "c_nonce": "fGFF7UkhLA", "c_nonce_expires_in": 600})),
            Ok(CredentialAnswer::Issued { credentials: vec![JWT.into()], notification_id: None, c_nonce: Some("fGFF7UkhLA".into()) })
        );
        // Draft 14 issuers (Credo's draft-13 style) list the credentials as plain strings.
        assert_eq!(
            issued(json!({"credentials": [JWT]})),
            Ok(CredentialAnswer::Issued { credentials: vec![JWT.into()], notification_id: None, c_nonce: None })
        );
        assert!(matches!(issued(json!({"credentials": [7]})), Err(IssuanceError::BadResponse { .. })));
        // `transaction_id: null` beside credentials (in2 wallet's release_v2_x_shape).
        assert!(matches!(issued(json!({"credentials": [{"credential": JWT}], "transaction_id": null})), Ok(CredentialAnswer::Issued { .. })));
        // 200 with only a transaction_id is deferred.
        assert_eq!(
            issued(json!({"transaction_id": "t", "interval": 5})),
            Ok(CredentialAnswer::Deferred { transaction_id: "t".into(), interval: Some(5), notification_id: None })
        );
        // 202 with the v1.6 unsigned credential: deferred, the credential ignored.
        let unsigned = "{\"id\":\"urn:uuid:1\",\"type\":[\"VerifiableCredential\"]}";
        assert_eq!(
            parse_credential_answer(&reply(202, json!({"credential": unsigned, "transaction_id": "t-1"})), Step::Credential),
            Ok(CredentialAnswer::Deferred { transaction_id: "t-1".into(), interval: None, notification_id: None })
        );
        assert!(matches!(parse_credential_answer(&reply(202, json!({"credential": JWT})), Step::Credential), Err(IssuanceError::BadResponse { .. })));
        for bad in [
            json!({}),
            json!({"credentials": []}),
            json!({"credentials": [{"credential": {"mso": "mdoc"}}]}),
            json!({"credential": "not a jwt"}),
            json!({"credentials": [{"nope": 1}]}),
            json!({"credentials": vec![json!({"credential": JWT}); 17]}),
        ] {
            assert!(matches!(issued(bad.clone()), Err(IssuanceError::BadResponse { .. })), "{bad}");
        }
    }

    #[test]
    fn notification_bodies() {
        assert_eq!(notification_request("n", "credential_accepted", false), json!({"notification_id": "n", "event": "credential_accepted"}));
        assert_eq!(
            notification_request("n", "credential_deleted", true),
            json!({"notification_id": "n", "notificationId": "n", "event": "credential_deleted"})
        );
    }
}
