//! The engine: the protocol core with its browser adapters, running in a Web Worker.
//!
//! It is loaded only when the interface first needs it, so the start page carries no protocol
//! code, and its work (JSON, signatures, network) never blocks the interface. It keeps the
//! journeys in progress (sessions), answers the interface with screens to show, and resumes
//! deferred issuances whenever it runs.

mod credential;
mod issuance;
mod key_check;
mod lock;
mod presentation;
mod qr;
mod status;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::Object;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, IdbDatabase, MessageEvent};

use crate::adapters::records::{self, ActivityEntry, ActivityKind, Outcome};
use crate::adapters::webcrypto::WebCrypto;
use crate::adapters::{keystore::KeyStore, schema};
use crate::bridge::{self, get, get_f64, get_str, obj, request};
use crate::core::encoding::b64url_encode;
use crate::core::invocation::Invocation;
use crate::core::ports::Crypto;
use crate::core::Error;
use crate::i18n::{msg, Lang};
use crate::journeys;
use crate::screen::Screen;

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

/// A journey in progress, between two answers of the user.
enum Session {
    Offer(Rc<crate::core::oid4vci::ResolvedOffer>),
    Request(Rc<presentation::RequestSession>),
    /// A stored credential's detail (and its deletion).
    Credential(Rc<crate::adapters::records::StoredCredential>),
}

/// The journeys in progress by id: a handful at most, so a list (the engine needs no hash map,
/// and so no hashing code).
#[derive(Default)]
struct Sessions(Vec<(u32, Session)>);

impl Sessions {
    fn insert(&mut self, id: u32, session: Session) {
        self.remove(&id);
        self.0.push((id, session));
    }

    fn remove(&mut self, id: &u32) -> Option<Session> {
        let index = self.0.iter().position(|(known, _)| known == id)?;
        Some(self.0.swap_remove(index).1)
    }

    fn get(&self, id: &u32) -> Option<&Session> {
        self.0.iter().find(|(known, _)| known == id).map(|(_, session)| session)
    }
}

pub(crate) struct Engine {
    db: IdbDatabase,
    sessions: RefCell<Sessions>,
    next_session: Cell<u32>,
    /// The pending timer that resumes deferred issuances.
    poll_timer: Cell<Option<i32>>,
    /// The wallet lock: locked or not, and the data key while unlocked.
    lock: lock::Lock,
    /// Rounds of status checks asked for, and done; whether one runs (see `status::refresh`).
    status_wanted: Cell<u32>,
    status_done: Cell<u32>,
    status_running: Cell<bool>,
}

thread_local! {
    static ENGINE: RefCell<Option<Rc<Engine>>> = const { RefCell::new(None) };
    /// The language of the last request: what the engine says on its own (a deferred credential
    /// arriving, an internal failure) is said in it.
    static LANG: Cell<Lang> = const { Cell::new(Lang::En) };
}

pub(crate) fn current_lang() -> Lang {
    LANG.with(Cell::get)
}

impl Engine {
    /// The holder keys as the lock allows: wrapped ones usable only while unlocked, none while
    /// locked.
    fn keys(&self) -> KeyStore {
        self.lock.keys(&self.db)
    }

    /// How records are read and written: in the clear, or sealed; `Err(Locked)` while locked.
    fn access(&self) -> Result<records::Access, crate::core::error::StorageError> {
        self.lock.access()
    }

    fn add_session(&self, session: Session) -> u32 {
        let id = self.next_session.get();
        self.next_session.set(id + 1);
        self.sessions.borrow_mut().insert(id, session);
        id
    }

    /// Logs a journey step in the activity log (never values, codes or tokens).
    async fn log(&self, entry: ActivityEntry) {
        let written = match self.access() {
            Ok(access) => records::add_activity(&self.db, &entry, &access).await,
            Err(e) => Err(e),
        };
        if let Err(e) = written {
            web_sys::console::error_1(&format!("activity log: {e}").into());
        }
    }
}

pub(crate) fn now_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// A random identifier for records (128 bits, base64url).
pub(crate) fn random_id() -> String {
    let mut bytes = [0u8; 16];
    if let Ok(random) = WebCrypto.random_bytes(16) {
        bytes.copy_from_slice(&random);
    }
    b64url_encode(&bytes)
}

pub(crate) fn activity(kind: ActivityKind, peer_name: &str, peer_id: &str, credential_type: Option<&str>, outcome: Outcome, reason: Option<&str>) -> ActivityEntry {
    ActivityEntry {
        at: js_sys::Date::now(),
        kind,
        peer_name: peer_name.into(),
        peer_id: peer_id.into(),
        credential_type: credential_type.map(Into::into),
        claims: Vec::new(),
        outcome,
        reason: reason.map(Into::into),
    }
}

/// Tells the interface that stored credentials or activity changed.
pub(crate) fn store_changed() {
    let _ = scope().post_message(&obj(&[("kind", bridge::event::STORE_CHANGED.into())]));
}

/// Credentials were stored (new ones, or a new status) and nothing else changed: the interface
/// puts `records` (as listed, [`records::StoredCredential::to_listed_js`]) in its list rather
/// than reading all of it again.
pub(crate) fn credentials_stored(records: &[Object]) {
    if records.is_empty() {
        return;
    }
    let records: js_sys::Array = records.iter().collect();
    let _ = scope().post_message(&obj(&[("kind", bridge::event::STORE_CHANGED.into()), ("records", records.into())]));
}

/// An answer showing `screen` within `session` (0: no session to continue).
fn show(session: u32, screen: &Screen) -> Object {
    obj(&[("session", session.into()), ("screen", screen.to_js().into())])
}

fn done() -> Object {
    obj(&[("done", true.into())])
}

/// An answer reporting `error` to the interface (for requests that are not journeys).
pub(crate) fn failure(error: &Error) -> Object {
    let problem = bridge::Problem {
        id: "internal".into(),
        message: msg(current_lang(), error.user_message()).into(),
    };
    obj(&[("error", problem.to_js(&error.to_string()).into())])
}

/// An answer for a request the engine cannot handle: a programming error, not a peer's.
fn internal(detail: &str) -> Object {
    obj(&[("error", bridge::Problem { id: "internal".into(), message: detail.into() }.to_js(detail).into())])
}

fn lang_of(message: &JsValue) -> Lang {
    let tag = get_str(message, "lang").unwrap_or_default();
    Lang::negotiate([tag.as_str()])
}

/// Takes the language of a request, loading its texts first when they are not here yet.
async fn adopt_lang(message: &JsValue) {
    if get_str(message, "lang").is_none() {
        return;
    }
    let lang = lang_of(message);
    if let Err(e) = crate::adapters::texts::load_journey(lang).await {
        // English stands in for the texts that could not be loaded.
        web_sys::console::warn_1(&format!("texts for {}: {e}", lang.tag()).into());
    }
    LANG.with(|l| l.set(lang));
}

fn wallet_origin() -> Option<String> {
    js_sys::Reflect::get(&js_sys::global(), &"location".into())
        .ok()
        .and_then(|l| js_sys::Reflect::get(&l, &"origin".into()).ok())
        .and_then(|o| o.as_string())
}

async fn open(engine: &Rc<Engine>, message: &JsValue) -> Object {
    let lang = lang_of(message);
    let text = get_str(message, "text").unwrap_or_default();
    match Invocation::parse(&text, wallet_origin().as_deref()) {
        Err(e) => show(0, &journeys::failure(lang, &e.into())),
        Ok(Invocation::NotAWalletRequest { shown }) => show(0, &journeys::not_wallet(lang, &shown)),
        Ok(Invocation::CredentialOffer(source)) => issuance::open(engine, lang, source).await,
        Ok(Invocation::PresentationRequest(params)) => presentation::open(engine, lang, params).await,
    }
}

async fn act(engine: &Rc<Engine>, message: &JsValue) -> Object {
    let lang = lang_of(message);
    let session = get_f64(message, "session").unwrap_or(0.0) as u32;
    let action = get_str(message, "action").unwrap_or_default();
    let values = get(message, "values");
    if action == journeys::CLOSE || action == journeys::SEE_CREDENTIALS {
        engine.sessions.borrow_mut().remove(&session);
        return done();
    }
    let current = match engine.sessions.borrow().get(&session) {
        Some(Session::Offer(offer)) => Some(Session::Offer(offer.clone())),
        Some(Session::Request(request)) => Some(Session::Request(request.clone())),
        Some(Session::Credential(record)) => Some(Session::Credential(record.clone())),
        None => None,
    };
    match current {
        Some(Session::Offer(offer)) => issuance::act(engine, lang, session, offer, &action, &values).await,
        Some(Session::Request(request)) => presentation::act(engine, lang, session, request, &action, &values).await,
        Some(Session::Credential(record)) => credential::act(engine, lang, session, record, &action).await,
        // The engine restarted (or the session ended): nothing to continue.
        None => done(),
    }
}

/// `{what: "credentials" | "activity"}`: the stored records for the interface, which cannot
/// read sealed ones itself. `{locked: true}` while locked.
async fn list(engine: &Engine, message: &JsValue) -> Object {
    if engine.lock.is_locked() {
        return obj(&[("locked", true.into())]);
    }
    let access = match engine.access() {
        Ok(access) => access,
        Err(e) => return failure(&e.into()),
    };
    let list: Result<js_sys::Array, Error> = if get_str(message, "what").as_deref() == Some("activity") {
        records::activity(&engine.db, &access).await.map(|l| l.iter().map(|e| JsValue::from(e.to_js())).collect()).map_err(Error::from)
    } else {
        records::credentials(&engine.db, &access).await.map(|l| l.iter().map(|c| JsValue::from(c.to_listed_js())).collect()).map_err(Error::from)
    };
    match list {
        Ok(records) => obj(&[("records", records.into())]),
        Err(e) => failure(&e),
    }
}

async fn handle(engine: Rc<Engine>, message: JsValue) -> Object {
    adopt_lang(&message).await;
    lock::check_idle(&engine);
    let kind = get_str(&message, "kind").unwrap_or_default();
    match kind.as_str() {
        request::LOCK_STATUS => return engine.lock.status(),
        request::UNLOCK => return lock::unlock(&engine, &message).await,
        request::LOCK => {
            lock::lock_now(&engine, true);
            return engine.lock.status();
        }
        request::LOCK_SET => return lock::configure(&engine, &message).await,
        request::LIST => return list(&engine, &message).await,
        request::LEAVE => {
            let session = get_f64(&message, "session").unwrap_or(0.0) as u32;
            let left = engine.sessions.borrow_mut().remove(&session);
            match left {
                Some(Session::Offer(offer)) => {
                    issuance::log_declined(&engine, &offer, current_lang())
                }
                Some(Session::Request(request)) => presentation::log_left(&engine, &request),
                Some(Session::Credential(_)) | None => {}
            }
            return done();
        }
        _ => {}
    }
    // Journeys wait while the wallet is locked, then go on (the interface shows the lock screen
    // meanwhile); once begun, they keep the key until they end (`lock::Pin`).
    engine.lock.until_unlocked().await;
    let _pin = lock::pin(&engine);
    match kind.as_str() {
        request::KEY_CHECK => key_check::run(&engine.keys()).await,
        request::OPEN => open(&engine, &message).await,
        request::ACT => act(&engine, &message).await,
        request::SET_REGISTRY => {
            let url = get_str(&message, "url").unwrap_or_default();
            let url = url.trim();
            let saved = (url.is_empty() || crate::core::tir::registry(url).is_ok()) && records::set_registry(&engine.db, url).await.is_ok();
            obj(&[("saved", saved.into())])
        }
        request::CHECK_STATUS => {
            status::refresh(&engine).await;
            obj(&[("checked", true.into())])
        }
        request::DESCRIBE => credential::open(&engine, lang_of(&message), &get_str(&message, "credential").unwrap_or_default()).await,
        _ => internal("unknown request"),
    }
}

async fn engine() -> Result<Rc<Engine>, Error> {
    if let Some(engine) = ENGINE.with(|e| e.borrow().clone()) {
        return Ok(engine);
    }
    let db = schema::open().await?;
    let engine = Rc::new(Engine {
        db,
        sessions: RefCell::default(),
        next_session: Cell::new(1),
        poll_timer: Cell::new(None),
        lock: lock::Lock::default(),
        status_wanted: Cell::new(0),
        status_done: Cell::new(0),
        status_running: Cell::new(false),
    });
    ENGINE.with(|e| *e.borrow_mut() = Some(engine.clone()));
    lock::start(&engine).await;
    Ok(engine)
}

/// Opens the wallet's storage, then listens: the interface sends nothing before `ready`, so
/// every request finds the one engine (no request can race the opening).
pub fn start() {
    wasm_bindgen_futures::spawn_local(async {
        let opened = engine().await;
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let message = event.data();
            // Input in the interface (no answer): keeps the wallet unlocked.
            if get_str(&message, "kind").as_deref() == Some(request::INPUT) {
                if let Some(engine) = ENGINE.with(|e| e.borrow().clone()) {
                    lock::input(&engine);
                }
                return;
            }
            let id = get(&message, "id");
            wasm_bindgen_futures::spawn_local(async move {
                let body = if get_str(&message, "kind").as_deref() == Some(request::READ_QR) {
                    qr::read(&message).await
                } else {
                    match engine().await {
                        Ok(engine) => handle(engine, message).await,
                        Err(e) => failure(&e),
                    }
                };
                let _ = js_sys::Reflect::set(&body, &"id".into(), &id);
                let _ = scope().post_message(&body);
            });
        });
        scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let _ = scope().post_message(&obj(&[("kind", bridge::event::READY.into())]));
        if let Ok(engine) = opened {
            issuance::forget_orphan_keys(&engine).await;
            // Whenever the engine runs, deferred issuances resume.
            issuance::resume_deferred(engine).await;
        }
    });
}
