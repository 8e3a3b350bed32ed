//! The wallet's records in IndexedDB: credentials and the activity log.
//!
//! Records are plain JavaScript objects so the interface reads them without any JSON machinery;
//! protocol state the interface never reads (a deferred issuance, a notification handle) is kept
//! as the engine's own JSON text inside the record.

use js_sys::{Array, Object};
use wasm_bindgen::JsValue;
use web_sys::{IdbDatabase, IdbTransactionMode};

use super::idb;
use super::schema;
use crate::bridge::{get, get_array, get_f64, get_str, obj};
use crate::core::credential::standing::{Listed, StatusRecord, Unverifiable};
use crate::core::error::StorageError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CredentialState {
    /// Issued, verified and stored.
    Valid,
    /// Accepted, waiting for the issuer's signature (deferred issuance).
    Pending,
}

impl CredentialState {
    fn as_str(self) -> &'static str {
        match self {
            CredentialState::Valid => "valid",
            CredentialState::Pending => "pending",
        }
    }
}

/// What the credentials list shows, computed by the engine when the credential arrives.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// The credential type, e.g. `LEARCredentialEmployee`.
    pub credential_type: String,
    pub organisation: Option<String>,
    pub mandatee: Option<String>,
    /// Unix seconds.
    pub valid_from: Option<f64>,
    pub valid_until: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StoredCredential {
    pub id: String,
    pub state: CredentialState,
    /// The credential exactly as issued (absent while pending).
    pub jwt: Option<String>,
    pub format: String,
    pub configuration_id: String,
    pub issuer_url: String,
    pub issuer_name: Option<String>,
    /// The did:key of the holder key bound to this credential (one key per credential).
    pub holder_did: String,
    /// Milliseconds since the Unix epoch.
    pub received_at: f64,
    pub summary: Summary,
    /// The engine's JSON for resuming a deferred issuance.
    pub deferred: Option<String>,
    /// The engine's JSON for telling the issuer about deletion.
    pub notification: Option<String>,
    /// What the issuer's status lists said, and when (absent until the engine first checks).
    pub status: Option<StatusRecord>,
}

fn opt_str(value: &Option<String>) -> JsValue {
    value.as_deref().map(JsValue::from_str).unwrap_or(JsValue::UNDEFINED)
}

fn opt_f64(value: Option<f64>) -> JsValue {
    value.map(JsValue::from_f64).unwrap_or(JsValue::UNDEFINED)
}

fn status_to_js(s: &StatusRecord) -> Object {
    obj(&[
        ("entries", s.entries.into()),
        ("listed", s.listed.map(|l| JsValue::from_str(l.as_str())).unwrap_or(JsValue::UNDEFINED)),
        ("checkedAt", opt_f64(s.checked_at)),
        ("problem", s.problem.map(|p| JsValue::from_str(p.as_str())).unwrap_or(JsValue::UNDEFINED)),
        ("attemptedAt", opt_f64(s.attempted_at)),
    ])
}

fn status_from_js(value: &JsValue) -> Option<StatusRecord> {
    let entries = get_f64(value, "entries")?;
    Some(StatusRecord {
        entries: entries as u32,
        listed: get_str(value, "listed").as_deref().and_then(Listed::parse),
        checked_at: get_f64(value, "checkedAt"),
        problem: get_str(value, "problem").as_deref().and_then(Unverifiable::parse),
        attempted_at: get_f64(value, "attemptedAt"),
    })
}

fn required(record: &JsValue, key: &str) -> Result<String, StorageError> {
    get_str(record, key).ok_or_else(|| StorageError::Corrupt(format!("credential record without {key}")))
}

impl StoredCredential {
    pub fn to_js(&self) -> Object {
        let s = &self.summary;
        let summary = obj(&[
            ("type", s.credential_type.as_str().into()),
            ("organisation", opt_str(&s.organisation)),
            ("mandatee", opt_str(&s.mandatee)),
            ("validFrom", opt_f64(s.valid_from)),
            ("validUntil", opt_f64(s.valid_until)),
        ]);
        obj(&[
            ("id", self.id.as_str().into()),
            ("state", self.state.as_str().into()),
            ("jwt", opt_str(&self.jwt)),
            ("format", self.format.as_str().into()),
            ("configurationId", self.configuration_id.as_str().into()),
            ("issuerUrl", self.issuer_url.as_str().into()),
            ("issuerName", opt_str(&self.issuer_name)),
            ("holderDid", self.holder_did.as_str().into()),
            ("receivedAt", self.received_at.into()),
            ("summary", summary.into()),
            ("deferred", opt_str(&self.deferred)),
            ("notification", opt_str(&self.notification)),
            ("status", self.status.as_ref().map(|s| JsValue::from(status_to_js(s))).unwrap_or(JsValue::UNDEFINED)),
        ])
    }

    pub fn from_js(record: &JsValue) -> Result<Self, StorageError> {
        let state = match get_str(record, "state").as_deref() {
            Some("valid") => CredentialState::Valid,
            Some("pending") => CredentialState::Pending,
            other => return Err(StorageError::Corrupt(format!("credential state {}", other.unwrap_or("(none)")))),
        };
        let summary = get(record, "summary");
        Ok(Self {
            id: required(record, "id")?,
            state,
            jwt: get_str(record, "jwt"),
            format: required(record, "format")?,
            configuration_id: required(record, "configurationId")?,
            issuer_url: required(record, "issuerUrl")?,
            issuer_name: get_str(record, "issuerName"),
            holder_did: required(record, "holderDid")?,
            received_at: get_f64(record, "receivedAt").unwrap_or(0.0),
            summary: Summary {
                credential_type: get_str(&summary, "type").unwrap_or_default(),
                organisation: get_str(&summary, "organisation"),
                mandatee: get_str(&summary, "mandatee"),
                valid_from: get_f64(&summary, "validFrom"),
                valid_until: get_f64(&summary, "validUntil"),
            },
            deferred: get_str(record, "deferred"),
            notification: get_str(record, "notification"),
            status: status_from_js(&get(record, "status")),
        })
    }
}

/// Every stored credential, newest first. A malformed record is skipped, not fatal: the rest of
/// the wallet stays readable.
pub async fn credentials(db: &IdbDatabase) -> Result<Vec<StoredCredential>, StorageError> {
    let records = idb::get_all(db, schema::CREDENTIALS).await?;
    let mut out: Vec<StoredCredential> = records.iter().filter_map(|r| StoredCredential::from_js(&r).ok()).collect();
    crate::core::collections::sort_by(&mut out, |a, b| b.received_at.total_cmp(&a.received_at));
    Ok(out)
}

pub async fn credential(db: &IdbDatabase, id: &str) -> Result<Option<StoredCredential>, StorageError> {
    let record = idb::get(db, schema::CREDENTIALS, &id.into()).await?;
    if record.is_undefined() {
        return Ok(None);
    }
    StoredCredential::from_js(&record).map(Some)
}

/// Writes a credential (new, or replacing its pending form) in one transaction.
pub async fn put_credential(db: &IdbDatabase, credential: &StoredCredential) -> Result<(), StorageError> {
    idb::put(db, schema::CREDENTIALS, &credential.to_js(), None).await
}

/// Records a credential's status, in one transaction that reads the record and writes it back
/// with only `status` changed: a credential deleted meanwhile stays deleted (`Ok(false)`), and
/// a change made to it meanwhile is kept.
pub async fn set_status(db: &IdbDatabase, id: &str, status: &StatusRecord) -> Result<bool, StorageError> {
    let status = status_to_js(status);
    idb::update(db, schema::CREDENTIALS, &id.into(), move |record| {
        if !record.is_object() {
            return None;
        }
        let _ = js_sys::Reflect::set(record, &"status".into(), &status);
        Some(record.clone())
    })
    .await
}

/// Deletes a credential together with its holder key, atomically.
pub async fn delete_credential(db: &IdbDatabase, credential: &StoredCredential) -> Result<(), StorageError> {
    let tx = idb::transaction(db, &[schema::CREDENTIALS, schema::KEYS], IdbTransactionMode::Readwrite)?;
    let op = |e: JsValue| StorageError::Operation(super::js_error(&e));
    idb::store(&tx, schema::CREDENTIALS)?.delete(&credential.id.as_str().into()).map_err(op)?;
    idb::store(&tx, schema::KEYS)?.delete(&credential.holder_did.as_str().into()).map_err(op)?;
    idb::committed(&tx).await
}

/// Deletes holder keys no credential uses (left by an issuance that failed).
pub async fn delete_key(db: &IdbDatabase, did: &str) -> Result<(), StorageError> {
    let tx = idb::transaction(db, &[schema::KEYS], IdbTransactionMode::Readwrite)?;
    idb::store(&tx, schema::KEYS)?
        .delete(&did.into())
        .map_err(|e| StorageError::Operation(super::js_error(&e)))?;
    idb::committed(&tx).await
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityKind {
    Issuance,
    Presentation,
    Deletion,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Pending,
    Declined,
    Failed,
}

/// One line of the activity log. It names claims but never holds their values, PINs, codes or
/// tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityEntry {
    /// Milliseconds since the Unix epoch.
    pub at: f64,
    pub kind: ActivityKind,
    /// The issuer's or verifier's name as shown to the user, and its identifier.
    pub peer_name: String,
    pub peer_id: String,
    pub credential_type: Option<String>,
    pub claims: Vec<String>,
    pub outcome: Outcome,
    /// A stable message id for failures (translated by the interface).
    pub reason: Option<String>,
}

impl ActivityEntry {
    fn to_js(&self) -> Object {
        let claims: Array = self.claims.iter().map(|c| JsValue::from_str(c)).collect();
        obj(&[
            ("at", self.at.into()),
            ("kind", match self.kind {
                ActivityKind::Issuance => "issuance",
                ActivityKind::Presentation => "presentation",
                ActivityKind::Deletion => "deletion",
            }.into()),
            ("peerName", self.peer_name.as_str().into()),
            ("peerId", self.peer_id.as_str().into()),
            ("credentialType", opt_str(&self.credential_type)),
            ("claims", claims.into()),
            ("outcome", match self.outcome {
                Outcome::Success => "success",
                Outcome::Pending => "pending",
                Outcome::Declined => "declined",
                Outcome::Failed => "failed",
            }.into()),
            ("reason", opt_str(&self.reason)),
        ])
    }

    fn from_js(record: &JsValue) -> Option<Self> {
        Some(Self {
            at: get_f64(record, "at")?,
            kind: match get_str(record, "kind")?.as_str() {
                "issuance" => ActivityKind::Issuance,
                "presentation" => ActivityKind::Presentation,
                "deletion" => ActivityKind::Deletion,
                _ => return None,
            },
            peer_name: get_str(record, "peerName").unwrap_or_default(),
            peer_id: get_str(record, "peerId").unwrap_or_default(),
            credential_type: get_str(record, "credentialType"),
            claims: get_array(record, "claims").iter().filter_map(|c| c.as_string()).collect(),
            outcome: match get_str(record, "outcome")?.as_str() {
                "success" => Outcome::Success,
                "pending" => Outcome::Pending,
                "declined" => Outcome::Declined,
                _ => Outcome::Failed,
            },
            reason: get_str(record, "reason"),
        })
    }
}

pub async fn add_activity(db: &IdbDatabase, entry: &ActivityEntry) -> Result<(), StorageError> {
    idb::put(db, schema::ACTIVITY, &entry.to_js(), None).await
}

/// The activity log, newest first.
pub async fn activity(db: &IdbDatabase) -> Result<Vec<ActivityEntry>, StorageError> {
    let records = idb::get_all(db, schema::ACTIVITY).await?;
    let mut out: Vec<ActivityEntry> = records.iter().filter_map(|r| ActivityEntry::from_js(&r)).collect();
    out.reverse();
    Ok(out)
}

/// Records that a request was answered; `false` when it already was (a replay).
pub async fn remember_request(db: &IdbDatabase, key: &str, at: f64) -> Result<bool, StorageError> {
    let tx = idb::transaction(db, &[schema::SEEN_REQUESTS], IdbTransactionMode::Readwrite)?;
    let store = idb::store(&tx, schema::SEEN_REQUESTS)?;
    let record = obj(&[("key", key.into()), ("at", at.into())]);
    // `add` fails with a ConstraintError when the key exists.
    let req = store.add(&record).map_err(|e| StorageError::Operation(super::js_error(&e)))?;
    match idb::request(&req).await {
        Ok(_) => idb::committed(&tx).await.map(|_| true),
        Err(_) => Ok(false),
    }
}

/// The setting that names a trusted issuers registry (EBSI TIR v4); absent or empty: off.
pub const REGISTRY_SETTING: &str = "trustedIssuersRegistry";

/// The trusted issuers registry's URL, when one is set.
pub async fn registry(db: &IdbDatabase) -> Option<String> {
    idb::get(db, schema::SETTINGS, &REGISTRY_SETTING.into()).await.ok()?.as_string().filter(|url| !url.is_empty())
}

/// Sets the trusted issuers registry's URL (empty: off).
pub async fn set_registry(db: &IdbDatabase, url: &str) -> Result<(), StorageError> {
    idb::put(db, schema::SETTINGS, &url.into(), Some(&REGISTRY_SETTING.into())).await
}
