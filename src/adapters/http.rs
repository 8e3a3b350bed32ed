//! HTTP through the browser's `fetch`, behind the core's `HttpClient` port.
//!
//! Requests carry nothing the protocol does not need: no cookies or HTTP authentication
//! (`credentials: omit`), no Referer (links carry one-time codes), no cache. Redirects are not
//! followed: a peer's redirect is refused rather than obeyed.

use js_sys::{Function, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, ReferrerPolicy, RequestCache, RequestCredentials, RequestInit, RequestMode, RequestRedirect, Response, ResponseType};

use super::js_error;
use crate::core::error::NetworkError;
use crate::core::ports::{HttpClient, HttpRequest, HttpResponse, Method};

/// No answer from a peer is larger than this; the core applies tighter limits per message.
pub const MAX_RESPONSE_BYTES: usize = 2 * 1024 * 1024;
const TIMEOUT_MS: i32 = 30_000;

#[derive(Debug, Default, Clone, Copy)]
pub struct FetchHttp;

fn host(url: &crate::core::url::Url) -> String {
    url.host_str().unwrap_or("?").to_owned()
}

impl HttpClient for FetchHttp {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, NetworkError> {
        let host = host(&request.url);
        let unreachable = |detail: String| NetworkError::Unreachable { host: host.clone(), detail };

        let init = RequestInit::new();
        init.set_method(match request.method {
            Method::Get => "GET",
            Method::Post => "POST",
        });
        init.set_mode(RequestMode::Cors);
        init.set_credentials(RequestCredentials::Omit);
        init.set_redirect(RequestRedirect::Manual);
        init.set_referrer_policy(ReferrerPolicy::NoReferrer);
        init.set_cache(RequestCache::NoStore);
        let headers = Headers::new().map_err(|e| unreachable(js_error(&e)))?;
        for (name, value) in &request.headers {
            headers.set(name, value).map_err(|e| unreachable(js_error(&e)))?;
        }
        init.set_headers(&headers);
        if let Some(body) = &request.body {
            init.set_body(&Uint8Array::from(body.as_slice()));
        }
        let controller = AbortController::new().map_err(|e| unreachable(js_error(&e)))?;
        init.set_signal(Some(&controller.signal()));
        let abort = wasm_bindgen::closure::Closure::once_into_js(move || controller.abort());
        let global = js_sys::global();
        let set_timeout: Function = Reflect::get(&global, &"setTimeout".into()).map_err(|e| unreachable(js_error(&e)))?.unchecked_into();
        let timer = set_timeout.call2(&global, &abort, &TIMEOUT_MS.into()).unwrap_or(JsValue::UNDEFINED);
        let clear_timer = || {
            if let Ok(clear) = Reflect::get(&global, &"clearTimeout".into()) {
                let _ = clear.unchecked_into::<Function>().call1(&global, &timer);
            }
        };

        let fetch: Function = Reflect::get(&global, &"fetch".into()).map_err(|e| unreachable(js_error(&e)))?.unchecked_into();
        let promise = fetch
            .call2(&global, &JsValue::from_str(request.url.as_str()), &init)
            .map_err(|e| unreachable(js_error(&e)))?;
        let response: Response = match JsFuture::from(js_sys::Promise::from(promise)).await {
            Ok(r) => r.unchecked_into(),
            Err(e) => {
                clear_timer();
                let name = e.dyn_ref::<web_sys::DomException>().map(|d| d.name());
                return Err(if name.as_deref() == Some("AbortError") {
                    NetworkError::Timeout { host }
                } else {
                    unreachable(js_error(&e))
                });
            }
        };
        if response.type_() == ResponseType::Opaqueredirect {
            clear_timer();
            return Err(unreachable("answered with a redirect, which the wallet does not follow".into()));
        }
        let too_large = || NetworkError::TooLarge { host: host.clone(), limit: MAX_RESPONSE_BYTES };
        let content_type = response.headers().get("content-type").ok().flatten();
        let declared = response.headers().get("content-length").ok().flatten().and_then(|l| l.trim().parse::<usize>().ok());
        if declared.is_some_and(|len| len > MAX_RESPONSE_BYTES) {
            clear_timer();
            return Err(too_large());
        }
        let buffer = response.array_buffer().map_err(|e| unreachable(js_error(&e)))?;
        let body = JsFuture::from(buffer).await;
        clear_timer();
        let body = body.map_err(|e| unreachable(js_error(&e)))?;
        let body = Uint8Array::new(&body);
        if body.length() as usize > MAX_RESPONSE_BYTES {
            return Err(too_large());
        }
        Ok(HttpResponse { status: response.status(), content_type, body: body.to_vec() })
    }
}
