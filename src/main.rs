#[cfg(target_arch = "wasm32")]
fn main() {
    dome_wallet::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The wallet runs in the browser: build it with `trunk build --release` (see README).");
}
