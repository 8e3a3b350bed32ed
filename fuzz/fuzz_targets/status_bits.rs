//! What a status check reads from the network: the GZIP member of an `encodedList` and the bits
//! in it (any index, any entry size), DOME's legacy plain list, and a trusted issuers registry's
//! answer. The first byte chooses which.
#![no_main]

use dome_wallet::core::credential::status_list::{Bitstring, PlainList};
use dome_wallet::core::{gzip, tir};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    match first % 3 {
        0 => {
            if let Ok(bytes) = gzip::decompress(rest, 1 << 20) {
                let bits = Bitstring::from_bytes(bytes);
                let size = 1 + first / 32;
                for index in [0, 1, 7, 8, bits.len() / 2, bits.len().saturating_sub(1), bits.len(), u64::MAX / 2, u64::MAX] {
                    let _ = bits.get(index, size);
                }
            }
        }
        1 => {
            let _ = PlainList::parse(rest);
        }
        _ => {
            let _ = tir::read_issuer(rest, "did:elsi:VATES-B60645900");
        }
    }
});
