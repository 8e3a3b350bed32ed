//! Keeping the wallet's storage tidy after interruptions.

/// Keys younger than this may belong to an issuance still running in another tab.
pub const ORPHAN_AGE_MS: f64 = 15.0 * 60.0 * 1000.0;

/// The holder keys no credential uses, left when a tab was closed in the middle of an issuance.
/// `keys` are `(did, created_at_ms)` oldest first; the first is the wallet's own identifier and
/// always stays, as do keys younger than [`ORPHAN_AGE_MS`].
pub fn orphan_keys<'a>(keys: &'a [(String, f64)], used: &[&str], now_ms: f64) -> Vec<&'a str> {
    keys.iter()
        .skip(1)
        .filter(|(did, created)| !used.contains(&did.as_str()) && now_ms - created > ORPHAN_AGE_MS)
        .map(|(did, _)| did.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_old_unused_keys_other_than_the_first_go() {
        let hour = 3_600_000.0;
        let keys = vec![
            ("did:key:first".to_owned(), 0.0),
            ("did:key:used".to_owned(), hour),
            ("did:key:orphan".to_owned(), hour),
            ("did:key:young".to_owned(), 10.0 * hour - 60_000.0),
        ];
        assert_eq!(orphan_keys(&keys, &["did:key:used"], 10.0 * hour), vec!["did:key:orphan"]);
        assert!(orphan_keys(&keys[..1], &[], 10.0 * hour).is_empty(), "the wallet's own key stays");
    }
}
