//! Where a stored credential stands: usable, or why not. Small and free of protocol code, so
//! the interface (the credentials list) and the engine (the detail screen) read it alike.
//!
//! - [`StatusRecord`]: what the wallet keeps about a credential's status between checks: the
//!   last result the issuer's list gave, when, and why the latest check failed, if it did.
//! - [`standing`]: the one state a credential is shown in, from its dates, its status record and
//!   whether it is still waiting for the issuer's signature; [`State::rank`] sorts usable first.

/// What the issuer's status list said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    Valid,
    Revoked,
    Suspended,
}

impl Listed {
    pub fn as_str(self) -> &'static str {
        match self {
            Listed::Valid => "valid",
            Listed::Revoked => "revoked",
            Listed::Suspended => "suspended",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "valid" => Some(Listed::Valid),
            "revoked" => Some(Listed::Revoked),
            "suspended" => Some(Listed::Suspended),
            _ => None,
        }
    }
}

/// Why a credential's status could not be checked, in the words the wallet shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unverifiable {
    /// The list could not be fetched: offline, unreachable, or the issuer's server refused.
    Unreachable,
    /// A list arrived but is not believed: bad signature, another issuer, malformed, too short.
    Invalid,
    /// A status mechanism or list format the wallet does not know.
    Unsupported,
}

impl Unverifiable {
    pub fn as_str(self) -> &'static str {
        match self {
            Unverifiable::Unreachable => "unreachable",
            Unverifiable::Invalid => "invalid",
            Unverifiable::Unsupported => "unsupported",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "unreachable" => Some(Unverifiable::Unreachable),
            "invalid" => Some(Unverifiable::Invalid),
            "unsupported" => Some(Unverifiable::Unsupported),
            _ => None,
        }
    }
}

/// The status kept with a stored credential. Times are milliseconds since the Unix epoch.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusRecord {
    /// How many `credentialStatus` entries bear on validity (revocation, suspension, or a kind
    /// the wallet cannot read); 0: the issuer publishes no status for it.
    pub entries: u32,
    /// The last result a list gave, kept when a later check fails.
    pub listed: Option<Listed>,
    /// When `listed` was last confirmed.
    pub checked_at: Option<f64>,
    /// Why the latest check did not give a result; `None` when it did.
    pub problem: Option<Unverifiable>,
    /// When the latest check ran.
    pub attempted_at: Option<f64>,
}

impl StatusRecord {
    /// The record after a check at `now` that found `entries` entries and gave `listed` (or not,
    /// because of `problem`): a new result replaces the old one; without one, the old one stays.
    pub fn after(
        previous: Option<&StatusRecord>,
        entries: u32,
        listed: Option<Listed>,
        problem: Option<Unverifiable>,
        now: f64,
    ) -> StatusRecord {
        let (listed, checked_at) = match (listed, previous) {
            (Some(listed), _) => (Some(listed), Some(now)),
            (None, Some(previous)) => (previous.listed, previous.checked_at),
            (None, None) => (None, None),
        };
        StatusRecord { entries, listed, checked_at, problem, attempted_at: Some(now) }
    }
}

/// The state a credential is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Valid,
    /// It has a status list entry, but no list has answered yet.
    Unchecked,
    NotYetValid,
    /// Waiting for the issuer's signature (deferred issuance).
    Pending,
    Suspended,
    Expired,
    Revoked,
}

impl State {
    /// Sort key: usable credentials first, then those that may become usable, then the rest.
    pub fn rank(self) -> u8 {
        match self {
            State::Valid => 0,
            State::Unchecked => 1,
            State::NotYetValid => 2,
            State::Pending => 3,
            State::Suspended => 4,
            State::Expired => 5,
            State::Revoked => 6,
        }
    }
}

/// How a credential is shown: its state, and whether its status could not be checked lately
/// (with the time of the last result, if there ever was one).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Standing {
    pub state: State,
    /// The latest status check failed (the state then rests on the last result, or on the dates).
    pub problem: Option<Unverifiable>,
    pub checked_at: Option<f64>,
}

/// Where a credential stands at `now` (milliseconds). `valid_from` and `valid_until` are Unix
/// seconds, the bounds of its validity period (see `JwtVc::validity`).
pub fn standing(
    pending: bool,
    valid_from: Option<f64>,
    valid_until: Option<f64>,
    status: Option<&StatusRecord>,
    now: f64,
) -> Standing {
    let seconds = now / 1000.0;
    let entries = status.map_or(0, |s| s.entries);
    let listed = status.and_then(|s| s.listed).filter(|_| entries > 0);
    let state = if pending {
        State::Pending
    } else if listed == Some(Listed::Revoked) {
        State::Revoked
    } else if listed == Some(Listed::Suspended) {
        State::Suspended
    } else if valid_until.is_some_and(|until| seconds >= until) {
        State::Expired
    } else if valid_from.is_some_and(|from| seconds < from) {
        State::NotYetValid
    } else if entries > 0 && listed.is_none() {
        State::Unchecked
    } else {
        State::Valid
    };
    let checked = status.filter(|_| entries > 0 && !pending);
    Standing { state, problem: checked.and_then(|s| s.problem), checked_at: checked.and_then(|s| s.checked_at) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: f64 = 1_800_000_000_000.0;
    const DAY: f64 = 86_400.0;

    fn record(listed: Option<Listed>, problem: Option<Unverifiable>) -> StatusRecord {
        StatusRecord { entries: 1, listed, checked_at: listed.map(|_| NOW - 1000.0), problem, attempted_at: Some(NOW) }
    }

    fn state(pending: bool, from: Option<f64>, until: Option<f64>, status: Option<&StatusRecord>) -> State {
        standing(pending, from, until, status, NOW).state
    }

    #[test]
    fn states_by_dates_status_and_signature() {
        let s = NOW / 1000.0;
        let (past, future) = (Some(s - DAY), Some(s + DAY));
        let valid = record(Some(Listed::Valid), None);
        assert_eq!(state(false, past, future, Some(&valid)), State::Valid);
        assert_eq!(state(false, past, future, None), State::Valid, "no status entries: the dates decide");
        assert_eq!(state(false, past, past, Some(&valid)), State::Expired);
        assert_eq!(state(false, Some(s), None, None), State::Valid, "valid from this very second");
        assert_eq!(state(false, None, Some(s), None), State::Expired, "expired at this very second");
        assert_eq!(state(false, future, None, Some(&valid)), State::NotYetValid);
        assert_eq!(state(false, past, future, Some(&record(Some(Listed::Revoked), None))), State::Revoked);
        assert_eq!(state(false, past, past, Some(&record(Some(Listed::Revoked), None))), State::Revoked, "revoked says more than expired");
        assert_eq!(state(false, past, future, Some(&record(Some(Listed::Suspended), None))), State::Suspended);
        assert_eq!(state(false, past, future, Some(&record(None, Some(Unverifiable::Unreachable)))), State::Unchecked);
        assert_eq!(state(false, past, future, Some(&record(None, None))), State::Unchecked, "not checked yet");
        assert_eq!(state(true, None, None, Some(&valid)), State::Pending);
        // A record that says there are no entries is only dates.
        let none = StatusRecord { entries: 0, listed: Some(Listed::Revoked), ..StatusRecord::default() };
        assert_eq!(state(false, past, future, Some(&none)), State::Valid);
    }

    #[test]
    fn a_failed_check_keeps_the_last_result_and_says_so() {
        let first = StatusRecord::after(None, 1, Some(Listed::Valid), None, 1000.0);
        assert_eq!(first, StatusRecord { entries: 1, listed: Some(Listed::Valid), checked_at: Some(1000.0), problem: None, attempted_at: Some(1000.0) });
        let offline = StatusRecord::after(Some(&first), 1, None, Some(Unverifiable::Unreachable), 2000.0);
        assert_eq!(offline.listed, Some(Listed::Valid));
        assert_eq!(offline.checked_at, Some(1000.0), "the time of the last result, not of the failed attempt");
        assert_eq!((offline.problem, offline.attempted_at), (Some(Unverifiable::Unreachable), Some(2000.0)));
        let shown = standing(false, None, None, Some(&offline), 3000.0);
        assert_eq!(shown, Standing { state: State::Valid, problem: Some(Unverifiable::Unreachable), checked_at: Some(1000.0) });
        let revoked = StatusRecord::after(Some(&offline), 1, Some(Listed::Revoked), None, 4000.0);
        assert_eq!((revoked.listed, revoked.checked_at, revoked.problem), (Some(Listed::Revoked), Some(4000.0), None));
        let never = StatusRecord::after(None, 1, None, Some(Unverifiable::Invalid), 5000.0);
        assert_eq!(standing(false, None, None, Some(&never), 6000.0), Standing { state: State::Unchecked, problem: Some(Unverifiable::Invalid), checked_at: None });
    }

    #[test]
    fn usable_first() {
        let mut states = [State::Revoked, State::Expired, State::Pending, State::Valid, State::Suspended, State::NotYetValid, State::Unchecked];
        states.sort_by_key(|s| s.rank());
        assert_eq!(states, [State::Valid, State::Unchecked, State::NotYetValid, State::Pending, State::Suspended, State::Expired, State::Revoked]);
    }

    #[test]
    fn texts_round_trip() {
        for l in [Listed::Valid, Listed::Revoked, Listed::Suspended] {
            assert_eq!(Listed::parse(l.as_str()), Some(l));
        }
        for u in [Unverifiable::Unreachable, Unverifiable::Invalid, Unverifiable::Unsupported] {
            assert_eq!(Unverifiable::parse(u.as_str()), Some(u));
        }
        assert_eq!((Listed::parse("Revoked"), Unverifiable::parse("")), (None, None));
    }
}
