//! The wallet lock's rules, in plain Rust: the parameters of its key derivations, what a new
//! passphrase must be, when an idle wallet locks itself, and how soon a wrong guess may be
//! followed by another. The cryptography itself is WebCrypto's (`adapters::vault`); the engine
//! applies these rules (`engine::lock`). See docs/SECURITY.md, "Wallet lock".

/// PBKDF2-HMAC-SHA-256 iterations for a new passphrase (OWASP's figure for this hash).
pub const PBKDF2_ITERATIONS: u32 = 600_000;
/// The iteration counts a stored lock record may name: fewer would make guessing cheaper, far
/// more would make every unlock hang (a damaged record must do neither).
const ITERATIONS_ACCEPTED: std::ops::RangeInclusive<u32> = PBKDF2_ITERATIONS..=10_000_000;
/// Random salt per passphrase.
pub const PASSPHRASE_SALT_LEN: usize = 16;
/// Random salt per passkey, evaluated by the authenticator's PRF (WebAuthn `prf` extension).
pub const PRF_SALT_LEN: usize = 32;
/// HKDF-SHA-256 `info` for the key-encryption key derived from a passkey's PRF output (the
/// PRF salt is HKDF's salt).
pub const PRF_HKDF_INFO: &[u8] = b"dome-wallet lock v1: key-encryption key from a passkey PRF";
/// A PRF output shorter than this is not used (WebAuthn's PRF gives 32 bytes).
pub const PRF_MIN_LEN: usize = 32;
/// A new passphrase has at least this many characters.
pub const MIN_PASSPHRASE_CHARS: usize = 8;
/// A passphrase is at most this long (bytes of UTF-8): longer input is refused before hashing.
pub const MAX_PASSPHRASE_BYTES: usize = 1024;

/// Whether a stored iteration count may be used.
pub fn iterations_acceptable(iterations: u32) -> bool {
    ITERATIONS_ACCEPTED.contains(&iterations)
}

/// Why a new passphrase is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassphraseProblem {
    TooShort,
    TooLong,
    /// The two entries differ.
    Mismatch,
}

/// Checks a new passphrase and its repetition. Characters are Unicode scalar values; nothing
/// is trimmed (spaces are part of a passphrase).
pub fn check_new_passphrase(passphrase: &str, repeated: &str) -> Result<(), PassphraseProblem> {
    if passphrase.len() > MAX_PASSPHRASE_BYTES {
        return Err(PassphraseProblem::TooLong);
    }
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(PassphraseProblem::TooShort);
    }
    if passphrase != repeated {
        return Err(PassphraseProblem::Mismatch);
    }
    Ok(())
}

/// How long the wallet stays unlocked without input before it locks itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AutoLock {
    seconds: u32,
}

impl AutoLock {
    /// Never locks by itself (only "Lock now", closing every tab, or a reload lock it).
    pub const OFF: AutoLock = AutoLock { seconds: 0 };
    /// When the lock is turned on.
    pub const DEFAULT: AutoLock = AutoLock { seconds: 15 * 60 };
    /// What Settings offers: off, 1, 5, 15 and 60 minutes.
    pub const CHOICES: [AutoLock; 5] = [
        AutoLock::OFF,
        AutoLock { seconds: 60 },
        AutoLock { seconds: 5 * 60 },
        AutoLock::DEFAULT,
        AutoLock { seconds: 60 * 60 },
    ];
    /// The longest idle time accepted from storage.
    pub const MAX_SECONDS: u32 = 60 * 60;

    /// A stored or requested idle time: whole seconds from 0 (off) to an hour. Settings only
    /// offers [`Self::CHOICES`]; any shorter time is accepted from storage too (it can only lock
    /// sooner), which the end-to-end tests use to avoid waiting a minute.
    pub fn from_seconds(seconds: f64) -> Option<AutoLock> {
        let whole = seconds.is_finite() && seconds >= 0.0 && seconds.fract() == 0.0 && seconds <= f64::from(Self::MAX_SECONDS);
        whole.then_some(AutoLock { seconds: seconds as u32 })
    }

    /// The stored value, or [`Self::DEFAULT`] when it is missing or out of range.
    pub fn from_stored(seconds: Option<f64>) -> AutoLock {
        seconds.and_then(Self::from_seconds).unwrap_or(Self::DEFAULT)
    }

    pub fn seconds(self) -> u32 {
        self.seconds
    }

    pub fn is_off(self) -> bool {
        self.seconds == 0
    }

    /// When (milliseconds since the epoch) a wallet whose last input was at `last_input_ms`
    /// locks; `None` when auto-lock is off.
    pub fn locks_at(self, last_input_ms: f64) -> Option<f64> {
        (!self.is_off()).then(|| last_input_ms + f64::from(self.seconds) * 1000.0)
    }

    /// Whether the wallet must lock now. A clock that went backwards counts as no time passed.
    pub fn is_due(self, last_input_ms: f64, now_ms: f64) -> bool {
        self.locks_at(last_input_ms).is_some_and(|at| now_ms >= at)
    }
}

/// Wrong passphrases (or passkey answers) in a row, and when the last one came. Kept in the lock
/// record, so a reload does not reset it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Attempts {
    pub failures: u32,
    /// Milliseconds since the epoch.
    pub last_failure_ms: f64,
}

impl Attempts {
    /// Guesses allowed without waiting.
    pub const FREE: u32 = 5;
    /// The wait after the first guess beyond [`Self::FREE`]; it doubles with each further one.
    pub const FIRST_WAIT_MS: f64 = 30_000.0;
    /// The longest wait.
    pub const MAX_WAIT_MS: f64 = 5.0 * 60_000.0;

    fn delay_ms(self) -> f64 {
        match self.failures.checked_sub(Self::FREE) {
            None => 0.0,
            Some(beyond) => {
                let doublings = beyond.min(16) as i32;
                (Self::FIRST_WAIT_MS * 2f64.powi(doublings)).min(Self::MAX_WAIT_MS)
            }
        }
    }

    /// How long (ms) the next guess must wait; 0 when it may be tried now. A clock set back
    /// before the last failure does not shorten the wait.
    pub fn wait_ms(self, now_ms: f64) -> f64 {
        let delay = self.delay_ms();
        if delay == 0.0 {
            return 0.0;
        }
        if now_ms < self.last_failure_ms {
            return delay;
        }
        (self.last_failure_ms + delay - now_ms).max(0.0)
    }

    /// After a wrong guess at `now_ms`.
    pub fn failed(self, now_ms: f64) -> Attempts {
        Attempts { failures: self.failures.saturating_add(1), last_failure_ms: now_ms }
    }

    /// Whole seconds to tell the person, rounded up (never 0 while a wait remains).
    pub fn wait_seconds(self, now_ms: f64) -> u32 {
        (self.wait_ms(now_ms) / 1000.0).ceil() as u32
    }
}

/// Additional authenticated data binding an encrypted record to its store and key, so that a
/// ciphertext moved to another record or store does not decrypt.
pub fn record_aad(store: &str, id: &str) -> Vec<u8> {
    format!("dome-wallet/{store}/{id}").into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_passphrases_need_eight_characters_and_the_same_twice() {
        assert_eq!(check_new_passphrase("correct horse", "correct horse"), Ok(()));
        assert_eq!(check_new_passphrase("short", "short"), Err(PassphraseProblem::TooShort));
        // Characters, not bytes: eight accented letters are enough, seven are not.
        assert_eq!(check_new_passphrase("ééééééé", "ééééééé"), Err(PassphraseProblem::TooShort));
        assert_eq!(check_new_passphrase("éééééééé", "éééééééé"), Ok(()));
        assert_eq!(check_new_passphrase("correct horse", "correct horse "), Err(PassphraseProblem::Mismatch));
        let long = "x".repeat(MAX_PASSPHRASE_BYTES + 1);
        assert_eq!(check_new_passphrase(&long, &long), Err(PassphraseProblem::TooLong));
        let longest = "x".repeat(MAX_PASSPHRASE_BYTES);
        assert_eq!(check_new_passphrase(&longest, &longest), Ok(()));
    }

    #[test]
    fn iteration_counts_below_the_minimum_or_absurdly_high_are_refused() {
        assert!(iterations_acceptable(PBKDF2_ITERATIONS));
        assert!(!iterations_acceptable(PBKDF2_ITERATIONS - 1));
        assert!(!iterations_acceptable(1000));
        assert!(!iterations_acceptable(u32::MAX));
    }

    #[test]
    fn auto_lock_choices_are_off_and_1_5_15_60_minutes() {
        let minutes: Vec<u32> = AutoLock::CHOICES.iter().map(|c| c.seconds() / 60).collect();
        assert_eq!(minutes, vec![0, 1, 5, 15, 60]);
        assert!(AutoLock::CHOICES.contains(&AutoLock::DEFAULT));
    }

    #[test]
    fn stored_idle_times_are_whole_seconds_up_to_an_hour() {
        assert_eq!(AutoLock::from_seconds(300.0).map(AutoLock::seconds), Some(300));
        assert_eq!(AutoLock::from_seconds(3.0).map(AutoLock::seconds), Some(3));
        assert_eq!(AutoLock::from_seconds(0.0), Some(AutoLock::OFF));
        for bad in [-1.0, 0.5, 3601.0, f64::NAN, f64::INFINITY] {
            assert_eq!(AutoLock::from_seconds(bad), None, "{bad}");
        }
        assert_eq!(AutoLock::from_stored(None), AutoLock::DEFAULT);
        assert_eq!(AutoLock::from_stored(Some(1e9)), AutoLock::DEFAULT);
        assert_eq!(AutoLock::from_stored(Some(60.0)).seconds(), 60);
    }

    #[test]
    fn an_idle_wallet_locks_once_its_time_has_passed_and_never_when_off() {
        let minute = AutoLock::from_seconds(60.0).unwrap();
        let last = 1_000_000.0;
        assert_eq!(minute.locks_at(last), Some(1_060_000.0));
        assert!(!minute.is_due(last, last + 59_999.0));
        assert!(minute.is_due(last, last + 60_000.0));
        // The clock went backwards: not due.
        assert!(!minute.is_due(last, last - 10_000.0));
        assert_eq!(AutoLock::OFF.locks_at(last), None);
        assert!(!AutoLock::OFF.is_due(last, f64::MAX));
    }

    #[test]
    fn five_guesses_are_free_then_waits_double_up_to_five_minutes() {
        let mut a = Attempts::default();
        let t0 = 10_000_000.0;
        for i in 0..Attempts::FREE {
            assert_eq!(a.wait_ms(t0), 0.0, "guess {i} is free");
            a = a.failed(t0);
        }
        assert_eq!(a.failures, 5);
        assert_eq!(a.wait_ms(t0), 30_000.0);
        assert_eq!(a.wait_seconds(t0 + 100.0), 30, "rounded up");
        assert_eq!(a.wait_ms(t0 + 30_000.0), 0.0);
        a = a.failed(t0 + 30_000.0);
        assert_eq!(a.wait_ms(t0 + 30_000.0), 60_000.0);
        for _ in 0..40 {
            a = a.failed(t0);
        }
        assert_eq!(a.wait_ms(t0), Attempts::MAX_WAIT_MS);
        // Setting the clock back does not shorten the wait.
        assert_eq!(a.wait_ms(0.0), Attempts::MAX_WAIT_MS);
        assert_eq!(Attempts::default().wait_seconds(t0), 0);
    }

    #[test]
    fn records_are_bound_to_their_store_and_key() {
        assert_eq!(record_aad("credentials", "abc"), b"dome-wallet/credentials/abc".to_vec());
        assert_ne!(record_aad("credentials", "abc"), record_aad("credentials", "abd"));
        assert_ne!(record_aad("credentials", "abc"), record_aad("keys", "abc"));
    }
}
