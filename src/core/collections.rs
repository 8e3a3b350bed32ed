//! Small collection helpers that keep the WebAssembly modules small.
//!
//! `slice::sort_by` and `BTreeSet`/`BTreeMap`'s `FromIterator` (which sorts before it builds)
//! instantiate the standard library's stable sort for every element type, about 4 KB of
//! WebAssembly each. The wallet only ever sorts or collects a handful of items, so these do it
//! with a few instructions instead.

use std::cmp::Ordering;
use std::collections::BTreeSet;

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

/// Collects into a set by inserting one by one (same set as `collect()`).
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for item in items {
        set.insert(item);
    }
    set
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
    fn sets_are_the_same_as_collected_ones() {
        let items = ["b", "a", "b", "c"];
        assert_eq!(set_of(items), items.into_iter().collect::<BTreeSet<_>>());
    }
}
