//! Entry point of the QR reader's worker (see `worker.rs`), started by the Scan page.

/// talc instead of Rust's default dlmalloc, as in the engine (src/engine_main.rs): 1.4 KB (brotli)
/// less. The interface keeps dlmalloc, where talc measured larger.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
fn main() {
    dome_wallet_qr::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The QR reader runs in the browser as a Web Worker: build it with `trunk build --release`.");
}
