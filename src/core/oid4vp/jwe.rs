//! Encrypted answers for `direct_post.jwt`: a compact JWE (RFC 7516) with `alg: ECDH-ES` (direct
//! key agreement, RFC 7518 §4.6) to the verifier's P-256 key and `enc: A128GCM` or `A256GCM`.
//!
//! The platform does the elliptic-curve and AES work through [`JweCrypto`] (WebCrypto in the
//! browser); the Concat KDF is built here on [`Crypto::sha256`]. `apu` is a fresh wallet nonce
//! and `apv` the request's `nonce`, as oid4vc-ts (Credo's library) sends them; the verifier reads
//! both from the protected header, so any value decrypts.

use crate::core::quote::quoted;
use std::fmt;

use serde_json::{Map, Value};

use super::kind;
use crate::core::did_key::DidKey;
use crate::core::encoding::{b64url_decode, b64url_encode};
use crate::core::error::CryptoError;
use crate::core::json;
use crate::core::ports::Crypto;

/// The platform's half of ECDH-ES + AES-GCM.
#[allow(async_fn_in_trait)]
pub trait JweCrypto {
    /// Makes a fresh ephemeral P-256 key pair, agrees a secret with `recipient` (an uncompressed
    /// SEC1 point, `04 || x || y`, already checked to lie on the curve) and forgets the private half.
    async fn ecdh_p256_ephemeral(&self, recipient: &[u8]) -> Result<EcdhOutput, CryptoError>;

    /// AES-GCM with a 16- or 32-byte key and a 12-byte IV; returns ciphertext followed by the
    /// 16-byte tag (what WebCrypto's `encrypt` gives).
    async fn aes_gcm_encrypt(
        &self,
        key: &[u8],
        iv: &[u8],
        aad: &[u8],
        plaintext: &[u8],
    ) -> Result<Vec<u8>, CryptoError>;
}

/// The result of an ephemeral-static ECDH.
pub struct EcdhOutput {
    /// The ephemeral public key, uncompressed SEC1 (65 bytes).
    pub ephemeral_public: Vec<u8>,
    /// The shared secret Z: the x coordinate of the agreed point (32 bytes).
    pub shared_secret: Vec<u8>,
}

impl fmt::Debug for EcdhOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EcdhOutput")
            .field("ephemeral_public", &self.ephemeral_public)
            .field("shared_secret", &"[redacted]")
            .finish()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JweError {
    #[error("client_metadata.jwks holds no P-256 key for ECDH-ES")]
    NoKey,
    #[error("key agreement {q0} is not supported (supported: ECDH-ES)", q0 = quoted(.0))]
    UnsupportedAlg(String),
    #[error("none of the content encryptions {q0} is supported (supported: A128GCM, A256GCM)", q0 = quoted(.0))]
    UnsupportedEnc(Vec<String>),
    #[error("malformed encryption key: {0}")]
    BadKey(String),
    #[error("{0}")]
    Crypto(CryptoError),
}

impl From<CryptoError> for JweError {
    fn from(e: CryptoError) -> Self {
        Self::Crypto(e)
    }
}

/// The content encryption algorithms the wallet offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentEncryption {
    A128Gcm,
    A256Gcm,
}

impl ContentEncryption {
    pub fn name(self) -> &'static str {
        match self {
            Self::A128Gcm => "A128GCM",
            Self::A256Gcm => "A256GCM",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        match name {
            "A128GCM" => Some(Self::A128Gcm),
            "A256GCM" => Some(Self::A256Gcm),
            _ => None,
        }
    }

    fn key_len(self) -> usize {
        match self {
            Self::A128Gcm => 16,
            Self::A256Gcm => 32,
        }
    }
}

/// The verifier's key to encrypt to, from `client_metadata.jwks`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptionKey {
    kid: Option<String>,
    key: DidKey,
}

/// Most keys a `jwks` may hold.
const MAX_KEYS: usize = 16;

/// Chooses the key and content encryption from the verifier's metadata: 1.0 reads the JWK's `alg`
/// and `encrypted_response_enc_values_supported` (default `A128GCM`); drafts named them
/// `authorization_encrypted_response_alg` and `authorization_encrypted_response_enc`.
pub fn select(client_metadata: &Map<String, Value>) -> Result<(EncryptionKey, ContentEncryption), JweError> {
    if let Some(alg) = client_metadata.get("authorization_encrypted_response_alg") {
        if alg.as_str() != Some("ECDH-ES") {
            return Err(JweError::UnsupportedAlg(alg.as_str().unwrap_or(kind(alg)).chars().take(40).collect()));
        }
    }
    let keys = match client_metadata.get("jwks").and_then(|j| j.get("keys")) {
        Some(Value::Array(keys)) if keys.len() <= MAX_KEYS => keys,
        Some(Value::Array(_)) => return Err(JweError::BadKey(format!("more than {MAX_KEYS} keys"))),
        _ => return Err(JweError::NoKey),
    };
    let usable = |jwk: &&Value| {
        let s = |name: &str| jwk.get(name).and_then(Value::as_str);
        s("kty") == Some("EC")
            && s("crv") == Some("P-256")
            && matches!(s("use"), None | Some("enc"))
            && matches!(s("alg"), None | Some("ECDH-ES"))
    };
    // A key marked `use: enc` wins over one without `use`.
    let jwk = keys
        .iter()
        .filter(usable)
        .find(|jwk| jwk.get("use").and_then(Value::as_str) == Some("enc"))
        .or_else(|| keys.iter().find(usable))
        .ok_or_else(|| match keys.iter().find_map(|k| k.get("alg").and_then(Value::as_str)) {
            Some(alg) if alg != "ECDH-ES" => JweError::UnsupportedAlg(alg.chars().take(40).collect()),
            _ => JweError::NoKey,
        })?;
    let coordinate = |name: &str| -> Result<Vec<u8>, JweError> {
        let bytes = jwk
            .get(name)
            .and_then(Value::as_str)
            .and_then(|v| b64url_decode(v).ok())
            .ok_or_else(|| JweError::BadKey(format!("\"{name}\" is missing or not base64url")))?;
        if bytes.len() != 32 {
            return Err(JweError::BadKey(format!("\"{name}\" has {} bytes; P-256 needs 32", bytes.len())));
        }
        Ok(bytes)
    };
    let mut sec1 = vec![4u8];
    sec1.extend(coordinate("x")?);
    sec1.extend(coordinate("y")?);
    let key = DidKey::from_sec1(&sec1).map_err(|e| JweError::BadKey(e.to_string()))?;
    let kid = jwk.get("kid").and_then(Value::as_str).map(|k| k.chars().take(256).collect());
    Ok((EncryptionKey { kid, key }, select_enc(client_metadata)?))
}

fn select_enc(client_metadata: &Map<String, Value>) -> Result<ContentEncryption, JweError> {
    let names: Vec<String> = match (
        client_metadata.get("encrypted_response_enc_values_supported"),
        client_metadata.get("authorization_encrypted_response_enc"),
    ) {
        (Some(Value::Array(list)), _) => list.iter().take(16).filter_map(Value::as_str).map(str::to_owned).collect(),
        (None, Some(Value::String(one))) => vec![one.clone()],
        (None, None) => return Ok(ContentEncryption::A128Gcm),
        (Some(other), _) | (None, Some(other)) => vec![kind(other).to_owned()],
    };
    // The verifier lists its preference first.
    names
        .iter()
        .find_map(|n| ContentEncryption::from_name(n))
        .ok_or_else(|| JweError::UnsupportedEnc(names.into_iter().map(|n| n.chars().take(40).collect()).collect()))
}

impl EncryptionKey {
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }
}

/// Encrypts `payload` to `key` as a compact JWE. `apu` and `apv` go into the header and the KDF.
pub async fn encrypt(
    payload: &[u8],
    key: &EncryptionKey,
    enc: ContentEncryption,
    apu: &[u8],
    apv: &[u8],
    crypto: &impl Crypto,
    platform: &impl JweCrypto,
) -> Result<String, JweError> {
    let agreed = platform.ecdh_p256_ephemeral(&key.key.to_uncompressed()).await?;
    // The platform's ephemeral key is checked like any other point before it goes on the wire.
    let ephemeral =
        DidKey::from_sec1(&agreed.ephemeral_public).map_err(|e| JweError::BadKey(format!("ephemeral key: {e}")))?;
    let (x, y) = ephemeral.coordinates();
    let epk = json::object(&mut [
        ("kty", "EC".into()),
        ("crv", "P-256".into()),
        ("x", b64url_encode(&x).into()),
        ("y", b64url_encode(&y).into()),
    ]);
    let mut header = json::object(&mut [
        ("alg", "ECDH-ES".into()),
        ("enc", enc.name().into()),
        ("epk", epk),
        ("apu", b64url_encode(apu).into()),
        ("apv", b64url_encode(apv).into()),
    ]);
    if let (Some(kid), Some(map)) = (&key.kid, header.as_object_mut()) {
        map.insert("kid".into(), Value::from(kid.as_str()));
    }
    let protected = b64url_encode(json::write(&header).as_bytes());
    let cek = concat_kdf(&agreed.shared_secret, enc, apu, apv, crypto).await?;
    let iv = crypto.random_bytes(12)?;
    let sealed = platform.aes_gcm_encrypt(&cek, &iv, protected.as_bytes(), payload).await?;
    let split = sealed
        .len()
        .checked_sub(16)
        .ok_or_else(|| JweError::Crypto(CryptoError::Other("AES-GCM output shorter than its tag".into())))?;
    let (ciphertext, tag) = sealed.split_at(split);
    Ok(format!("{protected}..{}.{}.{}", b64url_encode(&iv), b64url_encode(ciphertext), b64url_encode(tag)))
}

/// The Concat KDF of NIST SP 800-56A as RFC 7518 §4.6.2 uses it for direct key agreement: one
/// SHA-256 round suffices for keys up to 256 bits. AlgorithmID is the `enc` name.
pub(crate) async fn concat_kdf(
    z: &[u8],
    enc: ContentEncryption,
    apu: &[u8],
    apv: &[u8],
    crypto: &impl Crypto,
) -> Result<Vec<u8>, JweError> {
    fn with_length(out: &mut Vec<u8>, data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        out.extend(data);
    }
    let key_len = enc.key_len();
    let mut input = Vec::with_capacity(4 + z.len() + 64 + apu.len() + apv.len());
    input.extend(1u32.to_be_bytes()); // round counter
    input.extend(z);
    with_length(&mut input, enc.name().as_bytes());
    with_length(&mut input, apu);
    with_length(&mut input, apv);
    input.extend(((key_len * 8) as u32).to_be_bytes()); // SuppPubInfo: key length in bits
    let digest = crypto.sha256(&input).await?;
    Ok(digest.iter().take(key_len).copied().collect())
}

/// Software ECDH and AES-GCM for native tests and tools; the browser uses WebCrypto.
#[cfg(not(target_arch = "wasm32"))]
pub mod native {
    use aes_gcm::aead::{Aead, Payload};
    use aes_gcm::{Aes128Gcm, Aes256Gcm, KeyInit, Nonce};
    use p256::elliptic_curve::sec1::ToEncodedPoint;
    use rand_core::OsRng;

    use super::{EcdhOutput, JweCrypto};
    use crate::core::error::CryptoError;

    #[derive(Debug, Default, Clone, Copy)]
    pub struct NativeJwe;

    impl JweCrypto for NativeJwe {
        async fn ecdh_p256_ephemeral(&self, recipient: &[u8]) -> Result<EcdhOutput, CryptoError> {
            let recipient =
                p256::PublicKey::from_sec1_bytes(recipient).map_err(|e| CryptoError::KeyImport(e.to_string()))?;
            let secret = p256::ecdh::EphemeralSecret::random(&mut OsRng);
            let shared = secret.diffie_hellman(&recipient);
            Ok(EcdhOutput {
                ephemeral_public: secret.public_key().to_encoded_point(false).as_bytes().to_vec(),
                shared_secret: shared.raw_secret_bytes().to_vec(),
            })
        }

        async fn aes_gcm_encrypt(
            &self,
            key: &[u8],
            iv: &[u8],
            aad: &[u8],
            plaintext: &[u8],
        ) -> Result<Vec<u8>, CryptoError> {
            let iv: [u8; 12] = iv
                .try_into()
                .map_err(|_| CryptoError::Other(format!("AES-GCM IV of {} bytes; expected 12", iv.len())))?;
            let payload = Payload { msg: plaintext, aad };
            let nonce = &Nonce::from(iv);
            let sealed = match key.len() {
                16 => Aes128Gcm::new_from_slice(key)
                    .map_err(|e| CryptoError::KeyImport(e.to_string()))?
                    .encrypt(nonce, payload),
                32 => Aes256Gcm::new_from_slice(key)
                    .map_err(|e| CryptoError::KeyImport(e.to_string()))?
                    .encrypt(nonce, payload),
                n => return Err(CryptoError::KeyImport(format!("AES key of {n} bytes"))),
            };
            sealed.map_err(|e| CryptoError::Other(e.to_string()))
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use aes_gcm::aead::{Aead, Payload};
    use aes_gcm::{Aes128Gcm, Aes256Gcm, KeyInit, Nonce};

    use serde_json::json;

    use super::native::NativeJwe;
    use super::*;
    use crate::core::native::NativeCrypto;
    use crate::core::testing::block_on;

    /// Decrypts a compact ECDH-ES JWE with the recipient's private key, as a verifier would.
    pub fn decrypt(jwe: &str, recipient: &p256::SecretKey) -> (Value, Vec<u8>) {
        let parts: Vec<&str> = jwe.split('.').collect();
        assert_eq!(parts.len(), 5, "compact JWE");
        assert_eq!(parts[1], "", "no encrypted key with direct key agreement");
        let header: Value = serde_json::from_slice(&b64url_decode(parts[0]).unwrap()).unwrap();
        let epk = &header["epk"];
        let mut sec1 = vec![4u8];
        sec1.extend(b64url_decode(epk["x"].as_str().unwrap()).unwrap());
        sec1.extend(b64url_decode(epk["y"].as_str().unwrap()).unwrap());
        let ephemeral = p256::PublicKey::from_sec1_bytes(&sec1).unwrap();
        let z = p256::ecdh::diffie_hellman(recipient.to_nonzero_scalar(), ephemeral.as_affine());
        let enc = ContentEncryption::from_name(header["enc"].as_str().unwrap()).unwrap();
        let apu = b64url_decode(header["apu"].as_str().unwrap_or("")).unwrap();
        let apv = b64url_decode(header["apv"].as_str().unwrap_or("")).unwrap();
        let cek = block_on(concat_kdf(z.raw_secret_bytes(), enc, &apu, &apv, &NativeCrypto)).unwrap();
        let iv: [u8; 12] = b64url_decode(parts[2]).unwrap().try_into().unwrap();
        let mut sealed = b64url_decode(parts[3]).unwrap();
        sealed.extend(b64url_decode(parts[4]).unwrap());
        let payload = Payload { msg: &sealed, aad: parts[0].as_bytes() };
        let plain = match enc {
            ContentEncryption::A128Gcm => Aes128Gcm::new_from_slice(&cek).unwrap().decrypt(&Nonce::from(iv), payload),
            ContentEncryption::A256Gcm => Aes256Gcm::new_from_slice(&cek).unwrap().decrypt(&Nonce::from(iv), payload),
        };
        (header, plain.expect("the tag verifies"))
    }

    /// A verifier's encryption JWK for `secret`.
    pub fn public_jwk(secret: &p256::SecretKey, kid: &str) -> Value {
        use p256::elliptic_curve::sec1::ToEncodedPoint;
        let point = secret.public_key().to_encoded_point(false);
        json!({"kty": "EC", "crv": "P-256", "use": "enc", "alg": "ECDH-ES", "kid": kid,
               "x": b64url_encode(point.x().unwrap()), "y": b64url_encode(point.y().unwrap())})
    }

    fn metadata(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn concat_kdf_matches_rfc7518_appendix_c() {
        // RFC 7518 Appendix C: ECDH-ES with A128GCM, apu "Alice", apv "Bob".
        let z: [u8; 32] = [
            158, 86, 217, 29, 129, 113, 53, 211, 114, 131, 66, 131, 191, 132, 38, 156, 251, 49, 110, 163, 218, 128,
            106, 72, 246, 218, 167, 121, 140, 254, 144, 196,
        ];
        let cek = block_on(concat_kdf(&z, ContentEncryption::A128Gcm, b"Alice", b"Bob", &NativeCrypto)).unwrap();
        assert_eq!(b64url_encode(&cek), "VqqN6vgjbSBcIijNcacQGg");
    }

    #[test]
    fn round_trips_with_both_content_encryptions() {
        let secret = p256::SecretKey::random(&mut rand_core::OsRng);
        for (meta, enc) in [
            (json!({"jwks": {"keys": [public_jwk(&secret, "k1")]}}), "A128GCM"),
            (
                json!({"jwks": {"keys": [public_jwk(&secret, "k1")]}, "encrypted_response_enc_values_supported": ["A256GCM", "A128GCM"]}),
                "A256GCM",
            ),
            (
                json!({"jwks": {"keys": [public_jwk(&secret, "k1")]}, "authorization_encrypted_response_alg": "ECDH-ES", "authorization_encrypted_response_enc": "A256GCM"}),
                "A256GCM",
            ),
            // Credo 1.0 lists a CBC suite first; the wallet takes the first it supports.
            (
                json!({"jwks": {"keys": [public_jwk(&secret, "k1")]}, "encrypted_response_enc_values_supported": ["A128CBC-HS256", "A128GCM"]}),
                "A128GCM",
            ),
        ] {
            let (key, chosen) = select(&metadata(meta)).unwrap();
            assert_eq!(chosen.name(), enc);
            let jwe = block_on(encrypt(
                br#"{"vp_token":"x"}"#,
                &key,
                chosen,
                b"wallet-nonce",
                b"nonce-1",
                &NativeCrypto,
                &NativeJwe,
            ))
            .unwrap();
            let (header, plain) = decrypt(&jwe, &secret);
            assert_eq!(plain, br#"{"vp_token":"x"}"#);
            assert_eq!(header["alg"], "ECDH-ES");
            assert_eq!(header["enc"], enc);
            assert_eq!(header["kid"], "k1");
            assert_eq!(header["apv"], b64url_encode(b"nonce-1"));
        }
    }

    #[test]
    fn prefers_an_enc_key_and_refuses_what_it_cannot_use() {
        let secret = p256::SecretKey::random(&mut rand_core::OsRng);
        let mut sig = public_jwk(&p256::SecretKey::random(&mut rand_core::OsRng), "sig");
        sig.as_object_mut().unwrap().remove("use");
        let (key, _) = select(&metadata(json!({"jwks": {"keys": [sig, public_jwk(&secret, "enc")]}}))).unwrap();
        assert_eq!(key.kid(), Some("enc"));

        assert_eq!(select(&metadata(json!({}))), Err(JweError::NoKey));
        let rsa = json!({"kty": "RSA", "n": "AQAB", "e": "AQAB", "use": "enc", "alg": "RSA-OAEP-256"});
        assert_eq!(
            select(&metadata(json!({"jwks": {"keys": [rsa]}}))),
            Err(JweError::UnsupportedAlg("RSA-OAEP-256".into()))
        );
        let jwk = public_jwk(&secret, "k");
        assert_eq!(
            select(&metadata(
                json!({"jwks": {"keys": [jwk.clone()]}, "encrypted_response_enc_values_supported": ["A128CBC-HS256"]})
            )),
            Err(JweError::UnsupportedEnc(vec!["A128CBC-HS256".into()]))
        );
        assert_eq!(
            select(&metadata(
                json!({"jwks": {"keys": [jwk.clone()]}, "authorization_encrypted_response_alg": "ECDH-ES+A128KW"})
            )),
            Err(JweError::UnsupportedAlg("ECDH-ES+A128KW".into()))
        );
        let mut off_curve = jwk;
        off_curve["y"] = Value::from(b64url_encode(&[7u8; 32]));
        assert!(matches!(select(&metadata(json!({"jwks": {"keys": [off_curve]}}))), Err(JweError::BadKey(_))));
    }
}
