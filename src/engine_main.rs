//! Entry point of the engine worker (see `dome_wallet::engine`).

/// talc instead of Rust's default dlmalloc: ~2 KB (brotli) less engine. It grows the heap as
/// needed and, like dlmalloc, never gives WebAssembly memory back (linear memory cannot shrink);
/// freed blocks are binned by size and merged with free neighbours.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
fn main() {
    dome_wallet::engine::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The engine runs in the browser as a Web Worker: build it with `trunk build --release`.");
}
