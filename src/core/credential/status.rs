//! `credentialStatus` entries: where to look up whether a credential was revoked.
//!
//! - [`CredentialStatus::BitstringStatusListEntry`] (W3C Bitstring Status List v1.0): the bit
//!   at `statusListIndex` (a decimal string) of the list in the credential at
//!   `statusListCredential`. DOME v3 credentials use it; the list credential is a JAdES JWT whose
//!   payload is the bare status list credential.
//! - [`CredentialStatus::PlainListEntity`]: DOME's legacy form, same field names, but the index
//!   is an opaque token (`"SYC908RIQQqeUXR19nh3EQ"`) looked up in a plain list.
//! - Anything else is kept as [`CredentialStatus::Unknown`] so the wallet can say it cannot check it.
//!
//! This module only reads the entry; fetching and decoding the list is a separate step.

use serde_json::{Map, Value};

use super::json_kind;
use crate::core::url;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StatusError {
    #[error("expected an object or an array of objects; found {0}")]
    NotAnObject(&'static str),
    #[error("a {kind} entry needs a string {field:?}")]
    MissingField { kind: &'static str, field: &'static str },
    #[error("statusListIndex must be a non-negative decimal integer; found {0:?}")]
    BadIndex(String),
    #[error("statusListCredential must be an absolute URL; found {0:?}")]
    BadUrl(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialStatus {
    BitstringStatusListEntry {
        id: Option<String>,
        url: url::Url,
        index: u64,
        purpose: String,
    },
    PlainListEntity {
        id: Option<String>,
        url: url::Url,
        index: String,
        purpose: Option<String>,
    },
    /// A mechanism the wallet does not know, by its `type`.
    Unknown {
        kind: Option<String>,
    },
}

/// Reads `credentialStatus`: one entry or an array of them (VCDM 2.0 allows several, e.g. one
/// for revocation and one for suspension).
pub fn parse(value: &Value) -> Result<Vec<CredentialStatus>, StatusError> {
    match value {
        Value::Object(entry) => Ok(vec![parse_entry(entry)?]),
        Value::Array(entries) => entries
            .iter()
            .map(|e| match e {
                Value::Object(entry) => parse_entry(entry),
                other => Err(StatusError::NotAnObject(json_kind(other))),
            })
            .collect(),
        other => Err(StatusError::NotAnObject(json_kind(other))),
    }
}

fn parse_entry(entry: &Map<String, Value>) -> Result<CredentialStatus, StatusError> {
    let text = |name: &str| entry.get(name).and_then(Value::as_str).map(str::to_owned);
    let kind = text("type");
    let required =
        |kind: &'static str, field: &'static str| text(field).ok_or(StatusError::MissingField { kind, field });
    let url = |kind: &'static str| {
        let raw = required(kind, "statusListCredential")?;
        url::Url::parse(&raw).map_err(|_| StatusError::BadUrl(raw))
    };
    const BITSTRING: &str = "BitstringStatusListEntry";
    const PLAIN: &str = "PlainListEntity";
    match kind.as_deref() {
        Some(BITSTRING) => {
            let kind = BITSTRING;
            let index = match entry.get("statusListIndex") {
                Some(Value::String(s)) if !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit()) => {
                    s.parse::<u64>().map_err(|_| StatusError::BadIndex(s.clone()))?
                }
                // The specification says string; a JSON integer means the same and costs nothing.
                Some(Value::Number(n)) => n.as_u64().ok_or_else(|| StatusError::BadIndex(n.to_string()))?,
                Some(Value::String(s)) => return Err(StatusError::BadIndex(s.chars().take(40).collect())),
                _ => return Err(StatusError::MissingField { kind, field: "statusListIndex" }),
            };
            return Ok(CredentialStatus::BitstringStatusListEntry {
                id: text("id"),
                url: url(kind)?,
                index,
                purpose: required(kind, "statusPurpose")?,
            });
        }
        Some(PLAIN) => {
            return Ok(CredentialStatus::PlainListEntity {
                id: text("id"),
                url: url(PLAIN)?,
                index: required(PLAIN, "statusListIndex")?,
                purpose: text("statusPurpose"),
            });
        }
        _ => {}
    }
    Ok(CredentialStatus::Unknown { kind })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bitstring_entry_as_dome_v3_writes_it() {
        let entry = json!({
            "id": "https://issuer.dome-marketplace.eu/w3c/v1/credentials/status/1#94567",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "94567",
            "statusListCredential": "https://issuer.dome-marketplace.eu/w3c/v1/credentials/status/1"
        });
        assert_eq!(
            parse(&entry).unwrap(),
            [CredentialStatus::BitstringStatusListEntry {
                id: Some("https://issuer.dome-marketplace.eu/w3c/v1/credentials/status/1#94567".into()),
                url: "https://issuer.dome-marketplace.eu/w3c/v1/credentials/status/1".parse().unwrap(),
                index: 94567,
                purpose: "revocation".into(),
            }]
        );
    }

    #[test]
    fn plain_list_entity_keeps_its_opaque_index() {
        let entry = json!({
            "type": "PlainListEntity",
            "statusPurpose": "revocation",
            "statusListIndex": "SYC908RIQQqeUXR19nh3EQ",
            "statusListCredential": "https://issuer.dome-marketplace-sbx.org/backoffice/v1/credentials/status/1"
        });
        let [CredentialStatus::PlainListEntity { index, purpose, .. }] = &parse(&entry).unwrap()[..] else { panic!() };
        assert_eq!((index.as_str(), purpose.as_deref()), ("SYC908RIQQqeUXR19nh3EQ", Some("revocation")));
    }

    #[test]
    fn arrays_and_unknown_types() {
        let entries = json!([{"type": "StatusList2021Entry"}, {"id": "x"}]);
        assert_eq!(
            parse(&entries).unwrap(),
            [
                CredentialStatus::Unknown { kind: Some("StatusList2021Entry".into()) },
                CredentialStatus::Unknown { kind: None }
            ]
        );
        assert_eq!(parse(&json!("revoked?")), Err(StatusError::NotAnObject("a string")));
        assert_eq!(parse(&json!([1])), Err(StatusError::NotAnObject("a number")));
    }

    #[test]
    fn refuses_bad_bitstring_entries() {
        let entry = |index: Value, url: &str| json!({"type": "BitstringStatusListEntry", "statusPurpose": "revocation", "statusListIndex": index, "statusListCredential": url});
        let url = "https://issuer.example/status/1";
        for bad in ["-1", "1e3", "", " 1", "0x10", "99999999999999999999", "1".repeat(50).as_str()] {
            assert!(matches!(parse(&entry(json!(bad), url)), Err(StatusError::BadIndex(_))), "{bad:?}");
        }
        assert!(matches!(parse(&entry(json!(-1), url)), Err(StatusError::BadIndex(_))));
        assert_eq!(parse(&entry(json!(7), url)).map(|v| v.len()), Ok(1));
        assert!(matches!(parse(&entry(json!("7"), "/status/1")), Err(StatusError::BadUrl(_))));
        let no_purpose =
            json!({"type": "BitstringStatusListEntry", "statusListIndex": "7", "statusListCredential": url});
        assert_eq!(
            parse(&no_purpose),
            Err(StatusError::MissingField { kind: "BitstringStatusListEntry", field: "statusPurpose" })
        );
    }
}
