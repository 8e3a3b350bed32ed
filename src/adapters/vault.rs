//! The wallet lock's cryptography (WebCrypto) and its record in IndexedDB.
//!
//! A random AES-GCM *data key* encrypts records at rest and wraps holder keys created while the
//! lock is on. It is stored only wrapped (AES-KW) by a *key-encryption key* derived from the
//! passphrase (PBKDF2-SHA-256) or from a passkey's PRF output (HKDF-SHA-256); either unwraps it.
//! The data key exists in extractable form only between its generation (or an unwrap for
//! re-wrapping) and the wrap; the form kept in the engine's memory is non-extractable.
//! Parameters and rules: `core::lock`; the whole design: docs/SECURITY.md, "Wallet lock".

use js_sys::{Object, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CryptoKey, IdbDatabase};

use super::webcrypto::{ecdsa_p256, object, settle, subtle, usages};
use super::{idb, schema};
use crate::bridge::{get, get_f64, get_str, obj};
use crate::core::error::{CryptoError, StorageError};
use crate::core::lock::{self, Attempts, AutoLock};
use crate::core::ports::Crypto as _;

/// The key of the lock record in [`schema::VAULT`].
pub const LOCK_RECORD: &str = "lock";

const DATA_KEY_USAGES: &[&str] = &["encrypt", "decrypt", "wrapKey", "unwrapKey"];

fn aes_gcm_256() -> Object {
    object(&[("name", "AES-GCM".into()), ("length", 256.into())])
}

fn aes_kw_256() -> Object {
    object(&[("name", "AES-KW".into()), ("length", 256.into())])
}

fn gcm(iv: &[u8], aad: &[u8]) -> Object {
    object(&[("name", "AES-GCM".into()), ("iv", Uint8Array::from(iv).into()), ("additionalData", Uint8Array::from(aad).into())])
}

fn bytes(value: &JsValue) -> Vec<u8> {
    Uint8Array::new(value).to_vec()
}

pub fn random(len: usize) -> Result<Vec<u8>, CryptoError> {
    super::webcrypto::WebCrypto.random_bytes(len)
}

/// The data key as the engine holds it while unlocked: non-extractable, never stored.
#[derive(Clone)]
pub struct DataKey(CryptoKey);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey([redacted])")
    }
}

impl DataKey {
    /// The key as a JavaScript value, to hand to another tab's engine (structured clone keeps
    /// it non-extractable).
    pub fn to_js(&self) -> JsValue {
        self.0.clone().into()
    }

    /// A key handed over by another tab's engine: only a non-extractable AES-GCM key is taken.
    pub fn from_js(value: JsValue) -> Option<DataKey> {
        let key = value.dyn_into::<CryptoKey>().ok()?;
        let name = get_str(&key.algorithm().ok()?.into(), "name");
        (!key.extractable() && name.as_deref() == Some("AES-GCM")).then_some(DataKey(key))
    }
}

/// The data key in extractable form, only for wrapping it: generated when the lock is turned
/// on, or unwrapped to wrap it for another way of unlocking. Dropped right after.
pub struct ExposedDataKey(CryptoKey);

/// A key-encryption key (AES-KW, non-extractable) derived from a passphrase or a passkey.
pub struct Kek(CryptoKey);

/// A new random data key, extractable so that it can be wrapped.
pub async fn generate_data_key() -> Result<ExposedDataKey, CryptoError> {
    let key = settle(subtle()?.generate_key_with_object(&aes_gcm_256(), true, &usages(DATA_KEY_USAGES))).await?;
    Ok(ExposedDataKey(key.unchecked_into()))
}

/// PBKDF2-HMAC-SHA-256 over the passphrase's UTF-8 bytes. Refuses a passphrase longer than
/// [`lock::MAX_PASSPHRASE_BYTES`] and iteration counts outside what `core::lock` accepts.
pub async fn passphrase_kek(passphrase: &str, salt: &[u8], iterations: u32) -> Result<Kek, CryptoError> {
    if passphrase.len() > lock::MAX_PASSPHRASE_BYTES || !lock::iterations_acceptable(iterations) {
        return Err(CryptoError::WrongSecret);
    }
    let subtle = subtle()?;
    let material: CryptoKey = settle(subtle.import_key_with_str(
        "raw",
        &Uint8Array::from(passphrase.as_bytes()),
        "PBKDF2",
        false,
        &usages(&["deriveKey"]),
    ))
    .await?
    .unchecked_into();
    let params = object(&[
        ("name", "PBKDF2".into()),
        ("hash", "SHA-256".into()),
        ("salt", Uint8Array::from(salt).into()),
        ("iterations", iterations.into()),
    ]);
    let kek = settle(subtle.derive_key_with_object_and_object(&params, &material, &aes_kw_256(), false, &usages(&["wrapKey", "unwrapKey"]))).await?;
    Ok(Kek(kek.unchecked_into()))
}

/// HKDF-SHA-256 over a passkey's PRF output, with the PRF salt as HKDF salt.
pub async fn prf_kek(prf_output: &[u8], salt: &[u8]) -> Result<Kek, CryptoError> {
    if prf_output.len() < lock::PRF_MIN_LEN {
        return Err(CryptoError::WrongSecret);
    }
    let subtle = subtle()?;
    let material: CryptoKey = settle(subtle.import_key_with_str("raw", &Uint8Array::from(prf_output), "HKDF", false, &usages(&["deriveKey"])))
        .await?
        .unchecked_into();
    let params = object(&[
        ("name", "HKDF".into()),
        ("hash", "SHA-256".into()),
        ("salt", Uint8Array::from(salt).into()),
        ("info", Uint8Array::from(lock::PRF_HKDF_INFO).into()),
    ]);
    let kek = settle(subtle.derive_key_with_object_and_object(&params, &material, &aes_kw_256(), false, &usages(&["wrapKey", "unwrapKey"]))).await?;
    Ok(Kek(kek.unchecked_into()))
}

/// The data key wrapped with AES-KW (RFC 3394: 40 bytes, with an integrity check).
pub async fn wrap_data_key(key: &ExposedDataKey, kek: &Kek) -> Result<Vec<u8>, CryptoError> {
    let wrapped = settle(subtle()?.wrap_key_with_str("raw", &key.0, &kek.0, "AES-KW")).await?;
    Ok(bytes(&wrapped))
}

async fn unwrap(wrapped: &[u8], kek: &Kek, extractable: bool) -> Result<CryptoKey, CryptoError> {
    let promise = subtle()?.unwrap_key_with_u8_array_and_str_and_object(
        "raw",
        wrapped,
        &kek.0,
        "AES-KW",
        &object(&[("name", "AES-GCM".into())]),
        extractable,
        &usages(DATA_KEY_USAGES),
    );
    // AES-KW's integrity check fails for any other key: a wrong passphrase or passkey.
    settle(promise).await.map(JsCast::unchecked_into).map_err(|_| CryptoError::WrongSecret)
}

/// Unwraps the data key for use: non-extractable. A wrong key-encryption key gives
/// [`CryptoError::WrongSecret`].
pub async fn unwrap_data_key(wrapped: &[u8], kek: &Kek) -> Result<DataKey, CryptoError> {
    unwrap(wrapped, kek, false).await.map(DataKey)
}

/// Unwraps the data key to wrap it again for another way of unlocking (a new passphrase, a
/// passkey). Proves the secret is right, as [`unwrap_data_key`] does.
pub async fn unwrap_for_rewrap(wrapped: &[u8], kek: &Kek) -> Result<ExposedDataKey, CryptoError> {
    unwrap(wrapped, kek, true).await.map(ExposedDataKey)
}

/// Bytes encrypted with the data key: a random 96-bit IV and the AES-GCM output (with its tag).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    pub iv: Vec<u8>,
    pub data: Vec<u8>,
}

impl Sealed {
    pub fn to_js(&self) -> Object {
        obj(&[("iv", Uint8Array::from(self.iv.as_slice()).into()), ("data", Uint8Array::from(self.data.as_slice()).into())])
    }

    /// `None` when `value` is not a sealed value (a record written without the lock).
    pub fn from_js(value: &JsValue) -> Option<Sealed> {
        let (iv, data) = (get(value, "iv"), get(value, "data"));
        let is_bytes = |v: &JsValue| v.is_instance_of::<Uint8Array>() || v.is_instance_of::<js_sys::ArrayBuffer>();
        (is_bytes(&iv) && is_bytes(&data)).then(|| Sealed { iv: bytes(&iv), data: bytes(&data) })
    }
}

/// Encrypts `plaintext` bound to `aad` (see `core::lock::record_aad`).
pub async fn seal(key: &DataKey, aad: &[u8], plaintext: &[u8]) -> Result<Sealed, CryptoError> {
    let iv = random(12)?;
    let data = settle(subtle()?.encrypt_with_object_and_u8_array(&gcm(&iv, aad), &key.0, plaintext)).await?;
    Ok(Sealed { iv, data: bytes(&data) })
}

/// Decrypts what [`seal`] made with the same key and `aad`; fails for anything else.
pub async fn open(key: &DataKey, aad: &[u8], sealed: &Sealed) -> Result<Vec<u8>, CryptoError> {
    let plain = settle(subtle()?.decrypt_with_object_and_u8_array(&gcm(&sealed.iv, aad), &key.0, &sealed.data))
        .await
        .map_err(|_| CryptoError::Other("a sealed record does not decrypt with this key".into()))?;
    Ok(bytes(&plain))
}

/// Wraps a holder's private key (PKCS #8) with the data key. The key must be extractable: only
/// keys generated for this are (see `KeyStore`).
pub async fn wrap_private_key(private_key: &CryptoKey, key: &DataKey, aad: &[u8]) -> Result<Sealed, CryptoError> {
    let iv = random(12)?;
    let data = settle(subtle()?.wrap_key_with_object("pkcs8", private_key, &key.0, &gcm(&iv, aad))).await?;
    Ok(Sealed { iv, data: bytes(&data) })
}

/// Unwraps a holder's private key as a non-extractable ES256 signing key.
pub async fn unwrap_private_key(sealed: &Sealed, key: &DataKey, aad: &[u8]) -> Result<CryptoKey, CryptoError> {
    let promise = subtle()?.unwrap_key_with_u8_array_and_object_and_object(
        "pkcs8",
        &sealed.data,
        &key.0,
        &gcm(&sealed.iv, aad),
        &ecdsa_p256(),
        false,
        &usages(&["sign"]),
    );
    let private = settle(promise).await?;
    Ok(private.unchecked_into())
}

/// The data key wrapped for a passphrase.
#[derive(Debug, Clone, PartialEq)]
pub struct PassphraseSlot {
    pub salt: Vec<u8>,
    pub iterations: u32,
    pub wrapped: Vec<u8>,
}

/// The data key wrapped for a passkey (WebAuthn credential with the PRF extension).
#[derive(Debug, Clone, PartialEq)]
pub struct PasskeySlot {
    /// The credential's raw id, for `allowCredentials`.
    pub credential_id: Vec<u8>,
    /// The PRF input (`eval.first`) and HKDF salt.
    pub salt: Vec<u8>,
    pub wrapped: Vec<u8>,
}

/// The lock record: present exactly when the lock is on.
#[derive(Debug, Clone, PartialEq)]
pub struct LockRecord {
    /// Random, new with each data key: tabs use it to tell whether a key another tab hands over
    /// belongs to the lock they know.
    pub key_id: String,
    pub passphrase: Option<PassphraseSlot>,
    pub passkey: Option<PasskeySlot>,
    pub auto_lock: AutoLock,
    pub attempts: Attempts,
}

fn u8s(value: &[u8]) -> JsValue {
    Uint8Array::from(value).into()
}

fn field_bytes(value: &JsValue, name: &str) -> Option<Vec<u8>> {
    let v = get(value, name);
    (v.is_instance_of::<Uint8Array>() || v.is_instance_of::<js_sys::ArrayBuffer>()).then(|| bytes(&v))
}

impl LockRecord {
    pub fn to_js(&self) -> Object {
        let passphrase = self.passphrase.as_ref().map(|p| {
            JsValue::from(obj(&[("salt", u8s(&p.salt)), ("iterations", p.iterations.into()), ("wrapped", u8s(&p.wrapped))]))
        });
        let passkey = self.passkey.as_ref().map(|p| {
            JsValue::from(obj(&[("id", u8s(&p.credential_id)), ("salt", u8s(&p.salt)), ("wrapped", u8s(&p.wrapped))]))
        });
        obj(&[
            ("v", 1.into()),
            ("keyId", self.key_id.as_str().into()),
            ("passphrase", passphrase.unwrap_or(JsValue::UNDEFINED)),
            ("passkey", passkey.unwrap_or(JsValue::UNDEFINED)),
            ("idleSeconds", self.auto_lock.seconds().into()),
            ("failures", self.attempts.failures.into()),
            ("lastFailure", self.attempts.last_failure_ms.into()),
        ])
    }

    pub fn from_js(value: &JsValue) -> Result<LockRecord, StorageError> {
        let corrupt = |what: &str| StorageError::Corrupt(format!("lock record: {what}"));
        if get_f64(value, "v") != Some(1.0) {
            return Err(corrupt("unknown version"));
        }
        let slot = |name: &str| {
            let v = get(value, name);
            (!v.is_undefined() && !v.is_null()).then_some(v)
        };
        let passphrase = match slot("passphrase") {
            None => None,
            Some(p) => Some(PassphraseSlot {
                salt: field_bytes(&p, "salt").ok_or_else(|| corrupt("passphrase salt"))?,
                iterations: get_f64(&p, "iterations").map(|n| n as u32).ok_or_else(|| corrupt("iterations"))?,
                wrapped: field_bytes(&p, "wrapped").ok_or_else(|| corrupt("wrapped key"))?,
            }),
        };
        let passkey = match slot("passkey") {
            None => None,
            Some(p) => Some(PasskeySlot {
                credential_id: field_bytes(&p, "id").ok_or_else(|| corrupt("passkey id"))?,
                salt: field_bytes(&p, "salt").ok_or_else(|| corrupt("passkey salt"))?,
                wrapped: field_bytes(&p, "wrapped").ok_or_else(|| corrupt("wrapped key"))?,
            }),
        };
        if passphrase.is_none() && passkey.is_none() {
            return Err(corrupt("no way to unlock"));
        }
        Ok(LockRecord {
            key_id: get_str(value, "keyId").ok_or_else(|| corrupt("key id"))?,
            passphrase,
            passkey,
            auto_lock: AutoLock::from_stored(get_f64(value, "idleSeconds")),
            attempts: Attempts {
                failures: get_f64(value, "failures").map(|n| n as u32).unwrap_or(0),
                last_failure_ms: get_f64(value, "lastFailure").unwrap_or(0.0),
            },
        })
    }
}

/// Whether the lock is on (its record exists), without reading it: for the interface.
pub async fn lock_is_on(db: &IdbDatabase) -> Result<bool, StorageError> {
    let record = idb::get(db, schema::VAULT, &LOCK_RECORD.into()).await?;
    Ok(!record.is_undefined())
}

/// The lock record, `None` when the lock is off.
pub async fn load(db: &IdbDatabase) -> Result<Option<LockRecord>, StorageError> {
    let record = idb::get(db, schema::VAULT, &LOCK_RECORD.into()).await?;
    if record.is_undefined() {
        return Ok(None);
    }
    LockRecord::from_js(&record).map(Some)
}

/// Replaces the lock record (the data key and what it encrypts are unchanged: a new passphrase,
/// a passkey added, the auto-lock time, wrong guesses).
pub async fn save(db: &IdbDatabase, record: &LockRecord) -> Result<(), StorageError> {
    idb::put(db, schema::VAULT, &record.to_js(), Some(&LOCK_RECORD.into())).await
}
