//! Entry point of the QR reader's worker (see `worker.rs`), started by the Scan page.
#[cfg(target_arch = "wasm32")]
fn main() {
    dome_wallet_qr::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The QR reader runs in the browser as a Web Worker: build it with `trunk build --release`.");
}
