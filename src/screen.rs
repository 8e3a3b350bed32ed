//! What a journey screen shows, as data.
//!
//! The engine decides what to show at each step of receiving or presenting a credential and
//! describes it with these blocks; the interface has one component that renders any screen. The
//! start page thus carries one small renderer instead of a component per screen, and every
//! screen can be tested natively.

/// One screen of a journey.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Screen {
    pub title: String,
    pub blocks: Vec<Block>,
    pub actions: Vec<Action>,
}

/// A party the user deals with: the issuer or the verifier.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Party {
    /// What the card is, for screen readers ("Offered by", "Asked by").
    pub role: String,
    pub name: String,
    pub detail: Option<String>,
    pub logo: Option<String>,
    pub logo_alt: Option<String>,
    pub background: Option<String>,
    pub text_color: Option<String>,
    /// How the party's identity was checked, in words; `None` when it could not be.
    pub verified: Option<String>,
    pub unverified: Option<String>,
}

/// A choice among options (e.g. which credential to share), rendered as radio buttons.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Choice {
    pub name: String,
    pub legend: String,
    pub options: Vec<ChoiceOption>,
    pub selected: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChoiceOption {
    pub value: String,
    pub title: String,
    pub detail: Option<String>,
}

/// A text field the user fills in (a PIN).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Field {
    pub name: String,
    pub label: String,
    pub help: Option<String>,
    pub numeric: bool,
    pub length: Option<u32>,
    /// The previous value was refused (shown with the screen's alert).
    pub invalid: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Text(String),
    Help(String),
    /// An error or warning, announced at once (`role="alert"`).
    Alert(String),
    /// Progress or an outcome, announced politely (`role="status"`).
    Status(String),
    Party(Party),
    /// A labelled list of short items.
    List { label: String, items: Vec<String> },
    /// Label and value pairs.
    Facts { label: String, rows: Vec<(String, String)> },
    Choice(Choice),
    Field(Field),
    /// Collapsed detail for experts.
    Details { summary: String, body: String },
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Action {
    /// Sent back to the engine when chosen.
    pub id: String,
    pub label: String,
    pub primary: bool,
    /// Shown while the engine works on this action; `None` for actions that answer at once.
    pub busy: Option<String>,
}

impl Action {
    pub fn primary(id: &str, label: &str, busy: Option<&str>) -> Self {
        Action { id: id.into(), label: label.into(), primary: true, busy: busy.map(Into::into) }
    }

    pub fn secondary(id: &str, label: &str) -> Self {
        Action { id: id.into(), label: label.into(), primary: false, busy: None }
    }
}

impl Screen {
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.blocks.iter().find_map(|b| match b {
            Block::Field(f) if f.name == name => Some(f),
            _ => None,
        })
    }

    pub fn action(&self, id: &str) -> Option<&Action> {
        self.actions.iter().find(|a| a.id == id)
    }

    /// All visible text, for tests and logs.
    pub fn text(&self) -> String {
        let mut out = vec![self.title.clone()];
        for block in &self.blocks {
            match block {
                Block::Text(t) | Block::Help(t) | Block::Alert(t) | Block::Status(t) => out.push(t.clone()),
                Block::Party(p) => out.extend([Some(p.name.clone()), p.detail.clone(), p.verified.clone(), p.unverified.clone()].into_iter().flatten()),
                Block::List { label, items } => {
                    out.push(label.clone());
                    out.extend(items.iter().cloned());
                }
                Block::Facts { label, rows } => {
                    out.push(label.clone());
                    out.extend(rows.iter().map(|(k, v)| format!("{k}: {v}")));
                }
                Block::Choice(c) => {
                    out.push(c.legend.clone());
                    out.extend(c.options.iter().map(|o| o.title.clone()));
                }
                Block::Field(f) => out.push(f.label.clone()),
                Block::Details { summary, .. } => out.push(summary.clone()),
            }
        }
        out.extend(self.actions.iter().map(|a| a.label.clone()));
        crate::core::collections::join(&out, "\n")
    }
}

#[cfg(target_arch = "wasm32")]
mod js {
    //! Screens cross from the engine to the interface as plain JavaScript objects.
    use js_sys::{Array, Object};
    use wasm_bindgen::JsValue;

    use super::*;
    use crate::bridge::{get, get_array, get_bool, get_f64, get_str, obj};

    fn opt(value: &Option<String>) -> JsValue {
        value.as_deref().map(JsValue::from_str).unwrap_or(JsValue::UNDEFINED)
    }

    fn strings(items: &[String]) -> Array {
        items.iter().map(|s| JsValue::from_str(s)).collect()
    }

    fn string_list(value: &JsValue) -> Vec<String> {
        Array::from(value).iter().filter_map(|v| v.as_string()).collect()
    }

    impl Block {
        fn to_js(&self) -> Object {
            match self {
                Block::Text(t) => obj(&[("t", "text".into()), ("text", t.as_str().into())]),
                Block::Help(t) => obj(&[("t", "help".into()), ("text", t.as_str().into())]),
                Block::Alert(t) => obj(&[("t", "alert".into()), ("text", t.as_str().into())]),
                Block::Status(t) => obj(&[("t", "status".into()), ("text", t.as_str().into())]),
                Block::Party(p) => obj(&[
                    ("t", "party".into()),
                    ("role", p.role.as_str().into()),
                    ("name", p.name.as_str().into()),
                    ("detail", opt(&p.detail)),
                    ("logo", opt(&p.logo)),
                    ("logoAlt", opt(&p.logo_alt)),
                    ("background", opt(&p.background)),
                    ("textColor", opt(&p.text_color)),
                    ("verified", opt(&p.verified)),
                    ("unverified", opt(&p.unverified)),
                ]),
                Block::List { label, items } => {
                    obj(&[("t", "list".into()), ("label", label.as_str().into()), ("items", strings(items).into())])
                }
                Block::Facts { label, rows } => {
                    let rows: Array = rows.iter().map(|(k, v)| JsValue::from(strings(&[k.clone(), v.clone()]))).collect();
                    obj(&[("t", "facts".into()), ("label", label.as_str().into()), ("rows", rows.into())])
                }
                Block::Choice(c) => {
                    let options: Array = c
                        .options
                        .iter()
                        .map(|o| {
                            JsValue::from(obj(&[("value", o.value.as_str().into()), ("title", o.title.as_str().into()), ("detail", opt(&o.detail))]))
                        })
                        .collect();
                    obj(&[
                        ("t", "choice".into()),
                        ("name", c.name.as_str().into()),
                        ("legend", c.legend.as_str().into()),
                        ("options", options.into()),
                        ("selected", opt(&c.selected)),
                    ])
                }
                Block::Field(f) => obj(&[
                    ("t", "field".into()),
                    ("name", f.name.as_str().into()),
                    ("label", f.label.as_str().into()),
                    ("help", opt(&f.help)),
                    ("numeric", f.numeric.into()),
                    ("length", f.length.map(JsValue::from).unwrap_or(JsValue::UNDEFINED)),
                    ("invalid", f.invalid.into()),
                ]),
                Block::Details { summary, body } => {
                    obj(&[("t", "details".into()), ("summary", summary.as_str().into()), ("body", body.as_str().into())])
                }
            }
        }

        fn from_js(v: &JsValue) -> Option<Block> {
            let s = |k: &str| get_str(v, k).unwrap_or_default();
            Some(match get_str(v, "t")?.as_str() {
                "text" => Block::Text(s("text")),
                "help" => Block::Help(s("text")),
                "alert" => Block::Alert(s("text")),
                "status" => Block::Status(s("text")),
                "party" => Block::Party(Party {
                    role: s("role"),
                    name: s("name"),
                    detail: get_str(v, "detail"),
                    logo: get_str(v, "logo"),
                    logo_alt: get_str(v, "logoAlt"),
                    background: get_str(v, "background"),
                    text_color: get_str(v, "textColor"),
                    verified: get_str(v, "verified"),
                    unverified: get_str(v, "unverified"),
                }),
                "list" => Block::List { label: s("label"), items: string_list(&get(v, "items")) },
                "facts" => Block::Facts {
                    label: s("label"),
                    rows: get_array(v, "rows")
                        .iter()
                        .filter_map(|r| {
                            let r = string_list(&r);
                            Some((r.first()?.clone(), r.get(1)?.clone()))
                        })
                        .collect(),
                },
                "choice" => Block::Choice(Choice {
                    name: s("name"),
                    legend: s("legend"),
                    options: get_array(v, "options")
                        .iter()
                        .map(|o| ChoiceOption {
                            value: get_str(&o, "value").unwrap_or_default(),
                            title: get_str(&o, "title").unwrap_or_default(),
                            detail: get_str(&o, "detail"),
                        })
                        .collect(),
                    selected: get_str(v, "selected"),
                }),
                "field" => Block::Field(Field {
                    name: s("name"),
                    label: s("label"),
                    help: get_str(v, "help"),
                    numeric: get_bool(v, "numeric"),
                    length: get_f64(v, "length").map(|l| l as u32),
                    invalid: get_bool(v, "invalid"),
                }),
                "details" => Block::Details { summary: s("summary"), body: s("body") },
                _ => return None,
            })
        }
    }

    impl Screen {
        pub fn to_js(&self) -> Object {
            let blocks: Array = self.blocks.iter().map(|b| JsValue::from(b.to_js())).collect();
            let actions: Array = self
                .actions
                .iter()
                .map(|a| {
                    JsValue::from(obj(&[
                        ("id", a.id.as_str().into()),
                        ("label", a.label.as_str().into()),
                        ("primary", a.primary.into()),
                        ("busy", opt(&a.busy)),
                    ]))
                })
                .collect();
            obj(&[("title", self.title.as_str().into()), ("blocks", blocks.into()), ("actions", actions.into())])
        }

        pub fn from_js(v: &JsValue) -> Screen {
            Screen {
                title: get_str(v, "title").unwrap_or_default(),
                blocks: get_array(v, "blocks").iter().filter_map(|b| Block::from_js(&b)).collect(),
                actions: get_array(v, "actions")
                    .iter()
                    .map(|a| Action {
                        id: get_str(&a, "id").unwrap_or_default(),
                        label: get_str(&a, "label").unwrap_or_default(),
                        primary: get_bool(&a, "primary"),
                        busy: get_str(&a, "busy"),
                    })
                    .collect(),
            }
        }
    }
}
