//! `credentialStatus` entries: where to look up whether a credential was revoked.
//!
//! - [`CredentialStatus::BitstringStatusListEntry`] (W3C Bitstring Status List v1.0): the bit
//!   at `statusListIndex` (a decimal string) of the list in the credential at
//!   `statusListCredential`. DOME v3 credentials use it; the list credential is a JAdES JWT whose
//!   payload is the bare status list credential.
//! - [`CredentialStatus::StatusList2021Entry`]: the predecessor (W3C CCG Status List 2021), read
//!   the same way from a `StatusList2021Credential`.
//! - [`CredentialStatus::PlainListEntity`]: DOME's legacy form, same field names, but the index
//!   is an opaque token (`"SYC908RIQQqeUXR19nh3EQ"`): DOME's issuer serves, at
//!   `statusListCredential`, an unsigned JSON array of the revoked ones, `[{"nonce": "<token>"}]`.
//! - Anything else is kept as [`CredentialStatus::Unknown`] so the wallet can say it cannot check it.
//!
//! This module only reads the entry; [`super::status_list`] fetches, checks and reads the lists.

use crate::core::collections::TryCollect;
use crate::core::quote::quoted;
use serde_json::{Map, Value};

use super::json_kind;
use crate::core::url;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StatusError {
    #[error("expected an object or an array of objects; found {0}")]
    NotAnObject(&'static str),
    #[error("a {kind} entry needs a string {q_field}", q_field = quoted(.field))]
    MissingField { kind: &'static str, field: &'static str },
    #[error("statusListIndex must be a non-negative decimal integer; found {q0}", q0 = quoted(.0))]
    BadIndex(String),
    #[error("statusListCredential must be an absolute URL; found {q0}", q0 = quoted(.0))]
    BadUrl(String),
    #[error("statusSize must be an integer from 1 to 8; found {0}")]
    BadSize(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialStatus {
    BitstringStatusListEntry {
        id: Option<String>,
        url: url::Url,
        index: u64,
        purpose: String,
        /// Bits per entry (`statusSize`, 1 unless given).
        size: u8,
    },
    StatusList2021Entry {
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
            .try_vec(),
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
    const LIST_2021: &str = "StatusList2021Entry";
    const PLAIN: &str = "PlainListEntity";
    let index = |kind: &'static str| match entry.get("statusListIndex") {
        Some(Value::String(s)) if !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse::<u64>().map_err(|_| StatusError::BadIndex(s.clone()))
        }
        // The specification says string; a JSON integer means the same and costs nothing.
        Some(Value::Number(n)) => n.as_u64().ok_or_else(|| StatusError::BadIndex(crate::core::json::number_text(n))),
        Some(Value::String(s)) => Err(StatusError::BadIndex(s.chars().take(40).collect())),
        _ => Err(StatusError::MissingField { kind, field: "statusListIndex" }),
    };
    match kind.as_deref() {
        Some(BITSTRING) => {
            let kind = BITSTRING;
            // Bitstring Status List v1.0 §2.1: absent means 1.
            let size = match entry.get("statusSize") {
                None => 1,
                Some(Value::Number(n)) => match n.as_u64() {
                    Some(size @ 1..=8) => size as u8,
                    _ => return Err(StatusError::BadSize(crate::core::json::number_text(n))),
                },
                Some(other) => return Err(StatusError::BadSize(json_kind(other).to_owned())),
            };
            return Ok(CredentialStatus::BitstringStatusListEntry {
                id: text("id"),
                url: url(kind)?,
                index: index(kind)?,
                purpose: required(kind, "statusPurpose")?,
                size,
            });
        }
        Some(LIST_2021) => {
            return Ok(CredentialStatus::StatusList2021Entry {
                id: text("id"),
                url: url(LIST_2021)?,
                index: index(LIST_2021)?,
                purpose: required(LIST_2021, "statusPurpose")?,
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
                size: 1,
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
        let entries = json!([{"type": "RevocationList2020Status"}, {"id": "x"}]);
        assert_eq!(
            parse(&entries).unwrap(),
            [
                CredentialStatus::Unknown { kind: Some("RevocationList2020Status".into()) },
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
        let sized = |size: Value| {
            json!({"type": "BitstringStatusListEntry", "statusPurpose": "message", "statusListIndex": "7", "statusSize": size, "statusListCredential": url})
        };
        assert!(matches!(&parse(&sized(json!(2))).unwrap()[..], [CredentialStatus::BitstringStatusListEntry { size: 2, .. }]));
        for bad in [json!(0), json!(9), json!(1.5), json!("1")] {
            assert!(matches!(parse(&sized(bad.clone())), Err(StatusError::BadSize(_))), "{bad}");
        }
    }

    #[test]
    fn status_list_2021_entries_are_read_like_bitstring_ones() {
        // Shaped as Status List 2021 describes its entries (the index a decimal string).
        let entry = json!({
            "id": "https://example.com/credentials/status/3#94567",
            "type": "StatusList2021Entry",
            "statusPurpose": "revocation",
            "statusListIndex": "94567",
            "statusListCredential": "https://example.com/credentials/status/3"
        });
        assert_eq!(
            parse(&entry).unwrap(),
            [CredentialStatus::StatusList2021Entry {
                id: Some("https://example.com/credentials/status/3#94567".into()),
                url: "https://example.com/credentials/status/3".parse().unwrap(),
                index: 94567,
                purpose: "revocation".into(),
            }]
        );
    }
}
