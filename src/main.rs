// The interface keeps Rust's default allocator (dlmalloc): talc, which the engine uses, measured
// 0.2 KB (brotli) larger here.
#[cfg(all(target_arch = "wasm32", feature = "ui"))]
fn main() {
    dome_wallet::app::start();
}

#[cfg(not(all(target_arch = "wasm32", feature = "ui")))]
fn main() {
    eprintln!("The wallet runs in the browser: build it with `trunk build --release` (see README).");
}
