//! Verifiable credentials as the wallet receives them: `jwt_vc_json` (a JWT whose `vc` claim,
//! or whose whole payload, is a W3C credential), sealed by an issuer with an eIDAS certificate
//! (`x5c`, JAdES) or signed with a did:key.
//!
//! - [`jwt_vc`]: the unverified, typed view of a credential JWT (claims, credential, validity,
//!   holder).
//! - [`verify`]: the checks a credential passes before the wallet stores it.
//! - [`mandate`]: the LEARCredential data model (mandator, mandatee, powers) in all DOME versions.
//! - [`status`]: `credentialStatus` entries; [`status_list`]: fetching, verifying and reading
//!   the lists they point at; [`standing`]: where a stored credential stands (valid, expired,
//!   revoked…); [`dates`]: the date formats credentials use.

pub mod dates;
pub mod jwt_vc;
pub mod mandate;
pub mod standing;
pub mod status;
pub mod status_list;
pub mod summary;
pub mod verify;

#[cfg(test)]
pub(crate) mod test_support;

pub use jwt_vc::{JwtVc, Validity, Vc};
pub use mandate::{CredentialData, Mandate};
pub use verify::{
    verify_credential, verify_signature_only, CredentialError, Expectations, IssuerInfo, IssuerKey, VerifiedCredential,
};

use serde_json::Value;

/// What kind of JSON value arrived, for error messages (never the value itself).
pub(crate) fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
