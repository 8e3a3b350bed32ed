//! Holder keys in IndexedDB, under their did:key. Without the wallet lock a record keeps a
//! non-extractable WebCrypto key pair (stored by structured clone, so no key bytes are ever
//! readable by script). With the lock on, a new key is stored only wrapped by the lock's data key
//! (`{did, wrapped: {iv, data}, createdAt}`) and unwrapped, non-extractable, for each signature;
//! keys made before the lock was turned on cannot be wrapped (they were never extractable) and
//! stay as they are. Either way a locked store signs nothing.

use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CryptoKey, CryptoKeyPair, IdbDatabase};

use super::vault::{self, DataKey, Sealed};
use super::{idb, schema, webcrypto};
use crate::core::collections::TryCollect;
use crate::core::did_key::{self, DidKey};
use crate::core::error::{CryptoError, Error, PlatformError, StorageError};
use crate::core::ports::HolderKeys;

/// What the UI may know about a key: never the key itself.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyInfo {
    /// The did:key, checked for its form only (the interface carries no curve arithmetic); the
    /// engine parses it as a [`DidKey`] before using it.
    pub did: String,
    /// Milliseconds since the Unix epoch.
    pub created_at: f64,
}

/// How keys are kept: the lock is off, on and unlocked (with the data key), or on and locked.
#[derive(Clone, Debug)]
enum Wrapping {
    None,
    With(DataKey),
    Locked,
}

#[derive(Clone)]
pub struct KeyStore {
    db: IdbDatabase,
    wrapping: Wrapping,
}

fn key_aad(did: &str) -> Vec<u8> {
    crate::core::lock::record_aad(schema::KEYS, did)
}

/// The record of a wrapped key in the form a wallet without the lock keeps (a non-extractable
/// key pair), `None` when `record` is not wrapped: for turning the lock off.
pub(crate) async fn unwrapped_record(record: &JsValue, key: &DataKey) -> Result<Option<Object>, Error> {
    let Some(sealed) = Sealed::from_js(&crate::bridge::get(record, "wrapped")) else { return Ok(None) };
    let info = parse_record(record)?;
    let private = vault::unwrap_private_key(&sealed, key, &key_aad(&info.did)).await?;
    let public = webcrypto::import_public_key(&DidKey::parse(&info.did)?.to_uncompressed()).await?;
    let pair = crate::bridge::obj(&[("privateKey", private.into()), ("publicKey", public.into())]);
    Ok(Some(crate::bridge::obj(&[("did", info.did.as_str().into()), ("keyPair", pair.into()), ("createdAt", info.created_at.into())])))
}

fn field(record: &JsValue, name: &str) -> Result<JsValue, StorageError> {
    Reflect::get(record, &JsValue::from_str(name)).map_err(|_| StorageError::Corrupt(format!("key record without {name}")))
}

fn parse_record(record: &JsValue) -> Result<KeyInfo, StorageError> {
    let did = field(record, "did")?.as_string().ok_or_else(|| StorageError::Corrupt("key record DID".into()))?;
    if !did_key::looks_like_p256_did_key(&did) {
        return Err(StorageError::Corrupt("key record DID".into()));
    }
    let created_at = field(record, "createdAt")?.as_f64().unwrap_or(0.0);
    Ok(KeyInfo { did, created_at })
}

impl KeyStore {
    /// The keys of a wallet without the lock.
    pub fn new(db: IdbDatabase) -> Self {
        Self { db, wrapping: Wrapping::None }
    }

    /// The keys of a wallet with the lock on: `key` is the data key while unlocked, `None` while
    /// locked (then nothing is signed or created).
    pub fn locked_by(db: IdbDatabase, key: Option<DataKey>) -> Self {
        Self { db, wrapping: key.map_or(Wrapping::Locked, Wrapping::With) }
    }

    /// Every stored key, oldest first (keys made in the same millisecond in either order).
    pub async fn list(&self) -> Result<Vec<KeyInfo>, StorageError> {
        let records = idb::get_all(&self.db, schema::KEYS).await?;
        let mut keys = records.iter().map(|r| parse_record(&r)).try_vec()?;
        crate::core::collections::sort_by(&mut keys, |a, b| a.created_at.total_cmp(&b.created_at));
        Ok(keys)
    }

    /// The wallet's first key, created on first start.
    pub async fn ensure_holder_key(&self) -> Result<Vec<KeyInfo>, PlatformError> {
        let keys = self.list().await?;
        if !keys.is_empty() {
            return Ok(keys);
        }
        self.add_key().await?;
        Ok(self.list().await?)
    }

    /// Creates and stores a new key pair; returns its did:key text and the raw public key.
    async fn add_key(&self) -> Result<(String, Vec<u8>), PlatformError> {
        let data_key = match &self.wrapping {
            Wrapping::None => None,
            Wrapping::With(key) => Some(key),
            Wrapping::Locked => return Err(StorageError::Locked.into()),
        };
        // With the lock on, the key is made extractable only to be wrapped at once: its
        // extractable form is never stored and is dropped here.
        let pair = match data_key {
            None => webcrypto::generate_holder_key().await?,
            Some(_) => webcrypto::generate_wrappable_holder_key().await?,
        };
        let public = webcrypto::export_public_raw(&pair.get_public_key()).await?;
        let did = did_key::did_of_trusted_raw_key(&public)
            .ok_or_else(|| CryptoError::KeyGeneration("the browser exported an unexpected public key".into()))?;
        let record = Object::new();
        let _ = Reflect::set(&record, &"did".into(), &did.as_str().into());
        match data_key {
            None => {
                let _ = Reflect::set(&record, &"keyPair".into(), &pair);
            }
            Some(key) => {
                let wrapped = vault::wrap_private_key(&pair.get_private_key(), key, &key_aad(&did)).await?;
                let _ = Reflect::set(&record, &"wrapped".into(), &wrapped.to_js());
            }
        }
        let _ = Reflect::set(&record, &"createdAt".into(), &js_sys::Date::now().into());
        idb::put(&self.db, schema::KEYS, &record, None).await?;
        Ok((did, public))
    }

    async fn private_key(&self, did: &DidKey) -> Result<CryptoKey, Error> {
        if matches!(self.wrapping, Wrapping::Locked) {
            return Err(StorageError::Locked.into());
        }
        let record = idb::get(&self.db, schema::KEYS, &JsValue::from_str(did.as_str())).await?;
        if record.is_undefined() {
            return Err(CryptoError::UnknownKey(did.as_str().to_owned()).into());
        }
        if let Some(sealed) = Sealed::from_js(&crate::bridge::get(&record, "wrapped")) {
            let Wrapping::With(key) = &self.wrapping else { return Err(StorageError::Locked.into()) };
            return Ok(vault::unwrap_private_key(&sealed, key, &key_aad(did.as_str())).await?);
        }
        let pair: CryptoKeyPair = field(&record, "keyPair")?.unchecked_into();
        Ok(pair.get_private_key())
    }
}

impl HolderKeys for KeyStore {
    async fn create_key(&self) -> Result<DidKey, Error> {
        let (_, public) = self.add_key().await?;
        Ok(DidKey::from_sec1(&public)?)
    }

    async fn sign_es256(&self, key: &DidKey, message: &[u8]) -> Result<Vec<u8>, Error> {
        let private_key = self.private_key(key).await?;
        Ok(webcrypto::sign_es256(&private_key, message).await?)
    }
}
