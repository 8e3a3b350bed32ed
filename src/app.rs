//! The application shell: start-up (storage, keys), shared state, routing and layout.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::adapters::keystore::{KeyInfo, KeyStore};
use crate::adapters::platform::{self, Persistence};
use crate::adapters::schema;
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
    /// The user-facing reason, and the developer detail for the console.
    Failed(&'static str),
}

/// State shared by the pages. Every field is a cheap, `Copy` handle.
#[derive(Clone, Copy)]
pub struct Wallet {
    pub boot: RwSignal<Boot>,
    pub keys: RwSignal<Vec<KeyInfo>>,
    pub persistence: RwSignal<Option<Persistence>>,
    pub lang: RwSignal<Lang>,
    pub route: RwSignal<Route>,
    store: StoredValue<Option<KeyStore>, LocalStorage>,
    engine: StoredValue<Option<EngineClient>, LocalStorage>,
}

impl Wallet {
    pub fn key_store(&self) -> Option<KeyStore> {
        self.store.get_value()
    }

    /// The engine worker, started on first use.
    pub fn engine(&self) -> Result<EngineClient, String> {
        if let Some(engine) = self.engine.get_value() {
            return Ok(engine);
        }
        let engine = EngineClient::spawn()?;
        self.engine.set_value(Some(engine.clone()));
        Ok(engine)
    }

    /// A translated text in the current language, as a reactive closure for `view!`.
    pub fn t(&self, key: Key) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        let lang = self.lang;
        move || i18n::text(lang.get(), key)
    }

    /// Shows `route` and records it in the browser history.
    pub fn navigate(&self, route: Route) {
        if let Some(window) = web_sys::window() {
            if let Ok(history) = window.history() {
                let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(route.path()));
            }
        }
        self.route.set(route);
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

async fn start_wallet(wallet: Wallet) {
    let db = match schema::open().await {
        Ok(db) => db,
        Err(e) => {
            let e = crate::core::Error::from(e);
            leptos::logging::error!("storage: {e}");
            wallet.boot.set(Boot::Failed(e.user_message()));
            return;
        }
    };
    let store = KeyStore::new(db);
    match store.ensure_holder_key().await {
        Ok(keys) => {
            wallet.keys.set(keys);
            wallet.store.set_value(Some(store));
            wallet.boot.set(Boot::Ready);
        }
        Err(e) => {
            leptos::logging::error!("keys: {e}");
            wallet.boot.set(Boot::Failed(e.user_message()));
            return;
        }
    }
    wallet.persistence.set(Some(platform::request_persistence().await));
}

#[component]
pub fn App() -> impl IntoView {
    let wallet = Wallet {
        boot: RwSignal::new(Boot::Starting),
        keys: RwSignal::new(Vec::new()),
        persistence: RwSignal::new(None),
        lang: RwSignal::new(browser_lang()),
        route: RwSignal::new(current_route()),
        store: StoredValue::new_local(None),
        engine: StoredValue::new_local(None),
    };
    // Back and forward buttons.
    let on_pop = Closure::<dyn Fn()>::new(move || wallet.route.set(current_route()));
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
                    Boot::Starting => view! { <p class="status" role="status">{wallet.t(Key::Starting)}</p> }.into_any(),
                    Boot::Failed(reason) => view! {
                        <div class="error" role="alert">
                            <h1>{wallet.t(Key::StartFailed)}</h1>
                            <p>{reason}</p>
                        </div>
                    }.into_any(),
                    Boot::Ready => pages::page(wallet, wallet.route.get()),
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
