//! Each URL is parsed here and by the `url` crate (a native dev-dependency, the WHATWG
//! implementation the wallet used before), and every part must agree.

use super::*;

/// Parts of a parsed URL, as both implementations give them.
#[derive(Debug, PartialEq)]
struct Parts {
    href: String,
    scheme: String,
    username: String,
    password: Option<String>,
    host: Option<String>,
    port: Option<u16>,
    path: String,
    query: Option<String>,
    fragment: Option<String>,
    origin: String,
    pairs: Vec<(String, String)>,
}

/// The parts of a parsed URL, read through the same accessors from either parser.
macro_rules! parts {
    ($u:expr) => {{
        let u = $u;
        Parts {
            href: u.as_str().into(),
            scheme: u.scheme().into(),
            username: u.username().into(),
            password: u.password().map(Into::into),
            host: u.host_str().map(Into::into),
            port: u.port(),
            path: u.path().into(),
            query: u.query().map(Into::into),
            fragment: u.fragment().map(Into::into),
            origin: u.origin().ascii_serialization(),
            pairs: u.query_pairs().into_owned().collect(),
        }
    }};
}

fn ours(text: &str) -> Option<Parts> {
    Some(parts!(Url::parse(text).ok()?))
}

fn theirs(text: &str) -> Option<Parts> {
    Some(parts!(::url::Url::parse(text).ok()?))
}

const CASES: &[&str] = &[
    // Peers' addresses.
    "https://issuer.dome-marketplace.eu",
    "https://issuer.example.com:8443/tenant/a?x=1",
    "https://issuer.example.com:443/credential",
    "HTTPS://Issuer.Example.COM/Path/?Q=1#F",
    "http://127.0.0.1:3000/oid4vci/abc",
    "http://localhost/x",
    "http://[::1]:8080/",
    "http://[0:0:0:0:0:0:0:1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[2001:db8::1:0:0:1]/",
    "http://[2001:db8:0:0:1:0:0:1]/",
    "http://[1:2:3:4:5:6:7:8]/",
    "http://[1::]/",
    "http://[::]/",
    "http://[1:2:3:4:5:6:7::]/",
    "http://[::1:2:3:4:5:6:7]/",
    "http://[1:2:3:4:5:6:7:8:9]/",
    "http://[1::2::3]/",
    "http://[:1]/",
    "http://[1:]/",
    "http://[12345::]/",
    "http://[::1.2.3.04]/",
    "http://[::1.2.3]/",
    "http://[g::]/",
    "http://[+1::]/",
    "http://[]/",
    "http://[::1/",
    "https://issuer.example.com:80/",
    "http://example.com:80/",
    "http://example.com:0080/",
    "http://example.com:/",
    "http://example.com:65535/",
    "http://example.com:65536/",
    "http://example.com:+80/",
    "http://example.com:8a/",
    "http://example.com:80:90/",
    "http://a:b:c/",
    "ws://example.com:80/",
    "wss://example.com:443/x",
    "ftp://example.com:21/x",
    // Userinfo.
    "https://user:pw@example.com/",
    "https://user@example.com/",
    "https://@example.com/",
    "https://:@example.com/",
    "https://user:@example.com/",
    "https://:pw@example.com/",
    "https://a@b@example.com/",
    "https://a b:c\"d@example.com/",
    "https://user@/",
    "https://@/",
    // Hosts.
    "https://ex%61mple.com/",
    "https://EXAMPLE.com./",
    "https://exa mple.com/",
    "https://exa<mple.com/",
    "https://exa%25mple.com/",
    "https://exa%2fmple.com/",
    "https://exa_mple.com/",
    "https://exa!mple.com/",
    "https://xn--nxasmq6b.com/",
    "https://a..b/",
    "https://./",
    "https://../",
    "https://",
    "https:///example.com/x",
    "https:example.com/x",
    "https:\\\\example.com\\a\\b",
    "https://evil.com\\@good.com/",
    "https://good.com#@evil.com/",
    "https://good.com?@evil.com/",
    "http://0x7f.0.0.1/",
    "http://0x7F.1/",
    "http://127.1/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://08.0.0.1/",
    "http://1.2.3.4.5/",
    "http://1.2.3.4./",
    "http://1.2.3.4../",
    "http://256.0.0.1/",
    "http://1.256/",
    "http://1.16777216/",
    "http://1.2.3.256/",
    "http://4294967295/",
    "http://4294967296/",
    "http://0x/",
    "http://0x1g/",
    "http://1.+2.3.4/",
    "http://1..2/",
    "http://example.123/",
    "http://123abc/",
    "http://abc.0x10/",
    "https://ex\u{e4}mple.com/",
    "https://%C3%A4.com/",
    "https://\u{ff21}.com/",
    // Paths.
    "https://example.com/a/./b/../c",
    "https://example.com/a/%2e/b/%2E%2e/c",
    "https://example.com/a/..",
    "https://example.com/a/.",
    "https://example.com/..",
    "https://example.com/../../a",
    "https://example.com/a/b/",
    "https://example.com//a//b",
    "https://example.com/a b/\"c\"/<d>/`e`/{f}/%7e/\u{e9}",
    "https://example.com/a\\b",
    "https://example.com/a%2fb",
    "https://example.com/.well-known/openid-credential-issuer/tenant",
    // Queries and fragments.
    "https://example.com/?a=1&b=2&&c&=d&e=f=g",
    "https://example.com/?a+b=c%20d&e=%ZZ&f=%e9&g=\u{e9}",
    "https://example.com/?'\"<>` {}",
    "https://example.com/#'\"<>` {}",
    "https://example.com/?x#y?z#w",
    "https://example.com?x",
    "https://example.com#",
    "https://example.com?",
    // Tabs, newlines and surrounding spaces.
    "  https://example.com/a  ",
    "\u{1}https://example.com/\u{1f}",
    "https://exa\nmple.com/a\tb\r",
    // Other schemes.
    "openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fissuer.example%2Foffer",
    "openid-credential-offer:?credential_offer=%7B%7D",
    "openid4vp://authorize?client_id=did%3Akey%3Az&request_uri=https%3A%2F%2Fv.example%2Fr",
    "openid4vp://?client_id=x",
    "OpenID4VP://Host/Path?x",
    "haip://",
    "openid4vp://a b/",
    "openid4vp://user:pw@host:99/p/./q/../r?x#y",
    "openid4vp://host:99x/",
    "openid4vp://[::1]/",
    "openid4vp:/path/./x",
    "javascript:alert(1)",
    "javascript:alert(document.domain)",
    "data:text/plain,hi there",
    "data:application/json,%7B%22a%22%3A1%7D",
    "data:text/html,<b>x</b>#f",
    "urn:uuid:1234",
    "did:web:example.com",
    "file:///etc/passwd",
    "file://localhost/etc",
    "file://host/share",
    "file:/x",
    "file:x",
    "mailto:a@b.c",
    "a+b-c.d:x",
    // Not URLs.
    "example.com",
    "/status/1",
    "//example.org",
    "1http://x",
    "",
    ":",
    "https:",
    "not a url",
];

#[test]
fn parses_as_the_url_crate_does() {
    let differ: Vec<String> = CASES
        .iter()
        .filter(|case| ours(case) != theirs(case))
        .map(|case| format!("{case:?}\n  ours:   {:?}\n  theirs: {:?}", ours(case), theirs(case)))
        .collect();
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

#[test]
fn opaque_origins_equal_nothing() {
    let a = Url::parse("openid4vp://x").unwrap();
    assert!(a.origin() != a.origin());
    assert_eq!(a.origin().ascii_serialization(), "null");
    let b = Url::parse("https://example.com:443/a").unwrap();
    assert!(b.origin() == Url::parse("https://EXAMPLE.com/b").unwrap().origin());
}

#[test]
fn hosts_are_typed() {
    let host = |s: &str| Url::parse(s).unwrap().host().map(|h| h.map_domain());
    assert_eq!(host("http://127.0.0.1/"), Some(Host::Ipv4(Ipv4Addr::LOCALHOST)));
    assert_eq!(host("http://[::1]/"), Some(Host::Ipv6(Ipv6Addr::LOCALHOST)));
    assert_eq!(host("http://Localhost/"), Some(Host::Domain("localhost".to_owned())));
    assert_eq!(host("javascript:x"), None);
}

impl Host<&str> {
    fn map_domain(self) -> Host<String> {
        match self {
            Host::Domain(d) => Host::Domain(d.to_owned()),
            Host::Ipv4(ip) => Host::Ipv4(ip),
            Host::Ipv6(ip) => Host::Ipv6(ip),
        }
    }
}

#[test]
fn form_encoding_matches_the_url_crate() {
    let pairs = [("grant_type", "a b&c"), ("x", "1"), ("ü=", "*-._~!'()"), ("", "")];
    let ours = form_urlencoded::Serializer::new(String::new()).extend_pairs(&pairs).finish();
    let theirs = ::url::form_urlencoded::Serializer::new(String::new()).extend_pairs(&pairs).finish();
    assert_eq!(ours, theirs);
    let bytes = "a b+c%/ü".as_bytes();
    assert_eq!(
        form_urlencoded::byte_serialize(bytes).collect::<String>(),
        ::url::form_urlencoded::byte_serialize(bytes).collect::<String>()
    );
    for body in ["a=1&b=%zz&c=%C3%BC+x&&d", "=&==", "%ff=%fe", ""] {
        let ours: Vec<_> = form_urlencoded::parse(body.as_bytes()).into_owned().collect();
        let theirs: Vec<_> = ::url::form_urlencoded::parse(body.as_bytes()).into_owned().collect();
        assert_eq!(ours, theirs, "{body}");
    }
}

/// Random texts built from the pieces URLs are made of (and a few that break them).
#[test]
fn random_urls_parse_as_the_url_crate_parses_them() {
    const SCHEMES: &[&str] = &["https:", "http:", "HTTP:", "ws:", "openid4vp:", "data:", "x-y.z:", ""];
    const PIECES: &[&str] = &[
        "/", "\\", "//", "@", ":", "[", "]", "::1", "::", "?", "#", "%2e", "%2E", "%41", "%", "%c3%a4", ".", "..", "a",
        "B", "0x", "0", "1", "127", "255", "256", "65536", " ", "\t", "\n", "\u{e9}", "=", "&", "+", "xn--", "-", "_",
        "80", "443", "'", "\"", "<", "`", "{", "|", "^", "\u{1}", "\u{7f}", "localhost", "example.com",
    ];
    let mut rng = crate::core::testing::Xorshift(0x9e37_79b9_7f4a_7c15);
    let mut next = |n: usize| rng.below(n);
    let mut differ = Vec::new();
    for _ in 0..30_000 {
        let mut text = SCHEMES[next(SCHEMES.len())].to_owned();
        for _ in 0..next(14) {
            text.push_str(PIECES[next(PIECES.len())]);
        }
        // `xn--` labels are taken as they are written; the url crate also checks their punycode
        // (so does the browser when it fetches: a bad one fails there, never reaching another host).
        if text.to_ascii_lowercase().contains("xn--") {
            continue;
        }
        // In a non-special URL, `host:\…` is no port: the standard refuses it (port state), the
        // url crate reads the `\` as the path.
        let special = ["http", "ws", "file"].iter().any(|s| text.to_ascii_lowercase().starts_with(s));
        if !special && text.contains('\\') {
            continue;
        }
        // What the wallet hands the browser reads back the same.
        if let Some(parts) = ours(&text) {
            assert_eq!(ours(&parts.href).as_ref(), Some(&parts), "{text:?} is not stable");
        }
        let theirs = theirs(&text);
        // `x://@`: the standard refuses an empty host after `@` (host-missing); the url crate
        // does not when the scheme is not special.
        if !special && text.contains('@') && theirs.as_ref().is_some_and(|t| t.host.is_none()) && ours(&text).is_none() {
            continue;
        }
        if ours(&text) != theirs {
            differ.push(format!("{text:?}\n  ours:   {:?}\n  theirs: {:?}", ours(&text), theirs));
        }
    }
    assert!(differ.is_empty(), "{} differ:\n{}", differ.len(), differ.iter().take(10).cloned().collect::<Vec<_>>().join("\n"));
}

/// The URL the browser would give for `text`, here from the `url` crate (the same WHATWG
/// parser), read back from its serialization.
fn from_browser(text: &str) -> Option<Result<Parts, ParseError>> {
    let url = ::url::Url::parse(text).ok()?;
    Some(Url::from_browser(text, url.as_str()).map(|u| parts!(u)))
}

/// What the browser parses (in the engine, `adapters::url`) becomes the same `Url` as here.
#[test]
fn the_browsers_parts_make_the_same_url() {
    let mut rng = crate::core::testing::Xorshift(0x2545_f491_4f6c_dd1d);
    let pieces = ["/", "//", "@", ":", "?", "#", "a", "1", "127", "[::1]", "%41", "..", "x.example", "8080", " ", "&", "="];
    let mut texts: Vec<String> = CASES.iter().map(|c| (*c).to_owned()).collect();
    for _ in 0..5_000 {
        let mut text = ["https:", "http:", "openid4vp:", "x:", "file:"][rng.below(5)].to_owned();
        for _ in 0..rng.below(10) {
            text.push_str(pieces[rng.below(pieces.len())]);
        }
        texts.push(text);
    }
    let mut checked = 0;
    for text in &texts {
        let Some(ours) = from_browser(text) else { continue };
        assert_eq!(ours.as_ref().ok(), theirs(text).as_ref(), "{text:?}");
        checked += 1;
    }
    assert!(checked > 3_000, "only {checked} texts parsed");
}

#[test]
fn hosts_the_browser_turned_into_punycode_are_refused() {
    // A Cyrillic "і" in place of "i": a homograph.
    let homograph = "https://xn--ssuer-3ve.example/offer";
    for input in ["https://\u{456}ssuer.example/offer", "https://%D1%96ssuer.example/offer"] {
        assert_eq!(Url::from_browser(input, homograph).map(|u| u.to_string()), Err(ParseError::IdnaError), "{input}");
    }
    // The punycode written elsewhere in the link (path, query, user name) does not make the
    // Unicode host acceptable.
    for input in [
        "https://\u{456}ssuer.example/xn--ssuer-3ve.example",
        "https://\u{456}ssuer.example/?h=xn--ssuer-3ve.example",
        "https://xn--ssuer-3ve.example@\u{456}ssuer.example/offer",
        "https://\u{456}ssuer.example:443/offer#xn--ssuer-3ve.example",
    ] {
        assert_eq!(Url::from_browser(input, homograph).map(|u| u.to_string()), Err(ParseError::IdnaError), "{input}");
    }
    // Written as punycode, it is taken as written (any case, with a port, user or backslashes).
    assert_eq!(Url::from_browser(homograph, homograph).map(|u| u.to_string()), Ok(homograph.to_owned()));
    for input in ["  HTTPS://XN--SSUER-3VE.example:443/offer", "https:\\\\u@xn--ssuer-3ve.example\\offer"] {
        let href = if input.contains('@') { "https://u@xn--ssuer-3ve.example/offer" } else { homograph };
        assert!(Url::from_browser(input, href).is_ok(), "{input}");
    }
    assert_eq!(Url::from_browser("x", "no scheme").map(|u| u.to_string()), Err(ParseError::Invalid));
}

#[test]
fn loopback_is_read_from_the_canonical_host() {
    for (text, loopback) in [
        ("http://127.0.0.1:3000/", true),
        ("http://127.1.2.3/", true),
        ("http://0x7f.1/", true),
        ("http://2130706433/", true),
        ("http://LocalHost/", true),
        ("http://[::1]:8080/", true),
        ("http://[0:0:0:0:0:0:0:1]/", true),
        ("http://[::ffff:127.0.0.1]/", false),
        ("http://127.example/", false),
        ("http://localhost.example/", false),
        ("http://128.0.0.1/", false),
        ("openid4vp://localhost/", true),
    ] {
        let url = Url::parse(text).unwrap();
        assert_eq!(url.is_loopback(), loopback, "{text}");
        // The same as the typed host says.
        let typed = match url.host() {
            Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
            Some(Host::Ipv4(ip)) => ip.is_loopback(),
            Some(Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        };
        assert_eq!(url.is_loopback(), typed, "{text}");
    }
}
