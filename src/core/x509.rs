//! X.509 certificates (RFC 5280), read far enough to use a credential issuer's seal: its
//! public key, its subject (with the eIDAS `organizationIdentifier`, OID 2.5.4.97, ETSI EN 319
//! 412-1 §5.1.4), its issuing CA, validity, subjectAltName, and its own signature.
//!
//! This is not path validation: nothing here decides whether a certificate is trusted. It parses
//! one certificate strictly (DER, one value, no trailing bytes) and can check that one certificate
//! was signed by another.

use crate::core::quote::quoted;
use std::fmt::{self, Write as _};
use std::net::IpAddr;

use super::der::{self, tag, DerError, Tlv};
use super::error::CryptoError;
use super::ports::{Crypto, SignatureAlgorithm, VerifyingKey};

/// Largest certificate accepted (the DOME seal with a 4096-bit key is 1.6 KB).
pub const MAX_CERTIFICATE_LEN: usize = 16 * 1024;

/// Object identifiers this module names, in dotted form.
pub mod oid {
    pub const COMMON_NAME: &str = "2.5.4.3";
    pub const SURNAME: &str = "2.5.4.4";
    pub const SERIAL_NUMBER: &str = "2.5.4.5";
    pub const COUNTRY: &str = "2.5.4.6";
    pub const LOCALITY: &str = "2.5.4.7";
    pub const STATE: &str = "2.5.4.8";
    pub const STREET: &str = "2.5.4.9";
    pub const ORGANIZATION: &str = "2.5.4.10";
    pub const ORGANIZATIONAL_UNIT: &str = "2.5.4.11";
    pub const TITLE: &str = "2.5.4.12";
    pub const GIVEN_NAME: &str = "2.5.4.42";
    pub const ORGANIZATION_IDENTIFIER: &str = "2.5.4.97";
    pub const DOMAIN_COMPONENT: &str = "0.9.2342.19200300.100.1.25";
    pub const USER_ID: &str = "0.9.2342.19200300.100.1.1";
    pub const EMAIL_ADDRESS: &str = "1.2.840.113549.1.9.1";
    pub const SUBJECT_ALT_NAME: &str = "2.5.29.17";
    pub const EC_PUBLIC_KEY: &str = "1.2.840.10045.2.1";
    pub const P256: &str = "1.2.840.10045.3.1.7";
    pub const RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
    pub const ED25519: &str = "1.3.101.112";
    pub const ECDSA_SHA256: &str = "1.2.840.10045.4.3.2";
    pub const ECDSA_SHA384: &str = "1.2.840.10045.4.3.3";
    pub const ECDSA_SHA512: &str = "1.2.840.10045.4.3.4";
    pub const RSA_PSS: &str = "1.2.840.113549.1.1.10";
    pub const RSA_SHA256: &str = "1.2.840.113549.1.1.11";
    pub const RSA_SHA384: &str = "1.2.840.113549.1.1.12";
    pub const RSA_SHA512: &str = "1.2.840.113549.1.1.13";
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum X509Error {
    #[error("a certificate of {0} bytes exceeds the limit of {MAX_CERTIFICATE_LEN}")]
    TooLarge(usize),
    #[error("malformed certificate ({field}): {error}")]
    Der { field: &'static str, error: DerError },
    #[error("certificate version {0}; expected 1, 2 or 3")]
    Version(u8),
    #[error("the signature algorithm inside the certificate ({inner}) differs from the one outside it ({outer})")]
    AlgorithmMismatch { inner: String, outer: String },
    #[error("the certificate has more than one {0} extension")]
    DuplicateExtension(String),
    #[error("a subjectAltName iPAddress of {0} bytes; expected 4 or 16")]
    IpAddressLength(usize),
    #[error("the certificate names {q_expected} as its issuer, but the issuer certificate is {q_found}", q_expected = quoted(.expected), q_found = quoted(.found))]
    IssuerMismatch { expected: String, found: String },
    #[error("unsupported certificate signature algorithm {0} (supported: ecdsa-with-SHA256, sha256WithRSAEncryption)")]
    UnsupportedSignatureAlgorithm(String),
    #[error("a {algorithm} signature needs a {needed} key, but the issuer's key is {found}")]
    KeyMismatch { algorithm: &'static str, needed: &'static str, found: String },
    #[error("the certificate's signature does not verify with the issuer's key")]
    BadSignature,
    #[error("the signature could not be checked: {0}")]
    Crypto(CryptoError),
}

/// Attaches the name of the field being read to a DER error.
trait At<T> {
    fn at(self, field: &'static str) -> Result<T, X509Error>;
}

impl<T> At<T> for Result<T, DerError> {
    fn at(self, field: &'static str) -> Result<T, X509Error> {
        self.map_err(|error| X509Error::Der { field, error })
    }
}

/// The algorithm a certificate is signed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignatureScheme {
    EcdsaSha256,
    EcdsaSha384,
    EcdsaSha512,
    RsaSha256,
    RsaSha384,
    RsaSha512,
    RsaPss,
    Ed25519,
    /// Any other algorithm, by its dotted OID.
    Other(String),
}

impl SignatureScheme {
    fn from_oid(oid: &str) -> Self {
        match oid {
            oid::ECDSA_SHA256 => Self::EcdsaSha256,
            oid::ECDSA_SHA384 => Self::EcdsaSha384,
            oid::ECDSA_SHA512 => Self::EcdsaSha512,
            oid::RSA_SHA256 => Self::RsaSha256,
            oid::RSA_SHA384 => Self::RsaSha384,
            oid::RSA_SHA512 => Self::RsaSha512,
            oid::RSA_PSS => Self::RsaPss,
            oid::ED25519 => Self::Ed25519,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The name RFC 5758 / RFC 4055 / RFC 8410 give it.
    pub fn name(&self) -> &str {
        match self {
            Self::EcdsaSha256 => "ecdsa-with-SHA256",
            Self::EcdsaSha384 => "ecdsa-with-SHA384",
            Self::EcdsaSha512 => "ecdsa-with-SHA512",
            Self::RsaSha256 => "sha256WithRSAEncryption",
            Self::RsaSha384 => "sha384WithRSAEncryption",
            Self::RsaSha512 => "sha512WithRSAEncryption",
            Self::RsaPss => "RSASSA-PSS",
            Self::Ed25519 => "Ed25519",
            Self::Other(oid) => oid,
        }
    }
}

/// The kind of public key in a SubjectPublicKeyInfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyAlgorithm {
    /// An EC key on P-256 (what ES256 needs).
    EcP256,
    /// An EC key on another curve, by the curve's dotted OID.
    Ec {
        curve: String,
    },
    Rsa,
    Ed25519,
    Other(String),
}

impl fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EcP256 => f.write_str("EC P-256"),
            Self::Ec { curve } => write!(f, "EC (curve {curve})"),
            Self::Rsa => f.write_str("RSA"),
            Self::Ed25519 => f.write_str("Ed25519"),
            Self::Other(oid) => write!(f, "of algorithm {oid}"),
        }
    }
}

/// One attribute of a distinguished name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribute {
    /// The attribute type, dotted (`2.5.4.3`).
    pub oid: String,
    pub value: AttributeValue,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeValue {
    Text(String),
    /// A value that is not a character string, as its DER encoding.
    Der(Vec<u8>),
}

/// A distinguished name (issuer or subject).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    der: Vec<u8>,
    /// Relative distinguished names in certificate order (most significant first); each is one
    /// or more attributes.
    rdns: Vec<Vec<Attribute>>,
}

impl Name {
    fn parse(tlv: &Tlv<'_>, field: &'static str) -> Result<Self, X509Error> {
        let mut rdns = Vec::new();
        let mut seq = tlv.contents();
        while !seq.is_empty() {
            let set = seq.read(tag::SET).at(field)?;
            let mut attrs = set.contents();
            let mut rdn = Vec::new();
            while !attrs.is_empty() {
                let atv = attrs.read(tag::SEQUENCE).at(field)?;
                let mut atv = atv.contents();
                let oid = der::oid_to_string(atv.read(tag::OID).at(field)?.value).at(field)?;
                let value = atv.read_any().at(field)?;
                atv.finish().at(field)?;
                let value = match der::text(&value) {
                    Ok(text) => AttributeValue::Text(text),
                    Err(DerError::NotText(_)) => AttributeValue::Der(value.encoded.to_vec()),
                    Err(error) => return Err(X509Error::Der { field, error }),
                };
                rdn.push(Attribute { oid, value });
            }
            if rdn.is_empty() {
                return Err(X509Error::Der { field, error: DerError::Malformed("empty relative distinguished name") });
            }
            rdns.push(rdn);
        }
        Ok(Self { der: tlv.encoded.to_vec(), rdns })
    }

    /// The Name's DER encoding, which is what issuer/subject matching compares.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    pub fn attributes(&self) -> impl Iterator<Item = &Attribute> {
        self.rdns.iter().flatten()
    }

    /// The first text value of the attribute `oid` (dotted).
    pub fn get(&self, oid: &str) -> Option<&str> {
        self.attributes().find(|a| a.oid == oid).and_then(|a| match &a.value {
            AttributeValue::Text(text) => Some(text.as_str()),
            AttributeValue::Der(_) => None,
        })
    }

    /// eIDAS organisation identifier (2.5.4.97), e.g. `VATES-B60645900`.
    pub fn organization_identifier(&self) -> Option<&str> {
        self.get(oid::ORGANIZATION_IDENTIFIER)
    }

    pub fn common_name(&self) -> Option<&str> {
        self.get(oid::COMMON_NAME)
    }

    pub fn organization(&self) -> Option<&str> {
        self.get(oid::ORGANIZATION)
    }

    pub fn country(&self) -> Option<&str> {
        self.get(oid::COUNTRY)
    }

    pub fn serial_number(&self) -> Option<&str> {
        self.get(oid::SERIAL_NUMBER)
    }

    /// The RFC 4514 string form: least significant RDN first, `,` between RDNs, `+` inside a
    /// multi-valued one, special characters escaped. Type names are those OpenSSL prints
    /// (`CN`, `O`, `organizationIdentifier`, …); unknown types appear as dotted OIDs, and values
    /// that are not strings as `#` and their DER in hex.
    pub fn to_rfc4514(&self) -> String {
        let mut out = String::new();
        for (i, rdn) in self.rdns.iter().rev().enumerate() {
            if i > 0 {
                out.push(',');
            }
            for (j, attr) in rdn.iter().enumerate() {
                if j > 0 {
                    out.push('+');
                }
                out.push_str(short_name(&attr.oid).unwrap_or(&attr.oid));
                out.push('=');
                match &attr.value {
                    AttributeValue::Text(text) => escape_rfc4514(text, &mut out),
                    AttributeValue::Der(bytes) => {
                        out.push('#');
                        for b in bytes {
                            let _ = write!(out, "{b:02x}");
                        }
                    }
                }
            }
        }
        out
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc4514())
    }
}

fn short_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        oid::COMMON_NAME => "CN",
        oid::SURNAME => "SN",
        oid::SERIAL_NUMBER => "serialNumber",
        oid::COUNTRY => "C",
        oid::LOCALITY => "L",
        oid::STATE => "ST",
        oid::STREET => "street",
        oid::ORGANIZATION => "O",
        oid::ORGANIZATIONAL_UNIT => "OU",
        oid::TITLE => "title",
        oid::GIVEN_NAME => "GN",
        oid::ORGANIZATION_IDENTIFIER => "organizationIdentifier",
        oid::DOMAIN_COMPONENT => "DC",
        oid::USER_ID => "UID",
        oid::EMAIL_ADDRESS => "emailAddress",
        _ => return None,
    })
}

/// RFC 4514 §2.4 escaping.
fn escape_rfc4514(value: &str, out: &mut String) {
    let last = value.chars().count().saturating_sub(1);
    for (i, c) in value.chars().enumerate() {
        match c {
            '"' | '+' | ',' | ';' | '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i == last => out.push_str("\\ "),
            '\0' => out.push_str("\\00"),
            c => out.push(c),
        }
    }
}

/// The subjectAltName entries the wallet uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectAltNames {
    pub dns_names: Vec<String>,
    pub ip_addresses: Vec<IpAddr>,
}

/// A parsed X.509 certificate. Owns its DER; accessors never fail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    der: Vec<u8>,
    tbs: Vec<u8>,
    version: u8,
    serial: Vec<u8>,
    signature_scheme: SignatureScheme,
    signature: Vec<u8>,
    issuer: Name,
    subject: Name,
    not_before: i64,
    not_after: i64,
    spki: Vec<u8>,
    key_algorithm: KeyAlgorithm,
    san: SubjectAltNames,
}

impl Certificate {
    /// Parses one DER certificate, refusing anything after it.
    pub fn parse(der: &[u8]) -> Result<Self, X509Error> {
        if der.len() > MAX_CERTIFICATE_LEN {
            return Err(X509Error::TooLarge(der.len()));
        }
        let cert = der::parse_exact(der, tag::SEQUENCE).at("Certificate")?;
        let mut cert_fields = cert.contents();
        let tbs = cert_fields.read(tag::SEQUENCE).at("tbsCertificate")?;
        let outer_alg = cert_fields.read(tag::SEQUENCE).at("signatureAlgorithm")?;
        let signature = cert_fields.read(tag::BIT_STRING).at("signatureValue")?;
        cert_fields.finish().at("Certificate")?;
        let signature = der::bit_string_octets(signature.value).at("signatureValue")?.to_vec();

        let mut t = tbs.contents();
        let version = match t.read_optional(tag::explicit(0)).at("version")? {
            None => 0,
            Some(v) => {
                let int = der::parse_exact(v.value, tag::INTEGER).at("version")?;
                match der::unsigned_integer(int.value).at("version")? {
                    [v @ 0..=2] => *v,
                    [v] => return Err(X509Error::Version(v.saturating_add(1))),
                    _ => return Err(X509Error::Version(u8::MAX)),
                }
            }
        };
        let serial = t.read(tag::INTEGER).at("serialNumber")?;
        if serial.value.is_empty() {
            return Err(X509Error::Der { field: "serialNumber", error: DerError::Malformed("INTEGER (empty)") });
        }
        let inner_alg = t.read(tag::SEQUENCE).at("signature")?;
        if inner_alg.encoded != outer_alg.encoded {
            return Err(X509Error::AlgorithmMismatch {
                inner: algorithm_oid(&inner_alg)?,
                outer: algorithm_oid(&outer_alg)?,
            });
        }
        let issuer = Name::parse(&t.read(tag::SEQUENCE).at("issuer")?, "issuer")?;
        let mut validity = t.read(tag::SEQUENCE).at("validity")?.contents();
        let not_before = der::time(&validity.read_any().at("notBefore")?).at("notBefore")?;
        let not_after = der::time(&validity.read_any().at("notAfter")?).at("notAfter")?;
        validity.finish().at("validity")?;
        let subject = Name::parse(&t.read(tag::SEQUENCE).at("subject")?, "subject")?;
        let spki = t.read(tag::SEQUENCE).at("subjectPublicKeyInfo")?;
        let key_algorithm = key_algorithm(&spki)?;
        t.read_optional(tag::implicit(1)).at("issuerUniqueID")?;
        t.read_optional(tag::implicit(2)).at("subjectUniqueID")?;
        let san = match t.read_optional(tag::explicit(3)).at("extensions")? {
            Some(ext) => extensions(&ext)?,
            None => SubjectAltNames::default(),
        };
        t.finish().at("tbsCertificate")?;

        Ok(Self {
            der: der.to_vec(),
            tbs: tbs.encoded.to_vec(),
            version: version + 1,
            serial: serial.value.to_vec(),
            signature_scheme: SignatureScheme::from_oid(&algorithm_oid(&outer_alg)?),
            signature,
            issuer,
            subject,
            not_before,
            not_after,
            spki: spki.encoded.to_vec(),
            key_algorithm,
            san,
        })
    }

    /// The certificate as it was parsed.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// The signed part (`tbsCertificate`), as DER.
    pub fn tbs_der(&self) -> &[u8] {
        &self.tbs
    }

    /// 1, 2 or 3.
    pub fn version(&self) -> u8 {
        self.version
    }

    /// The serial number's INTEGER content octets, as encoded.
    pub fn serial(&self) -> &[u8] {
        &self.serial
    }

    pub fn subject(&self) -> &Name {
        &self.subject
    }

    pub fn issuer(&self) -> &Name {
        &self.issuer
    }

    /// Unix seconds.
    pub fn not_before(&self) -> i64 {
        self.not_before
    }

    /// Unix seconds.
    pub fn not_after(&self) -> i64 {
        self.not_after
    }

    /// The SubjectPublicKeyInfo as DER: what WebCrypto's `importKey("spki", …)` takes.
    pub fn spki_der(&self) -> &[u8] {
        &self.spki
    }

    pub fn key_algorithm(&self) -> &KeyAlgorithm {
        &self.key_algorithm
    }

    /// The subject's public key, for [`Crypto::verify`].
    pub fn verifying_key(&self) -> VerifyingKey {
        VerifyingKey::Spki(self.spki.clone())
    }

    pub fn signature_scheme(&self) -> &SignatureScheme {
        &self.signature_scheme
    }

    /// The signature over [`Certificate::tbs_der`], as it appears in the certificate (DER
    /// `Ecdsa-Sig-Value` for ECDSA).
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// dNSName entries of subjectAltName.
    pub fn san_dns_names(&self) -> &[String] {
        &self.san.dns_names
    }

    /// iPAddress entries of subjectAltName.
    pub fn san_ip_addresses(&self) -> &[IpAddr] {
        &self.san.ip_addresses
    }

    /// Checks that `issuer` signed this certificate: the names match and the signature verifies
    /// with the issuer's key. Supports ecdsa-with-SHA256 (P-256) and sha256WithRSAEncryption,
    /// the algorithms [`Crypto`] offers. It does not check validity dates, key usage or trust.
    ///
    /// # Errors
    /// [`X509Error::IssuerMismatch`], [`X509Error::UnsupportedSignatureAlgorithm`],
    /// [`X509Error::KeyMismatch`], [`X509Error::BadSignature`], or [`X509Error::Crypto`] when
    /// the check could not run.
    pub async fn verify_issued_by(&self, issuer: &Certificate, crypto: &impl Crypto) -> Result<(), X509Error> {
        if self.issuer.der != issuer.subject.der {
            return Err(X509Error::IssuerMismatch {
                expected: self.issuer.to_rfc4514(),
                found: issuer.subject.to_rfc4514(),
            });
        }
        let key_mismatch =
            |algorithm, needed| X509Error::KeyMismatch { algorithm, needed, found: issuer.key_algorithm.to_string() };
        let (alg, signature) = match self.signature_scheme {
            SignatureScheme::EcdsaSha256 if issuer.key_algorithm == KeyAlgorithm::EcP256 => {
                (SignatureAlgorithm::Es256, ecdsa_der_to_fixed(&self.signature, 32).at("ECDSA signature")?)
            }
            SignatureScheme::EcdsaSha256 => return Err(key_mismatch("ecdsa-with-SHA256", "EC P-256")),
            SignatureScheme::RsaSha256 if issuer.key_algorithm == KeyAlgorithm::Rsa => {
                (SignatureAlgorithm::Rs256, self.signature.clone())
            }
            SignatureScheme::RsaSha256 => return Err(key_mismatch("sha256WithRSAEncryption", "RSA")),
            ref other => return Err(X509Error::UnsupportedSignatureAlgorithm(other.name().to_owned())),
        };
        match crypto.verify(alg, &issuer.verifying_key(), &self.tbs, &signature).await {
            Ok(true) => Ok(()),
            Ok(false) => Err(X509Error::BadSignature),
            Err(e) => Err(X509Error::Crypto(e)),
        }
    }
}

/// The algorithm OID of an AlgorithmIdentifier (parameters are not inspected).
fn algorithm_oid(alg: &Tlv<'_>) -> Result<String, X509Error> {
    let mut fields = alg.contents();
    der::oid_to_string(fields.read(tag::OID).at("AlgorithmIdentifier")?.value).at("AlgorithmIdentifier")
}

fn key_algorithm(spki: &Tlv<'_>) -> Result<KeyAlgorithm, X509Error> {
    const FIELD: &str = "subjectPublicKeyInfo";
    let mut fields = spki.contents();
    let alg = fields.read(tag::SEQUENCE).at(FIELD)?;
    let key = fields.read(tag::BIT_STRING).at(FIELD)?;
    fields.finish().at(FIELD)?;
    der::bit_string_octets(key.value).at(FIELD)?;
    let mut alg = alg.contents();
    let algorithm = der::oid_to_string(alg.read(tag::OID).at(FIELD)?.value).at(FIELD)?;
    Ok(match algorithm.as_str() {
        oid::EC_PUBLIC_KEY => {
            // namedCurve only; implicit or explicit curve parameters are not used in practice.
            let curve = der::oid_to_string(alg.read(tag::OID).at(FIELD)?.value).at(FIELD)?;
            if curve == oid::P256 {
                KeyAlgorithm::EcP256
            } else {
                KeyAlgorithm::Ec { curve }
            }
        }
        oid::RSA_ENCRYPTION => KeyAlgorithm::Rsa,
        oid::ED25519 => KeyAlgorithm::Ed25519,
        _ => KeyAlgorithm::Other(algorithm),
    })
}

/// Reads the extensions, refusing duplicates (RFC 5280 §4.2), and returns subjectAltName.
fn extensions(explicit: &Tlv<'_>) -> Result<SubjectAltNames, X509Error> {
    const FIELD: &str = "extensions";
    let list = der::parse_exact(explicit.value, tag::SEQUENCE).at(FIELD)?;
    let mut list = list.contents();
    let mut seen: Vec<String> = Vec::new();
    let mut san = SubjectAltNames::default();
    while !list.is_empty() {
        let mut ext = list.read(tag::SEQUENCE).at(FIELD)?.contents();
        let id = der::oid_to_string(ext.read(tag::OID).at(FIELD)?.value).at(FIELD)?;
        ext.read_optional(tag::BOOLEAN).at(FIELD)?;
        let value = ext.read(tag::OCTET_STRING).at(FIELD)?;
        ext.finish().at(FIELD)?;
        if seen.contains(&id) {
            return Err(X509Error::DuplicateExtension(id));
        }
        if id == oid::SUBJECT_ALT_NAME {
            san = subject_alt_names(value.value)?;
        }
        seen.push(id);
    }
    Ok(san)
}

fn subject_alt_names(value: &[u8]) -> Result<SubjectAltNames, X509Error> {
    const FIELD: &str = "subjectAltName";
    let names = der::parse_exact(value, tag::SEQUENCE).at(FIELD)?;
    let mut names = names.contents();
    let mut san = SubjectAltNames::default();
    while !names.is_empty() {
        let name = names.read_any().at(FIELD)?;
        match name.tag {
            // dNSName [2] IMPLICIT IA5String
            0x82 => {
                let text = der::text(&Tlv { tag: tag::IA5_STRING, ..name }).at(FIELD)?;
                san.dns_names.push(text);
            }
            // iPAddress [7] IMPLICIT OCTET STRING
            0x87 => {
                let ip = match name.value.len() {
                    4 => <[u8; 4]>::try_from(name.value).map(IpAddr::from).ok(),
                    16 => <[u8; 16]>::try_from(name.value).map(IpAddr::from).ok(),
                    _ => None,
                };
                san.ip_addresses.push(ip.ok_or(X509Error::IpAddressLength(name.value.len()))?);
            }
            _ => {} // other GeneralName forms are not used by the wallet
        }
    }
    Ok(san)
}

/// Converts a DER `Ecdsa-Sig-Value` (SEQUENCE of r, s) to the fixed-width `r || s` form JOSE
/// and WebCrypto use, each integer left-padded to `width` bytes.
pub fn ecdsa_der_to_fixed(der: &[u8], width: usize) -> Result<Vec<u8>, DerError> {
    let seq = der::parse_exact(der, tag::SEQUENCE)?;
    let mut ints = seq.contents();
    let mut out = Vec::with_capacity(2 * width);
    for _ in 0..2 {
        let int = der::unsigned_integer(ints.read(tag::INTEGER)?.value)?;
        if int.len() > width {
            return Err(DerError::Malformed("ECDSA signature (integer too large)"));
        }
        out.resize(out.len() + width - int.len(), 0);
        out.extend_from_slice(int);
    }
    ints.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests;
