//! The application shell: start-up (storage, keys), shared state, routing and layout.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use web_sys::IdbDatabase;

use crate::adapters::keystore::{KeyInfo, KeyStore};
use crate::adapters::records::{self, StoredCredential};
use crate::bridge;
use crate::journey::Journey;
use crate::adapters::platform::{self, Persistence};
use crate::adapters::schema;
use crate::components::screen_view::ScreenView;
use crate::components::nav::Nav;
use crate::engine_client::EngineClient;
use crate::i18n::{self, Key, Lang};
use crate::pages;
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
        let engine = EngineClient::spawn(move |event| {
            if bridge::get_str(&event, "kind").as_deref() == Some(bridge::event::STORE_CHANGED) {
                wallet.refresh_credentials();
            }
        })?;
        self.engine.set_value(Some(engine.clone()));
        Ok(engine)
    }

    /// Reads the stored credentials again (after the engine changed them).
    pub fn refresh_credentials(&self) {
        let Some(db) = self.db.get_value() else { return };
        let credentials = self.credentials;
        let wallet = *self;
        leptos::task::spawn_local(async move {
            match records::credentials(&db).await {
                Ok(list) => {
                    // The engine resumes deferred issuances whenever it runs.
                    if list.iter().any(|c| c.state == records::CredentialState::Pending) {
                        let _ = wallet.engine();
                    }
                    // With something to lose, ask again for storage the browser will not evict.
                    if !list.is_empty() && wallet.persistence.get_untracked() == Some(Persistence::BestEffort) {
                        leptos::task::spawn_local(async move {
                            wallet.persistence.set(Some(platform::request_persistence().await));
                        });
                    }
                    credentials.set(list)
                }
                Err(e) => leptos::logging::error!("credentials: {e}"),
            }
        });
    }

    /// A translated text in the current language, as a reactive closure for `view!`.
    pub fn t(&self, key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        let lang = self.lang;
        move || i18n::text(lang.get(), key)
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
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix_seconds * 1000.0));
        let options = bridge::obj(&[("dateStyle", "medium".into()), ("timeStyle", "short".into())]);
        String::from(date.to_locale_string(self.lang.get_untracked().tag(), &options))
    }

    /// A date (Unix seconds) in the user's language, e.g. "23 Nov 2026".
    pub fn format_date(&self, unix_seconds: f64) -> String {
        let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix_seconds * 1000.0));
        let options = bridge::obj(&[("dateStyle", "medium".into())]);
        String::from(date.to_locale_date_string(self.lang.get_untracked().tag(), &options))
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


fn current_route() -> Route {
    let path = web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default();
    Route::parse(&path)
}

fn browser_lang() -> Lang {
    let languages: Vec<String> = web_sys::window()
        .map(|w| w.navigator().languages().iter().filter_map(|l| l.as_string()).collect())
        .unwrap_or_default();
    Lang::negotiate(languages.iter().map(String::as_str))
}

/// Why the wallet could not start, in words the user can act on. (Matching on the cause keeps
/// the interface free of the core's full error texts, which only the engine needs.)
fn start_problem(e: &crate::core::Error) -> Key {
    use crate::core::error::{CryptoError, Error, StorageError};
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
    let store = KeyStore::new(db.clone());
    match store.ensure_holder_key().await {
        Ok(keys) => {
            wallet.keys.set(keys);
            wallet.db.set_value(Some(db));
            wallet.refresh_credentials();
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

#[component]
pub fn App() -> impl IntoView {
    let wallet = Wallet {
        boot: RwSignal::new(Boot::Starting),
        keys: RwSignal::new(Vec::new()),
        persistence: RwSignal::new(None),
        lang: RwSignal::new(browser_lang()),
        route: RwSignal::new(current_route()),
        journey: RwSignal::new(Journey::Idle),
        credentials: RwSignal::new(Vec::new()),
        db: StoredValue::new_local(None),
        engine: StoredValue::new_local(None),
    };
    // Back and forward buttons.
    let on_pop = Closure::<dyn Fn()>::new(move || {
        // (Not for the skip link's #main, which changes no page and puts focus on <main>.)
        let route = current_route();
        if wallet.route.get_untracked() != route {
            wallet.route.set(route);
            wallet.focus_page();
        }
    });
    if let Some(window) = web_sys::window() {
        let _ = window.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    }
    on_pop.forget();

    Effect::new(move |_| {
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            if let Some(root) = doc.document_element() {
                let _ = root.set_attribute("lang", wallet.lang.get().tag());
            }
        }
    });

    leptos::task::spawn_local(start_wallet(wallet));

    view! {
        <a class="skip" href="#main">{wallet.t(Key::SkipToContent)}</a>
        <div class="shell">
            <header class="bar">
                <span class="brand">{wallet.t(Key::AppName)}</span>
            </header>
            <Nav wallet/>
            <main id="main" tabindex="-1">
                {move || match wallet.boot.get() {
                    Boot::Starting => view! {
                        <h1>{wallet.t(Key::OpeningTitle)}</h1>
                        <p class="status" role="status">{wallet.t(Key::Starting)}</p>
                    }.into_any(),
                    Boot::Failed(reason) => view! {
                        <div class="error" role="alert">
                            <h1>{wallet.t(Key::StartFailed)}</h1>
                            <p>{wallet.t(reason)}</p>
                        </div>
                    }.into_any(),
                    Boot::Ready => match wallet.journey.get() {
                        Journey::Idle => pages::page(wallet, wallet.route.get()),
                        Journey::Opening => view! {
                            <h1>{wallet.t(Key::OpeningTitle)}</h1>
                            <p class="status" role="status">{wallet.t(Key::Opening)}</p>
                        }.into_any(),
                        Journey::Showing { screen, busy, .. } => view! { <ScreenView wallet screen busy/> }.into_any(),
                    },
                }}
            </main>
        </div>
    }
}

/// Mounts the wallet on the page.
pub fn start() {
    console_error_panic_hook_lite();
    leptos::mount::mount_to_body(App);
}

/// Panics abort (panic = "abort"), so report them on the console before the module dies.
fn console_error_panic_hook_lite() {
    std::panic::set_hook(Box::new(|info| {
        leptos::logging::error!("wallet panic: {info}");
    }));
}
