//! Renders any journey screen the engine describes (see `crate::screen`).

use std::sync::Arc;

use web_sys::Element;
use wasm_bindgen::JsCast;

use crate::app::Wallet;
use crate::dom::{el, El};
use crate::journey;
use crate::listen::listen;
use super::dom_view::dom_view;
use crate::screen::{Block, Choice, Field, Party, Screen};

fn party(p: &Party) -> El {
    let logo = p.logo.as_ref().map(|src| {
        el("img").class("logo").attr("src", src).attr("alt", p.logo_alt.as_deref().unwrap_or("")).attr("width", "48").attr("height", "48")
    });
    let about = el("div")
        .child(el("p").class("party-name").text(&p.name))
        .child_if(p.detail.as_ref().map(|d| el("p").class("party-detail").text(d)))
        .child_if(p.verified.as_ref().map(|v| el("p").class("verified").text(&format!("✓ {v}"))))
        .child_if(p.unverified.as_ref().map(|v| el("p").class("unverified").text(&format!("⚠ {v}"))));
    let mut card = el("section").class("party card").attr("aria-label", &p.role);
    // The issuer's colours (checked to be #rgb/#rrggbb by the core).
    if let Some(background) = &p.background {
        card = card.css("background", background);
    }
    if let Some(color) = &p.text_color {
        card = card.css("color", color);
    }
    card.child_if(logo).child(about)
}

fn field(f: &Field) -> Vec<El> {
    let help_id = format!("{}-help", f.name);
    let mut input = el("input")
        .attr("id", &f.name)
        .attr("name", &f.name)
        .attr("type", "text")
        .attr("required", "")
        .attr("autocomplete", "one-time-code")
        .attr("inputmode", if f.numeric { "numeric" } else { "text" })
        .attr_if(f.numeric, "pattern", "[0-9]*")
        .attr_if(f.help.is_some(), "aria-describedby", &help_id)
        .attr_if(f.invalid, "aria-invalid", "true");
    if let Some(length) = f.length {
        input = input.attr("minlength", &length.to_string()).attr("maxlength", &length.to_string());
    }
    let mut out = vec![el("label").attr("for", &f.name).text(&f.label)];
    if let Some(help) = &f.help {
        out.push(el("p").class("help").attr("id", &help_id).text(help));
    }
    out.push(input);
    out
}

fn choice(c: &Choice) -> El {
    let selected = c.selected.as_deref().or_else(|| c.options.first().map(|o| o.value.as_str()));
    el("fieldset").class("choice").child(el("legend").text(&c.legend)).children(c.options.iter().map(|o| {
        let id = format!("{}-{}", c.name, o.value);
        let label = el("label").attr("for", &id).text(&o.title);
        let label = match &o.detail {
            Some(d) => label.child(el("span").class("option-detail").text(d)),
            None => label,
        };
        el("div")
            .class("option card")
            .child(
                el("input")
                    .attr("type", "radio")
                    .attr("id", &id)
                    .attr("name", &c.name)
                    .attr("value", &o.value)
                    .attr_if(selected == Some(o.value.as_str()), "checked", ""),
            )
            .child(label)
    }))
}

fn block(b: &Block) -> Vec<El> {
    vec![match b {
        Block::Text(t) => el("p").text(t),
        Block::Help(t) => el("p").class("help").text(t),
        Block::Alert(t) => el("p").class("error").attr("role", "alert").text(t),
        Block::Status(t) => el("p").class("status").attr("role", "status").text(t),
        Block::Party(p) => party(p),
        Block::List { label, items } => {
            el("ul").class("items").attr("aria-label", label).children(items.iter().map(|i| el("li").text(i)))
        }
        // A visible heading: without it, groups of facts ("Name …") cannot be told apart.
        Block::Facts { label, rows } => {
            return vec![
                el("h2").text(label),
                el("dl").class("facts").children(rows.iter().flat_map(|(k, v)| [el("dt").text(k), el("dd").text(v)])),
            ]
        }
        Block::Choice(c) => choice(c),
        Block::Field(f) => return field(f),
        Block::Details { summary, body } => {
            el("details").child(el("summary").text(summary)).child(el("pre").class("raw").text(body))
        }
    }]
}

/// The status line of the action being worked on.
fn busy_line(text: &str) -> El {
    el("p").class("status").attr("role", "status").attr("tabindex", "-1").text(text)
}

/// Turns the screen on display into its busy form (what `build` makes with `busy`) in place:
/// its fields and actions disabled, the status line before the actions, focus on it. Rebuilding
/// the whole screen for this took most of the interface's work in an exchange (a new tree, the
/// old one removed, and the style and layout of all of it computed again to move focus).
/// `false` when no screen is on display (then it is built).
pub fn show_busy(text: &str) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return false };
    let Ok(Some(fieldset)) = document.query_selector("main form.screen > fieldset") else { return false };
    let Ok(Some(actions)) = fieldset.query_selector(".actions") else { return false };
    let line = busy_line(text);
    let _ = fieldset.set_attribute("disabled", "");
    // The line, then the actions again after it.
    let _ = fieldset.append_child(&line.0);
    let _ = fieldset.append_child(&actions);
    crate::dom::focus(&line.0);
    true
}

/// The screen's content and actions, as one static tree.
fn build(screen: &Screen, busy: Option<&str>) -> El {
    let actions = el("div").class("actions").children(screen.actions.iter().map(|a| {
        el("button")
            .attr("type", "submit")
            .attr("name", "action")
            .attr("value", &a.id)
            .attr_if(!a.primary, "class", "secondary")
            .attr_if(!a.primary, "formnovalidate", "")
            .text(&a.label)
    }));
    let content = el("fieldset")
        .class("plain")
        .attr_if(busy.is_some(), "disabled", "")
        .children(screen.blocks.iter().flat_map(block))
        .child_if(busy.map(busy_line))
        .child(actions);
    // A refused value: its field is described by the screen's alert as well as its help.
    if let (Ok(Some(field)), Ok(Some(alert))) = (content.0.query_selector("[aria-invalid]"), content.0.query_selector("[role=alert]")) {
        let _ = alert.set_attribute("id", "problem");
        let _ = field.set_attribute("aria-describedby", &(field.get_attribute("aria-describedby").unwrap_or_default() + " problem"));
    }
    content
}

/// A journey screen, and the action being worked on (its busy text), if any.
pub fn screen_view(wallet: Wallet, screen: Arc<Screen>, busy: Option<String>) -> Element {
    let heading = el("h1").attr("tabindex", "-1").text(&screen.title).0;
    let form = el("form").class("screen").child(build(&screen, busy.as_deref())).0;
    let working = busy.is_some();
    listen(&form, "submit", move |ev| {
        ev.prevent_default();
        let ev = ev.unchecked_into::<web_sys::SubmitEvent>();
        let action = ev
            .submitter()
            .and_then(|b| b.dyn_into::<web_sys::HtmlButtonElement>().ok())
            .map(|b| b.value())
            .unwrap_or_default();
        let mut values = Vec::new();
        if let Some(form) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok()) {
            if let Ok(data) = web_sys::FormData::new_with_form(&form) {
                for entry in data.entries().into_iter().flatten() {
                    let pair = js_sys::Array::from(&entry);
                    if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                        values.push((k, v.trim().to_owned()));
                    }
                }
            }
        }
        journey::act(wallet, action, values);
    });
    let (title, fields) = (heading.clone(), form.clone());
    // Once shown, focus announces the change: work in progress by its status line, a refused
    // value by its field, a new screen by its title.
    let view = dom_view(move |_| {
        let target = fields.query_selector(if working { "[tabindex]" } else { "[aria-invalid]" }).ok().flatten();
        match target {
            Some(target) => crate::dom::focus(&target),
            None if !working => crate::dom::focus(&title),
            None => {}
        }
    });
    let _ = view.append_child(&heading);
    let _ = view.append_child(&form);
    view
}
