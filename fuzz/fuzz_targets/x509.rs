//! X.509 DER certificates (x5c of credentials and request objects): parsing, names (RFC 4514),
//! subjectAltName, keys, and a signature check of the certificate by itself.
#![no_main]
#[path = "common/mod.rs"]
mod common;

use dome_wallet::core::native::NativeCrypto;
use dome_wallet::core::x509::Certificate;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(cert) = Certificate::parse(data) else { return };
    let _ = (cert.version(), cert.serial(), cert.not_before(), cert.not_after(), cert.spki_der().len());
    let _ = (cert.subject().to_rfc4514(), cert.issuer().to_string(), cert.subject().organization_identifier());
    let _ = (cert.subject().common_name(), cert.subject().organization(), cert.subject().country(), cert.subject().serial_number());
    let _ = (cert.san_dns_names(), cert.san_ip_addresses(), cert.key_algorithm().to_string(), cert.signature_scheme().name());
    let _ = cert.verifying_key();
    let _ = common::block_on(cert.verify_issued_by(&cert, &NativeCrypto));
});
