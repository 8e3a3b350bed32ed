//! Entry point of the engine worker (see `dome_wallet::engine`).
#[cfg(target_arch = "wasm32")]
fn main() {
    dome_wallet::engine::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The engine runs in the browser as a Web Worker: build it with `trunk build --release`.");
}
