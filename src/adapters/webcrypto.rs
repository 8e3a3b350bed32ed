//! WebCrypto: holder keys (non-extractable P-256) and signature checks.
//!
//! Signature verification goes through the browser too: its RSA and ECDSA are already there,
//! so the bundle carries no big-number code.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, CryptoKeyPair, SubtleCrypto};

use super::js_error;
use crate::core::error::CryptoError;
use crate::core::ports::{Crypto, SignatureAlgorithm, VerifyingKey};

fn crypto() -> Result<web_sys::Crypto, CryptoError> {
    Reflect::get(&js_sys::global(), &"crypto".into())
        .ok()
        .and_then(|c| c.dyn_into::<web_sys::Crypto>().ok())
        .ok_or_else(|| CryptoError::Unavailable("no crypto object".into()))
}

/// `crypto.subtle` exists only in secure contexts (https, or http on loopback).
pub fn subtle() -> Result<SubtleCrypto, CryptoError> {
    let subtle = crypto()?.subtle();
    if subtle.is_undefined() || subtle.is_null() {
        return Err(CryptoError::Unavailable("crypto.subtle is missing (not a secure context?)".into()));
    }
    Ok(subtle)
}

pub(crate) fn object(entries: &[(&str, JsValue)]) -> Object {
    let obj = Object::new();
    for (k, v) in entries {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&obj, &JsValue::from_str(k), v);
    }
    obj
}

pub(crate) fn ecdsa_p256() -> Object {
    object(&[("name", "ECDSA".into()), ("namedCurve", "P-256".into())])
}

pub(crate) fn usages(list: &[&str]) -> Array {
    list.iter().map(|u| JsValue::from_str(u)).collect()
}

/// Creates a P-256 key pair whose private key can sign but can never be exported.
pub async fn generate_holder_key() -> Result<CryptoKeyPair, CryptoError> {
    let promise = subtle()?
        .generate_key_with_object(&ecdsa_p256(), false, &usages(&["sign", "verify"]))
        .map_err(|e| CryptoError::KeyGeneration(js_error(&e)))?;
    let pair = JsFuture::from(promise).await.map_err(|e| CryptoError::KeyGeneration(js_error(&e)))?;
    let pair: CryptoKeyPair = pair.unchecked_into();
    if pair.get_private_key().extractable() {
        return Err(CryptoError::KeyGeneration("the browser returned an extractable private key".into()));
    }
    Ok(pair)
}

/// Creates a P-256 key pair whose private key is extractable, **only** to wrap it at once with
/// the wallet lock's data key (`KeyStore` with the lock on); it is never stored unwrapped.
pub async fn generate_wrappable_holder_key() -> Result<CryptoKeyPair, CryptoError> {
    let promise = subtle()?
        .generate_key_with_object(&ecdsa_p256(), true, &usages(&["sign", "verify"]))
        .map_err(|e| CryptoError::KeyGeneration(js_error(&e)))?;
    let pair = JsFuture::from(promise).await.map_err(|e| CryptoError::KeyGeneration(js_error(&e)))?;
    Ok(pair.unchecked_into())
}

/// A holder's public key from its uncompressed SEC1 point, for a key pair record.
pub async fn import_public_key(uncompressed: &[u8]) -> Result<CryptoKey, CryptoError> {
    let promise = subtle()?.import_key_with_object("raw", &Uint8Array::from(uncompressed), &ecdsa_p256(), true, &usages(&["verify"]));
    Ok(settle(promise).await.map_err(|e| CryptoError::KeyImport(e.to_string()))?.unchecked_into())
}

/// The public key as an uncompressed SEC1 point (WebCrypto `raw`).
pub async fn export_public_raw(key: &CryptoKey) -> Result<Vec<u8>, CryptoError> {
    let promise = subtle()?.export_key("raw", key).map_err(|e| CryptoError::Other(js_error(&e)))?;
    let buffer = JsFuture::from(promise).await.map_err(|e| CryptoError::Other(js_error(&e)))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}

/// ES256: ECDSA P-256 with SHA-256; WebCrypto returns `r || s`, which is the JOSE encoding.
pub async fn sign_es256(private_key: &CryptoKey, message: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let params = object(&[("name", "ECDSA".into()), ("hash", "SHA-256".into())]);
    let promise = subtle()?
        .sign_with_object_and_u8_array(&params, private_key, message)
        .map_err(|e| CryptoError::Signing(js_error(&e)))?;
    let signature = JsFuture::from(promise).await.map_err(|e| CryptoError::Signing(js_error(&e)))?;
    Ok(Uint8Array::new(&signature).to_vec())
}

async fn import_verifying_key(alg: SignatureAlgorithm, key: &VerifyingKey) -> Result<CryptoKey, CryptoError> {
    let subtle = subtle()?;
    let (format, data, params) = match (alg, key) {
        (SignatureAlgorithm::Es256, VerifyingKey::P256(did)) => ("raw", did.to_uncompressed(), ecdsa_p256()),
        (SignatureAlgorithm::Es256, VerifyingKey::Spki(der)) => ("spki", der.clone(), ecdsa_p256()),
        (SignatureAlgorithm::Rs256, VerifyingKey::Spki(der)) => (
            "spki",
            der.clone(),
            object(&[("name", "RSASSA-PKCS1-v1_5".into()), ("hash", "SHA-256".into())]),
        ),
        (SignatureAlgorithm::Rs256, VerifyingKey::P256(_)) => {
            return Err(CryptoError::KeyImport("an RS256 signature cannot be checked with a P-256 key".into()))
        }
    };
    let data = Uint8Array::from(data.as_slice());
    let promise = subtle
        .import_key_with_object(format, &data, &params, true, &usages(&["verify"]))
        .map_err(|e| CryptoError::KeyImport(js_error(&e)))?;
    let key = JsFuture::from(promise).await.map_err(|e| CryptoError::KeyImport(js_error(&e)))?;
    Ok(key.unchecked_into())
}

/// The core's [`Crypto`] port on WebCrypto.
#[derive(Debug, Default, Clone, Copy)]
pub struct WebCrypto;

impl Crypto for WebCrypto {
    async fn verify(
        &self,
        alg: SignatureAlgorithm,
        key: &VerifyingKey,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, CryptoError> {
        let crypto_key = import_verifying_key(alg, key).await?;
        let params: Object = match alg {
            SignatureAlgorithm::Es256 => object(&[("name", "ECDSA".into()), ("hash", "SHA-256".into())]),
            SignatureAlgorithm::Rs256 => object(&[("name", "RSASSA-PKCS1-v1_5".into())]),
        };
        let promise = subtle()?
            .verify_with_object_and_u8_array_and_u8_array(&params, &crypto_key, signature, message)
            .map_err(|e| CryptoError::Other(js_error(&e)))?;
        let ok = JsFuture::from(promise).await.map_err(|e| CryptoError::Other(js_error(&e)))?;
        Ok(ok.as_bool() == Some(true))
    }

    async fn sha256(&self, data: &[u8]) -> Result<[u8; 32], CryptoError> {
        let promise = subtle()?
            .digest_with_str_and_u8_array("SHA-256", data)
            .map_err(|e| CryptoError::Other(js_error(&e)))?;
        let digest = JsFuture::from(promise).await.map_err(|e| CryptoError::Other(js_error(&e)))?;
        let digest = Uint8Array::new(&digest).to_vec();
        digest.try_into().map_err(|_| CryptoError::Other("SHA-256 digest is not 32 bytes".into()))
    }

    fn random_bytes(&self, len: usize) -> Result<Vec<u8>, CryptoError> {
        let mut out = vec![0u8; len];
        // getRandomValues fills at most 65536 bytes per call.
        for chunk in out.chunks_mut(65536) {
            crypto()?
                .get_random_values_with_u8_array(chunk)
                .map_err(|e| CryptoError::Other(js_error(&e)))?;
        }
        Ok(out)
    }
}

pub(crate) async fn settle(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, CryptoError> {
    let promise = promise.map_err(|e| CryptoError::Other(js_error(&e)))?;
    JsFuture::from(promise).await.map_err(|e| CryptoError::Other(js_error(&e)))
}

/// ECDH-ES and AES-GCM for encrypted authorization responses (`direct_post.jwt`).
impl crate::core::oid4vp::JweCrypto for WebCrypto {
    async fn ecdh_p256_ephemeral(&self, recipient_uncompressed: &[u8]) -> Result<crate::core::oid4vp::EcdhOutput, CryptoError> {
        let subtle = subtle()?;
        let ecdh = || object(&[("name", "ECDH".into()), ("namedCurve", "P-256".into())]);
        // The ephemeral key lives only for this answer; its public half is sent in the header.
        let pair: CryptoKeyPair = settle(subtle.generate_key_with_object(&ecdh(), true, &usages(&["deriveBits"])))
            .await?
            .unchecked_into();
        let recipient: CryptoKey = settle(subtle.import_key_with_object(
            "raw",
            &Uint8Array::from(recipient_uncompressed),
            &ecdh(),
            false,
            &Array::new(),
        ))
        .await
        .map_err(|e| CryptoError::KeyImport(e.to_string()))?
        .unchecked_into();
        let params = object(&[("name", "ECDH".into()), ("public", recipient.into())]);
        let secret = settle(subtle.derive_bits_with_object(&params, &pair.get_private_key(), 256)).await?;
        let public = settle(subtle.export_key("raw", &pair.get_public_key())).await?;
        Ok(crate::core::oid4vp::EcdhOutput {
            ephemeral_public: Uint8Array::new(&public).to_vec(),
            shared_secret: Uint8Array::new(&secret).to_vec(),
        })
    }

    async fn aes_gcm_encrypt(&self, key: &[u8], iv: &[u8], aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let subtle = subtle()?;
        let aes = object(&[("name", "AES-GCM".into())]);
        let key: CryptoKey = settle(subtle.import_key_with_object("raw", &Uint8Array::from(key), &aes, false, &usages(&["encrypt"])))
            .await?
            .unchecked_into();
        let params = object(&[
            ("name", "AES-GCM".into()),
            ("iv", Uint8Array::from(iv).into()),
            ("additionalData", Uint8Array::from(aad).into()),
            ("tagLength", 128.into()),
        ]);
        let sealed = settle(subtle.encrypt_with_object_and_u8_array(&params, &key, plaintext)).await?;
        Ok(Uint8Array::new(&sealed).to_vec())
    }
}
