//! What is scanned, pasted or opened: `Invocation::parse`, then what each kind of link carries
//! (an offer by value, or a presentation request's parameters).
#![no_main]
use dome_wallet::core::invocation::Invocation;
use dome_wallet::core::oid4vci::OfferSource;
use dome_wallet::core::oid4vp::AuthorizationRequest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for wallet in [Some("https://wallet.example.eu"), Some("http://127.0.0.1:8080/base/"), None] {
        match Invocation::parse(text, wallet) {
            Ok(Invocation::PresentationRequest(params)) => {
                let pairs: Vec<(String, String)> = params.iter().map(|(k, v)| (k.to_owned(), v.to_owned())).collect();
                if let Ok(request) = AuthorizationRequest::parse(&pairs) {
                    let _ = (request.client_id(), request.request_uri());
                }
            }
            Ok(Invocation::CredentialOffer(OfferSource::ByValue(offer))) => {
                let _ = (offer.credential_issuer().origin(), offer.configuration_ids(), offer.grant().tx_code());
            }
            Ok(Invocation::CredentialOffer(OfferSource::ByReference(url))) => {
                let _ = (url.origin(), url.well_known_inserted("openid-credential-issuer"), url.well_known_suffix("x"));
            }
            Ok(Invocation::NotAWalletRequest { shown }) => assert!(shown.chars().count() <= 121),
            Err(e) => {
                let _ = dome_wallet::core::Error::from(e).user_message();
            }
        }
    }
});
