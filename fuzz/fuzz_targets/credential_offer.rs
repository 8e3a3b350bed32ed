//! The credential offer (by value, or fetched by reference) and its PIN (`tx_code`) spec.
#![no_main]
use dome_wallet::core::oid4vci::CredentialOffer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(offer) = CredentialOffer::from_json(data) else { return };
    let _ = (offer.credential_issuer().host(), offer.configuration_ids(), offer.grant().legacy_user_pin());
    let _ = offer.grant().authorization_server().map(|a| a.origin());
    if let Some(spec) = offer.grant().tx_code() {
        let _ = (spec.length(), spec.input_mode(), spec.description());
        for pin in ["", "1234", "123456789012345678901234567890123456789012345678901234567890123456789", "ab cd", "١٢٣٤"] {
            let _ = spec.validate(pin);
        }
    }
});
