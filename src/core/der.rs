//! A minimal DER reader (ITU-T X.690), enough for X.509 certificates.
//!
//! Untrusted bytes are read through [`Reader`], a cursor that hands out sub-slices and returns
//! errors instead of indexing past the end. Only what certificates need is supported: low tag
//! numbers, definite lengths of up to four bytes, minimal length encodings (DER), primitive
//! string types. Anything else is an error rather than a guess.

use super::credential::dates::{self, DateError};

/// Universal and context-specific tags used in certificates (the full identifier octet).
pub mod tag {
    pub const BOOLEAN: u8 = 0x01;
    pub const INTEGER: u8 = 0x02;
    pub const BIT_STRING: u8 = 0x03;
    pub const OCTET_STRING: u8 = 0x04;
    pub const NULL: u8 = 0x05;
    pub const OID: u8 = 0x06;
    pub const UTF8_STRING: u8 = 0x0c;
    pub const PRINTABLE_STRING: u8 = 0x13;
    pub const TELETEX_STRING: u8 = 0x14;
    pub const IA5_STRING: u8 = 0x16;
    pub const UTC_TIME: u8 = 0x17;
    pub const GENERALIZED_TIME: u8 = 0x18;
    pub const VISIBLE_STRING: u8 = 0x1a;
    pub const UNIVERSAL_STRING: u8 = 0x1c;
    pub const BMP_STRING: u8 = 0x1e;
    pub const SEQUENCE: u8 = 0x30;
    pub const SET: u8 = 0x31;

    /// `[n]` constructed (EXPLICIT tagging, or IMPLICIT of a constructed type).
    pub const fn explicit(n: u8) -> u8 {
        0xa0 | n
    }

    /// `[n]` primitive (IMPLICIT tagging of a primitive type).
    pub const fn implicit(n: u8) -> u8 {
        0x80 | n
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DerError {
    #[error("the data ends in the middle of a value")]
    Truncated,
    #[error("expected tag 0x{expected:02x}, found 0x{found:02x}")]
    UnexpectedTag { expected: u8, found: u8 },
    #[error("expected a value with tag 0x{expected:02x}, found the end of the data")]
    Missing { expected: u8 },
    #[error("multi-byte tag numbers are not used in certificates")]
    HighTagNumber,
    #[error("indefinite or non-minimal length (not DER)")]
    NonCanonicalLength,
    #[error("a length of more than four bytes")]
    LengthTooLarge,
    #[error("{0} bytes of trailing data after the value")]
    TrailingData(usize),
    #[error("malformed {0}")]
    Malformed(&'static str),
    #[error("a string of tag 0x{0:02x} is not a text type")]
    NotText(u8),
    #[error("time: {0}")]
    Time(#[from] DateError),
}

/// One tag-length-value element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    pub tag: u8,
    /// The content octets.
    pub value: &'a [u8],
    /// The whole element: identifier, length and content, as it appeared.
    pub encoded: &'a [u8],
}

impl<'a> Tlv<'a> {
    /// A reader over the content (for SEQUENCE, SET and EXPLICIT tags).
    pub fn contents(&self) -> Reader<'a> {
        Reader::new(self.value)
    }
}

/// A cursor over DER bytes.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    pub fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    pub fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Reads the next element, whatever its tag.
    pub fn read_any(&mut self) -> Result<Tlv<'a>, DerError> {
        let input = self.rest;
        let (&tag, after_tag) = input.split_first().ok_or(DerError::Truncated)?;
        if tag & 0x1f == 0x1f {
            return Err(DerError::HighTagNumber);
        }
        let (&first, mut after_len) = after_tag.split_first().ok_or(DerError::Truncated)?;
        let len = if first < 0x80 {
            usize::from(first)
        } else {
            let n = usize::from(first & 0x7f);
            match n {
                0 => return Err(DerError::NonCanonicalLength), // indefinite length is BER only
                1..=4 => {}
                _ => return Err(DerError::LengthTooLarge),
            }
            let (len_bytes, rest) = after_len.split_at_checked(n).ok_or(DerError::Truncated)?;
            after_len = rest;
            if len_bytes.first() == Some(&0) {
                return Err(DerError::NonCanonicalLength);
            }
            let len = len_bytes.iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            if len < 0x80 {
                return Err(DerError::NonCanonicalLength);
            }
            len
        };
        let (value, rest) = after_len.split_at_checked(len).ok_or(DerError::Truncated)?;
        let header_len = input.len() - after_len.len();
        let encoded = input.get(..header_len + len).ok_or(DerError::Truncated)?;
        self.rest = rest;
        Ok(Tlv { tag, value, encoded })
    }

    /// Reads the next element, which must have `tag`.
    pub fn read(&mut self, tag: u8) -> Result<Tlv<'a>, DerError> {
        match self.peek_tag() {
            None => Err(DerError::Missing { expected: tag }),
            Some(found) if found != tag => Err(DerError::UnexpectedTag { expected: tag, found }),
            Some(_) => self.read_any(),
        }
    }

    /// Reads the next element if it has `tag` (OPTIONAL and DEFAULT fields).
    pub fn read_optional(&mut self, tag: u8) -> Result<Option<Tlv<'a>>, DerError> {
        if self.peek_tag() == Some(tag) {
            self.read_any().map(Some)
        } else {
            Ok(None)
        }
    }

    /// Succeeds only if everything was read.
    pub fn finish(self) -> Result<(), DerError> {
        match self.rest.len() {
            0 => Ok(()),
            n => Err(DerError::TrailingData(n)),
        }
    }
}

/// Parses `bytes` as exactly one element with `tag`, with nothing after it.
pub fn parse_exact(bytes: &[u8], tag: u8) -> Result<Tlv<'_>, DerError> {
    let mut reader = Reader::new(bytes);
    let tlv = reader.read(tag)?;
    reader.finish()?;
    Ok(tlv)
}

/// The magnitude of a non-negative INTEGER, without the sign octet.
pub fn unsigned_integer(value: &[u8]) -> Result<&[u8], DerError> {
    match value {
        [] => Err(DerError::Malformed("INTEGER (empty)")),
        [first, ..] if first & 0x80 != 0 => Err(DerError::Malformed("INTEGER (negative)")),
        [0, second, ..] if second & 0x80 == 0 => Err(DerError::Malformed("INTEGER (not minimal)")),
        [0, rest @ ..] if !rest.is_empty() => Ok(rest),
        _ => Ok(value),
    }
}

/// The bytes of a BIT STRING whose length is a whole number of octets (keys, signatures).
pub fn bit_string_octets(value: &[u8]) -> Result<&[u8], DerError> {
    match value.split_first() {
        Some((0, bytes)) => Ok(bytes),
        Some(_) => Err(DerError::Malformed("BIT STRING (unused bits in a key or signature)")),
        None => Err(DerError::Malformed("BIT STRING (empty)")),
    }
}

/// Dotted-decimal form of OBJECT IDENTIFIER content (`2.5.4.97`).
pub fn oid_to_string(value: &[u8]) -> Result<String, DerError> {
    let malformed = DerError::Malformed("OBJECT IDENTIFIER");
    if value.is_empty() || value.last().is_some_and(|b| b & 0x80 != 0) {
        return Err(malformed);
    }
    let mut arcs: Vec<u64> = Vec::new();
    let mut current: u64 = 0;
    let mut started = false;
    for &b in value {
        if !started && b == 0x80 {
            return Err(malformed); // leading 0x80 is not minimal
        }
        started = true;
        current = current.checked_mul(128).ok_or(DerError::Malformed("OBJECT IDENTIFIER (arc too large)"))?
            | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            arcs.push(current);
            current = 0;
            started = false;
        }
    }
    let mut out = String::new();
    for (i, arc) in arcs.iter().enumerate() {
        if i == 0 {
            let (first, second) = match arc {
                0..=39 => (0, *arc),
                40..=79 => (1, arc - 40),
                _ => (2, arc - 80),
            };
            out.push_str(&format!("{first}.{second}"));
        } else {
            out.push_str(&format!(".{arc}"));
        }
    }
    Ok(out)
}

/// UTCTime (`YYMMDDHHMMSSZ`) or GeneralizedTime (`YYYYMMDDHHMMSSZ`), as RFC 5280 §4.1.2.5
/// restricts them, to unix seconds.
pub fn time(tlv: &Tlv<'_>) -> Result<i64, DerError> {
    let malformed = DerError::Malformed("certificate time");
    let digits = match (tlv.tag, tlv.value) {
        (tag::UTC_TIME, [d @ .., b'Z']) if d.len() == 12 => d,
        (tag::GENERALIZED_TIME, [d @ .., b'Z']) if d.len() == 14 => d,
        _ => return Err(malformed),
    };
    if !digits.iter().all(u8::is_ascii_digit) {
        return Err(malformed);
    }
    let mut fields = digits.chunks(2).map(|pair| pair.iter().fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0')));
    let mut next = || fields.next().ok_or(DerError::Malformed("certificate time"));
    let year = if tlv.tag == tag::UTC_TIME {
        // RFC 5280: YY >= 50 is 19YY, otherwise 20YY.
        let yy = next()?;
        if yy >= 50 {
            1900 + yy
        } else {
            2000 + yy
        }
    } else {
        next()? * 100 + next()?
    };
    let (month, day, hour, minute, second) = (next()?, next()?, next()?, next()?, next()?);
    if second > 59 {
        return Err(malformed);
    }
    Ok(dates::unix_time(year, month, day, hour, minute, second)?)
}

/// The text of a directory string or other character-string type.
pub fn text(tlv: &Tlv<'_>) -> Result<String, DerError> {
    let value = tlv.value;
    match tlv.tag {
        tag::UTF8_STRING => String::from_utf8(value.to_vec()).map_err(|_| DerError::Malformed("UTF8String")),
        tag::PRINTABLE_STRING | tag::IA5_STRING | tag::VISIBLE_STRING => {
            if value.is_ascii() {
                Ok(value.iter().map(|&b| char::from(b)).collect())
            } else {
                Err(DerError::Malformed("ASCII string"))
            }
        }
        // T.61 in practice holds Latin-1, which is what every library reads it as.
        tag::TELETEX_STRING => Ok(value.iter().map(|&b| char::from(b)).collect()),
        tag::BMP_STRING => {
            if !value.len().is_multiple_of(2) {
                return Err(DerError::Malformed("BMPString"));
            }
            let units = value
                .chunks_exact(2)
                .map(|u| u16::from_be_bytes([u.first().copied().unwrap_or(0), u.get(1).copied().unwrap_or(0)]));
            char::decode_utf16(units).collect::<Result<String, _>>().map_err(|_| DerError::Malformed("BMPString"))
        }
        tag::UNIVERSAL_STRING => {
            if !value.len().is_multiple_of(4) {
                return Err(DerError::Malformed("UniversalString"));
            }
            value
                .chunks_exact(4)
                .map(|c| c.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b)))
                .map(|cp| char::from_u32(cp).ok_or(DerError::Malformed("UniversalString")))
                .collect()
        }
        other => Err(DerError::NotText(other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_short_and_long_lengths() {
        let mut r = Reader::new(&[0x04, 0x02, 0xaa, 0xbb, 0x05, 0x00]);
        let t = r.read(tag::OCTET_STRING).unwrap();
        assert_eq!((t.value, t.encoded), (&[0xaa, 0xbb][..], &[0x04, 0x02, 0xaa, 0xbb][..]));
        assert_eq!(r.read(tag::NULL).unwrap().value, b"");
        r.finish().unwrap();

        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 0x80]);
        assert_eq!(parse_exact(&long, tag::OCTET_STRING).unwrap().value.len(), 0x80);
        let mut two = vec![0x30, 0x82, 0x01, 0x00];
        two.extend([0u8; 0x100]);
        assert_eq!(parse_exact(&two, tag::SEQUENCE).unwrap().value.len(), 0x100);
    }

    #[test]
    fn refuses_non_der_lengths_and_tags() {
        assert_eq!(parse_exact(&[0x30, 0x80, 0x00, 0x00], tag::SEQUENCE), Err(DerError::NonCanonicalLength));
        assert_eq!(
            parse_exact(&[0x04, 0x81, 0x05, 1, 2, 3, 4, 5], tag::OCTET_STRING),
            Err(DerError::NonCanonicalLength)
        );
        assert_eq!(parse_exact(&[0x04, 0x82, 0x00, 0x80], tag::OCTET_STRING), Err(DerError::NonCanonicalLength));
        assert_eq!(parse_exact(&[0x04, 0x85, 1, 0, 0, 0, 0], tag::OCTET_STRING), Err(DerError::LengthTooLarge));
        assert_eq!(parse_exact(&[0x1f, 0x81, 0x00, 0x00], 0x1f), Err(DerError::HighTagNumber));
        // A four-byte length that claims far more than there is.
        assert_eq!(parse_exact(&[0x04, 0x84, 0xff, 0xff, 0xff, 0xff, 0], tag::OCTET_STRING), Err(DerError::Truncated));
    }

    #[test]
    fn refuses_truncation_wrong_tags_and_trailing_data() {
        let good = [0x30, 0x03, 0x02, 0x01, 0x05];
        for end in 0..good.len() {
            assert!(parse_exact(&good[..end], tag::SEQUENCE).is_err(), "{end}");
        }
        assert_eq!(parse_exact(&[0x30, 0x00, 0x00], tag::SEQUENCE), Err(DerError::TrailingData(1)));
        assert_eq!(
            parse_exact(&good, tag::SET),
            Err(DerError::UnexpectedTag { expected: tag::SET, found: tag::SEQUENCE })
        );
        assert_eq!(Reader::new(&[]).read(tag::INTEGER), Err(DerError::Missing { expected: tag::INTEGER }));
        assert_eq!(Reader::new(&[0x05, 0x00]).read_optional(tag::BOOLEAN), Ok(None));
    }

    #[test]
    fn integers_must_be_minimal_and_non_negative() {
        assert_eq!(unsigned_integer(&[0x00, 0x80]), Ok(&[0x80][..]));
        assert_eq!(unsigned_integer(&[0x00]), Ok(&[0x00][..]));
        assert_eq!(unsigned_integer(&[0x7f, 0x00]), Ok(&[0x7f, 0x00][..]));
        assert!(unsigned_integer(&[]).is_err());
        assert!(unsigned_integer(&[0x80]).is_err());
        assert!(unsigned_integer(&[0x00, 0x01]).is_err());
    }

    #[test]
    fn object_identifiers() {
        assert_eq!(oid_to_string(&[0x55, 0x04, 0x61]).unwrap(), "2.5.4.97");
        assert_eq!(oid_to_string(&[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]).unwrap(), "1.2.840.10045.4.3.2");
        assert_eq!(
            oid_to_string(&[0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19]).unwrap(),
            "0.9.2342.19200300.100.1.25"
        );
        assert_eq!(oid_to_string(&[0x88, 0x37]).unwrap(), "2.999");
        assert!(oid_to_string(&[]).is_err());
        assert!(oid_to_string(&[0x55, 0x84]).is_err());
        assert!(oid_to_string(&[0x55, 0x80, 0x01]).is_err());
        assert!(oid_to_string(&[0xff; 12]).is_err());
    }

    #[test]
    fn certificate_times() {
        let utc = |s: &[u8]| time(&Tlv { tag: tag::UTC_TIME, value: s, encoded: s });
        let gen = |s: &[u8]| time(&Tlv { tag: tag::GENERALIZED_TIME, value: s, encoded: s });
        assert_eq!(utc(b"240521093103Z"), Ok(1_716_283_863));
        assert_eq!(utc(b"500101000000Z"), Ok(-631_152_000));
        assert_eq!(utc(b"491231235959Z"), Ok(2_524_607_999));
        assert_eq!(gen(b"20540410095943Z"), Ok(2_659_427_983));
        for bad in [
            &b"240521093103"[..],
            b"2405210931Z",
            b"240521093103+0100",
            b"24052109310aZ",
            b"241321093103Z",
            b"240521093160Z",
        ] {
            assert!(utc(bad).is_err(), "{bad:?}");
        }
        assert!(gen(b"20540410095943.5Z").is_err());
        assert!(time(&Tlv { tag: tag::INTEGER, value: b"240521093103Z", encoded: b"" }).is_err());
    }

    #[test]
    fn string_types() {
        let t = |tag: u8, value: &'static [u8]| text(&Tlv { tag, value, encoded: value });
        assert_eq!(t(tag::UTF8_STRING, "Ingeniería".as_bytes()), Ok("Ingeniería".into()));
        assert!(t(tag::UTF8_STRING, &[0xff]).is_err());
        assert_eq!(t(tag::PRINTABLE_STRING, b"ES"), Ok("ES".into()));
        assert!(t(tag::IA5_STRING, &[0xe9]).is_err());
        assert_eq!(t(tag::TELETEX_STRING, &[0x4d, 0xfc]), Ok("Mü".into()));
        assert_eq!(t(tag::BMP_STRING, &[0x00, 0x41, 0x00, 0xed]), Ok("Aí".into()));
        assert!(t(tag::BMP_STRING, &[0x00]).is_err());
        assert!(t(tag::BMP_STRING, &[0xd8, 0x00]).is_err()); // lone surrogate
        assert_eq!(t(tag::UNIVERSAL_STRING, &[0, 0, 0, 0x41, 0, 1, 0xf6, 0x00]), Ok("A😀".into()));
        assert!(t(tag::UNIVERSAL_STRING, &[0, 0x11, 0, 0]).is_err());
        assert_eq!(t(tag::INTEGER, &[1]), Err(DerError::NotText(tag::INTEGER)));
    }
}
