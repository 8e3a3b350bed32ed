//! Fixtures in `src/core/tests/fixtures/x509/` were made once with OpenSSL 3.0 (an encoder
//! independent of this parser) and are test-only keys:
//! - `es256-seal.der` (+ `.pk8` key, `.spki.der`): self-signed P-256, ecdsa-with-SHA256,
//!   subject `CN=Test ES256 Seal,organizationIdentifier=VATES-B60645900,O=Test Seal Org,C=ES`,
//!   SAN `DNS:issuer.example.org, DNS:wallet.example, IP:192.0.2.7, IP:2001:db8::7`,
//!   notAfter in 2054 (GeneralizedTime).
//! - `rsa-ca.der`: self-signed RSA-2048 CA; `rs256-seal.der` (+ `.pk8`): RSA-2048 leaf it signed
//!   with sha256WithRSAEncryption, subject with `organizationIdentifier=VATES-B60645900`.
//! - `es384-self-signed.der`: P-384, ecdsa-with-SHA384, a multi-valued RDN `CN+UID`.

use super::*;
use crate::core::credential::test_support::{self, read_shared, DOME_CREDENTIAL};
use crate::core::encoding::b64_decode;
use crate::core::jws::Jws;
use crate::core::native::NativeCrypto;
use crate::core::testing::block_on;

const ES256_SPKI: &[u8] = include_bytes!("../tests/fixtures/x509/es256-seal.spki.der");

fn es256() -> Certificate {
    Certificate::parse(test_support::ES256_SEAL_CERT).unwrap()
}

/// The x5c leaf of the real DOME credential, if ../shared is there.
fn dome_seal() -> Option<Certificate> {
    let jws = Jws::parse(&read_shared(DOME_CREDENTIAL)?).unwrap();
    let x5c = jws.header()["x5c"][0].as_str().unwrap();
    Some(Certificate::parse(&b64_decode(x5c).unwrap()).unwrap())
}

#[test]
fn reads_the_real_dome_seal_certificate() {
    let Some(cert) = dome_seal() else { return };
    assert_eq!(cert.version(), 3);
    assert_eq!(cert.subject().organization_identifier(), Some("VATES-Q0000000J"));
    assert_eq!(cert.subject().common_name(), Some("56565656P Jesus Ruiz"));
    assert_eq!(cert.subject().organization(), Some("DOME Marketplace"));
    assert_eq!(cert.subject().country(), Some("ES"));
    assert_eq!(cert.subject().serial_number(), Some("IDCES-56565656P"));
    assert_eq!(cert.issuer().common_name(), Some("DIGITEL TS ADVANCED CA G1"));
    assert_eq!(cert.issuer().organization_identifier(), None);
    // As `openssl x509 -nameopt RFC2253` prints them.
    assert_eq!(
        cert.subject().to_rfc4514(),
        "C=ES,O=DOME Marketplace,organizationIdentifier=VATES-Q0000000J,OU=DOME Credential Issuer,SN=RUIZ,GN=JESUS,serialNumber=IDCES-56565656P,CN=56565656P Jesus Ruiz"
    );
    assert_eq!(
        cert.issuer().to_string(),
        "C=ES,L=Valladolid,O=DIGITEL ON TRUSTED SERVICES SLU,OU=DIGITEL TS CERTIFICATION AUTHORITY,serialNumber=B47447560,CN=DIGITEL TS ADVANCED CA G1"
    );
    assert_eq!(cert.not_before(), 1_716_283_863); // 2024-05-21T09:31:03Z
    assert_eq!(cert.not_after(), 1_810_891_862); // 2027-05-21T09:31:02Z
    assert_eq!(cert.serial().first(), Some(&0x35));
    assert_eq!(cert.serial().len(), 20);
    assert_eq!(cert.signature_scheme(), &SignatureScheme::RsaSha512);
    assert_eq!(cert.signature().len(), 256); // signed by a 2048-bit CA key
    assert_eq!(cert.key_algorithm(), &KeyAlgorithm::Rsa);
    assert!(cert.san_dns_names().is_empty() && cert.san_ip_addresses().is_empty());
    // The SPKI is a complete DER value (what WebCrypto imports), inside the TBS.
    assert!(der::parse_exact(cert.spki_der(), tag::SEQUENCE).is_ok());
    assert!(cert.tbs_der().windows(cert.spki_der().len()).any(|w| w == cert.spki_der()));
    assert_eq!(cert.der().len(), 1599);
}

#[test]
fn checking_the_real_seal_needs_its_ca() {
    let Some(cert) = dome_seal() else { return };
    // It is not self-signed; and its CA's certificate is not among the fixtures.
    assert!(matches!(block_on(cert.verify_issued_by(&cert, &NativeCrypto)), Err(X509Error::IssuerMismatch { .. })));
    // Even given a certificate with the right name, SHA-512 is outside what Crypto offers.
    let mut fake_ca = cert.clone();
    fake_ca.subject = cert.issuer().clone();
    assert_eq!(
        block_on(cert.verify_issued_by(&fake_ca, &NativeCrypto)),
        Err(X509Error::UnsupportedSignatureAlgorithm("sha512WithRSAEncryption".into()))
    );
}

#[test]
fn reads_a_self_signed_p256_certificate() {
    let cert = es256();
    assert_eq!(cert.version(), 3);
    assert_eq!(cert.serial(), &[0x01, 0x02, 0x03, 0x04, 0x05]);
    assert_eq!(
        cert.subject().to_rfc4514(),
        "CN=Test ES256 Seal,organizationIdentifier=VATES-B60645900,O=Test Seal Org,C=ES"
    );
    assert_eq!(cert.subject(), cert.issuer());
    assert_eq!(cert.subject().organization_identifier(), Some("VATES-B60645900"));
    assert_eq!(cert.not_before(), 1_795_427_983); // UTCTime 261123095943Z
    assert_eq!(cert.not_after(), 2_659_427_983); // GeneralizedTime 20540410095943Z
    assert_eq!(cert.spki_der(), ES256_SPKI);
    assert_eq!(cert.key_algorithm(), &KeyAlgorithm::EcP256);
    assert_eq!(cert.signature_scheme(), &SignatureScheme::EcdsaSha256);
    assert_eq!(cert.san_dns_names(), ["issuer.example.org", "wallet.example"]);
    assert_eq!(cert.san_ip_addresses(), ["192.0.2.7".parse::<IpAddr>().unwrap(), "2001:db8::7".parse().unwrap()]);
    block_on(cert.verify_issued_by(&cert, &NativeCrypto)).unwrap();
}

#[test]
fn verifies_an_rsa_leaf_against_its_ca() {
    let ca = Certificate::parse(test_support::RSA_CA_CERT).unwrap();
    let leaf = Certificate::parse(test_support::RS256_SEAL_CERT).unwrap();
    assert_eq!(leaf.issuer(), ca.subject());
    assert_eq!(leaf.issuer().to_rfc4514(), "CN=Test RSA CA G1,O=Test Trust Services,C=ES");
    assert_eq!(
        leaf.subject().to_rfc4514(),
        "C=ES,O=IN2 Test,organizationIdentifier=VATES-B60645900,OU=Credential Issuer\\, Test,serialNumber=IDCES-12345678Z,CN=Test RS256 Seal"
    );
    assert_eq!(leaf.signature_scheme(), &SignatureScheme::RsaSha256);
    block_on(leaf.verify_issued_by(&ca, &NativeCrypto)).unwrap();
    block_on(ca.verify_issued_by(&ca, &NativeCrypto)).unwrap();
    assert!(matches!(block_on(leaf.verify_issued_by(&leaf, &NativeCrypto)), Err(X509Error::IssuerMismatch { .. })));
    assert!(matches!(block_on(ca.verify_issued_by(&es256(), &NativeCrypto)), Err(X509Error::IssuerMismatch { .. })));

    // A certificate with the CA's name but another key does not verify it.
    let mut impostor = ca.clone();
    impostor.spki = Certificate::parse(test_support::RS256_SEAL_CERT).unwrap().spki;
    assert_eq!(block_on(leaf.verify_issued_by(&impostor, &NativeCrypto)), Err(X509Error::BadSignature));
    // Nor one whose key does not fit the algorithm.
    let mut wrong_kind = es256();
    wrong_kind.subject = ca.subject().clone();
    assert!(matches!(
        block_on(leaf.verify_issued_by(&wrong_kind, &NativeCrypto)),
        Err(X509Error::KeyMismatch { needed: "RSA", .. })
    ));
}

#[test]
fn a_changed_certificate_no_longer_verifies() {
    let mut der = test_support::ES256_SEAL_CERT.to_vec();
    let at = der.windows(4).rposition(|w| w == b"Seal").unwrap();
    der[at] = b'S' ^ 0x20; // "seal": still well-formed
    let forged = Certificate::parse(&der).unwrap();
    assert_eq!(forged.subject().common_name(), Some("Test ES256 seal"));
    let original = es256();
    // The forged subject no longer matches its own issuer name, so check against the original.
    assert_eq!(block_on(forged.verify_issued_by(&original, &NativeCrypto)), Err(X509Error::BadSignature));
}

#[test]
fn unsupported_signature_algorithms_say_which() {
    let cert = Certificate::parse(test_support::ES384_CERT).unwrap();
    assert_eq!(cert.signature_scheme(), &SignatureScheme::EcdsaSha384);
    assert_eq!(cert.key_algorithm(), &KeyAlgorithm::Ec { curve: "1.3.132.0.34".into() });
    // A multi-valued RDN (its attributes in DER order; OpenSSL reverses them) and an escaped comma.
    assert_eq!(cert.subject().to_rfc4514(), "CN=P-384 Test+UID=machine-7,O=Test\\, Inc.");
    assert_eq!(cert.subject().common_name(), Some("P-384 Test"));
    let err = block_on(cert.verify_issued_by(&cert, &NativeCrypto)).unwrap_err();
    assert_eq!(err, X509Error::UnsupportedSignatureAlgorithm("ecdsa-with-SHA384".into()));
    assert!(err.to_string().contains("supported: ecdsa-with-SHA256, sha256WithRSAEncryption"));
}

#[test]
fn refuses_truncated_input_trailing_data_and_garbage() {
    let der = test_support::ES256_SEAL_CERT;
    for end in 0..der.len() {
        assert!(Certificate::parse(&der[..end]).is_err(), "prefix of {end} bytes");
    }
    let mut trailing = der.to_vec();
    trailing.push(0);
    assert_eq!(
        Certificate::parse(&trailing),
        Err(X509Error::Der { field: "Certificate", error: DerError::TrailingData(1) })
    );
    for garbage in [
        &b""[..],
        b"\x30",
        b"\x30\x00",
        b"\xff\xff\xff\xff",
        b"-----BEGIN CERTIFICATE-----",
        &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff],
    ] {
        assert!(Certificate::parse(garbage).is_err(), "{garbage:?}");
    }
    assert_eq!(
        Certificate::parse(&vec![0x30; MAX_CERTIFICATE_LEN + 1]),
        Err(X509Error::TooLarge(MAX_CERTIFICATE_LEN + 1))
    );
}

#[test]
fn any_single_byte_change_is_parsed_or_refused_without_panicking() {
    for der in [test_support::ES256_SEAL_CERT, test_support::RS256_SEAL_CERT, test_support::ES384_CERT] {
        for i in 0..der.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut changed = der.to_vec();
                changed[i] ^= flip;
                let _ = Certificate::parse(&changed);
            }
        }
    }
}

#[test]
fn inner_and_outer_signature_algorithms_must_agree() {
    let mut der = test_support::ES256_SEAL_CERT.to_vec();
    let oid = [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
    let outer = der.windows(oid.len()).rposition(|w| w == oid).unwrap();
    der[outer + oid.len() - 1] = 0x03;
    assert_eq!(
        Certificate::parse(&der),
        Err(X509Error::AlgorithmMismatch { inner: oid::ECDSA_SHA256.into(), outer: oid::ECDSA_SHA384.into() })
    );
}

#[test]
fn ecdsa_signatures_convert_to_fixed_width() {
    // r with a sign octet, s shorter than 32 bytes.
    let mut der = vec![0x30, 0x27, 0x02, 0x21, 0x00];
    der.extend([0x80; 32]);
    der.extend([0x02, 0x02, 0x01, 0x02]);
    let fixed = ecdsa_der_to_fixed(&der, 32).unwrap();
    assert_eq!(&fixed[..32], &[0x80; 32]);
    assert_eq!(&fixed[32..62], &[0; 30]);
    assert_eq!(&fixed[62..], &[0x01, 0x02]);
    let mut too_big = vec![0x30, 0x26, 0x02, 0x21, 0x7f];
    too_big.extend([0x01; 32]);
    too_big.extend([0x02, 0x01, 0x01]);
    assert!(ecdsa_der_to_fixed(&too_big[..], 32).is_err());
    assert!(ecdsa_der_to_fixed(&[0x30, 0x03, 0x02, 0x01, 0x01], 32).is_err());
    assert!(ecdsa_der_to_fixed(&[0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x81], 32).is_err());
}

#[test]
fn rfc4514_escaping() {
    let name = Name {
        der: Vec::new(),
        rdns: vec![
            vec![Attribute { oid: oid::COUNTRY.into(), value: AttributeValue::Text("ES".into()) }],
            vec![Attribute { oid: "1.2.3.4".into(), value: AttributeValue::Der(vec![0x02, 0x01, 0x05]) }],
            vec![Attribute { oid: oid::COMMON_NAME.into(), value: AttributeValue::Text("#a+b, \"c\" <d>;\\ ".into()) }],
        ],
    };
    assert_eq!(name.to_rfc4514(), r#"CN=\#a\+b\, \"c\" \<d\>\;\\\ ,1.2.3.4=#020105,C=ES"#);
    assert_eq!(name.get("1.2.3.4"), None);
    assert_eq!(name.attributes().count(), 3);
}
