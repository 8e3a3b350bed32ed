//! URLs as the WHATWG URL Standard parses them (<https://url.spec.whatwg.org/>), for the few
//! things the core does with them: check a peer's address (scheme, host, userinfo), compare
//! origins, read a link's query, and write form bodies.
//!
//! The wallet used the `url` crate for this; with its IDNA tables and general-purpose API it was
//! ~13 KB (brotli) of the engine. This module keeps its names (`Url`, `Host`,
//! `form_urlencoded`), so code written against it reads the same (`use crate::core::url;`).
//! What it does the same way as the browser, which parses the URL again when it fetches it:
//!
//! - leading and trailing spaces and controls are dropped, tabs and newlines removed;
//! - `http`, `https`, `ws`, `wss`, `ftp`, `file` are special: any run of `/` or `\` starts
//!   the authority, `\` separates path segments, the host is lowercased and percent-decoded,
//!   a host ending in a number is an IPv4 address in any of its forms (`127.1`, `0x7f.0.0.1`),
//!   and a default port is dropped;
//! - IPv6 hosts are written in their canonical compressed form;
//! - `.` and `..` segments (also as `%2e`) are resolved, and characters outside each part's
//!   set are percent-encoded.
//!
//! Not supported: non-ASCII host names (internationalised names must come as `xn--` labels,
//! taken as written: the browser checks their punycode when it fetches), which the wallet
//! refused before too; relative URLs (there is never a base); and Windows drive letters in
//! `file` URLs (the wallet never uses `file` URLs: `file:C|/x` stays as it is).

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Why a text is not a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParseError {
    EmptyHost,
    InvalidPort,
    InvalidIpv4Address,
    InvalidIpv6Address,
    InvalidDomainCharacter,
    /// A host name with characters other than ASCII (IDNA is not supported).
    IdnaError,
    RelativeUrlWithoutBase,
    /// Refused by the browser's URL parser, which does not say why.
    Invalid,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParseError::EmptyHost => "empty host",
            ParseError::InvalidPort => "invalid port number",
            ParseError::InvalidIpv4Address => "invalid IPv4 address",
            ParseError::InvalidIpv6Address => "invalid IPv6 address",
            ParseError::InvalidDomainCharacter => "invalid domain character",
            ParseError::IdnaError => "invalid international domain name",
            ParseError::RelativeUrlWithoutBase => "relative URL without a base",
            ParseError::Invalid => "not a valid URL",
        })
    }
}

impl std::error::Error for ParseError {}

/// A URL's host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host<S = String> {
    Domain(S),
    Ipv4(Ipv4Addr),
    Ipv6(Ipv6Addr),
}

/// What kind of host a URL has; addresses stand in the serialization in their canonical form
/// (dotted decimal, compressed IPv6 in brackets) and are read from there when asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HostKind {
    None,
    /// A domain, or the opaque host of a non-special URL (possibly empty).
    Domain,
    Ipv4,
    Ipv6,
}

/// A parsed, absolute URL. Compares and prints as its serialization.
#[derive(Clone)]
pub struct Url {
    serialization: String,
    /// `serialization[..scheme_end]` is the scheme; a `:` follows.
    scheme_end: usize,
    /// Where the user name starts (after `://`), or `scheme_end + 1` without an authority.
    username_end: usize,
    username_start: usize,
    /// The password, without its `:`, if any.
    password: Option<(usize, usize)>,
    host_start: usize,
    host_end: usize,
    host: HostKind,
    port: Option<u16>,
    path_start: usize,
    query_start: Option<usize>,
    fragment_start: Option<usize>,
}

impl PartialEq for Url {
    fn eq(&self, other: &Self) -> bool {
        self.serialization == other.serialization
    }
}

impl Eq for Url {}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.serialization)
    }
}

impl AsRef<str> for Url {
    fn as_ref(&self) -> &str {
        &self.serialization
    }
}

impl std::str::FromStr for Url {
    type Err = ParseError;
    fn from_str(text: &str) -> Result<Url, ParseError> {
        Url::parse(text)
    }
}

impl fmt::Debug for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Url(")?;
        f.write_str(&self.serialization)?;
        f.write_str(")")
    }
}

/// A URL's origin: scheme, host and port for `http(s)`, `ws(s)` and `ftp`; opaque (equal to
/// nothing, not even itself) for every other scheme.
#[derive(Debug, Clone)]
pub struct Origin(Option<(String, String, u16)>);

impl PartialEq for Origin {
    fn eq(&self, other: &Self) -> bool {
        matches!((&self.0, &other.0), (Some(a), Some(b)) if a == b)
    }
}

impl Origin {
    /// `scheme://host[:port]` (the port only when not the scheme's default), or `null`.
    pub fn ascii_serialization(&self) -> String {
        match &self.0 {
            Some((scheme, host, port)) if default_port(scheme) == Some(*port) => format!("{scheme}://{host}"),
            Some((scheme, host, port)) => format!("{scheme}://{host}:{port}"),
            None => "null".to_owned(),
        }
    }
}

fn default_port(scheme: &str) -> Option<u16> {
    match scheme {
        "http" | "ws" => Some(80),
        "https" | "wss" => Some(443),
        "ftp" => Some(21),
        _ => None,
    }
}

fn url_is_file(scheme: &str) -> bool {
    scheme == "file"
}

fn is_special(scheme: &str) -> bool {
    default_port(scheme).is_some() || url_is_file(scheme)
}

fn push_percent(out: &mut String, byte: u8) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push('%');
    for nibble in [byte >> 4, byte & 15] {
        out.push(char::from(HEX.get(usize::from(nibble)).copied().unwrap_or(b'0')));
    }
}

fn hex_value(b: u8) -> Option<u8> {
    char::from(b).to_digit(16).and_then(|d| u8::try_from(d).ok())
}

/// Decodes `%XX` escapes (others are kept as they are).
fn percent_decode(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let escaped = match (b, bytes.get(i + 1).copied().and_then(hex_value), bytes.get(i + 2).copied().and_then(hex_value)) {
            (b'%', Some(high), Some(low)) => Some((high << 4) | low),
            _ => None,
        };
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

impl Url {
    /// Parses an absolute URL, as the browser does.
    ///
    /// In the browser this is the browser's own parser (`adapters::url`), the one its `fetch`
    /// uses: it weighs nothing in the module. Native builds (tests, fuzzing) use the WHATWG
    /// parser in `url/parser.rs`, checked against the `url` crate.
    ///
    /// # Errors
    /// [`ParseError`] when there is no scheme or the authority is malformed, and for host names
    /// that are not ASCII.
    pub fn parse(input: &str) -> Result<Url, ParseError> {
        #[cfg(not(target_arch = "wasm32"))]
        return Url::parse_whatwg(input);
        #[cfg(target_arch = "wasm32")]
        return crate::adapters::url::parse(input);
    }

    /// The URL the browser parsed from `input`, given as its serialization (`href`), which is
    /// canonical: parts are split at the characters that cannot stand inside them. Host names
    /// that were not ASCII in `input` (the browser turns them into punycode `xn--` labels) are
    /// refused, as the wallet refuses them everywhere.
    ///
    /// # Errors
    /// [`ParseError::IdnaError`] for such a host; [`ParseError::Invalid`] when `href` is not a
    /// serialized URL.
    pub fn from_browser(input: &str, href: &str) -> Result<Url, ParseError> {
        let scheme_end = href.find(':').ok_or(ParseError::Invalid)?;
        let start = scheme_end + 1;
        // Where the first of `stops` is, from `from` on (the end if none).
        let end_of = |from: usize, stops: &[char]| href.get(from..).and_then(|r| r.find(stops)).map_or(href.len(), |at| from + at);
        let part = |from: usize, to: usize| href.get(from..to).ok_or(ParseError::Invalid);
        let mut url = Url {
            serialization: href.to_owned(),
            scheme_end,
            username_start: start,
            username_end: start,
            password: None,
            host_start: start,
            host_end: start,
            host: HostKind::None,
            port: None,
            path_start: start,
            query_start: None,
            fragment_start: None,
        };
        let rest = part(start, href.len())?;
        if rest.starts_with("//") {
            // `//[user[:password]@]host[:port]`: `@` and `:` are percent-encoded in the user
            // name and password, and cannot stand in a host (but in an IPv6 address's brackets).
            let authority_start = start + 2;
            let authority_end = end_of(authority_start, &['/', '?', '#']);
            let authority = part(authority_start, authority_end)?;
            url.username_start = authority_start;
            url.username_end = authority_start;
            url.host_start = authority.rfind('@').map_or(authority_start, |at| authority_start + at + 1);
            if let Some(userinfo) = authority.rsplit_once('@').map(|(userinfo, _)| userinfo) {
                url.username_end = authority_start + userinfo.find(':').unwrap_or(userinfo.len());
                if url.username_end < url.host_start - 1 {
                    url.password = Some((url.username_end + 1, url.host_start - 1));
                }
            }
            let host_port = part(url.host_start, authority_end)?;
            let brackets_end = host_port.rfind(']').map_or(0, |at| at + 1);
            url.host_end = host_port.get(brackets_end..).and_then(|tail| tail.find(':')).map_or(authority_end, |at| url.host_start + brackets_end + at);
            if url.host_end < authority_end {
                let port = part(url.host_end + 1, authority_end)?;
                url.port = Some(number(port, 10).and_then(|p| u16::try_from(p).ok()).ok_or(ParseError::InvalidPort)?);
            }
            let host = part(url.host_start, url.host_end)?;
            if host.split('.').any(|label| label.starts_with("xn--")) && written_host(input).as_deref() != Some(host) {
                return Err(ParseError::IdnaError);
            }
            url.host = host_kind(url.scheme(), host).ok_or(ParseError::Invalid)?;
            url.path_start = authority_end;
        } else if rest.starts_with("/.//") {
            // `x:/.//y`: without a host, `/.` keeps a path starting `//` from reading as one.
            url.path_start += 2;
        }
        let path_end = end_of(url.path_start, &['?', '#']);
        if href.get(path_end..).is_some_and(|r| r.starts_with('?')) {
            url.query_start = Some(path_end);
        }
        url.fragment_start = Some(end_of(path_end, &['#'])).filter(|&at| at < href.len());
        Ok(url)
    }

    /// The whole URL, serialized.
    pub fn as_str(&self) -> &str {
        &self.serialization
    }

    /// The scheme, lowercase, without `:`.
    pub fn scheme(&self) -> &str {
        self.serialization.get(..self.scheme_end).unwrap_or_default()
    }

    /// The user name (percent-encoded), empty when there is none.
    pub fn username(&self) -> &str {
        self.serialization.get(self.username_start..self.username_end).unwrap_or_default()
    }

    pub fn password(&self) -> Option<&str> {
        self.password.and_then(|(start, end)| self.serialization.get(start..end))
    }

    /// The host as written in the URL (IPv6 in brackets), `None` without an authority.
    pub fn host_str(&self) -> Option<&str> {
        match self.host {
            HostKind::None => None,
            _ => self.serialization.get(self.host_start..self.host_end),
        }
    }

    pub fn host(&self) -> Option<Host<&str>> {
        let host = self.host_str()?;
        match self.host {
            HostKind::None => None,
            HostKind::Domain => Some(Host::Domain(host)),
            HostKind::Ipv4 => parse_ipv4(host).map(Host::Ipv4),
            HostKind::Ipv6 => host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).and_then(parse_ipv6).map(Host::Ipv6),
        }
    }

    /// Whether the host is this device: `localhost`, 127.0.0.0/8 or `::1`. Read from the
    /// canonical serialization, without parsing the address again.
    pub fn is_loopback(&self) -> bool {
        match (self.host, self.host_str()) {
            (HostKind::Domain, Some(host)) => host.eq_ignore_ascii_case("localhost"),
            (HostKind::Ipv4, Some(host)) => host.starts_with("127."),
            (HostKind::Ipv6, Some(host)) => host == "[::1]",
            _ => false,
        }
    }

    /// The port, unless it is the scheme's default.
    pub fn port(&self) -> Option<u16> {
        self.port
    }

    pub fn port_or_known_default(&self) -> Option<u16> {
        self.port.or_else(|| default_port(self.scheme()))
    }

    /// The path (percent-encoded): `/…` for special schemes.
    pub fn path(&self) -> &str {
        let end = self.query_start.or(self.fragment_start).unwrap_or(self.serialization.len());
        self.serialization.get(self.path_start..end).unwrap_or_default()
    }

    /// The query, without `?`.
    pub fn query(&self) -> Option<&str> {
        let start = self.query_start?;
        let end = self.fragment_start.unwrap_or(self.serialization.len());
        self.serialization.get(start + 1..end)
    }

    /// The fragment, without `#`.
    pub fn fragment(&self) -> Option<&str> {
        self.serialization.get(self.fragment_start? + 1..)
    }

    pub fn origin(&self) -> Origin {
        match (default_port(self.scheme()), self.host_str(), self.port_or_known_default()) {
            (Some(_), Some(host), Some(port)) => Origin(Some((self.scheme().to_owned(), host.to_owned(), port))),
            _ => Origin(None),
        }
    }

    /// The query read as `application/x-www-form-urlencoded` pairs.
    pub fn query_pairs(&self) -> form_urlencoded::Parse<'_> {
        form_urlencoded::parse(self.query().unwrap_or_default().as_bytes())
    }
}

/// The host as `input` writes it, lowercased: the authority as the standard finds it (after the
/// scheme and its slashes, up to the path, query or fragment), after the last `@`, without the
/// port. Compared with the host the browser parsed, it tells a host written in punycode from one
/// the browser turned into punycode (a Unicode or percent-encoded name), wherever else in the
/// link that punycode may stand.
fn written_host(input: &str) -> Option<String> {
    let text: String = input.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let (_, rest) = text.split_once(':')?;
    let authority = rest.trim_start_matches(['/', '\\']);
    let authority = authority.split(['/', '\\', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, host)| host);
    let brackets_end = host_port.rfind(']').map_or(0, |at| at + 1);
    let host = match host_port.get(brackets_end..).and_then(|tail| tail.rfind(':')) {
        Some(colon) => host_port.get(..brackets_end + colon)?,
        None => host_port,
    };
    Some(host.to_ascii_lowercase())
}

/// The kind of a host as the browser writes it (addresses in their canonical form, which the
/// browser has checked).
fn host_kind(scheme: &str, host: &str) -> Option<HostKind> {
    if host.is_empty() {
        return Some(HostKind::None);
    }
    if host.starts_with('[') {
        return Some(HostKind::Ipv6);
    }
    if !is_special(scheme) {
        return Some(HostKind::Domain);
    }
    // Chromium lets some of these through, percent-encoded (`exa%20mple.com`); the standard
    // refuses them in a domain, and so does the wallet.
    if host.bytes().any(forbidden_in_domain) {
        return None;
    }
    Some(if ends_in_a_number(host) { HostKind::Ipv4 } else { HostKind::Domain })
}

/// The standard's forbidden domain code points (ASCII; other characters never reach here).
fn forbidden_in_domain(b: u8) -> bool {
    b <= b' ' || b == 0x7f || b"#%/:<>?@[\\]^|".contains(&b)
}

fn ends_in_a_number(domain: &str) -> bool {
    let trimmed = domain.strip_suffix('.').unwrap_or(domain);
    let last = trimmed.rsplit('.').next().unwrap_or_default();
    if !last.is_empty() && last.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    matches!(last.strip_prefix("0x"), Some(hex) if hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// `digits` in `radix` as a number: `None` if one is not a digit, or past `u64` (empty: 0).
fn number(digits: &str, radix: u32) -> Option<u64> {
    digits.chars().try_fold(0u64, |n, c| n.checked_mul(u64::from(radix))?.checked_add(u64::from(c.to_digit(radix)?)))
}

/// WHATWG's IPv4 parser: one to four parts, each decimal, octal (`0…`) or hex (`0x…`).
fn parse_ipv4(text: &str) -> Option<Ipv4Addr> {
    let text = text.strip_suffix('.').unwrap_or(text);
    let mut numbers = Vec::with_capacity(4);
    for part in text.split('.') {
        let (digits, radix) = match part.strip_prefix("0x") {
            Some(hex) => (hex, 16),
            None if part.len() > 1 && part.starts_with('0') => (part.get(1..)?, 8),
            None => (part, 10),
        };
        if part.is_empty() || numbers.len() == 4 {
            return None;
        }
        let value = number(digits, radix)?;
        numbers.push(value.min(u64::from(u32::MAX) + 1));
    }
    let (last, init) = numbers.split_last()?;
    if init.iter().any(|&n| n > 255) {
        return None;
    }
    let room = 8 * (4 - u32::try_from(init.len()).ok()?);
    if *last >= 1u64 << room {
        return None;
    }
    let mut value = *last;
    for (i, &n) in init.iter().enumerate() {
        value += n << (24 - 8 * i);
    }
    Some(Ipv4Addr::from(u32::try_from(value).ok()?))
}

/// WHATWG's IPv6 parser (with `::` compression and a dotted IPv4 tail).
fn parse_ipv6(text: &str) -> Option<Ipv6Addr> {
    let mut pieces = [0u16; 8];
    let (head, tail) = match text.split_once("::") {
        Some((head, tail)) => (head, Some(tail)),
        None => (text, None),
    };
    let read = |part: &str, out: &mut Vec<u16>| -> Option<()> {
        if part.is_empty() {
            return Some(());
        }
        let groups: Vec<&str> = part.split(':').collect();
        for (i, group) in groups.iter().enumerate() {
            if i + 1 == groups.len() && group.contains('.') {
                let ip = parse_dotted_ipv4(group)?.octets();
                out.push(u16::from_be_bytes([ip[0], ip[1]]));
                out.push(u16::from_be_bytes([ip[2], ip[3]]));
            } else {
                if group.is_empty() || group.len() > 4 {
                    return None;
                }
                out.push(u16::try_from(number(group, 16)?).ok()?);
            }
        }
        Some(())
    };
    let mut first = Vec::new();
    read(head, &mut first)?;
    let mut second = Vec::new();
    if let Some(tail) = tail {
        read(tail, &mut second)?;
        if first.len() + second.len() > 7 {
            return None;
        }
    } else if first.len() != 8 {
        return None;
    }
    for (slot, value) in pieces.iter_mut().zip(first.iter()) {
        *slot = *value;
    }
    let offset = 8 - second.len();
    for (slot, value) in pieces.iter_mut().skip(offset).zip(second.iter()) {
        *slot = *value;
    }
    Some(Ipv6Addr::from(pieces))
}

/// IPv4 inside IPv6: exactly four decimal parts, no leading zeros.
fn parse_dotted_ipv4(text: &str) -> Option<Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut parts = text.split('.');
    for octet in octets.iter_mut() {
        let part = parts.next()?;
        if part.is_empty() || (part.len() > 1 && part.starts_with('0')) {
            return None;
        }
        *octet = u8::try_from(number(part, 10)?).ok()?;
    }
    parts.next().is_none().then_some(Ipv4Addr::from(octets))
}

/// `application/x-www-form-urlencoded`: the bodies of OAuth requests and the queries of links.
pub mod form_urlencoded {
    use std::borrow::{Borrow, Cow};

    /// Appends `input` encoded: ASCII letters, digits and `*-._` as they are, space as `+`.
    fn append_encoded(out: &mut String, input: &[u8]) {
        for &b in input {
            match b {
                b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(char::from(b)),
                b' ' => out.push('+'),
                _ => super::push_percent(out, b),
            }
        }
    }

    /// `input` encoded, as one piece (collect it into a `String`).
    pub fn byte_serialize(input: &[u8]) -> std::option::IntoIter<String> {
        let mut out = String::with_capacity(input.len());
        append_encoded(&mut out, input);
        Some(out).into_iter()
    }

    /// Builds `name=value&name=value`.
    pub struct Serializer {
        target: String,
    }

    impl Serializer {
        pub fn new(target: String) -> Self {
            Serializer { target }
        }

        pub fn append_pair(&mut self, name: &str, value: &str) -> &mut Self {
            if !self.target.is_empty() {
                self.target.push('&');
            }
            append_encoded(&mut self.target, name.as_bytes());
            self.target.push('=');
            append_encoded(&mut self.target, value.as_bytes());
            self
        }

        pub fn extend_pairs<I, K, V>(&mut self, pairs: I) -> &mut Self
        where
            I: IntoIterator,
            I::Item: Borrow<(K, V)>,
            K: AsRef<str>,
            V: AsRef<str>,
        {
            for pair in pairs {
                let (name, value) = pair.borrow();
                self.append_pair(name.as_ref(), value.as_ref());
            }
            self
        }

        pub fn finish(&mut self) -> String {
            std::mem::take(&mut self.target)
        }
    }

    fn decode(bytes: &[u8]) -> Cow<'_, str> {
        if !bytes.contains(&b'+') && !bytes.contains(&b'%') {
            return String::from_utf8_lossy(bytes);
        }
        let plus_as_space: Vec<u8> = bytes.iter().map(|&b| if b == b'+' { b' ' } else { b }).collect();
        Cow::Owned(String::from_utf8_lossy(&super::percent_decode(&plus_as_space)).into_owned())
    }

    /// The pairs of `input`, decoded; empty pieces between `&` are skipped.
    pub fn parse(input: &[u8]) -> Parse<'_> {
        Parse { rest: input }
    }

    #[derive(Clone, Copy)]
    pub struct Parse<'a> {
        rest: &'a [u8],
    }

    impl<'a> Iterator for Parse<'a> {
        type Item = (Cow<'a, str>, Cow<'a, str>);

        fn next(&mut self) -> Option<Self::Item> {
            loop {
                if self.rest.is_empty() {
                    return None;
                }
                let end = self.rest.iter().position(|&b| b == b'&').unwrap_or(self.rest.len());
                let (piece, rest) = self.rest.split_at(end);
                self.rest = rest.get(1..).unwrap_or_default();
                if piece.is_empty() {
                    continue;
                }
                let (name, value) = match piece.iter().position(|&b| b == b'=') {
                    Some(at) => (piece.get(..at).unwrap_or_default(), piece.get(at + 1..).unwrap_or_default()),
                    None => (piece, &[][..]),
                };
                return Some((decode(name), decode(value)));
            }
        }
    }

    impl<'a> Parse<'a> {
        /// The pairs as owned strings.
        pub fn into_owned(self) -> impl Iterator<Item = (String, String)> + 'a {
            self.map(|(name, value)| (name.into_owned(), value.into_owned()))
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod parser;

#[cfg(test)]
mod tests;
