//! The application shell: start-up (storage, keys), shared state, routing and layout.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use web_sys::IdbDatabase;

use crate::adapters::dates::{self, Style};
use crate::adapters::keystore::{KeyInfo, KeyStore};
use crate::adapters::records::{self, StoredCredential};
use crate::bridge;
use crate::journey::Journey;
use crate::adapters::platform::{self, Persistence};
use crate::adapters::schema;
use crate::components::dom_view::dom_view;
use crate::components::screen_view::screen_view;
use crate::dom::{el, refill, El};
use crate::engine_client::EngineClient;
use crate::listen::listen;
use crate::i18n::{self, Key, Lang};
use crate::pages;
use crate::pages::lock::{lock_screen, LockState, LockView};
use crate::routes::Route;

/// Where the wallet is in its start-up.
#[derive(Debug, Clone, PartialEq)]
pub enum Boot {
    Starting,
    Ready,
    /// Why, in words the user can act on.
    Failed(Key),
}

/// State shared by the pages. Every field is a cheap, `Copy` handle.
#[derive(Clone, Copy)]
pub struct Wallet {
    pub boot: RwSignal<Boot>,
    pub keys: RwSignal<Vec<KeyInfo>>,
    pub persistence: RwSignal<Option<Persistence>>,
    pub lang: RwSignal<Lang>,
    pub route: RwSignal<Route>,
    pub journey: RwSignal<Journey>,
    pub credentials: RwSignal<Vec<StoredCredential>>,
    /// The wallet lock as the engine last described it (`Off` until it is known to be on).
    pub lock: RwSignal<LockView>,
    /// Whether the lock screen is shown: apart from `lock` so that a change of the lock's
    /// settings does not rebuild the page (Settings would lose its status line).
    pub locked: RwSignal<bool>,
    db: StoredValue<Option<IdbDatabase>, LocalStorage>,
    engine: StoredValue<Option<EngineClient>, LocalStorage>,
}

impl Wallet {
    /// The engine worker, started on first use.
    pub fn engine(&self) -> Result<EngineClient, String> {
        if let Some(engine) = self.engine.get_value() {
            return Ok(engine);
        }
        let wallet = *self;
        let engine = EngineClient::spawn(move |event| match bridge::get_str(&event, "kind").as_deref() {
            Some(bridge::event::STORE_CHANGED) => wallet.credentials_changed(&event),
            Some(bridge::event::LOCK) => wallet.apply_lock(LockView::from_js(&event)),
            _ => {}
        })?;
        self.engine.set_value(Some(engine.clone()));
        Ok(engine)
    }

    /// The engine's word on the lock: locking hides the credentials and the journey on screen
    /// (the engine has dropped it); any change reads the credentials again.
    pub fn apply_lock(&self, view: LockView) {
        let before = self.lock.get_untracked();
        if view == before {
            return;
        }
        let locked = view.state == LockState::Locked;
        self.lock.set(view.clone());
        if locked != self.locked.get_untracked() {
            self.locked.set(locked);
        }
        if locked {
            self.credentials.set(Vec::new());
            if matches!(self.journey.get_untracked(), Journey::Showing { busy: None, .. }) {
                self.journey.set(Journey::Idle);
            }
        }
        if view.state != before.state {
            self.refresh_credentials();
        }
    }

    /// Asks the engine how the lock is (the lock is on, or was turned on in another tab).
    fn ask_lock(&self) {
        let wallet = *self;
        leptos::task::spawn_local(async move {
            if let Ok(engine) = wallet.engine() {
                if let Ok(status) = engine.call(bridge::obj(&[("kind", bridge::request::LOCK_STATUS.into())])).await {
                    wallet.apply_lock(LockView::from_js(&status));
                }
            }
        });
    }

    /// The engine changed the stored credentials. When it only stored some and says which, they
    /// go in the list as they are: reading all of them again would cost a wallet with many
    /// credentials more than the whole exchange.
    fn credentials_changed(&self, event: &wasm_bindgen::JsValue) {
        let stored = bridge::get_array(event, "records");
        // Before a first read has finished, that read might miss them.
        if stored.length() == 0 || !LISTED.get() {
            return self.refresh_credentials();
        }
        let stored: Vec<StoredCredential> = stored.iter().filter_map(|r| StoredCredential::from_js(&r).ok()).collect();
        self.credentials.update(|list| {
            for credential in stored {
                match list.iter_mut().find(|c| c.id == credential.id) {
                    Some(same) => *same = credential,
                    // Newest first.
                    None => list.insert(0, credential),
                }
            }
        });
        self.ask_persistence_once();
    }

    /// With something to lose, asks again for storage the browser will not evict (once per
    /// visit: the browser's answer does not change from one list to the next).
    fn ask_persistence_once(&self) {
        let wallet = *self;
        let holds_some = self.credentials.with_untracked(|list| !list.is_empty());
        if holds_some && self.persistence.get_untracked() == Some(Persistence::BestEffort) && !PERSISTENCE_ASKED.replace(true) {
            leptos::task::spawn_local(async move {
                wallet.persistence.set(Some(platform::request_persistence().await));
            });
        }
    }

    /// Reads the stored credentials again (after the engine changed them). With the lock on,
    /// only the engine can read them.
    pub fn refresh_credentials(&self) {
        let Some(db) = self.db.get_value() else { return };
        let credentials = self.credentials;
        let wallet = *self;
        leptos::task::spawn_local(async move {
            let read = if wallet.lock.get_untracked().state == LockState::Off {
                match records::credentials_in_clear(&db).await {
                    // Sealed records: the lock was turned on in another tab.
                    Ok((_, true)) => return wallet.ask_lock(),
                    Ok((list, false)) => Ok(list),
                    Err(e) => Err(e.to_string()),
                }
            } else {
                wallet.listed("credentials").await.map(|records| records.iter().filter_map(|r| StoredCredential::from_js(&r).ok()).collect())
            };
            match read {
                Ok(list) => {
                    // The engine resumes deferred issuances whenever it runs.
                    if list.iter().any(|c| c.state == records::CredentialState::Pending) {
                        let _ = wallet.engine();
                    }
                    // Once the wallet is open, online: the status of what it holds, from the issuers.
                    // Only at the first read: a credential that arrives later gets its round from
                    // the engine, after its "Credential received" is on screen (`status::refresh_soon`).
                    let first_read = wallet.lock.get_untracked().state != LockState::Locked && !STATUS_ASKED.replace(true);
                    if first_read && online() && list.iter().any(status_due) {
                        wallet.check_status(None);
                    }
                    credentials.set(list);
                    LISTED.set(true);
                    wallet.ask_persistence_once();
                }
                Err(e) => leptos::logging::error!("credentials: {e}"),
            }
        });
    }

    /// Stored records read by the engine (`request::LIST`): none while locked.
    pub async fn listed(&self, what: &str) -> Result<js_sys::Array, String> {
        let engine = self.engine()?;
        let answer = engine.call(bridge::obj(&[("kind", bridge::request::LIST.into()), ("what", what.into())])).await.map_err(|p| p.message)?;
        Ok(bridge::get_array(&answer, "records"))
    }

    /// Asks the engine to check the stored credentials' status with their issuers; the results
    /// come to the list as the engine stores them (`credentials_changed`). `button`, when given,
    /// says "Checking status…" and is disabled meanwhile. (Plain DOM and a thread-local flag
    /// rather than a signal: a signal of a new type weighs about 2 KB in this module.)
    pub fn check_status(&self, button: Option<web_sys::Element>) {
        if STATUS_CHECKING.get() {
            return;
        }
        STATUS_ASKED.set(true);
        STATUS_CHECKING.set(true);
        let lang = self.lang.get_untracked();
        let show = move |key| {
            if let Some(b) = &button {
                b.set_text_content(Some(i18n::text(lang, key)));
                let _ = if key == Key::CheckingStatus { b.set_attribute("disabled", "") } else { b.remove_attribute("disabled") };
            }
        };
        show(Key::CheckingStatus);
        let wallet = *self;
        leptos::task::spawn_local(async move {
            if let Ok(engine) = wallet.engine() {
                if let Err(problem) = engine.call(bridge::obj(&[("kind", bridge::request::CHECK_STATUS.into())])).await {
                    leptos::logging::warn!("status: {}", problem.message);
                }
            }
            STATUS_CHECKING.set(false);
            show(Key::CheckStatus);
        });
    }

    /// Speaks `lang` from now on, once its texts are loaded (until then the current language
    /// stays, rather than a mix); `remember` keeps the choice for the next visits.
    pub fn use_lang(self, lang: Lang, remember: bool) {
        if remember {
            if let Some(storage) = local_storage() {
                let _ = storage.set_item(LANG_SETTING, lang.tag());
            }
        }
        leptos::task::spawn_local(async move {
            match crate::adapters::texts::load_shell(lang).await {
                Ok(()) => self.lang.set(lang),
                Err(e) => leptos::logging::warn!("texts for {}: {e}", lang.tag()),
            }
        });
    }

    /// A credential type in words (`LEARCredentialEmployee` → "Employee mandate").
    pub fn credential_type_text(&self, credential_type: &str) -> String {
        let key = match credential_type {
            "LEARCredentialEmployee" => Key::TypeEmployeeMandate,
            "LEARCredentialMachine" => Key::TypeMachineMandate,
            "VerifiableCertification" => Key::TypeCertification,
            other => return other.to_owned(),
        };
        i18n::text(self.lang.get_untracked(), key).to_owned()
    }

    /// The wallet's database, once open.
    pub fn db(&self) -> Option<IdbDatabase> {
        self.db.get_value()
    }

    /// A date and time (Unix seconds) in the user's language.
    pub fn format_date_time(&self, unix_seconds: f64) -> String {
        dates::format(self.lang.get_untracked(), Style::Medium, true, unix_seconds * 1000.0)
    }

    /// A date (Unix seconds) in the user's language, e.g. "23 Nov 2026".
    pub fn format_date(&self, unix_seconds: f64) -> String {
        dates::format(self.lang.get_untracked(), Style::Medium, false, unix_seconds * 1000.0)
    }

    /// Shows `route` and records it in the browser history.
    pub fn navigate(&self, route: Route) {
        if let Some(window) = web_sys::window() {
            if let Ok(history) = window.history() {
                let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(route.path()));
            }
        }
        self.route.set(route);
        self.focus_page();
    }

    /// Once drawn, focus on what replaced the page (another page, the end of a journey, "One
    /// moment"): the card of the credential whose detail was just closed, or else the heading.
    /// Journey screens focus their own heading (`ScreenView`).
    pub fn focus_page(&self) {
        let wallet = *self;
        let later = Closure::once_into_js(move || {
            let idle = wallet.journey.with_untracked(|j| matches!(j, Journey::Idle));
            let opened = if idle { crate::journey::take_opened() } else { None };
            let card = opened.filter(|_| wallet.route.get_untracked() == Route::Credentials);
            if let Some(main) = crate::dom::document().and_then(|d| d.get_element_by_id("main")) {
                crate::dom::focus_in(&main, card.as_deref());
            }
        });
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback(later.unchecked_ref());
        }
    }
}


thread_local! {
    /// The status was asked for since the wallet opened, or the first read of the credentials
    /// found none due.
    static STATUS_ASKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// A round of status checks runs in the engine.
    pub static STATUS_CHECKING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// A read of the stored credentials has finished since the wallet opened.
    static LISTED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// Persistent storage was asked for again since the wallet opened, holding credentials.
    static PERSISTENCE_ASKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the browser thinks it is online.
fn online() -> bool {
    web_sys::window().is_some_and(|w| w.navigator().on_line())
}

/// A signed credential whose status has an entry to check, or was never looked at.
fn status_due(credential: &StoredCredential) -> bool {
    credential.state == records::CredentialState::Valid && credential.status.as_ref().is_none_or(|s| s.entries > 0)
}

fn current_route() -> Route {
    let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
    Route::parse(&path)
}

/// Where the language chosen in Settings is kept (it concerns this browser only, like the
/// browser's own language, so it lives beside it rather than in the wallet's data).
const LANG_SETTING: &str = "wallet.lang";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The language chosen in Settings, else the browser's.
fn preferred_lang() -> Lang {
    if let Some(chosen) = local_storage()
        .and_then(|s| s.get_item(LANG_SETTING).ok().flatten())
        .and_then(|t| Lang::from_tag(&t))
    {
        return chosen;
    }
    let languages: Vec<String> = web_sys::window()
        .map(|w| w.navigator().languages().iter().filter_map(|l| l.as_string()).collect())
        .unwrap_or_default();
    Lang::negotiate(languages.iter().map(String::as_str))
}

/// Why the wallet could not start, in words the user can act on. (Matching on the cause keeps
/// the interface free of the core's full error texts, which only the engine needs.)
fn start_problem(e: &crate::core::error::PlatformError) -> Key {
    use crate::core::error::{CryptoError, PlatformError as Error, StorageError};
    match e {
        Error::Storage(StorageError::NewerVersion { .. }) => Key::StartNewerVersion,
        Error::Storage(StorageError::Unavailable(_)) => Key::StartStorageUnavailable,
        Error::Crypto(CryptoError::Unavailable(_)) => Key::StartCryptoUnavailable,
        _ => Key::StartRetry,
    }
}

async fn start_wallet(wallet: Wallet) {
    let db = match schema::open().await {
        Ok(db) => db,
        Err(e) => {
            leptos::logging::error!("storage: {e}");
            wallet.boot.set(Boot::Failed(start_problem(&e.into())));
            return;
        }
    };
    // The credentials are read while the keys are looked at (a wallet with many credentials
    // lists them sooner); sealed ones mean the lock is on, which `refresh_credentials` notices.
    wallet.db.set_value(Some(db.clone()));
    wallet.refresh_credentials();
    let store = KeyStore::new(db.clone());
    // With the lock on, the engine makes the keys (wrapped); the interface only lists them.
    let lock_on = crate::adapters::vault::lock_is_on(&db).await.unwrap_or(true);
    let keys = if lock_on { store.list().await.map_err(Into::into) } else { store.ensure_holder_key().await };
    match keys {
        Ok(keys) => {
            wallet.keys.set(keys);
            if lock_on {
                wallet.credentials.set(Vec::new());
                wallet.lock.set(LockView::locked());
                wallet.locked.set(true);
                wallet.ask_lock();
            }
            wallet.boot.set(Boot::Ready);
        }
        Err(e) => {
            wallet.boot.set(Boot::Failed(start_problem(&e)));
            return;
        }
    }
    open_incoming_link(wallet);
    platform::register_service_worker();
    wallet.persistence.set(Some(platform::request_persistence().await));
}

/// Query parameters with which issuers, verifiers and DOME's pages open the wallet.
const INVOCATION_PARAMS: &[&str] =
    &["credential_offer_uri", "credential_offer", "request_uri", "request", "client_id", "authorization_request"];

/// When the wallet was opened by a link carrying an offer or a request, hands it to the engine,
/// and drops the query from the address bar: it may carry one-time codes, and a reload must not
/// fetch a single-use offer again. `?link=` carries a whole wallet link (`web+openid4vp:…`,
/// `web+openid-credential-offer:…`): the browser opens `/scan?link=%s` for the links the wallet
/// registered for (Scan page).
fn open_incoming_link(wallet: Wallet) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let (Ok(href), Ok(search), Ok(path)) = (location.href(), location.search(), location.pathname()) else { return };
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) else { return };
    let link = params.get("link");
    if link.is_some() || INVOCATION_PARAMS.iter().any(|p| params.has(p)) {
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
        }
        crate::journey::open(wallet, link.unwrap_or(href));
    }
}

/// The wallet, in `<body>`.
fn app() {
    let wallet = Wallet {
        boot: RwSignal::new(Boot::Starting),
        keys: RwSignal::new(Vec::new()),
        persistence: RwSignal::new(None),
        // English is compiled in; another language shows once its texts are loaded.
        lang: RwSignal::new(Lang::En),
        route: RwSignal::new(current_route()),
        journey: RwSignal::new(Journey::Idle),
        credentials: RwSignal::new(Vec::new()),
        lock: RwSignal::new(LockView::default()),
        locked: RwSignal::new(false),
        db: StoredValue::new_local(None),
        engine: StoredValue::new_local(None),
    };
    if let Some(window) = web_sys::window() {
        // Back and forward buttons.
        listen(&window, "popstate", move |_| {
            // (Not for the skip link's #main, which changes no page and puts focus on <main>.)
            let route = current_route();
            if wallet.route.get_untracked() != route {
                wallet.route.set(route);
                wallet.focus_page();
            }
        });
        // Back online: the status may have changed while the wallet could not ask.
        listen(&window, "online", move |_| {
            if wallet.credentials.with_untracked(|list| list.iter().any(status_due)) {
                wallet.check_status(None);
            }
        });
    }
    // In-app links (`data-route`: the navigation, "Go to credentials") show their page without
    // loading the wallet again; new-tab and new-window clicks stay with the browser. Leaving a
    // journey that was not answered forgets it.
    if let Some(document) = crate::dom::document() {
        listen(&document, "click", move |event| {
            let Some(click) = event.dyn_ref::<web_sys::MouseEvent>() else { return };
            if click.ctrl_key() || click.meta_key() || click.shift_key() || click.alt_key() || click.button() != 0 {
                return;
            }
            let target = event.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
            let Some(link) = target.and_then(|t| t.closest("a[data-route]").ok().flatten()) else { return };
            event.prevent_default();
            crate::journey::leave(wallet);
            wallet.navigate(Route::parse(&link.get_attribute("href").unwrap_or_default()));
        });
    }

    crate::reactive::effect(move || {
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = doc.document_element() {
                let _ = root.set_attribute("lang", wallet.lang.get().tag());
            }
        }
    });

    wallet.use_lang(preferred_lang(), false);
    leptos::task::spawn_local(start_wallet(wallet));
    watch_input(wallet);

    // The skip link, the header and the navigation: built once, kept in the current language.
    let skip = el("a").class("skip").attr("href", "#main").0;
    let brand = el("span").class("brand").0;
    let (header, navigation) = (el("header").class("bar").child(El(brand.clone())).0, crate::components::nav::nav(wallet));
    let (skip_text, brand_text) = (skip.clone(), brand.clone());
    crate::reactive::effect(move || {
        let lang = wallet.lang.get();
        skip_text.set_text_content(Some(i18n::text(lang, Key::SkipToContent)));
        brand_text.set_text_content(Some(i18n::text(lang, Key::AppName)));
    });
    let main = el("main").attr("id", "main").attr("tabindex", "-1").0;
    if let Some(body) = crate::dom::document().and_then(|d| d.body()) {
        let shell = el("div").class("shell").child(El(header)).child(El(navigation)).child(El(main.clone()));
        let _ = body.append_child(&skip);
        let _ = body.append_child(&shell.0);
    }
    // What <main> shows: the lock screen, a page, a journey screen or a start-up message. Each is
    // made in this effect's run (untracked), so its effects and listeners end when the next one
    // replaces it.
    crate::reactive::effect(move || {
        let view = match wallet.boot.get() {
            Boot::Starting => untrack(|| status_view(wallet, Key::Starting)),
            Boot::Failed(reason) => untrack(|| failed_view(wallet, reason)),
            Boot::Ready if wallet.locked.get() => untrack(|| lock_screen(wallet)),
            Boot::Ready => match wallet.journey.get() {
                Journey::Idle => {
                    let route = wallet.route.get();
                    untrack(|| pages::page(wallet, route))
                }
                Journey::Opening => untrack(|| status_view(wallet, Key::Opening)),
                Journey::Showing { screen, busy, .. } => untrack(|| screen_view(wallet, screen, busy)),
            },
        };
        main.replace_children_with_node_1(&view);
    });
}

/// "Opening the wallet", and what is under way (starting, opening a link).
fn status_view(wallet: Wallet, status: Key) -> web_sys::Element {
    dom_view(move |root| {
        let lang = wallet.lang.get();
        let title = el("h1").text(i18n::text(lang, Key::OpeningTitle));
        refill(root, vec![title, el("p").class("status").attr("role", "status").text(i18n::text(lang, status))]);
    })
}

/// Why the wallet could not start.
fn failed_view(wallet: Wallet, reason: Key) -> web_sys::Element {
    dom_view(move |root| {
        let lang = wallet.lang.get();
        let alert = el("div").class("error").attr("role", "alert");
        refill(root, vec![alert.child(el("h1").text(i18n::text(lang, Key::StartFailed))).child(el("p").text(i18n::text(lang, reason)))]);
    })
}

/// Tells the engine about user input (at most once a second) while the wallet is unlocked with
/// an auto-lock time: input in any tab keeps the wallet unlocked.
fn watch_input(wallet: Wallet) {
    let Some(window) = web_sys::window() else { return };
    let last = std::cell::Cell::new(0.0);
    let on_input = std::rc::Rc::new(move || {
        let active = wallet.lock.with_untracked(|l| l.state == LockState::Unlocked && l.idle > 0);
        let now = js_sys::Date::now();
        if active && now - last.get() >= 1000.0 {
            last.set(now);
            if let Ok(engine) = wallet.engine() {
                engine.notify(&bridge::obj(&[("kind", bridge::request::INPUT.into())]));
            }
        }
    });
    for kind in ["pointerdown", "pointermove", "keydown", "wheel", "touchstart"] {
        let on_input = on_input.clone();
        listen(&window, kind, move |_| on_input());
    }
}

/// Mounts the wallet on the page.
pub fn start() {
    console_error_panic_hook_lite();
    // Leptos' mount starts its task executor and keeps the wallet's reactive owner for the life
    // of the page; the wallet draws itself (`app`).
    leptos::mount::mount_to_body(app);
}

/// Panics abort (panic = "abort"), so report them on the console before the module dies.
fn console_error_panic_hook_lite() {
    std::panic::set_hook(Box::new(|info| {
        leptos::logging::error!("wallet panic: {info}");
    }));
}
