//! The interface's handle on the engine worker: started on first use, requests answered by id.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, Worker};

use crate::bridge::{self, Problem};

/// A worker's loader, whose name carries a content hash: the build names it in
/// `<meta name="wallet-<worker>">` (e2e/tools/post-build.mjs).
pub fn worker_url(worker: &str) -> Option<String> {
    let selector = format!("meta[name=wallet-{worker}]");
    let meta = web_sys::window()?.document()?.query_selector(&selector).ok()??;
    meta.get_attribute("content")
}

/// The requests awaiting their answer, by id: a handful at most, so a list (a hash map would bring
/// its hashing code into the interface module).
type Pending = Rc<RefCell<Vec<(u32, Function)>>>;

#[derive(Clone)]
pub struct EngineClient {
    worker: Worker,
    pending: Pending,
    next_id: Rc<Cell<u32>>,
    /// Resolves when the engine has started: messages sent earlier would be lost.
    ready: Promise,
}

impl EngineClient {
    /// Starts the engine; `on_event` receives the messages that answer no request.
    pub fn spawn(on_event: impl Fn(JsValue) + 'static) -> Result<Self, String> {
        let url = worker_url("engine").ok_or_else(|| "the page names no engine (meta wallet-engine)".to_owned())?;
        let worker = Worker::new(&url).map_err(|e| crate::adapters::js_error(&e))?;
        let pending: Pending = Rc::default();
        let answers = pending.clone();
        let started: Rc<RefCell<Option<Function>>> = Rc::default();
        let ready = {
            let started = started.clone();
            Promise::new(&mut |resolve, _| *started.borrow_mut() = Some(resolve))
        };
        let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            if bridge::get_str(&data, "kind").as_deref() == Some(bridge::event::READY) {
                if let Some(resolve) = started.borrow_mut().take() {
                    let _ = resolve.call0(&JsValue::NULL);
                }
                return;
            }
            let Some(id) = bridge::get_f64(&data, "id") else {
                on_event(data);
                return;
            };
            let answered = {
                let mut answers = answers.borrow_mut();
                let index = answers.iter().position(|(pending, _)| *pending == id as u32);
                index.map(|i| answers.swap_remove(i).1)
            };
            if let Some(resolve) = answered {
                let _ = resolve.call1(&JsValue::NULL, &data);
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        Ok(Self { worker, pending, next_id: Rc::new(Cell::new(1)), ready })
    }

    /// Sends a message that has no answer (`request::INPUT`).
    pub fn notify(&self, message: &Object) {
        let _ = self.worker.post_message(message);
    }

    /// Sends a request and waits for the engine's answer; an answer with `error` is an `Err`.
    pub async fn call(&self, request: Object) -> Result<JsValue, Problem> {
        self.call_transferring(request, None).await
    }

    /// [`call`](Self::call), handing the objects in `transfer` (an `ImageBitmap`) over to the
    /// engine rather than copying them.
    pub async fn call_transferring(&self, request: Object, transfer: Option<&js_sys::Array>) -> Result<JsValue, Problem> {
        let internal = |e: JsValue| Problem { id: "internal".into(), message: crate::adapters::js_error(&e) };
        JsFuture::from(self.ready.clone()).await.map_err(internal)?;
        let id = self.next_id.get();
        self.next_id.set(id.wrapping_add(1));
        let _ = Reflect::set(&request, &"id".into(), &id.into());
        let pending = self.pending.clone();
        let answer = Promise::new(&mut |resolve, _reject| {
            pending.borrow_mut().push((id, resolve));
        });
        match transfer {
            Some(transfer) => self.worker.post_message_with_transfer(&request, transfer),
            None => self.worker.post_message(&request),
        }
        .map_err(internal)?;
        let answer = JsFuture::from(answer).await.map_err(internal)?;
        let error = bridge::get(&answer, "error");
        if error.is_undefined() {
            Ok(answer)
        } else {
            if let Some(detail) = bridge::get_str(&error, "detail") {
                leptos::logging::warn!("engine: {detail}");
            }
            Err(Problem::from_js(&error))
        }
    }
}
