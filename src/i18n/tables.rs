//! Translations loaded at run time from `public/i18n/<lang>.json`:
//! `{"shell": {"<Key>": "…"}, "journey": {"<Msg>": "…"}}`.
//!
//! A text missing from a file falls back to English (the tests keep the files complete, but a
//! newer wallet may meet an older cached file).

use std::cell::RefCell;

use super::{Key, Lang, Msg};

/// The two groups of texts: the interface's and the journey screens'.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Shell,
    Journey,
}

impl Section {
    /// The member of the translation file that holds the section.
    pub fn name(self) -> &'static str {
        match self {
            Section::Shell => "shell",
            Section::Journey => "journey",
        }
    }
}

struct Table {
    lang: Lang,
    shell: Vec<Option<&'static str>>,
    journey: Vec<Option<&'static str>>,
}

thread_local! {
    static TABLES: RefCell<Vec<Table>> = const { RefCell::new(Vec::new()) };
}

/// Installs the texts of `lang`, read with `lookup(section, id)` from its loaded file. Each
/// language is installed once and kept for the life of the page (a few kilobytes), which is what
/// lets [`super::text`] hand out `&'static str` as it does for English.
pub fn install(lang: Lang, lookup: impl Fn(Section, &str) -> Option<String>) {
    if lang == Lang::En || is_installed(lang) {
        return;
    }
    let read = |section: Section,
                ids: &mut dyn Iterator<Item = &'static str>|
     -> Vec<Option<&'static str>> {
        ids.map(|id| {
            lookup(section, id)
                .filter(|t| !t.trim().is_empty())
                .map(|t| &*Box::leak(t.into_boxed_str()))
        })
        .collect()
    };
    let shell = read(Section::Shell, &mut Key::ALL.iter().map(|k| k.id()));
    let journey = read(Section::Journey, &mut Msg::ALL.iter().map(|m| m.id()));
    TABLES.with(|t| {
        t.borrow_mut().push(Table {
            lang,
            shell,
            journey,
        })
    });
}

/// Whether the texts of `lang` are ready (English always is).
pub fn is_installed(lang: Lang) -> bool {
    lang == Lang::En || TABLES.with(|t| t.borrow().iter().any(|table| table.lang == lang))
}

pub(super) fn translated(lang: Lang, section: Section, index: usize) -> Option<&'static str> {
    if lang == Lang::En {
        return None;
    }
    TABLES.with(|t| {
        let tables = t.borrow();
        let table = tables.iter().find(|table| table.lang == lang)?;
        let texts = match section {
            Section::Shell => &table.shell,
            Section::Journey => &table.journey,
        };
        texts.get(index).copied().flatten()
    })
}
