//! Software implementations of the core's ports, for native tests, fuzzing and tools.
//! The browser never uses these: it has WebCrypto and non-extractable keys.

use std::cell::RefCell;
use std::collections::HashMap;

use p256::ecdsa::signature::{Signer as _, Verifier as _};
use p256::pkcs8::DecodePublicKey;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use super::did_key::DidKey;
use super::error::{CryptoError, Error};
use super::ports::{Crypto, HolderKeys, SignatureAlgorithm, VerifyingKey};

#[derive(Debug, Default, Clone, Copy)]
pub struct NativeCrypto;

impl Crypto for NativeCrypto {
    async fn verify(
        &self,
        alg: SignatureAlgorithm,
        key: &VerifyingKey,
        message: &[u8],
        signature: &[u8],
    ) -> Result<bool, CryptoError> {
        match (alg, key) {
            (SignatureAlgorithm::Es256, VerifyingKey::P256(did)) => {
                let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(&did.to_uncompressed())
                    .map_err(|e| CryptoError::KeyImport(e.to_string()))?;
                Ok(verify_p256(&key, message, signature))
            }
            (SignatureAlgorithm::Es256, VerifyingKey::Spki(der)) => {
                let key = p256::ecdsa::VerifyingKey::from_public_key_der(der)
                    .map_err(|e| CryptoError::KeyImport(e.to_string()))?;
                Ok(verify_p256(&key, message, signature))
            }
            (SignatureAlgorithm::Rs256, VerifyingKey::Spki(der)) => {
                let key = rsa::RsaPublicKey::from_public_key_der(der)
                    .map_err(|e| CryptoError::KeyImport(e.to_string()))?;
                let key = rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key);
                let Ok(signature) = rsa::pkcs1v15::Signature::try_from(signature) else {
                    return Ok(false);
                };
                Ok(key.verify(message, &signature).is_ok())
            }
            (SignatureAlgorithm::Rs256, VerifyingKey::P256(_)) => {
                Err(CryptoError::KeyImport("an RS256 signature cannot be checked with a P-256 key".into()))
            }
        }
    }

    async fn sha256(&self, data: &[u8]) -> Result<[u8; 32], CryptoError> {
        Ok(Sha256::digest(data).into())
    }

    fn random_bytes(&self, len: usize) -> Result<Vec<u8>, CryptoError> {
        let mut out = vec![0u8; len];
        OsRng.fill_bytes(&mut out);
        Ok(out)
    }
}

fn verify_p256(key: &p256::ecdsa::VerifyingKey, message: &[u8], signature: &[u8]) -> bool {
    match p256::ecdsa::Signature::from_slice(signature) {
        Ok(signature) => key.verify(message, &signature).is_ok(),
        Err(_) => false,
    }
}

/// Holder keys kept in memory, for tests.
#[derive(Default)]
pub struct SoftwareKeys {
    keys: RefCell<HashMap<String, p256::ecdsa::SigningKey>>,
}

impl HolderKeys for SoftwareKeys {
    async fn create_key(&self) -> Result<DidKey, Error> {
        let key = p256::ecdsa::SigningKey::random(&mut OsRng);
        let did = DidKey::from_sec1(key.verifying_key().to_encoded_point(false).as_bytes())?;
        self.keys.borrow_mut().insert(did.as_str().to_owned(), key);
        Ok(did)
    }

    async fn sign_es256(&self, key: &DidKey, message: &[u8]) -> Result<Vec<u8>, Error> {
        let keys = self.keys.borrow();
        let signing = keys
            .get(key.as_str())
            .ok_or_else(|| CryptoError::UnknownKey(key.as_str().to_owned()))?;
        let signature: p256::ecdsa::Signature = signing.sign(message);
        Ok(signature.to_bytes().to_vec())
    }
}
