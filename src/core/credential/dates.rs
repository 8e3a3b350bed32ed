//! Date-times as credentials and certificates write them, to unix seconds.
//!
//! Accepted text forms ([`parse_datetime`]):
//! - RFC 3339 / XML Schema `dateTime` with a zone: `2025-01-01T00:00:00Z`,
//!   `2025-01-01T00:00:00.123456789Z` (any number of fraction digits), `…+02:00`. A space or
//!   lower-case `t`/`z` is accepted as RFC 3339 §5.6 allows.
//! - Go's `time.Time.String()`, which DOME's older issuer wrote into `issuanceDate` and
//!   `life_span`: `2024-05-13 05:20:33.612188797 +0000 UTC`, optionally followed by Go's
//!   monotonic clock reading (` m=+0.000123`), which carries no date information.
//!
//! Fractions of a second are dropped (rounded towards the past), so an end time is never
//! extended. A date without a zone is refused: its instant would depend on where the wallet runs.
//!
//! The calendar arithmetic ([`unix_time`], [`format_rfc3339`]) is also used by the DER reader for
//! certificate times; it is the proleptic Gregorian calendar for years 0–9999.

use crate::core::quote::quoted;

/// Longest date text considered; real ones are under 50 bytes.
const MAX_DATE_LEN: usize = 80;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DateError {
    #[error("expected an RFC 3339 date-time (2025-01-01T00:00:00Z) or Go's form (2025-01-01 00:00:00 +0000 UTC); found {q0}", q0 = quoted(.0))]
    Format(String),
    #[error("a date-time field is out of range in {q0}", q0 = quoted(.0))]
    OutOfRange(String),
    #[error("a date-time of {0} bytes is longer than the {MAX_DATE_LEN} accepted")]
    TooLong(usize),
}

/// Parses a date-time with an explicit zone to unix seconds (UTC).
pub fn parse_datetime(text: &str) -> Result<i64, DateError> {
    if text.len() > MAX_DATE_LEN {
        return Err(DateError::TooLong(text.len()));
    }
    let format = || DateError::Format(text.to_owned());
    let mut c = Cursor { bytes: text.as_bytes(), pos: 0 };
    let year = c.digits(4).ok_or_else(format)?;
    c.expect(b'-').ok_or_else(format)?;
    let month = c.digits(2).ok_or_else(format)?;
    c.expect(b'-').ok_or_else(format)?;
    let day = c.digits(2).ok_or_else(format)?;
    let go_form = match c.next() {
        Some(b'T' | b't') => false,
        Some(b' ') => true, // RFC 3339 allows a space; Go always writes one. Told apart by the zone.
        _ => return Err(format()),
    };
    let hour = c.digits(2).ok_or_else(format)?;
    c.expect(b':').ok_or_else(format)?;
    let minute = c.digits(2).ok_or_else(format)?;
    c.expect(b':').ok_or_else(format)?;
    let second = c.digits(2).ok_or_else(format)?;
    if c.peek() == Some(b'.') {
        c.pos += 1;
        if c.skip_digits() == 0 {
            return Err(format());
        }
    }
    let offset = match (c.next(), go_form) {
        (Some(b'Z' | b'z'), _) => 0,
        (Some(sign @ (b'+' | b'-')), _) => c.offset(sign, true).ok_or_else(format)?,
        // Go: " +0000 UTC": numeric offset without a colon, then the zone's abbreviation.
        (Some(b' '), true) => {
            let sign = c.next().ok_or_else(format)?;
            let offset = c.offset(sign, false).ok_or_else(format)?;
            c.expect(b' ').ok_or_else(format)?;
            if c.skip_while(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'-') == 0 {
                return Err(format());
            }
            // Go appends the monotonic clock reading when the time came from time.Now().
            if c.rest().starts_with(b" m=") {
                c.pos = c.bytes.len();
            }
            offset
        }
        _ => return Err(format()),
    };
    if offset.unsigned_abs() >= 24 * 3600 {
        return Err(DateError::OutOfRange(text.to_owned()));
    }
    if !c.rest().is_empty() {
        return Err(format());
    }
    let local =
        unix_time(year, month, day, hour, minute, second).map_err(|_| DateError::OutOfRange(text.to_owned()))?;
    Ok(local - offset)
}

/// Unix seconds of a UTC calendar date and time. A leap second (`:60`) counts as the first
/// second of the next minute.
pub fn unix_time(year: u32, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> Result<i64, DateError> {
    let out_of_range =
        || DateError::OutOfRange(format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}"));
    if year > 9999 || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(out_of_range());
    }
    if hour > 23 || minute > 59 || second > 60 {
        return Err(out_of_range());
    }
    let days = days_from_civil(i64::from(year), month, day);
    Ok(days * 86_400 + i64::from(hour * 3600 + minute * 60 + second))
}

/// `2024-07-03T18:06:43Z`, for messages and display.
pub fn format_rfc3339(unix: i64) -> String {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs / 60 % 60, secs % 60)
}

fn is_leap(year: u32) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(month) + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A cursor over ASCII bytes that never indexes out of bounds.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    fn rest(&self) -> &[u8] {
        self.bytes.get(self.pos..).unwrap_or_default()
    }

    fn expect(&mut self, want: u8) -> Option<()> {
        (self.next()? == want).then_some(())
    }

    /// Exactly `n` decimal digits.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let mut value = 0u32;
        for _ in 0..n {
            let b = self.next()?;
            if !b.is_ascii_digit() {
                return None;
            }
            value = value * 10 + u32::from(b - b'0');
        }
        Some(value)
    }

    fn skip_while(&mut self, keep: impl Fn(u8) -> bool) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(&keep) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn skip_digits(&mut self) -> usize {
        self.skip_while(|b| b.is_ascii_digit())
    }

    /// `HH:MM` (RFC 3339) or `HHMM` (Go) after `sign`, as seconds east of UTC.
    fn offset(&mut self, sign: u8, colon: bool) -> Option<i64> {
        let hours = self.digits(2)?;
        if colon {
            self.expect(b':')?;
        }
        let minutes = self.digits(2)?;
        if minutes > 59 {
            return None;
        }
        let seconds = i64::from(hours * 3600 + minutes * 60);
        match sign {
            b'+' => Some(seconds),
            b'-' => Some(-seconds),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_with_any_fraction_and_offsets() {
        assert_eq!(parse_datetime("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_datetime("2025-01-01T00:00:00Z"), Ok(1_735_689_600));
        assert_eq!(parse_datetime("2025-01-01T00:00:00.123456789Z"), Ok(1_735_689_600));
        assert_eq!(parse_datetime("2025-01-01T00:00:00.1Z"), Ok(1_735_689_600));
        assert_eq!(parse_datetime("2025-01-01T00:00:00.123456789123456789Z"), Ok(1_735_689_600));
        assert_eq!(parse_datetime("2025-01-01T02:00:00+02:00"), Ok(1_735_689_600));
        assert_eq!(parse_datetime("2024-12-31T19:30:00-04:30"), Ok(1_735_689_600));
        assert_eq!(parse_datetime("2025-01-01t00:00:00z"), Ok(1_735_689_600));
        assert_eq!(parse_datetime("2025-01-01 00:00:00Z"), Ok(1_735_689_600));
        // The captured DOME credential's mandate end.
        assert_eq!(parse_datetime("2024-06-29T07:47:38.596145459Z"), Ok(1_719_647_258));
    }

    #[test]
    fn go_time_string_as_dome_wrote_it() {
        assert_eq!(parse_datetime("2024-05-13 05:20:33.612188797 +0000 UTC"), Ok(1_715_577_633));
        assert_eq!(parse_datetime("2024-05-13 07:20:33 +0200 CEST"), Ok(1_715_577_633));
        assert_eq!(parse_datetime("2024-05-13 05:20:33.612188797 +0000 UTC m=+0.000265031"), Ok(1_715_577_633));
    }

    #[test]
    fn calendar_edges() {
        assert_eq!(parse_datetime("2024-02-29T12:00:00Z"), Ok(1_709_208_000));
        assert_eq!(parse_datetime("2000-02-29T00:00:00Z"), Ok(951_782_400));
        assert_eq!(parse_datetime("1969-12-31T23:59:59Z"), Ok(-1));
        assert_eq!(parse_datetime("0000-01-01T00:00:00Z"), Ok(-62_167_219_200));
        assert_eq!(parse_datetime("9999-12-31T23:59:59Z"), Ok(253_402_300_799));
        // A leap second is the first second of the next minute.
        assert_eq!(parse_datetime("2016-12-31T23:59:60Z"), Ok(1_483_228_800));
        for unix in [-62_167_219_200, -1, 0, 951_782_400, 1_709_208_000, 1_720_030_003, 253_402_300_799] {
            assert_eq!(parse_datetime(&format_rfc3339(unix)), Ok(unix), "{unix}");
        }
        assert_eq!(format_rfc3339(1_720_030_003), "2024-07-03T18:06:43Z");
    }

    #[test]
    fn refuses_out_of_range_fields() {
        for text in [
            "2023-02-29T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2025-13-01T00:00:00Z",
            "2025-00-01T00:00:00Z",
            "2025-04-31T00:00:00Z",
            "2025-01-00T00:00:00Z",
            "2025-01-01T24:00:00Z",
            "2025-01-01T00:60:00Z",
            "2025-01-01T00:00:61Z",
            "2025-01-01T00:00:00+24:00",
        ] {
            assert!(matches!(parse_datetime(text), Err(DateError::OutOfRange(_))), "{text}");
        }
        assert!(matches!(parse_datetime("2025-01-01T00:00:00+01:60"), Err(DateError::Format(_))));
    }

    #[test]
    fn refuses_malformed_text_without_panicking() {
        for text in [
            "",
            "2025",
            "2025-01-01",
            "2025-01-01T00:00:00",      // no zone
            "2025-01-01T00:00:00.Z",    // empty fraction
            "2025-01-01T00:00:00+0100", // RFC 3339 needs the colon
            "2025-01-01T00:00Z",
            "2025-1-01T00:00:00Z",
            "2025-01-01T00:00:00Zjunk",
            "2025-01-01 00:00:00 +0000",      // Go form without the zone name
            "2025-01-01 00:00:00 +00:00 UTC", // Go never writes a colon
            "2025-01-01T00:00:00 +0000 UTC",  // 'T' with Go's zone
            "2025-01-01 00:00:00 +0000 UTC trailing",
            "+2025-01-01T00:00:00Z",
            "２０２５-01-01T00:00:00Z",
            "2025-01-01T00:00:00\u{0}Z",
        ] {
            assert!(matches!(parse_datetime(text), Err(DateError::Format(_))), "{text:?}");
        }
        let long = format!("2025-01-01T00:00:00.{}Z", "1".repeat(100));
        assert_eq!(parse_datetime(&long), Err(DateError::TooLong(long.len())));
    }

    #[test]
    fn every_prefix_of_a_valid_date_fails_cleanly() {
        for text in ["2025-01-01T00:00:00.123+02:00", "2024-05-13 05:20:33.612188797 +0000 "] {
            for end in 0..text.len() {
                assert!(parse_datetime(&text[..end]).is_err(), "{}", &text[..end]);
            }
        }
        assert_eq!(parse_datetime("2025-01-01 02:00:00+02:00"), Ok(1_735_689_600));
    }
}
