//! Verifiable credentials as the wallet receives them: `jwt_vc_json` (a JWT whose `vc` claim,
//! or whose whole payload, is a W3C credential), sealed by an issuer with an eIDAS certificate
//! (`x5c`, JAdES) or signed with a did:key.

pub mod dates;

#[cfg(test)]
pub(crate) mod test_support;
