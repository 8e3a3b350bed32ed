//! What the browser lets the wallet keep: persistent storage.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Whether the browser promises not to evict the wallet's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Persistence {
    Persistent,
    BestEffort,
    /// The browser has no Storage API (very old browsers, some webviews).
    Unsupported,
}

fn storage_manager() -> Option<web_sys::StorageManager> {
    let navigator = web_sys::window()?.navigator();
    let storage = js_sys::Reflect::get(&navigator, &"storage".into()).ok()?;
    storage.dyn_into::<web_sys::StorageManager>().ok()
}

/// Asks for persistent storage unless it is already granted, and reports the answer.
pub async fn request_persistence() -> Persistence {
    let Some(manager) = storage_manager() else { return Persistence::Unsupported };
    let granted = |p: Result<js_sys::Promise, _>| async move {
        match p {
            Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_bool()),
            Err(_) => None,
        }
    };
    if granted(manager.persisted()).await == Some(true) {
        return Persistence::Persistent;
    }
    match granted(manager.persist()).await {
        Some(true) => Persistence::Persistent,
        Some(false) => Persistence::BestEffort,
        None => Persistence::Unsupported,
    }
}

/// Installs the service worker that keeps the wallet's files for offline use (`public/sw.js`).
/// Failing to is not fatal: the wallet then only works online.
pub fn register_service_worker() {
    let Some(window) = web_sys::window() else { return };
    let container = js_sys::Reflect::get(&window.navigator(), &"serviceWorker".into()).ok();
    let Some(container) = container.and_then(|c| c.dyn_into::<web_sys::ServiceWorkerContainer>().ok()) else { return };
    let registration = container.register("/sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = JsFuture::from(registration).await {
            web_sys::console::warn_1(&e);
        }
    });
}
