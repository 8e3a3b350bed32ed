//! Reading QR codes in pictures for the Scan page: camera frames and chosen images, sent as
//! transferred `ImageBitmap`s. The engine reads them, so the wallet carries one worker module and
//! the engine is ready once a code is found; decoding never blocks the interface.
//!
//! `{kind: "read-qr", bitmap, harder}` (`harder` for a still image: also light-on-dark and
//! mirrored codes). Answer: `{text: string | null, ms}` (`ms`: time spent on the picture). It
//! needs neither the wallet's storage nor its key, so it is answered while the wallet is locked or
//! its storage cannot open.
//!
//! It uses the browser's `BarcodeDetector` where there is one with QR codes, and the wallet's
//! reader ([`dome_wallet_qr`]) otherwise (Chromium on Linux and desktop Windows, Firefox, Safari).

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ImageBitmap, OffscreenCanvas, OffscreenCanvasRenderingContext2d};

use crate::bridge::{get, obj};

/// Pictures are read at most this large (longest side, in pixels); larger ones are scaled down.
const MAX_SIDE: f64 = 1600.0;

thread_local! {
    /// The browser's detector, once looked for (`Some(None)`: none that reads QR codes).
    static DETECTOR: RefCell<Option<Option<JsValue>>> = const { RefCell::new(None) };
    /// A canvas to read pictures' pixels, kept between frames of the same size.
    static CANVAS: RefCell<Option<(u32, u32, OffscreenCanvasRenderingContext2d)>> = const { RefCell::new(None) };
}

fn now() -> f64 {
    let performance = get(&js_sys::global(), "performance");
    call(&performance, "now", None).and_then(|v| v.as_f64()).unwrap_or(0.0)
}

/// `target[method](arg)`, when `target` has such a method and it returns.
fn call(target: &JsValue, method: &str, arg: Option<&JsValue>) -> Option<JsValue> {
    let f = Reflect::get(target, &method.into()).ok()?.dyn_into::<Function>().ok()?;
    match arg {
        Some(arg) => f.call1(target, arg),
        None => f.call0(target),
    }
    .ok()
}

/// Awaits `target[method](arg)`, a promise; `None` if there is no such method or it rejects.
async fn call_async(target: &JsValue, method: &str, arg: Option<&JsValue>) -> Option<JsValue> {
    let promise: Promise = call(target, method, arg)?.dyn_into().ok()?;
    JsFuture::from(promise).await.ok()
}

/// `new BarcodeDetector({formats: ["qr_code"]})`, looked for once: when the browser has one that
/// reads QR codes.
async fn detector() -> Option<JsValue> {
    if let Some(known) = DETECTOR.with(|d| d.borrow().clone()) {
        return known;
    }
    let class = get(&js_sys::global(), "BarcodeDetector");
    let supported = call_async(&class, "getSupportedFormats", None).await;
    let detector = supported
        .filter(|formats| Array::from(formats).includes(&"qr_code".into(), 0))
        .and_then(|_| {
            let options = obj(&[("formats", Array::of1(&"qr_code".into()).into())]);
            Reflect::construct(class.dyn_ref::<Function>()?, &Array::of1(&options)).ok()
        });
    DETECTOR.with(|d| *d.borrow_mut() = Some(detector.clone()));
    detector
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
fn wallet_reader(bitmap: &ImageBitmap, harder: bool) -> Option<String> {
    let (w, h, rgba) = pixels(bitmap)?;
    dome_wallet_qr::decode_rgba(w, h, &rgba, harder)
}

async fn text_in(bitmap: &ImageBitmap, harder: bool) -> Option<String> {
    let Some(detector) = detector().await else { return wallet_reader(bitmap, harder) };
    match call_async(&detector, "detect", Some(bitmap)).await {
        Some(codes) => {
            let text = Array::from(&codes).iter().find_map(|code| get(&code, "rawValue").as_string());
            // A camera frame without a code: the next frame will tell. A still image gets the
            // wallet's reader too, which also tries light-on-dark and mirrored codes.
            if text.is_none() && harder {
                wallet_reader(bitmap, harder)
            } else {
                text
            }
        }
        None => wallet_reader(bitmap, harder),
    }
}

/// Answers a `read-qr` request (see the module's documentation).
pub async fn read(message: &JsValue) -> Object {
    let started = now();
    let harder = get(message, "harder").is_truthy();
    let Ok(bitmap) = get(message, "bitmap").dyn_into::<ImageBitmap>() else {
        return obj(&[("text", JsValue::NULL)]);
    };
    let text = text_in(&bitmap, harder).await;
    bitmap.close();
    let text = text.map_or(JsValue::NULL, |t| JsValue::from_str(&t));
    obj(&[("text", text), ("ms", (now() - started).into())])
}
