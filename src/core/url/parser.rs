//! The WHATWG URL parser, for native builds (tests, fuzzing, tools). In the browser the
//! browser's own parser reads URLs (`adapters::url`): it is the one `fetch` uses, and it costs
//! the module nothing.

use std::borrow::Cow;
use std::net::Ipv6Addr;

use super::{default_port, is_special, number, parse_ipv4, parse_ipv6, push_percent, url_is_file, ends_in_a_number, forbidden_in_domain, percent_decode, HostKind, ParseError, Url};

/// Characters percent-encoded in each part, besides controls, DEL and non-ASCII (which are
/// percent-encoded everywhere).
const FRAGMENT: &[u8] = b" \"<>`";
const QUERY: &[u8] = b" \"#<>";
const SPECIAL_QUERY: &[u8] = b" \"#<>'";
const PATH: &[u8] = b" \"#<>?`{}";
const USERINFO: &[u8] = b" \"#<>?`{}/:;=@[\\]^|";
/// Opaque paths and hosts.
const CONTROLS: &[u8] = b"";

fn encode_into(out: &mut String, text: &str, set: &[u8]) {
    for c in text.chars() {
        match u8::try_from(c) {
            Ok(b) if (b' '..0x7f).contains(&b) && !set.contains(&b) => out.push(c),
            _ => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    push_percent(out, b);
                }
            }
        }
    }
}


impl Url {
    pub(super) fn parse_whatwg(input: &str) -> Result<Url, ParseError> {
        let trimmed = input.trim_matches(|c: char| c <= ' ');
        let cleaned: Cow<'_, str> = if trimmed.contains(['\t', '\n', '\r']) {
            Cow::Owned(trimmed.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect())
        } else {
            Cow::Borrowed(trimmed)
        };
        let text: &str = &cleaned;
        let (scheme, rest) = text.split_once(':').ok_or(ParseError::RelativeUrlWithoutBase)?;
        let mut scheme_chars = scheme.chars();
        let valid_scheme = scheme_chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && scheme_chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if !valid_scheme {
            return Err(ParseError::RelativeUrlWithoutBase);
        }
        let scheme = scheme.to_ascii_lowercase();
        let special = is_special(&scheme);
        // The fragment, then the query, end the text; what is left is authority and path.
        let (rest, fragment) = match rest.split_once('#') {
            Some((before, fragment)) => (before, Some(fragment)),
            None => (rest, None),
        };
        let (rest, query) = match rest.split_once('?') {
            Some((before, query)) => (before, Some(query)),
            None => (rest, None),
        };
        let is_slash = |c: char| c == '/' || (special && c == '\\');
        let file = url_is_file(&scheme);
        // Special URLs take any run of slashes before the authority; `file` and others two.
        let after_slashes = if special && !file {
            Some(rest.trim_start_matches(is_slash))
        } else {
            rest.strip_prefix(is_slash).and_then(|r| r.strip_prefix(is_slash))
        };

        let mut url = Url {
            serialization: scheme,
            scheme_end: 0,
            username_start: 0,
            username_end: 0,
            password: None,
            host_start: 0,
            host_end: 0,
            host: HostKind::None,
            port: None,
            path_start: 0,
            query_start: None,
            fragment_start: None,
        };
        url.scheme_end = url.serialization.len();
        url.serialization.push(':');
        let path = match after_slashes {
            Some(authority_and_path) => {
                let end = authority_and_path.find(is_slash).unwrap_or(authority_and_path.len());
                let (authority, path) = authority_and_path.split_at(end);
                url.serialization.push_str("//");
                if file {
                    url.write_file_host(authority)?;
                } else {
                    url.write_authority(authority, special)?;
                }
                Some(path)
            }
            None if file => {
                // `file:/x` and `file:x` have an empty host.
                url.serialization.push_str("//");
                url.write_file_host("")?;
                Some(rest)
            }
            None if rest.starts_with('/') => Some(rest),
            None => None,
        };
        url.path_start = url.serialization.len();
        match path {
            Some(path) if file && !path.starts_with(is_slash) => url.write_path(&format!("/{path}"), special),
            Some(path) => {
                url.write_path(path, special);
                // `x:/.//y`: without a host, a path starting `//` is kept from reading as one.
                if after_slashes.is_none() && !special && url.path().starts_with("//") {
                    url.serialization.insert_str(url.path_start, "/.");
                    url.path_start += 2;
                }
            }
            None => encode_into(&mut url.serialization, rest, CONTROLS),
        }
        if let Some(query) = query {
            url.query_start = Some(url.serialization.len());
            url.serialization.push('?');
            encode_into(&mut url.serialization, query, if special { SPECIAL_QUERY } else { QUERY });
        }
        if let Some(fragment) = fragment {
            url.fragment_start = Some(url.serialization.len());
            url.serialization.push('#');
            encode_into(&mut url.serialization, fragment, FRAGMENT);
        }
        Ok(url)
    }

    fn write_authority(&mut self, authority: &str, special: bool) -> Result<(), ParseError> {
        let (userinfo, host_port) = match authority.rsplit_once('@') {
            Some((userinfo, host_port)) => (Some(userinfo), host_port),
            None => (None, authority),
        };
        self.username_start = self.serialization.len();
        self.username_end = self.username_start;
        if let Some(userinfo) = userinfo.filter(|u| !u.is_empty() && *u != ":") {
            let (user, password) = match userinfo.split_once(':') {
                Some((user, password)) => (user, Some(password).filter(|p| !p.is_empty())),
                None => (userinfo, None),
            };
            encode_into(&mut self.serialization, user, USERINFO);
            self.username_end = self.serialization.len();
            if let Some(password) = password {
                self.serialization.push(':');
                let start = self.serialization.len();
                encode_into(&mut self.serialization, password, USERINFO);
                self.password = Some((start, self.serialization.len()));
            }
            self.serialization.push('@');
        }
        // The port follows the last `:` that is not inside an IPv6 address's brackets.
        let bracket_end = host_port.rfind(']').map_or(0, |i| i + 1);
        let (host, port) = match host_port.get(bracket_end..).and_then(|tail| tail.rfind(':')) {
            Some(colon) => {
                let at = bracket_end + colon;
                (host_port.get(..at).unwrap_or_default(), host_port.get(at + 1..))
            }
            None => (host_port, None),
        };
        if (userinfo.is_some() || port.is_some()) && host.is_empty() {
            return Err(ParseError::EmptyHost);
        }
        self.host_start = self.serialization.len();
        self.host = parse_host(host, special, &mut self.serialization)?;
        self.host_end = self.serialization.len();
        if let Some(port) = port.filter(|p| !p.is_empty()) {
            let value = number(port, 10).and_then(|p| u16::try_from(p).ok()).ok_or(ParseError::InvalidPort)?;
            if default_port(self.scheme()) != Some(value) {
                self.port = Some(value);
                self.serialization.push(':');
                push_number(&mut self.serialization, value.into(), 10);
            }
        }
        Ok(())
    }

    /// A `file` URL's host: a domain or an address, no user or port; empty (or `localhost`)
    /// for none.
    fn write_file_host(&mut self, host: &str) -> Result<(), ParseError> {
        self.username_start = self.serialization.len();
        self.username_end = self.username_start;
        self.host_start = self.username_start;
        let mut written = String::new();
        if !host.is_empty() {
            self.host = parse_host(host, true, &mut written)?;
        }
        if written != "localhost" {
            self.serialization.push_str(&written);
        }
        if self.serialization.len() == self.host_start {
            self.host = HostKind::None;
        }
        self.host_end = self.serialization.len();
        Ok(())
    }

    fn write_path(&mut self, path: &str, special: bool) {
        let mut segments: Vec<String> = Vec::new();
        let mut parts = path.split(|c: char| c == '/' || (special && c == '\\')).peekable();
        // A path starts with its separator (or is empty), so the first part is empty.
        parts.next();
        let mut any = false;
        while let Some(part) = parts.next() {
            any = true;
            let last = parts.peek().is_none();
            let lower = part.to_ascii_lowercase();
            match lower.as_str() {
                ".." | ".%2e" | "%2e." | "%2e%2e" => {
                    segments.pop();
                    if last {
                        segments.push(String::new());
                    }
                }
                "." | "%2e" => {
                    if last {
                        segments.push(String::new());
                    }
                }
                _ => {
                    let mut segment = String::with_capacity(part.len());
                    encode_into(&mut segment, part, PATH);
                    segments.push(segment);
                }
            }
        }
        if !any && !special {
            return;
        }
        if url_is_file(self.scheme()) {
            // `file:////x` is `file:///x`.
            while segments.len() > 1 && segments.first().is_some_and(String::is_empty) {
                segments.remove(0);
            }
        }
        if segments.is_empty() {
            self.serialization.push('/');
        }
        for segment in segments {
            self.serialization.push('/');
            self.serialization.push_str(&segment);
        }
    }
}


/// Parses and writes a host; `special` hosts are domains or IP addresses, others opaque.
fn parse_host(text: &str, special: bool, out: &mut String) -> Result<HostKind, ParseError> {
    if let Some(inner) = text.strip_prefix('[') {
        let ip = inner.strip_suffix(']').and_then(parse_ipv6).ok_or(ParseError::InvalidIpv6Address)?;
        out.push('[');
        write_ipv6(out, ip);
        out.push(']');
        return Ok(HostKind::Ipv6);
    }
    if !special {
        if text.bytes().any(|b| b"\0\t\n\r #/:<>?@[\\]^|".contains(&b)) {
            return Err(ParseError::InvalidDomainCharacter);
        }
        encode_into(out, text, CONTROLS);
        return Ok(if text.is_empty() { HostKind::None } else { HostKind::Domain });
    }
    if text.is_empty() {
        return Err(ParseError::EmptyHost);
    }
    let mut domain = percent_decode(text.as_bytes());
    if !domain.is_ascii() {
        return Err(ParseError::IdnaError);
    }
    domain.make_ascii_lowercase();
    if domain.iter().copied().any(forbidden_in_domain) {
        return Err(ParseError::InvalidDomainCharacter);
    }
    let domain = String::from_utf8(domain).map_err(|_| ParseError::IdnaError)?;
    if ends_in_a_number(&domain) {
        let ip = parse_ipv4(&domain).ok_or(ParseError::InvalidIpv4Address)?;
        let octets = ip.octets();
        for (i, octet) in octets.iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            push_number(out, (*octet).into(), 10);
        }
        return Ok(HostKind::Ipv4);
    }
    out.push_str(&domain);
    Ok(HostKind::Domain)
}


/// Writes `n` in `radix` (10 or 16, lowercase).
fn push_number(out: &mut String, n: u64, radix: u64) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut rest = n;
    for slot in digits.iter_mut() {
        *slot = b"0123456789abcdef".get((rest % radix) as usize).copied().unwrap_or(b'0');
        len += 1;
        rest /= radix;
        if rest == 0 {
            break;
        }
    }
    for &d in digits.iter().take(len).rev() {
        out.push(char::from(d));
    }
}


/// The canonical form: lowercase hex, the longest run of two or more zero pieces as `::`.
fn write_ipv6(out: &mut String, ip: Ipv6Addr) {
    let pieces = ip.segments();
    let (mut best_start, mut best_len) = (8, 0);
    let mut i = 0;
    while i < 8 {
        let run = pieces.iter().skip(i).take_while(|&&p| p == 0).count();
        if run > best_len && run > 1 {
            (best_start, best_len) = (i, run);
        }
        i += run.max(1);
    }
    let mut i = 0;
    while i < 8 {
        if i == best_start {
            out.push_str(if i == 0 { "::" } else { ":" });
            i += best_len;
            continue;
        }
        push_number(out, pieces.get(i).copied().unwrap_or_default().into(), 16);
        if i < 7 {
            out.push(':');
        }
        i += 1;
    }
}
