//! The QR reader's Web Worker (bin `qr`, built by Trunk as `/qr_loader.js`), started by the Scan
//! page only: reading a picture never blocks the interface.
//!
//! Messages in: `{bitmap: ImageBitmap (transferred), harder: bool}` (`harder` for a still image:
//! also light-on-dark and mirrored codes). Answers, in order: `{text: string | null, harder, ms}`
//! (`ms`: time spent on the picture). `{ready: true}` once it listens.
//!
//! It uses the browser's `BarcodeDetector` where there is one with QR codes, and the wallet's
//! reader ([`crate`]) otherwise (Chromium on Linux and desktop Windows, Firefox, Safari).

use std::cell::RefCell;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DedicatedWorkerGlobalScope, ImageBitmap, MessageEvent, OffscreenCanvas, OffscreenCanvasRenderingContext2d};


/// A plain object with these properties.
fn obj(entries: &[(&str, JsValue)]) -> js_sys::Object {
    let o = js_sys::Object::new();
    for (k, v) in entries {
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Pictures are read at most this large (longest side, in pixels); larger ones are scaled down.
const MAX_SIDE: f64 = 1600.0;

thread_local! {
    /// The browser's detector, when it reads QR codes.
    static DETECTOR: RefCell<Option<JsValue>> = const { RefCell::new(None) };
    /// A canvas to read pictures' pixels, kept between frames of the same size.
    static CANVAS: RefCell<Option<(u32, u32, OffscreenCanvasRenderingContext2d)>> = const { RefCell::new(None) };
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn now() -> f64 {
    let performance = get(&js_sys::global(), "performance");
    Reflect::get(&performance, &"now".into())
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .and_then(|f| f.call0(&performance).ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

/// Calls `target[method](arg)` and returns the promise it gives.
fn call_promise(target: &JsValue, method: &str, arg: Option<&JsValue>) -> Option<Promise> {
    let f = Reflect::get(target, &method.into()).ok()?.dyn_into::<Function>().ok()?;
    let result = match arg {
        Some(arg) => f.call1(target, arg),
        None => f.call0(target),
    };
    result.ok()?.dyn_into().ok()
}

/// Keeps `new BarcodeDetector({formats: ["qr_code"]})` when the browser has one that reads QR
/// codes, then says it is ready. (Promises are chained by hand: an async runtime would double
/// this module's code.)
fn start_detector() {
    let class = get(&js_sys::global(), "BarcodeDetector");
    let Some(formats) = call_promise(&class, "getSupportedFormats", None) else { return ready() };
    let keep = Closure::once_into_js(move |supported: JsValue| {
        if Array::from(&supported).includes(&"qr_code".into(), 0) {
            let options = obj(&[("formats", Array::of1(&"qr_code".into()).into())]);
            if let Some(detector) = class.dyn_ref::<Function>().and_then(|c| Reflect::construct(c, &Array::of1(&options)).ok()) {
                DETECTOR.with(|d| *d.borrow_mut() = Some(detector));
            }
        }
        ready();
    });
    then(&formats, keep, Closure::once_into_js(ready));
}

/// `promise.then(fulfilled, rejected)` with functions made by `Closure::once_into_js`.
fn then(promise: &Promise, fulfilled: JsValue, rejected: JsValue) {
    if let Some(then) = Reflect::get(promise, &"then".into()).ok().and_then(|f| f.dyn_into::<Function>().ok()) {
        let _ = then.call2(promise, &fulfilled, &rejected);
    }
}

fn ready() {
    let _ = scope().post_message(&obj(&[("ready", true.into())]));
}

/// The picture's pixels (RGBA), scaled down to [`MAX_SIDE`].
fn pixels(bitmap: &ImageBitmap) -> Option<(usize, usize, Vec<u8>)> {
    let (w, h) = (bitmap.width() as f64, bitmap.height() as f64);
    let scale = (MAX_SIDE / w.max(h)).min(1.0);
    let (w, h) = ((w * scale).round() as u32, (h * scale).round() as u32);
    if w == 0 || h == 0 {
        return None;
    }
    let context = CANVAS.with(|c| {
        let mut c = c.borrow_mut();
        if !matches!(&*c, Some((cw, ch, _)) if *cw == w && *ch == h) {
            let canvas = OffscreenCanvas::new(w, h).ok()?;
            // Read back often: keep the pixels in memory rather than on the GPU.
            let options = obj(&[("willReadFrequently", true.into())]);
            let context = canvas.get_context_with_context_options("2d", &options).ok()??.dyn_into().ok()?;
            *c = Some((w, h, context));
        }
        c.as_ref().map(|(_, _, context)| context.clone())
    })?;
    context.draw_image_with_image_bitmap_and_dw_and_dh(bitmap, 0.0, 0.0, w as f64, h as f64).ok()?;
    let data = context.get_image_data(0.0, 0.0, w as f64, h as f64).ok()?.data();
    Some((w as usize, h as usize, data.0))
}

/// The wallet's reader on the picture.
fn read(bitmap: &ImageBitmap, harder: bool) -> Option<String> {
    let (w, h, rgba) = pixels(bitmap)?;
    crate::decode_rgba(w, h, &rgba, harder)
}

fn answer(bitmap: &ImageBitmap, text: Option<String>, harder: bool, started: f64) {
    bitmap.close();
    let text = text.map_or(JsValue::NULL, |t| JsValue::from_str(&t));
    let _ = scope().post_message(&obj(&[("text", text), ("harder", harder.into()), ("ms", (now() - started).into())]));
}

fn on_message(event: MessageEvent) {
    let message = event.data();
    let started = now();
    let harder = get(&message, "harder").is_truthy();
    let Ok(bitmap) = get(&message, "bitmap").dyn_into::<ImageBitmap>() else {
        let _ = scope().post_message(&obj(&[("text", JsValue::NULL), ("harder", harder.into())]));
        return;
    };
    let detector = DETECTOR.with(|d| d.borrow().clone());
    let Some(detecting) = detector.and_then(|d| call_promise(&d, "detect", Some(&bitmap))) else {
        let text = read(&bitmap, harder);
        return answer(&bitmap, text, harder, started);
    };
    let (found_bitmap, failed_bitmap) = (bitmap.clone(), bitmap);
    let found = Closure::once_into_js(move |codes: JsValue| {
        let text = Array::from(&codes).iter().find_map(|code| get(&code, "rawValue").as_string());
        // A camera frame without a code: the next frame will tell. A still image gets the
        // wallet's reader too, which also tries light-on-dark and mirrored codes.
        let text = if text.is_none() && harder { read(&found_bitmap, harder) } else { text };
        answer(&found_bitmap, text, harder, started);
    });
    let failed = Closure::once_into_js(move |_: JsValue| {
        let text = read(&failed_bitmap, harder);
        answer(&failed_bitmap, text, harder, started);
    });
    then(&detecting, found, failed);
}

/// Installs the message handler; called once when the worker's module starts.
pub fn start() {
    let handler = Closure::<dyn Fn(MessageEvent)>::new(on_message);
    scope().set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
    start_detector();
}
