//! The wallet's IndexedDB schema and its history.
//!
//! Each migration upgrades the database by one version and runs inside the version-change
//! transaction, so an upgrade happens whole or not at all. Migrations are never edited once
//! released: a later wallet must open every earlier wallet's data.

use wasm_bindgen::JsValue;
use web_sys::{IdbDatabase, IdbObjectStoreParameters, IdbTransaction};

use super::idb;
use crate::core::error::StorageError;

pub const DB_NAME: &str = "dome-wallet";

/// Object stores.
pub const KEYS: &str = "keys";
pub const SETTINGS: &str = "settings";
pub const CREDENTIALS: &str = "credentials";
pub const ACTIVITY: &str = "activity";
/// Authorization requests already answered (client id + nonce), to refuse replays.
pub const SEEN_REQUESTS: &str = "seenRequests";
/// The wallet lock's record (key [`crate::adapters::vault::LOCK_RECORD`]): salts, the data key
/// wrapped by each way of unlocking, the auto-lock time, wrong guesses. Absent: no lock.
pub const VAULT: &str = "vault";

type Migration = fn(&IdbDatabase, &IdbTransaction) -> Result<(), JsValue>;

/// `MIGRATIONS[i]` upgrades version `i` to version `i + 1`.
const MIGRATIONS: &[Migration] = &[v1_keys_and_settings, v2_credentials_and_activity, v3_vault];

/// The schema version this wallet writes.
pub const VERSION: u32 = MIGRATIONS.len() as u32;

/// v1: holder keys (`{did, keyPair, createdAt}`, keyed by DID) and key-value settings.
fn v1_keys_and_settings(db: &IdbDatabase, _tx: &IdbTransaction) -> Result<(), JsValue> {
    let keyed_by_did = IdbObjectStoreParameters::new();
    keyed_by_did.set_key_path(&JsValue::from_str("did"));
    db.create_object_store_with_optional_parameters(KEYS, &keyed_by_did)?;
    db.create_object_store(SETTINGS)?;
    Ok(())
}

fn keyed_by(path: &str) -> IdbObjectStoreParameters {
    let params = IdbObjectStoreParameters::new();
    params.set_key_path(&JsValue::from_str(path));
    params
}

/// v2: credentials (keyed by `id`; each names its holder key's DID), the activity log
/// (auto-numbered `seq`) and answered requests.
fn v2_credentials_and_activity(db: &IdbDatabase, _tx: &IdbTransaction) -> Result<(), JsValue> {
    db.create_object_store_with_optional_parameters(CREDENTIALS, &keyed_by("id"))?;
    let activity = keyed_by("seq");
    activity.set_auto_increment(true);
    db.create_object_store_with_optional_parameters(ACTIVITY, &activity)?;
    db.create_object_store_with_optional_parameters(SEEN_REQUESTS, &keyed_by("key"))?;
    Ok(())
}

/// v3: the wallet lock's record. Existing records stay as they are (readable without a lock);
/// turning the lock on encrypts them (`records::reseal`).
fn v3_vault(db: &IdbDatabase, _tx: &IdbTransaction) -> Result<(), JsValue> {
    db.create_object_store(VAULT)?;
    Ok(())
}

fn upgrade(db: &IdbDatabase, tx: &IdbTransaction, old: u32, new: u32) -> Result<(), JsValue> {
    for version in old..new {
        let migration = MIGRATIONS
            .get(version as usize)
            .ok_or_else(|| JsValue::from_str("no migration for this version"))?;
        migration(db, tx)?;
    }
    Ok(())
}

/// Opens the wallet's database at the current schema version.
pub async fn open() -> Result<IdbDatabase, StorageError> {
    open_at(DB_NAME, VERSION).await
}

/// Opens database `name` at an older or the current `version`: tests use it to write a
/// database as an earlier wallet would have.
pub async fn open_at(name: &str, version: u32) -> Result<IdbDatabase, StorageError> {
    if version == 0 || version > VERSION {
        return Err(StorageError::Operation(format!("schema version {version} does not exist")));
    }
    idb::open(name, version, upgrade).await
}
