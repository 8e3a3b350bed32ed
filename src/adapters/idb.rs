//! A thin async layer over IndexedDB: open with versioned upgrades, and await requests and
//! transactions as futures. Records are JavaScript values, so `CryptoKey` objects are stored by
//! structured clone (the only way to keep a non-extractable key across restarts).

use js_sys::{Function, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode};

use super::js_error;
use crate::core::error::StorageError;

/// Called inside `onupgradeneeded` with the database, its version-change transaction, the
/// version found on disk (0 for a new database) and the version being opened.
pub type Upgrade = fn(&IdbDatabase, &IdbTransaction, u32, u32) -> Result<(), JsValue>;

fn op_error(e: JsValue) -> StorageError {
    StorageError::Operation(js_error(&e))
}

/// Resolves with the request's result when it succeeds, rejects with its error otherwise.
pub async fn request(req: &IdbRequest) -> Result<JsValue, StorageError> {
    let req = req.clone();
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let ok_req = req.clone();
        let on_success = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &ok_req.result().unwrap_or(JsValue::UNDEFINED));
        });
        let err_req = req.clone();
        let on_error = Closure::once_into_js(move || {
            let error = err_req.error().ok().flatten().map(JsValue::from).unwrap_or(JsValue::NULL);
            let _ = reject.call1(&JsValue::NULL, &error);
        });
        req.set_onsuccess(Some(on_success.unchecked_ref()));
        req.set_onerror(Some(on_error.unchecked_ref()));
    });
    JsFuture::from(promise).await.map_err(op_error)
}

/// Resolves when the transaction commits; rejects if it aborts or fails. Writes are only durable
/// once this resolves.
pub async fn committed(tx: &IdbTransaction) -> Result<(), StorageError> {
    let tx = tx.clone();
    let promise = Promise::new(&mut |resolve: Function, reject: Function| {
        let on_complete = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let err_tx = tx.clone();
        let reject2 = reject.clone();
        let on_error = Closure::once_into_js(move || {
            let error = err_tx.error().map(JsValue::from).unwrap_or_else(|| "transaction aborted".into());
            let _ = reject2.call1(&JsValue::NULL, &error);
        });
        let on_abort = Closure::once_into_js(move || {
            let _ = reject.call1(&JsValue::NULL, &"transaction aborted".into());
        });
        tx.set_oncomplete(Some(on_complete.unchecked_ref()));
        tx.set_onerror(Some(on_error.unchecked_ref()));
        tx.set_onabort(Some(on_abort.unchecked_ref()));
    });
    JsFuture::from(promise).await.map(|_| ()).map_err(op_error)
}

/// Opens (creating or upgrading) the database `name` at `version`, running `upgrade` when the
/// stored version is older. A database from a newer wallet is refused rather than touched.
pub async fn open(name: &str, version: u32, upgrade: Upgrade) -> Result<IdbDatabase, StorageError> {
    // `indexedDB` of the global scope: the page's window or the engine's worker.
    let factory: web_sys::IdbFactory = js_sys::Reflect::get(&js_sys::global(), &"indexedDB".into())
        .ok()
        .filter(|f| !f.is_undefined() && !f.is_null())
        .ok_or_else(|| StorageError::Unavailable("IndexedDB is not available".into()))?
        .unchecked_into();
    let open_req: IdbOpenDbRequest = match factory.open_with_u32(name, version) {
        Ok(req) => req,
        Err(e) => {
            // VersionError: the database on disk is newer than this code.
            return Err(StorageError::Unavailable(js_error(&e)));
        }
    };
    let upgrade_req = open_req.clone();
    let on_upgrade = Closure::<dyn FnMut(web_sys::IdbVersionChangeEvent)>::new(move |event: web_sys::IdbVersionChangeEvent| {
        let old = event.old_version() as u32;
        let new = event.new_version().map(|v| v as u32).unwrap_or(version);
        let db: IdbDatabase = match upgrade_req.result() {
            Ok(db) => db.unchecked_into(),
            Err(_) => return,
        };
        let Some(tx) = upgrade_req.transaction() else { return };
        if upgrade(&db, &tx, old, new).is_err() {
            // Aborting the version change leaves the old database untouched.
            let _ = tx.abort();
        }
    });
    open_req.set_onupgradeneeded(Some(on_upgrade.as_ref().unchecked_ref()));
    let result = request(&open_req).await;
    open_req.set_onupgradeneeded(None);
    drop(on_upgrade);
    let db: IdbDatabase = match result {
        Ok(db) => db.unchecked_into(),
        Err(StorageError::Operation(e)) if e.starts_with("VersionError") => {
            return Err(StorageError::NewerVersion { known: version });
        }
        Err(e) => return Err(e),
    };
    // Another tab with a newer wallet wants to upgrade: let it, by closing our connection.
    let close_db = db.clone();
    let on_version_change = Closure::once_into_js(move || close_db.close());
    db.set_onversionchange(Some(on_version_change.unchecked_ref()));
    Ok(db)
}

/// Starts a transaction over `stores`.
pub fn transaction(db: &IdbDatabase, stores: &[&str], mode: IdbTransactionMode) -> Result<IdbTransaction, StorageError> {
    let names: js_sys::Array = stores.iter().map(|s| JsValue::from_str(s)).collect();
    db.transaction_with_str_sequence_and_mode(&names, mode).map_err(op_error)
}

pub fn store(tx: &IdbTransaction, name: &str) -> Result<IdbObjectStore, StorageError> {
    tx.object_store(name).map_err(op_error)
}

/// Reads every record of a store.
pub async fn get_all(db: &IdbDatabase, store_name: &str) -> Result<js_sys::Array, StorageError> {
    let tx = transaction(db, &[store_name], IdbTransactionMode::Readonly)?;
    let req = store(&tx, store_name)?.get_all().map_err(op_error)?;
    Ok(request(&req).await?.unchecked_into())
}

/// Reads one record by key (`undefined` when absent).
pub async fn get(db: &IdbDatabase, store_name: &str, key: &JsValue) -> Result<JsValue, StorageError> {
    let tx = transaction(db, &[store_name], IdbTransactionMode::Readonly)?;
    let req = store(&tx, store_name)?.get(key).map_err(op_error)?;
    request(&req).await
}

/// Reads the record at `key` and writes back what `change` makes of it (nothing when it returns
/// `None`), in one transaction: the write is issued from the read's success callback, so no
/// other transaction can come between. Resolves to whether something was written.
pub async fn update(
    db: &IdbDatabase,
    store_name: &str,
    key: &JsValue,
    change: impl FnOnce(&JsValue) -> Option<JsValue> + 'static,
) -> Result<bool, StorageError> {
    let tx = transaction(db, &[store_name], IdbTransactionMode::Readwrite)?;
    let s = store(&tx, store_name)?;
    let req = s.get(key).map_err(op_error)?;
    let written = std::rc::Rc::new(std::cell::Cell::new(false));
    let (read, done) = (req.clone(), written.clone());
    let on_read = Closure::once_into_js(move || {
        let record = read.result().unwrap_or(JsValue::UNDEFINED);
        if let Some(value) = change(&record) {
            // A failed put aborts the transaction, which `committed` reports.
            done.set(s.put(&value).is_ok());
        }
    });
    req.set_onsuccess(Some(on_read.unchecked_ref()));
    committed(&tx).await?;
    Ok(written.get())
}

/// Writes one record (with an out-of-line `key` when the store has no key path) and waits for
/// the commit.
pub async fn put(db: &IdbDatabase, store_name: &str, value: &JsValue, key: Option<&JsValue>) -> Result<(), StorageError> {
    let tx = transaction(db, &[store_name], IdbTransactionMode::Readwrite)?;
    let s = store(&tx, store_name)?;
    match key {
        Some(key) => s.put_with_key(value, key),
        None => s.put(value),
    }
    .map_err(op_error)?;
    committed(&tx).await
}
