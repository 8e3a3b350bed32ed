//! The wallet's records in IndexedDB: credentials and the activity log.
//!
//! Records are plain JavaScript objects so the interface reads them without any JSON machinery;
//! protocol state the interface never reads (a deferred issuance, a notification handle) is kept
//! as the engine's own JSON text inside the record.

use js_sys::{Array, Object, JSON};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{IdbDatabase, IdbTransactionMode};

use super::idb;
use super::schema;
use super::vault::{self, DataKey, LockRecord, Sealed};
use crate::bridge::{get, get_array, get_f64, get_str, obj};
use crate::core::credential::standing::{Listed, StatusRecord, Unverifiable};
use crate::core::error::StorageError;
use crate::core::lock::record_aad;

/// How the engine reads and writes records: in the clear (the lock is off), or sealed with the
/// lock's data key (the lock is on and the wallet unlocked). A locked engine has no `Access`.
///
/// Sealed records keep in the clear only what the wallet needs without the key: a credential's
/// `id` (the store's key) and `holderDid` (to delete its key with it and to find keys no
/// credential uses) and its `status` (valid, revoked or suspended and when it was checked: the
/// status round writes it without the data key, and it names nobody); an activity entry's `seq`.
/// Everything else (the credential as issued, its
/// summary with names, deferred-issuance and notification tokens, the issuer; every activity
/// field) is in `sealed` (AES-GCM, bound to the store and the record's key).
#[derive(Debug, Clone)]
pub enum Access {
    Plain,
    Sealed(DataKey),
}

fn crypto_failed(e: crate::core::error::CryptoError) -> StorageError {
    StorageError::Corrupt(e.to_string())
}

fn json_text(value: &JsValue) -> Result<String, StorageError> {
    JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| StorageError::Operation("a record could not be serialised".into()))
}

/// Seals a record's JSON form.
async fn seal_value(key: &DataKey, aad: &[u8], value: &JsValue) -> Result<JsValue, StorageError> {
    let sealed = vault::seal(key, aad, json_text(value)?.as_bytes()).await.map_err(crypto_failed)?;
    Ok(sealed.to_js().into())
}

/// Opens a sealed value: the record's JavaScript object again.
async fn open_value(key: &DataKey, aad: &[u8], sealed: &Sealed) -> Result<JsValue, StorageError> {
    let plain = vault::open(key, aad, sealed).await.map_err(crypto_failed)?;
    let text = String::from_utf8(plain).map_err(|_| StorageError::Corrupt("a sealed record is not UTF-8".into()))?;
    JSON::parse(&text).map_err(|_| StorageError::Corrupt("a sealed record is not JSON".into()))
}

fn sealed_part(record: &JsValue) -> Option<Sealed> {
    Sealed::from_js(&get(record, "sealed"))
}

/// Whether a stored record is sealed (written while the lock was on).
pub fn is_sealed(record: &JsValue) -> bool {
    !get(record, "sealed").is_undefined()
}

const ACTIVITY_AAD_ID: &str = "entry";

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

/// A stored credential record as the wallet reads it: in the clear, or sealed (then `access`
/// must hold the data key it was sealed with).
async fn read_credential(record: &JsValue, access: &Access) -> Result<StoredCredential, StorageError> {
    let Some(sealed) = sealed_part(record) else {
        return StoredCredential::from_js(record);
    };
    let Access::Sealed(key) = access else { return Err(StorageError::Locked) };
    let id = required(record, "id")?;
    let mut inner = StoredCredential::from_js(&open_value(key, &record_aad(schema::CREDENTIALS, &id), &sealed).await?)?;
    // The status is written beside the seal (`set_status` changes it without the data key).
    inner.status = status_from_js(&get(record, "status")).or(inner.status);
    // The outer fields are what deletion and key housekeeping use: they must be the sealed ones.
    if inner.id != id || get_str(record, "holderDid").as_deref() != Some(inner.holder_did.as_str()) {
        return Err(StorageError::Corrupt("a sealed credential does not match its record".into()));
    }
    Ok(inner)
}

/// A credential as it is stored with `access`.
async fn credential_record(credential: &StoredCredential, access: &Access) -> Result<Object, StorageError> {
    let plain = credential.to_js();
    let Access::Sealed(key) = access else { return Ok(plain) };
    let sealed = seal_value(key, &record_aad(schema::CREDENTIALS, &credential.id), &plain).await?;
    let status = credential.status.as_ref().map(|s| JsValue::from(status_to_js(s))).unwrap_or(JsValue::UNDEFINED);
    Ok(obj(&[("id", credential.id.as_str().into()), ("holderDid", credential.holder_did.as_str().into()), ("status", status), ("sealed", sealed)]))
}

fn newest_first(list: &mut [StoredCredential]) {
    crate::core::collections::sort_by(list, |a, b| b.received_at.total_cmp(&a.received_at));
}

/// Every stored credential, newest first. A malformed record (or one that does not decrypt) is
/// skipped, not fatal: the rest of the wallet stays readable.
pub async fn credentials(db: &IdbDatabase, access: &Access) -> Result<Vec<StoredCredential>, StorageError> {
    let records = idb::get_all(db, schema::CREDENTIALS).await?;
    let mut out = Vec::new();
    for record in records.iter() {
        match read_credential(&record, access).await {
            Ok(credential) => out.push(credential),
            Err(e) => web_sys::console::warn_1(&format!("credential record skipped: {e}").into()),
        }
    }
    newest_first(&mut out);
    Ok(out)
}

/// What the interface never needs of a credential record: the credential as issued and the
/// deferred-issuance and notification tokens. Left out of what it reads, they are neither copied
/// into its memory (4 MB for 1,000 credentials, a third of the time to list them) nor held there.
const NOT_LISTED: [&str; 3] = ["jwt", "deferred", "notification"];

fn drop_unlisted(record: &JsValue) {
    if let Some(record) = record.dyn_ref::<Object>() {
        for field in NOT_LISTED {
            let _ = js_sys::Reflect::delete_property(record, &field.into());
        }
    }
}

impl StoredCredential {
    /// A record as the interface lists it (see [`NOT_LISTED`]); `record` loses those fields.
    pub fn listed(record: &JsValue) -> Result<Self, StorageError> {
        drop_unlisted(record);
        Self::from_js(record)
    }

    /// The record for the interface's list (see [`NOT_LISTED`]).
    pub fn to_listed_js(&self) -> Object {
        let record = self.to_js();
        drop_unlisted(&record);
        record
    }
}

/// The credentials stored in the clear, newest first, without what the interface never needs, and whether any sealed ones were seen (the
/// lock is on: only the engine can read them). For the interface, which holds no data key.
pub async fn credentials_in_clear(db: &IdbDatabase) -> Result<(Vec<StoredCredential>, bool), StorageError> {
    let records = idb::get_all(db, schema::CREDENTIALS).await?;
    let sealed = records.iter().any(|r| is_sealed(&r));
    let mut out: Vec<StoredCredential> = records.iter().filter(|r| !is_sealed(r)).filter_map(|r| StoredCredential::listed(&r).ok()).collect();
    newest_first(&mut out);
    Ok((out, sealed))
}

/// The holder key of every stored credential (readable without the data key).
pub async fn holder_dids(db: &IdbDatabase) -> Result<Vec<String>, StorageError> {
    Ok(idb::get_all(db, schema::CREDENTIALS).await?.iter().filter_map(|r| get_str(&r, "holderDid")).collect())
}

pub async fn credential(db: &IdbDatabase, id: &str, access: &Access) -> Result<Option<StoredCredential>, StorageError> {
    let record = idb::get(db, schema::CREDENTIALS, &id.into()).await?;
    if record.is_undefined() {
        return Ok(None);
    }
    read_credential(&record, access).await.map(Some)
}

/// Writes a credential (new, or replacing its pending form) in one transaction, sealed when
/// `access` says so.
pub async fn put_credential(db: &IdbDatabase, credential: &StoredCredential, access: &Access) -> Result<(), StorageError> {
    idb::put(db, schema::CREDENTIALS, &credential_record(credential, access).await?.into(), None).await
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
    pub(crate) fn to_js(&self) -> Object {
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

    pub(crate) fn from_js(record: &JsValue) -> Option<Self> {
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

/// An activity record as stored with `access` (keeping its `seq` when it has one).
async fn activity_record(entry: &ActivityEntry, seq: Option<f64>, access: &Access) -> Result<Object, StorageError> {
    let plain = entry.to_js();
    let record = match access {
        Access::Plain => plain,
        Access::Sealed(key) => obj(&[("sealed", seal_value(key, &record_aad(schema::ACTIVITY, ACTIVITY_AAD_ID), &plain).await?)]),
    };
    if let Some(seq) = seq {
        let _ = js_sys::Reflect::set(&record, &"seq".into(), &seq.into());
    }
    Ok(record)
}

async fn read_activity(record: &JsValue, access: &Access) -> Result<ActivityEntry, StorageError> {
    let malformed = || StorageError::Corrupt("activity record".into());
    let Some(sealed) = sealed_part(record) else {
        return ActivityEntry::from_js(record).ok_or_else(malformed);
    };
    let Access::Sealed(key) = access else { return Err(StorageError::Locked) };
    ActivityEntry::from_js(&open_value(key, &record_aad(schema::ACTIVITY, ACTIVITY_AAD_ID), &sealed).await?).ok_or_else(malformed)
}

pub async fn add_activity(db: &IdbDatabase, entry: &ActivityEntry, access: &Access) -> Result<(), StorageError> {
    idb::put(db, schema::ACTIVITY, &activity_record(entry, None, access).await?.into(), None).await
}

/// The activity log, newest first (entries that do not read are skipped).
pub async fn activity(db: &IdbDatabase, access: &Access) -> Result<Vec<ActivityEntry>, StorageError> {
    let records = idb::get_all(db, schema::ACTIVITY).await?;
    let mut out = Vec::new();
    for record in records.iter() {
        if let Ok(entry) = read_activity(&record, access).await {
            out.push(entry);
        }
    }
    out.reverse();
    Ok(out)
}

/// The activity log in the clear, newest first: for the interface while the lock is off.
pub async fn activity_in_clear(db: &IdbDatabase) -> Result<Vec<ActivityEntry>, StorageError> {
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

/// What happens to the lock record in the transaction that rewrites the records.
#[derive(Debug, Clone, Copy)]
pub enum LockChange<'a> {
    /// The lock is turned on: its record is written with the sealed records.
    Put(&'a LockRecord),
    /// The lock is turned off: its record goes as the records are written in the clear.
    Remove,
}

const RESEAL_STORES: [&str; 4] = [schema::CREDENTIALS, schema::ACTIVITY, schema::KEYS, schema::VAULT];

/// Every record of the stores that [`reseal`] rewrites, in one transaction.
async fn read_stores(tx: &web_sys::IdbTransaction) -> Result<[Array; 3], StorageError> {
    let mut out = [Array::new(), Array::new(), Array::new()];
    for (slot, name) in out.iter_mut().zip([schema::CREDENTIALS, schema::ACTIVITY, schema::KEYS]) {
        let req = idb::store(tx, name)?.get_all().map_err(|e| StorageError::Operation(super::js_error(&e)))?;
        *slot = wasm_bindgen::JsCast::unchecked_into(idb::request(&req).await?);
    }
    Ok(out)
}

fn fingerprint(stores: &[Array; 3]) -> Result<String, StorageError> {
    let all: Array = stores.iter().collect();
    json_text(&all)
}

/// Rewrites every credential and activity record from `from` to `to` (turning the lock on:
/// plain to sealed; off: sealed to plain), and writes or removes the lock record, in **one**
/// transaction: a reload or a crash leaves either the old wallet or the new one, never a mix.
/// Turning the lock off also stores holder keys that were wrapped as plain non-extractable keys.
///
/// The cryptography runs before the transaction (a WebCrypto call would let it commit early);
/// the transaction then checks that nothing changed meanwhile (another tab may have stored a
/// credential) and starts again if it did.
///
/// # Errors
/// Storage failures; a credential that does not read with `from` is left as it is (and logged).
pub async fn reseal(db: &IdbDatabase, from: &Access, to: &Access, lock: LockChange<'_>) -> Result<(), StorageError> {
    let op = |e: JsValue| StorageError::Operation(super::js_error(&e));
    for _attempt in 0..3 {
        let snapshot = read_stores(&idb::transaction(db, &RESEAL_STORES, IdbTransactionMode::Readonly)?).await?;
        let [credentials, activity, keys] = &snapshot;
        let mut writes: Vec<(&str, Object)> = Vec::new();
        for record in credentials.iter() {
            match read_credential(&record, from).await {
                Ok(credential) => writes.push((schema::CREDENTIALS, credential_record(&credential, to).await?)),
                Err(e) => web_sys::console::warn_1(&format!("credential record left as it is: {e}").into()),
            }
        }
        for record in activity.iter() {
            if let Ok(entry) = read_activity(&record, from).await {
                writes.push((schema::ACTIVITY, activity_record(&entry, get_f64(&record, "seq"), to).await?));
            }
        }
        if let (Access::Sealed(key), Access::Plain) = (from, to) {
            for record in keys.iter() {
                if let Some(plain) = super::keystore::unwrapped_record(&record, key).await.map_err(|e| StorageError::Operation(e.to_string()))? {
                    writes.push((schema::KEYS, plain));
                }
            }
        }
        let before = fingerprint(&snapshot)?;
        let tx = idb::transaction(db, &RESEAL_STORES, IdbTransactionMode::Readwrite)?;
        if fingerprint(&read_stores(&tx).await?)? != before {
            let _ = tx.abort();
            continue;
        }
        let issued = (|| -> Result<(), JsValue> {
            for (store, record) in &writes {
                tx.object_store(store)?.put(record)?;
            }
            let vault_store = tx.object_store(schema::VAULT)?;
            match lock {
                LockChange::Put(record) => vault_store.put_with_key(&record.to_js(), &vault::LOCK_RECORD.into()).map(drop),
                LockChange::Remove => vault_store.delete(&vault::LOCK_RECORD.into()).map(drop),
            }
        })();
        if let Err(e) = issued {
            // Puts already issued would otherwise commit: all or nothing.
            let _ = tx.abort();
            return Err(op(e));
        }
        return idb::committed(&tx).await;
    }
    Err(StorageError::Operation("the wallet's records kept changing while the lock was being changed".into()))
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
