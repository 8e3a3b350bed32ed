//! Credential issuer metadata and authorization server metadata, checked against the issuer
//! they were fetched for.
#![no_main]
use dome_wallet::core::net::PeerUrl;
use dome_wallet::core::oid4vci::{AuthServerMetadata, IssuerMetadata};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let issuer = PeerUrl::parse_identifier("https://issuer.example.org/issuer").expect("a valid identifier");
    let offered = ["LEARCredentialEmployee".to_owned(), "Other".to_owned()];
    for ids in [&offered[..1], &offered[..]] {
        if let Ok(metadata) = IssuerMetadata::from_json(data, &issuer, ids) {
            let _ = (metadata.credential_endpoint(), metadata.nonce_endpoint(), metadata.notification_endpoint());
            let _ = (metadata.deferred_credential_endpoint(), metadata.authorization_servers(), metadata.display_for("es-ES"));
            for id in ids {
                if let Some(config) = metadata.configuration(id) {
                    let _ = (config.unsupported_reason(), config.name_for("en"), config.specific_types(), config.needs_proof());
                    let _ = (config.display_for("fr"), config.jwt_proof_algs(), config.scope(), config.format());
                }
            }
        }
    }
    if let Ok(server) = AuthServerMetadata::from_json(data, &issuer) {
        let _ = (server.issuer(), server.token_endpoint());
    }
});
