//! URLs (src/core/url): any text parses or is refused without panicking, and what parses reads
//! back the same from its serialization (what the wallet hands the browser).
#![no_main]
use dome_wallet::core::url::Url;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(url) = Url::parse(text) else { return };
    let again = Url::parse(url.as_str()).expect("a serialized URL parses");
    assert_eq!(again.as_str(), url.as_str());
    assert_eq!((again.host_str(), again.port(), again.path(), again.query()), (url.host_str(), url.port(), url.path(), url.query()));
    let _ = (url.origin().ascii_serialization(), url.query_pairs().count(), url.username(), url.password(), url.fragment());
});
