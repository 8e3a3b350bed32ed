//! Translations loaded at run time from `/i18n/<lang>.json`. The files in `public/i18n/` name
//! each text by its id (`{"shell": {"<Key>": "…"}, "journey": {"<Msg>": "…"}}`); the build
//! writes them as arrays in the ids' order (`e2e/tools/i18n-arrays.mjs`), and the wallet reads
//! a text by its enum's index, so that neither module carries the ids' names.
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

/// Installs the interface's texts (`Key`) of `lang`, read with `lookup(index)` from the `shell`
/// section of its file (the index of the `Key` in [`Key::ALL`]). Each module installs only the
/// section it shows (the page the interface's, the engine the journeys').
pub fn install_shell(lang: Lang, lookup: impl Fn(usize) -> Option<String>) {
    install(lang, Section::Shell, Key::ALL.len(), &lookup);
}

/// Installs the journey screens' and messages' texts (`Msg`) of `lang`, from the `journey`
/// section of its file.
pub fn install_journey(lang: Lang, lookup: impl Fn(usize) -> Option<String>) {
    install(lang, Section::Journey, Msg::ALL.len(), &lookup);
}

/// Each section of a language is installed once and kept for the life of the page (a few
/// kilobytes), which is what lets [`super::text`] hand out `&'static str` as it does for English.
fn install(lang: Lang, section: Section, count: usize, lookup: &dyn Fn(usize) -> Option<String>) {
    if is_installed(lang, section) {
        return;
    }
    let texts: Vec<Option<&'static str>> = (0..count)
        .map(|index| lookup(index).filter(|t| !t.trim().is_empty()).map(|t| &*Box::leak(t.into_boxed_str())))
        .collect();
    TABLES.with(|t| {
        let mut tables = t.borrow_mut();
        let index = match tables.iter().position(|table| table.lang == lang) {
            Some(index) => index,
            None => {
                tables.push(Table { lang, shell: Vec::new(), journey: Vec::new() });
                tables.len() - 1
            }
        };
        if let Some(table) = tables.get_mut(index) {
            match section {
                Section::Shell => table.shell = texts,
                Section::Journey => table.journey = texts,
            }
        }
    });
}

/// Whether the texts of `section` in `lang` are ready (English always is).
pub fn is_installed(lang: Lang, section: Section) -> bool {
    lang == Lang::En
        || TABLES.with(|t| {
            t.borrow().iter().any(|table| {
                table.lang == lang
                    && match section {
                        Section::Shell => !table.shell.is_empty(),
                        Section::Journey => !table.journey.is_empty(),
                    }
            })
        })
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
