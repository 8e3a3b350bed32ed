//! The Scan page: QR codes read with the camera or from an image, a pasted link, and an offer to
//! open wallet links (`registerProtocolHandler`). Whatever is read goes to [`journey::open`].
//!
//! The camera's picture is shown live inside a framing guide. Frames go one at a time, as
//! transferred `ImageBitmap`s, to the engine worker's QR reader (`engine::qr`, started by this page
//! when not yet running): reading never blocks the interface. The camera is released as soon as a code is
//! read, when the page is left (another page, a journey starting) and while the tab is hidden.
//!
//! The page is built with the small DOM builder (`crate::dom`) and one delegated event handler:
//! typed views of its controls would add more to the interface module than all of this.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use js_sys::{Array, Function, Promise, Reflect};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, Event, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement, HtmlVideoElement, ImageBitmap};
use web_sys::{MediaDeviceInfo, MediaStream, MediaStreamTrack};

use crate::app::Wallet;
use crate::bridge::{get, get_str, obj, request};
use crate::dom::{el, El};
use crate::i18n::Key;
use crate::journey;
use crate::components::dom_view::dom_view;

/// Pause between two camera frames (the reader's own time comes on top): about 8 a second at most.
const FRAME_GAP_MS: i32 = 120;
/// The links the wallet offers to open (the engine reads both).
const LINK_SCHEMES: [&str; 2] = ["web+openid-credential-offer", "web+openid4vp"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Camera {
    Off,
    Starting,
    Live,
    Denied,
    Missing,
    Busy,
    Unavailable,
    Failed,
}

impl Camera {
    /// What the status line says, what to do about a problem, and the button.
    fn texts(self) -> (Key, Option<Key>, Key) {
        match self {
            Camera::Off => (Key::ScanOff, None, Key::ScanStart),
            Camera::Starting => (Key::ScanStarting, None, Key::ScanStop),
            Camera::Live => (Key::ScanLooking, None, Key::ScanStop),
            Camera::Denied => (Key::ScanDenied, Some(Key::ScanDeniedHelp), Key::ScanRetry),
            Camera::Missing => (Key::ScanMissing, Some(Key::ScanMissingHelp), Key::ScanRetry),
            Camera::Busy => (Key::ScanBusy, Some(Key::ScanBusyHelp), Key::ScanRetry),
            Camera::Unavailable => (Key::ScanUnavailable, Some(Key::ScanUnavailableHelp), Key::ScanRetry),
            Camera::Failed => (Key::ScanFailed, None, Key::ScanRetry),
        }
    }

    /// Why `getUserMedia` refused, from the error's name.
    fn from_error(e: &JsValue) -> Camera {
        match get_str(e, "name").as_deref() {
            Some("NotAllowedError" | "SecurityError") => Camera::Denied,
            Some("NotFoundError" | "OverconstrainedError") => Camera::Missing,
            Some("NotReadableError" | "AbortError") => Camera::Busy,
            _ => Camera::Failed,
        }
    }
}

/// The elements the page updates.
struct Parts {
    viewfinder: Element,
    video: HtmlVideoElement,
    status: Element,
    help: Element,
    button: Element,
    choice: Element,
    select: HtmlSelectElement,
    image_status: Element,
    links_status: Element,
}

/// The camera, the reader and the page's controls.
struct Scanner {
    wallet: Wallet,
    me: Weak<Scanner>,
    parts: Parts,
    state: Cell<Camera>,
    /// The camera asked for by the picker ("": the rear one, or the default).
    chosen: RefCell<String>,
    stream: RefCell<Option<MediaStream>>,
    /// A camera frame is with the reader.
    reading: Cell<bool>,
    /// Bumped whenever the camera stops: what an earlier start still delivers is dropped.
    run: Cell<u32>,
    /// The tab was hidden while the camera ran: start it again when it is shown.
    resume: Cell<bool>,
    closed: Cell<bool>,
}

thread_local! {
    /// The last code handed over, and when the camera last saw it. After "Back" the camera
    /// usually still points at it: it is not handed over again while it stays in sight.
    static LAST_READ: RefCell<(String, f64)> = const { RefCell::new((String::new(), 0.0)) };
}

/// Whether the camera sees the code it last handed over again (within 2.5 s of last seeing it).
fn seen_again(text: &str) -> bool {
    let now = js_sys::Date::now();
    LAST_READ.with(|last| {
        let mut last = last.borrow_mut();
        let again = last.0 == text && now - last.1 < 2500.0;
        *last = (text.to_owned(), now);
        again
    })
}

/// Runs `then` with the promise's outcome (one future type for the whole page).
fn settle(promise: Promise, then: Box<dyn FnOnce(Result<JsValue, JsValue>)>) {
    leptos::task::spawn_local(async move { then(JsFuture::from(promise).await) });
}

fn stop_tracks(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        track.unchecked_into::<MediaStreamTrack>().stop();
    }
}

fn show(element: &Element, visible: bool) {
    let _ = if visible { element.remove_attribute("hidden") } else { element.set_attribute("hidden", "") };
}

impl Scanner {
    fn text(&self, key: Key) -> &'static str {
        crate::i18n::text(self.wallet.lang.get_untracked(), key)
    }

    fn set_state(&self, state: Camera) {
        self.state.set(state);
        let (status, help, button) = state.texts();
        let p = &self.parts;
        p.status.set_text_content(Some(self.text(status)));
        let _ = p.status.set_attribute("class", if help.is_some() { "status problem" } else { "status" });
        p.help.set_text_content(help.map(|h| self.text(h)));
        show(&p.help, help.is_some());
        p.button.set_text_content(Some(self.text(button)));
        let running = matches!(state, Camera::Live | Camera::Starting);
        let _ = p.button.set_attribute("data-action", if running { "stop" } else { "start" });
        let _ = p.button.set_attribute("class", if running { "secondary" } else { "" });
        show(&p.viewfinder, state == Camera::Live);
    }

    fn start(self: &Rc<Self>) {
        self.release();
        if self.closed.get() {
            return;
        }
        let run = self.run.get();
        let Some(devices) = web_sys::window()
            .map(|w| w.navigator())
            .filter(|n| !get(n, "mediaDevices").is_undefined())
            .and_then(|n| n.media_devices().ok())
        else {
            return self.set_state(Camera::Unavailable);
        };
        // The rear camera where there is one (phones), at a resolution that reads small codes.
        let chosen = self.chosen.borrow().clone();
        let camera = if chosen.is_empty() {
            obj(&[("facingMode", obj(&[("ideal", "environment".into())]).into())])
        } else {
            obj(&[("deviceId", obj(&[("exact", chosen.into())]).into())])
        };
        let _ = Reflect::set(&camera, &"width".into(), &obj(&[("ideal", 1280.into())]));
        let _ = Reflect::set(&camera, &"height".into(), &obj(&[("ideal", 720.into())]));
        let constraints = web_sys::MediaStreamConstraints::new();
        constraints.set_video(&camera);
        constraints.set_audio(&false.into());
        let Ok(asked) = devices.get_user_media_with_constraints(&constraints) else {
            return self.set_state(Camera::Failed);
        };
        self.set_state(Camera::Starting);
        let me = self.clone();
        settle(
            asked,
            Box::new(move |answer| match answer {
                Ok(stream) if me.run.get() == run && !me.closed.get() => me.live(stream.unchecked_into(), devices),
                // Left, stopped or restarted meanwhile.
                Ok(stream) => stop_tracks(&stream.unchecked_into()),
                Err(e) if me.run.get() == run => me.set_state(Camera::from_error(&e)),
                Err(_) => {}
            }),
        );
    }

    fn live(self: &Rc<Self>, stream: MediaStream, devices: web_sys::MediaDevices) {
        let video = &self.parts.video;
        video.set_src_object(Some(&stream));
        if let Ok(playing) = video.play() {
            settle(playing, Box::new(|_| {}));
        }
        let track = stream.get_video_tracks().get(0);
        *self.stream.borrow_mut() = Some(stream);
        self.set_state(Camera::Live);
        self.next_frame(0);
        // Now that the camera is allowed, the cameras have names: offer a choice when there are several.
        let settings = Reflect::get(&track, &"getSettings".into())
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok())
            .and_then(|f| f.call0(&track).ok());
        let current = settings.and_then(|s| get_str(&s, "deviceId")).unwrap_or_default();
        let Ok(listing) = devices.enumerate_devices() else { return };
        let me = self.clone();
        settle(
            listing,
            Box::new(move |list| {
                let select = &me.parts.select;
                select.set_text_content(None);
                let mut count = 0u8;
                for device in Array::from(&list.unwrap_or_default()).iter() {
                    let device: MediaDeviceInfo = device.unchecked_into();
                    if device.kind() != web_sys::MediaDeviceKind::Videoinput {
                        continue;
                    }
                    count += 1;
                    let mut name = device.label();
                    if name.is_empty() {
                        // (Browsers name cameras once one may be used; this is a fallback.)
                        name = format!("{} {}", me.text(Key::ScanCamera), char::from(b'0' + count.min(9)));
                    }
                    let id = device.device_id();
                    let option = el("option").attr("value", &id).attr_if(id == current, "selected", "").text(&name);
                    let _ = select.append_child(&option.0);
                }
                show(&me.parts.choice, count > 1);
            }),
        );
    }

    /// Stops the camera (and the frames on their way): the browser's camera light goes off.
    fn release(&self) {
        self.run.set(self.run.get().wrapping_add(1));
        self.reading.set(false);
        if let Some(stream) = self.stream.borrow_mut().take() {
            stop_tracks(&stream);
        }
        self.parts.video.set_src_object(None);
    }

    fn stop(&self) {
        self.release();
        self.set_state(Camera::Off);
    }

    /// The page is left: the camera goes (answers still on their way are dropped; the listeners
    /// go with the page).
    fn close(&self) {
        self.closed.set(true);
        self.release();
    }

    fn visibility_changed(self: &Rc<Self>) {
        let hidden = crate::dom::document().is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden);
        if hidden && matches!(self.state.get(), Camera::Live | Camera::Starting) {
            self.resume.set(true);
            self.stop();
        } else if !hidden && self.resume.replace(false) {
            self.start();
        }
    }

    /// Hands a picture over to the engine's QR reader; its answer goes to `answered`.
    fn send(&self, bitmap: ImageBitmap, harder: bool) {
        let engine = self.wallet.engine();
        let me = self.me.clone();
        leptos::task::spawn_local(async move {
            let text = match engine {
                Ok(engine) => {
                    let message = obj(&[("kind", request::READ_QR.into()), ("bitmap", (&bitmap).into()), ("harder", harder.into())]);
                    let answer = engine.call_transferring(message, Some(&Array::of1(&bitmap))).await;
                    answer.ok().and_then(|a| get_str(&a, "text"))
                }
                Err(e) => {
                    leptos::logging::warn!("QR reader: {e}");
                    bitmap.close();
                    None
                }
            };
            if let Some(me) = me.upgrade() {
                me.answered(text, harder);
            }
        });
    }

    fn answered(self: &Rc<Self>, text: Option<String>, harder: bool) {
        // The page was left while the engine read: what it found opens nothing.
        if self.closed.get() {
            return;
        }
        let text = text.filter(|t| !t.trim().is_empty());
        if harder {
            match text {
                Some(text) => self.found(text),
                None => self.parts.image_status.set_text_content(Some(self.text(Key::ImageNoCode))),
            }
        } else {
            self.reading.set(false);
            match text {
                Some(text) if self.state.get() == Camera::Live && !seen_again(&text) => self.found(text),
                _ => self.next_frame(FRAME_GAP_MS),
            }
        }
    }

    fn found(&self, text: String) {
        self.release();
        journey::open(self.wallet, text);
    }

    /// Sends the camera's current picture to the reader after `delay` ms, unless one is there.
    fn next_frame(self: &Rc<Self>, delay: i32) {
        let run = self.run.get();
        let me = self.me.clone();
        let later = Closure::once_into_js(move || {
            let Some(me) = me.upgrade() else { return };
            if me.run.get() != run || me.reading.get() || me.state.get() != Camera::Live {
                return;
            }
            let video = &me.parts.video;
            // Not playing yet: look again soon.
            let picture = (video.ready_state() >= 2).then(|| web_sys::window()?.create_image_bitmap_with_html_video_element(video).ok()).flatten();
            let Some(picture) = picture else { return me.next_frame(FRAME_GAP_MS) };
            me.reading.set(true);
            let me = me.clone();
            settle(
                picture,
                Box::new(move |bitmap| match bitmap {
                    Ok(bitmap) if me.run.get() == run => me.send(bitmap.unchecked_into(), false),
                    Ok(bitmap) => bitmap.unchecked_into::<ImageBitmap>().close(),
                    Err(_) if me.run.get() == run => {
                        me.reading.set(false);
                        me.next_frame(FRAME_GAP_MS);
                    }
                    Err(_) => {}
                }),
            );
        });
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(later.unchecked_ref(), delay);
        }
    }

    fn read_image(self: &Rc<Self>, input: &HtmlInputElement) {
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        // Choosing the same file again must read it again.
        input.set_value("");
        let status = &self.parts.image_status;
        status.set_text_content(Some(self.text(Key::ImageReading)));
        let Some(picture) = web_sys::window().and_then(|w| w.create_image_bitmap_with_blob(&file).ok()) else {
            return status.set_text_content(Some(self.text(Key::ImageUnreadable)));
        };
        let me = self.clone();
        settle(
            picture,
            Box::new(move |bitmap| match bitmap {
                Ok(bitmap) => me.send(bitmap.unchecked_into(), true),
                Err(_) => me.parts.image_status.set_text_content(Some(me.text(Key::ImageUnreadable))),
            }),
        );
    }

    /// Asks the browser to open wallet links here (`/scan?link=%s`, see `app::open_incoming_link`).
    fn register_links(&self) {
        let Some(window) = web_sys::window() else { return };
        let handler = format!("{}/scan?link=%s", window.location().origin().unwrap_or_default());
        let navigator = window.navigator();
        let mut accepted = false;
        for scheme in LINK_SCHEMES {
            accepted |= navigator.register_protocol_handler(scheme, &handler, "DOME Wallet").is_ok();
        }
        let outcome = if accepted { Key::LinksAsked } else { Key::LinksRefused };
        self.parts.links_status.set_text_content(Some(self.text(outcome)));
    }

    /// Clicks, changes and submits anywhere on the page.
    fn handle(self: &Rc<Self>, event: Event) {
        let Some(target) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
        match event.type_().as_str() {
            "click" => match target.get_attribute("data-action").as_deref() {
                Some("start") => self.start(),
                Some("stop") => self.stop(),
                Some("register") => self.register_links(),
                _ => {}
            },
            "change" if target.id() == "qr-image" => self.read_image(target.unchecked_ref()),
            "change" if target.id() == "camera" => {
                *self.chosen.borrow_mut() = target.unchecked_ref::<HtmlSelectElement>().value();
                self.start();
            }
            "submit" => {
                event.prevent_default();
                let pasted = target.query_selector("textarea").ok().flatten();
                let text = pasted.map(|t| t.unchecked_into::<HtmlTextAreaElement>().value()).unwrap_or_default();
                let text = text.trim();
                if !text.is_empty() {
                    self.release();
                    journey::open(self.wallet, text.to_owned());
                }
            }
            _ => {}
        }
    }

    /// Calls `f` for `kind` events at `target` while the page is shown and the scanner lives.
    fn listen(self: &Rc<Self>, target: &web_sys::EventTarget, kind: &'static str, f: fn(&Rc<Scanner>, Event)) {
        let me = self.me.clone();
        crate::listen::listen(target, kind, move |event| {
            if let Some(scanner) = me.upgrade() {
                f(&scanner, event)
            }
        });
    }
}

/// The page's content (everything below the title and introduction) and the parts it updates.
fn build(wallet: Wallet) -> (El, Parts) {
    let t = |key| crate::i18n::text(wallet.lang.get_untracked(), key);
    let status = |id: &str| el("p").class("status").attr("role", "status").attr("id", id);
    let video = el("video").attr("autoplay", "").attr("muted", "").attr("playsinline", "").attr("aria-label", t(Key::ScanPicture));
    let viewfinder = el("div").class("viewfinder").attr("hidden", "").child(video).child(el("div").class("guide").attr("aria-hidden", "true"));
    let select = el("select").attr("id", "camera");
    let choice = el("div").attr("hidden", "").child(el("label").attr("for", "camera").text(t(Key::ScanChooseCamera))).child(select);
    let (help, button, camera_status) = (el("p").class("help"), el("button").attr("type", "button"), status("camera-status"));
    let (image_status, links_status) = (status("image-status"), status("links-status"));
    let parts = Parts {
        viewfinder: viewfinder.0.clone(),
        video: viewfinder.0.query_selector("video").ok().flatten().map(JsCast::unchecked_into).unwrap_or_else(|| JsValue::UNDEFINED.unchecked_into()),
        status: camera_status.0.clone(),
        help: help.0.clone(),
        button: button.0.clone(),
        choice: choice.0.clone(),
        select: choice.0.query_selector("select").ok().flatten().map(JsCast::unchecked_into).unwrap_or_else(|| JsValue::UNDEFINED.unchecked_into()),
        image_status: image_status.0.clone(),
        links_status: links_status.0.clone(),
    };
    let camera = el("section")
        .class("scanner")
        .attr("aria-label", t(Key::ScanCamera))
        .child(viewfinder)
        .child(camera_status)
        .child(help)
        .child(el("div").class("actions").child(button))
        .child(choice);
    let image = el("section")
        .class("image")
        .child(el("label").attr("for", "qr-image").text(t(Key::ImageLabel)))
        .child(el("p").class("help").attr("id", "qr-image-help").text(t(Key::ImageHelp)))
        .child(el("input").attr("type", "file").attr("id", "qr-image").attr("accept", "image/*").attr("aria-describedby", "qr-image-help"))
        .child(image_status);
    let paste = el("form")
        .class("paste")
        .child(el("label").attr("for", "paste").text(t(Key::PasteLabel)))
        .child(el("p").class("help").attr("id", "paste-help").text(t(Key::PasteHelp)))
        .child(
            el("textarea")
                .attr("id", "paste")
                .attr("rows", "3")
                .attr("aria-describedby", "paste-help")
                .attr("autocomplete", "off")
                .attr("spellcheck", "false"),
        )
        .child(el("div").class("actions").child(el("button").attr("type", "submit").text(t(Key::PasteOpen))));
    // Where the browser lets a page open links of its own (not Safari, not on phones).
    let can_register = web_sys::window().is_some_and(|w| !get(&w.navigator(), "registerProtocolHandler").is_undefined());
    let links = can_register.then(|| {
        el("section")
            .class("links")
            .attr("aria-labelledby", "links-h")
            .child(el("h2").attr("id", "links-h").text(t(Key::LinksTitle)))
            .child(el("p").class("help").attr("id", "links-help").text(t(Key::LinksHelp)))
            .child(
                el("button")
                    .attr("type", "button")
                    .class("secondary")
                    .attr("data-action", "register")
                    .attr("aria-describedby", "links-help")
                    .text(t(Key::LinksRegister)),
            )
            .child(links_status)
    });
    (el("div").child(camera).child(image).child(paste).child_if(links), parts)
}

pub fn scan_page(wallet: Wallet) -> Element {
    let (content, parts) = build(wallet);
    let scanner = Rc::new_cyclic(|me| Scanner {
        wallet,
        me: me.clone(),
        parts,
        state: Cell::new(Camera::Off),
        chosen: RefCell::default(),
        stream: RefCell::default(),
        reading: Cell::new(false),
        run: Cell::new(0),
        resume: Cell::new(false),
        closed: Cell::new(false),
    });
    for kind in ["click", "change", "submit"] {
        scanner.listen(content.0.as_ref(), kind, Scanner::handle);
    }
    if let Some(document) = crate::dom::document() {
        scanner.listen(document.as_ref(), "visibilitychange", |s, _| s.visibility_changed());
    }
    let stored = StoredValue::new_local(scanner);
    on_cleanup(move || {
        if let Some(scanner) = stored.try_get_value() {
            scanner.close();
        }
    });
    // The title and introduction follow the language; once the page is shown, the camera
    // starts (once).
    let (title, intro) = (el("h1").0, el("p").0);
    let (shown_title, shown_intro) = (title.clone(), intro.clone());
    let started = Cell::new(false);
    let view = dom_view(move |_| {
        let lang = wallet.lang.get();
        shown_title.set_text_content(Some(crate::i18n::text(lang, Key::NavScan)));
        shown_intro.set_text_content(Some(crate::i18n::text(lang, Key::ScanIntro)));
        if !started.replace(true) {
            if let Some(scanner) = stored.try_get_value() {
                scanner.start();
            }
        }
    });
    for part in [&title, &intro, &content.0] {
        let _ = view.append_child(part);
    }
    view
}
