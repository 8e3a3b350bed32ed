//! The wallet lock in the engine: whether the wallet is locked, the data key while it is not
//! (in this worker's memory only), unlocking with a passphrase or a passkey's PRF output, the
//! lock's settings, auto-lock after idle time, and keeping the wallet's tabs in step.
//!
//! Each tab runs its own engine. They talk over a `BroadcastChannel` (same origin only): input in
//! any tab keeps every tab unlocked, locking in one locks all, and a tab that starts or is told
//! the lock changed gets the data key from a tab that is unlocked (a non-extractable `CryptoKey`
//! passes by structured clone; its bytes never do).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Uint8Array};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{BroadcastChannel, MessageEvent};

use super::{scope, Engine};
use crate::adapters::keystore::KeyStore;
use crate::adapters::records::{self, Access, LockChange};
use crate::adapters::vault::{self, DataKey, ExposedDataKey, LockRecord, PasskeySlot, PassphraseSlot};
use crate::bridge::{self, get, get_f64, get_str, obj};
use crate::core::encoding::b64url_encode;
use crate::core::error::{CryptoError, StorageError};
use crate::core::lock::{self, Attempts, AutoLock};

const CHANNEL: &str = "dome-wallet-lock";
/// How long a starting engine waits for an unlocked tab to hand over the key.
const HELLO_WAIT_MS: i32 = 150;

/// Why a lock request was refused: `{problem, seconds?}` in the answer, translated by the
/// interface.
#[derive(Debug)]
enum Problem {
    /// A wrong passphrase or passkey.
    Wrong,
    /// Too many wrong guesses: wait this many seconds.
    Wait(u32),
    /// The new passphrase is too short or too long.
    Passphrase,
    /// The request does not fit the lock's state (e.g. removing the only way to unlock).
    Refused,
    Failed(String),
}

impl From<CryptoError> for Problem {
    fn from(e: CryptoError) -> Self {
        match e {
            CryptoError::WrongSecret => Problem::Wrong,
            other => Problem::Failed(other.to_string()),
        }
    }
}

impl From<StorageError> for Problem {
    fn from(e: StorageError) -> Self {
        Problem::Failed(e.to_string())
    }
}

#[derive(Default)]
pub(super) struct Lock {
    /// The lock record as last read: `None` when the lock is off.
    record: RefCell<Option<LockRecord>>,
    /// The data key: while unlocked, and while a journey that began unlocked finishes.
    key: RefCell<Option<DataKey>>,
    locked: Cell<bool>,
    /// Journeys in progress that hold the key (see [`Pin`]).
    pins: Cell<u32>,
    /// The last input in any tab (ms since the epoch).
    last_input: Cell<f64>,
    timer: Cell<Option<i32>>,
    /// Requests waiting for the wallet to be unlocked.
    waiters: RefCell<Vec<Function>>,
    channel: RefCell<Option<BroadcastChannel>>,
}

/// Held by a journey while it runs: locking in the meantime hides everything and makes new
/// requests wait, but the journey can still store what it received; the key goes when the
/// last pin does.
pub(super) struct Pin(Rc<Engine>);

impl Drop for Pin {
    fn drop(&mut self) {
        let lock = &self.0.lock;
        lock.pins.set(lock.pins.get().saturating_sub(1));
        if lock.pins.get() == 0 && lock.locked.get() {
            lock.key.borrow_mut().take();
        }
    }
}

fn now() -> f64 {
    js_sys::Date::now()
}

impl Lock {
    /// How records are read and written now; `Err(Locked)` when the key is not here.
    pub(super) fn access(&self) -> Result<Access, StorageError> {
        if self.record.borrow().is_none() {
            return Ok(Access::Plain);
        }
        self.key.borrow().clone().map(Access::Sealed).ok_or(StorageError::Locked)
    }

    pub(super) fn is_locked(&self) -> bool {
        self.locked.get()
    }

    pub(super) fn keys(&self, db: &web_sys::IdbDatabase) -> KeyStore {
        if self.record.borrow().is_none() {
            KeyStore::new(db.clone())
        } else {
            KeyStore::locked_by(db.clone(), self.key.borrow().clone())
        }
    }

    /// What the interface needs: the state, the ways to unlock (for a passkey, its id and PRF
    /// salt, which are not secret) and the auto-lock time.
    pub(super) fn status(&self) -> Object {
        let record = self.record.borrow();
        let state = match (&*record, self.locked.get()) {
            (None, _) => "off",
            (Some(_), true) => "locked",
            (Some(_), false) => "unlocked",
        };
        let status = obj(&[("state", state.into())]);
        if let Some(r) = &*record {
            let set = |k: &str, v: JsValue| {
                let _ = js_sys::Reflect::set(&status, &k.into(), &v);
            };
            set("passphrase", r.passphrase.is_some().into());
            if let Some(p) = &r.passkey {
                set("passkeyId", Uint8Array::from(p.credential_id.as_slice()).into());
                set("passkeySalt", Uint8Array::from(p.salt.as_slice()).into());
            }
            set("idle", r.auto_lock.seconds().into());
        }
        status
    }

    fn broadcast(&self, message: &Object) {
        if let Some(channel) = &*self.channel.borrow() {
            let _ = channel.post_message(message);
        }
    }

    fn share_key(&self) {
        let (Some(record), Some(key)) = (&*self.record.borrow(), &*self.key.borrow()) else { return };
        if !self.locked.get() {
            self.broadcast(&obj(&[("t", "key".into()), ("keyId", record.key_id.as_str().into()), ("key", key.to_js())]));
        }
    }

    /// Resolves at once unless the wallet is locked; then when it is unlocked (or the lock is
    /// turned off).
    pub(super) async fn until_unlocked(&self) {
        if !self.locked.get() {
            return;
        }
        let waiters = &self.waiters;
        let promise = Promise::new(&mut |resolve, _| waiters.borrow_mut().push(resolve));
        let _ = JsFuture::from(promise).await;
    }

    fn release_waiters(&self) {
        for resolve in self.waiters.borrow_mut().drain(..) {
            let _ = resolve.call0(&JsValue::NULL);
        }
    }
}

/// Tells this tab's interface the lock's state.
fn announce(engine: &Engine) {
    let status = engine.lock.status();
    let _ = js_sys::Reflect::set(&status, &"kind".into(), &bridge::event::LOCK.into());
    let _ = scope().post_message(&status);
}

/// Takes a pin for a journey (see [`Pin`]).
pub(super) fn pin(engine: &Rc<Engine>) -> Pin {
    engine.lock.pins.set(engine.lock.pins.get() + 1);
    Pin(engine.clone())
}

/// Reads the lock record when the engine starts; a wallet with the lock on starts locked and
/// asks the other tabs for the key.
pub(super) async fn start(engine: &Rc<Engine>) {
    let record = match vault::load(&engine.db).await {
        Ok(record) => record,
        Err(e) => {
            // An unreadable lock record must not open the wallet: stay locked.
            web_sys::console::error_1(&format!("lock record: {e}").into());
            engine.lock.locked.set(true);
            None
        }
    };
    let on = record.is_some();
    *engine.lock.record.borrow_mut() = record;
    engine.lock.locked.set(on || engine.lock.locked.get());
    listen(engine);
    if on {
        engine.lock.broadcast(&obj(&[("t", "hello".into())]));
        sleep(HELLO_WAIT_MS).await;
    }
}

async fn sleep(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

fn listen(engine: &Rc<Engine>) {
    let Ok(channel) = BroadcastChannel::new(CHANNEL) else { return };
    let weak = Rc::downgrade(engine);
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        if let Some(engine) = weak.upgrade() {
            from_other_tab(&engine, &event.data());
        }
    });
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    *engine.lock.channel.borrow_mut() = Some(channel);
}

fn from_other_tab(engine: &Rc<Engine>, message: &JsValue) {
    let lock = &engine.lock;
    match get_str(message, "t").as_deref() {
        Some("hello") => lock.share_key(),
        Some("key") => {
            let known = lock.record.borrow().as_ref().map(|r| r.key_id.clone());
            if lock.locked.get() && known.is_some() && get_str(message, "keyId") == known {
                if let Some(key) = DataKey::from_js(get(message, "key")) {
                    unlocked(engine, key, false);
                }
            }
        }
        Some("lock") => lock_now(engine, false),
        Some("input") => {
            if let Some(at) = get_f64(message, "at") {
                lock.last_input.set(lock.last_input.get().max(at.min(now())));
            }
        }
        Some("changed") => {
            let engine = engine.clone();
            wasm_bindgen_futures::spawn_local(async move { reload(&engine).await });
        }
        _ => {}
    }
}

/// Another tab changed the lock: read its record again.
async fn reload(engine: &Rc<Engine>) {
    let Ok(record) = vault::load(&engine.db).await else { return };
    let lock = &engine.lock;
    let same_key = matches!((&*lock.record.borrow(), &record), (Some(a), Some(b)) if a.key_id == b.key_id);
    let off = record.is_none();
    *lock.record.borrow_mut() = record;
    if off {
        // Turned off: the records are in the clear again.
        lock.key.borrow_mut().take();
        lock.locked.set(false);
        lock.release_waiters();
    } else if !same_key {
        // Turned on (or on with a new key): locked until a tab hands over the key.
        lock.sessions_dropped(engine);
        lock.key.borrow_mut().take();
        lock.locked.set(true);
    }
    schedule(engine);
    announce(engine);
    super::store_changed();
}

impl Lock {
    /// Forgets the journeys in progress (they hold credentials in the clear), logging the ones
    /// left unanswered while the key is still here.
    fn sessions_dropped(&self, engine: &Rc<Engine>) {
        let sessions = std::mem::take(&mut engine.sessions.borrow_mut().0);
        let Ok(access) = self.access() else { return };
        for (_, session) in sessions {
            let entry = match session {
                super::Session::Offer(offer) => super::issuance::declined_entry(&offer, crate::i18n::Lang::En),
                super::Session::Request(request) => super::presentation::left_entry(&request),
                super::Session::Credential(_) => continue,
            };
            let (db, access) = (engine.db.clone(), access.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let _ = records::add_activity(&db, &entry, &access).await;
            });
        }
    }
}

/// Locks: hides everything, makes journeys wait, drops the data key (once no journey holds it)
/// and the journeys in progress. `tell_others`: lock the other tabs too.
pub(super) fn lock_now(engine: &Rc<Engine>, tell_others: bool) {
    let lock = &engine.lock;
    if lock.record.borrow().is_none() || lock.locked.get() {
        return;
    }
    lock.locked.set(true);
    lock.sessions_dropped(engine);
    if lock.pins.get() == 0 {
        lock.key.borrow_mut().take();
    }
    if tell_others {
        lock.broadcast(&obj(&[("t", "lock".into())]));
    }
    schedule(engine);
    announce(engine);
}

/// The wallet is unlocked with `key` (here, or in another tab when `tell_others` is false).
fn unlocked(engine: &Rc<Engine>, key: DataKey, tell_others: bool) {
    let lock = &engine.lock;
    *lock.key.borrow_mut() = Some(key);
    lock.locked.set(false);
    lock.last_input.set(now());
    if tell_others {
        lock.share_key();
    }
    lock.release_waiters();
    schedule(engine);
    announce(engine);
    super::store_changed();
    // Deferred issuances could not be polled while locked.
    wasm_bindgen_futures::spawn_local(super::issuance::resume_deferred(engine.clone()));
}

/// User input in this tab.
pub(super) fn input(engine: &Engine) {
    let at = now();
    engine.lock.last_input.set(at);
    if engine.lock.record.borrow().is_some() {
        engine.lock.broadcast(&obj(&[("t", "input".into()), ("at", at.into())]));
    }
}

fn auto_lock(engine: &Engine) -> Option<AutoLock> {
    engine.lock.record.borrow().as_ref().map(|r| r.auto_lock)
}

/// Locks now if the wallet has been idle for its auto-lock time (called before every request,
/// and by the timer).
pub(super) fn check_idle(engine: &Rc<Engine>) {
    let lock = &engine.lock;
    if !lock.locked.get() && auto_lock(engine).is_some_and(|a| a.is_due(lock.last_input.get(), now())) {
        lock_now(engine, true);
    }
}

/// Sets the auto-lock timer for the current state: due at the last input plus the idle time.
fn schedule(engine: &Rc<Engine>) {
    let lock = &engine.lock;
    if let Some(timer) = lock.timer.take() {
        scope().clear_timeout_with_handle(timer);
    }
    if lock.locked.get() {
        return;
    }
    let Some(at) = auto_lock(engine).and_then(|a| a.locks_at(lock.last_input.get())) else { return };
    let delay = (at - now()).clamp(0.0, f64::from(i32::MAX)) as i32 + 20;
    let weak = Rc::downgrade(engine);
    let callback = Closure::once_into_js(move || {
        if let Some(engine) = weak.upgrade() {
            engine.lock.timer.set(None);
            check_idle(&engine);
            // Input meanwhile moved the deadline: wait for the new one.
            schedule(&engine);
        }
    });
    if let Ok(timer) = scope().set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), delay) {
        lock.timer.set(Some(timer));
    }
}

/// The secret a request proves: a passphrase, or a passkey's PRF output.
enum Secret {
    Passphrase(String),
    Prf(Vec<u8>),
}

fn secret_of(value: &JsValue) -> Option<Secret> {
    if let Some(passphrase) = get_str(value, "passphrase") {
        return Some(Secret::Passphrase(passphrase));
    }
    let prf = get(value, "prf");
    prf.is_instance_of::<Uint8Array>().then(|| Secret::Prf(Uint8Array::new(&prf).to_vec()))
}

/// A secret proven against the lock record.
struct Proven {
    record: LockRecord,
    /// The data key, non-extractable, for use.
    key: DataKey,
    kek: vault::Kek,
    wrapped: Vec<u8>,
}

impl Proven {
    /// The data key in extractable form, to wrap it for another way of unlocking (cheap: the
    /// key derivation is not repeated).
    async fn exposed(&self) -> Result<ExposedDataKey, Problem> {
        Ok(vault::unwrap_for_rewrap(&self.wrapped, &self.kek).await?)
    }
}

/// Proves `secret` against the lock record, counting wrong guesses (kept in the record, so a
/// reload does not reset them) and refusing guesses that come too fast.
async fn prove(engine: &Engine, secret: &Secret) -> Result<Proven, Problem> {
    // Read again: another tab may have counted guesses.
    let mut record = vault::load(&engine.db).await?.ok_or(Problem::Refused)?;
    let wait = record.attempts.wait_seconds(now());
    if wait > 0 {
        return Err(Problem::Wait(wait));
    }
    let (kek, wrapped) = match (secret, &record.passphrase, &record.passkey) {
        (Secret::Passphrase(p), Some(slot), _) => (vault::passphrase_kek(p, &slot.salt, slot.iterations).await, slot.wrapped.clone()),
        (Secret::Prf(prf), _, Some(slot)) => (vault::prf_kek(prf, &slot.salt).await, slot.wrapped.clone()),
        _ => return Err(Problem::Refused),
    };
    let result = match kek {
        Ok(kek) => vault::unwrap_data_key(&wrapped, &kek).await.map(|key| (kek, key)),
        Err(e) => Err(e),
    };
    match result {
        Ok((kek, key)) => {
            if record.attempts != Attempts::default() {
                record.attempts = Attempts::default();
                vault::save(&engine.db, &record).await?;
            }
            Ok(Proven { record, key, kek, wrapped })
        }
        Err(CryptoError::WrongSecret) => {
            record.attempts = record.attempts.failed(now());
            vault::save(&engine.db, &record).await?;
            *engine.lock.record.borrow_mut() = Some(record.clone());
            match record.attempts.wait_seconds(now()) {
                0 => Err(Problem::Wrong),
                wait => Err(Problem::Wait(wait)),
            }
        }
        Err(e) => Err(e.into()),
    }
}

fn answer(engine: &Engine, outcome: Result<(), Problem>) -> Object {
    let status = engine.lock.status();
    let set = |k: &str, v: JsValue| {
        let _ = js_sys::Reflect::set(&status, &k.into(), &v);
    };
    match outcome {
        Ok(()) => {}
        Err(Problem::Wrong) => set("problem", "wrong".into()),
        Err(Problem::Wait(seconds)) => {
            set("problem", "wait".into());
            set("seconds", seconds.into());
        }
        Err(Problem::Passphrase) => set("problem", "passphrase".into()),
        Err(Problem::Refused) => set("problem", "refused".into()),
        Err(Problem::Failed(detail)) => {
            web_sys::console::error_1(&format!("wallet lock: {detail}").into());
            set("problem", "failed".into());
        }
    }
    status
}

/// `{passphrase}` or `{prf}`: unlocks. Answers the status, with `problem` when refused.
pub(super) async fn unlock(engine: &Rc<Engine>, message: &JsValue) -> Object {
    if !engine.lock.locked.get() {
        return answer(engine, Ok(()));
    }
    let outcome = match secret_of(message) {
        None => Err(Problem::Refused),
        Some(secret) => prove(engine, &secret).await.map(|proven| {
            *engine.lock.record.borrow_mut() = Some(proven.record);
            unlocked(engine, proven.key, true);
        }),
    };
    answer(engine, outcome)
}

/// The data key wrapped for a new passphrase, and the key-encryption key it was wrapped with.
async fn passphrase_slot(key: &ExposedDataKey, passphrase: &str) -> Result<(PassphraseSlot, vault::Kek), Problem> {
    if lock::check_new_passphrase(passphrase, passphrase).is_err() {
        return Err(Problem::Passphrase);
    }
    let salt = vault::random(lock::PASSPHRASE_SALT_LEN)?;
    let kek = vault::passphrase_kek(passphrase, &salt, lock::PBKDF2_ITERATIONS).await?;
    let slot = PassphraseSlot { wrapped: vault::wrap_data_key(key, &kek).await?, salt, iterations: lock::PBKDF2_ITERATIONS };
    Ok((slot, kek))
}

/// `{passkey: {id, salt, prf}}`: a passkey the interface registered and evaluated.
async fn passkey_slot(key: &ExposedDataKey, passkey: &JsValue) -> Result<(PasskeySlot, vault::Kek), Problem> {
    let field = |name: &str| {
        let v = get(passkey, name);
        v.is_instance_of::<Uint8Array>().then(|| Uint8Array::new(&v).to_vec())
    };
    let (Some(credential_id), Some(salt), Some(prf)) = (field("id"), field("salt"), field("prf")) else {
        return Err(Problem::Refused);
    };
    if salt.len() != lock::PRF_SALT_LEN || credential_id.is_empty() {
        return Err(Problem::Refused);
    }
    let kek = vault::prf_kek(&prf, &salt).await?;
    Ok((PasskeySlot { wrapped: vault::wrap_data_key(key, &kek).await?, credential_id, salt }, kek))
}

/// Turns the lock on with a passphrase or a passkey: a new data key, every record sealed with
/// it and the lock record written, in one transaction.
async fn turn_on(engine: &Rc<Engine>, message: &JsValue) -> Result<(), Problem> {
    if engine.lock.record.borrow().is_some() {
        return Err(Problem::Refused);
    }
    let exposed = vault::generate_data_key().await?;
    let (passphrase, passkey, wrapped, kek) = match (get_str(message, "passphrase"), get(message, "passkey")) {
        (Some(p), _) => {
            let (slot, kek) = passphrase_slot(&exposed, &p).await?;
            (Some(slot.clone()), None, slot.wrapped, kek)
        }
        (None, passkey) if passkey.is_object() => {
            let (slot, kek) = passkey_slot(&exposed, &passkey).await?;
            (None, Some(slot.clone()), slot.wrapped, kek)
        }
        _ => return Err(Problem::Refused),
    };
    // The extractable form goes now; the form kept is unwrapped non-extractable.
    drop(exposed);
    let key = vault::unwrap_data_key(&wrapped, &kek).await?;
    let record = LockRecord {
        key_id: b64url_encode(&vault::random(16)?),
        passphrase,
        passkey,
        auto_lock: AutoLock::DEFAULT,
        attempts: Attempts::default(),
    };
    records::reseal(&engine.db, &Access::Plain, &Access::Sealed(key.clone()), LockChange::Put(&record)).await?;
    *engine.lock.record.borrow_mut() = Some(record);
    engine.lock.locked.set(false);
    *engine.lock.key.borrow_mut() = Some(key);
    engine.lock.last_input.set(now());
    Ok(())
}

/// Turns the lock off: every record decrypted (wrapped holder keys stored as non-extractable
/// keys) and the lock record removed, in one transaction.
async fn turn_off(engine: &Rc<Engine>) -> Result<(), Problem> {
    let key = engine.lock.key.borrow().clone().ok_or(Problem::Refused)?;
    records::reseal(&engine.db, &Access::Sealed(key), &Access::Plain, LockChange::Remove).await?;
    *engine.lock.record.borrow_mut() = None;
    engine.lock.key.borrow_mut().take();
    engine.lock.locked.set(false);
    Ok(())
}

/// `{op, …}`: the lock's settings. Every change but the auto-lock time needs the current
/// passphrase or passkey (`auth`), so that someone at an unlocked wallet cannot take it over.
pub(super) async fn configure(engine: &Rc<Engine>, message: &JsValue) -> Object {
    let op = get_str(message, "op").unwrap_or_default();
    let outcome = configure_op(engine, &op, message).await;
    if outcome.is_ok() {
        // Other tabs read the record again; an unlocked tab then hands them the key.
        engine.lock.broadcast(&obj(&[("t", "changed".into())]));
        engine.lock.share_key();
        schedule(engine);
        announce(engine);
        super::store_changed();
    }
    answer(engine, outcome)
}

async fn configure_op(engine: &Rc<Engine>, op: &str, message: &JsValue) -> Result<(), Problem> {
    if op == "on" {
        return turn_on(engine, message).await;
    }
    if engine.lock.locked.get() || engine.lock.record.borrow().is_none() {
        return Err(Problem::Refused);
    }
    if op == "idle" {
        let chosen = get_f64(message, "seconds").and_then(AutoLock::from_seconds).filter(|a| AutoLock::CHOICES.contains(a));
        let mut record = vault::load(&engine.db).await?.ok_or(Problem::Refused)?;
        record.auto_lock = chosen.ok_or(Problem::Refused)?;
        vault::save(&engine.db, &record).await?;
        *engine.lock.record.borrow_mut() = Some(record);
        engine.lock.last_input.set(now());
        return Ok(());
    }
    let secret = secret_of(&get(message, "auth")).ok_or(Problem::Wrong)?;
    let proven = prove(engine, &secret).await?;
    let mut record = proven.record.clone();
    match op {
        "off" => return turn_off(engine).await,
        "passphrase" => {
            let new = get_str(message, "passphrase").ok_or(Problem::Passphrase)?;
            record.passphrase = Some(passphrase_slot(&proven.exposed().await?, &new).await?.0);
        }
        "add-passkey" => record.passkey = Some(passkey_slot(&proven.exposed().await?, &get(message, "passkey")).await?.0),
        "remove-passkey" if record.passphrase.is_some() => record.passkey = None,
        _ => return Err(Problem::Refused),
    }
    vault::save(&engine.db, &record).await?;
    *engine.lock.record.borrow_mut() = Some(record);
    Ok(())
}
