//! Small collection helpers that keep the WebAssembly modules small.
//!
//! `slice::sort_by` and `BTreeSet`/`BTreeMap`'s `FromIterator` (which sorts before it builds)
//! instantiate the standard library's stable sort for every element type, about 4 KB of
//! WebAssembly each, and every map or set type brings its own tree code. The wallet only ever
//! sorts or collects a handful of items, so these do it with a few instructions instead.

use std::cmp::Ordering;

/// Sorts `items` stably by `compare` (insertion sort: for the few items the wallet sorts).
pub fn sort_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    for i in 1..items.len() {
        let mut j = i;
        while let (Some(before), Some(item)) = (j.checked_sub(1).and_then(|k| items.get(k)), items.get(j)) {
            if compare(before, item) != Ordering::Greater {
                break;
            }
            items.swap(j - 1, j);
            j -= 1;
        }
    }
}

/// `collect::<Result<Vec<_>, _>>()` as a plain loop: the standard library's version goes through
/// an adapter (`GenericShunt`) that is instantiated, with its `Vec` specialisations, for every
/// iterator it is used on (0.5 to 1.7 KB of WebAssembly each).
pub trait TryCollect<T, E>: Iterator<Item = Result<T, E>> + Sized {
    /// All the items, or the first error (items after it are not pulled).
    fn try_vec(self) -> Result<Vec<T>, E> {
        let mut items = Vec::new();
        for item in self {
            items.push(item?);
        }
        Ok(items)
    }
}

impl<T, E, I: Iterator<Item = Result<T, E>>> TryCollect<T, E> for I {}

/// The value for `key` in a small list of pairs with distinct keys (a map of a few entries,
/// without a `BTreeMap` instantiation per value type).
pub fn lookup<'a, V>(pairs: &'a [(String, V)], key: &str) -> Option<&'a V> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

/// Whether two items are equal (for the short lists of ids the wallet checks).
pub fn has_duplicates<T: PartialEq>(items: &[T]) -> bool {
    items.iter().enumerate().any(|(i, item)| items.iter().skip(i + 1).any(|other| other == item))
}

/// `parts` joined by `separator`: a plain loop, where the standard library's `join` weighs 0.5
/// to 0.8 KB of WebAssembly for each kind of part.
pub fn join<S: AsRef<str>>(parts: &[S], separator: &str) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(part.as_ref());
    }
    out
}

/// The parts that are present and not blank, trimmed, joined by `separator` ("Ana García",
/// "Employee mandate · Ana García · GoodAir"): one loop for every such title, rather than an
/// iterator chain and a `join` instantiated for each.
pub fn join_present(parts: &[Option<&str>], separator: &str) -> String {
    let mut out = String::new();
    for part in parts.iter().flatten().map(|p| p.trim()).filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push_str(separator);
        }
        out.push_str(part);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_like_the_standard_library() {
        let mut pairs: Vec<(f64, u32)> = vec![(3.0, 0), (1.0, 1), (f64::NAN, 2), (3.0, 3), (-0.0, 4), (0.0, 5), (1.0, 6), (-1.0, 7)];
        let mut expected = pairs.clone();
        expected.sort_by(|a, b| a.0.total_cmp(&b.0));
        sort_by(&mut pairs, |a, b| a.0.total_cmp(&b.0));
        assert_eq!(format!("{pairs:?}"), format!("{expected:?}"));
        let mut empty: Vec<u8> = Vec::new();
        sort_by(&mut empty, u8::cmp);
        assert!(empty.is_empty());
    }

    #[test]
    fn try_vec_stops_at_the_first_error() {
        let pulled = std::cell::Cell::new(0);
        let items = [Ok(1), Err("a"), Err("b"), Ok(2)];
        let result = items.iter().map(|i| {
            pulled.set(pulled.get() + 1);
            *i
        });
        assert_eq!(result.try_vec(), Err("a"));
        assert_eq!(pulled.get(), 2);
        assert_eq!([Ok::<u8, ()>(1), Ok(2)].into_iter().try_vec(), Ok(vec![1, 2]));
    }

    #[test]
    fn duplicates_are_found() {
        assert!(!has_duplicates::<&str>(&[]));
        assert!(!has_duplicates(&["a", "b", "c"]));
        assert!(has_duplicates(&["a", "b", "a"]));
    }

    #[test]
    fn lookup_finds_by_key() {
        let pairs = vec![("a".to_owned(), 1), ("b".to_owned(), 2)];
        assert_eq!(lookup(&pairs, "b"), Some(&2));
        assert_eq!(lookup(&pairs, "c"), None);
    }

    #[test]
    fn parts_are_joined_as_std_joins_them() {
        for parts in [&[][..], &["a"], &["a", "", "b"]] {
            assert_eq!(join(parts, ", "), parts.join(", "));
        }
        assert_eq!(join(&["a".to_owned(), "b".to_owned()], " or "), "a or b");
    }

    #[test]
    fn present_parts_are_joined() {
        assert_eq!(join_present(&[Some("Ana"), None, Some(" García ")], " "), "Ana García");
        assert_eq!(join_present(&[Some(" "), Some("GoodAir")], " · "), "GoodAir");
        assert_eq!(join_present(&[None, Some("")], " "), "");
    }
}
