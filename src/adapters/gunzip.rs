//! GZIP through the browser's own `DecompressionStream`, behind the core's `Gunzip` port.
//!
//! The output is read chunk by chunk and the stream cancelled as soon as it exceeds the limit,
//! so a small input that expands enormously is refused without being held in memory.

use js_sys::{Array, Reflect, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, ReadableStream, ReadableStreamDefaultReader, ReadableWritablePair, WritableStream};

use crate::core::gzip::GzipError;
use crate::core::ports::Gunzip;

// web-sys has `DecompressionStream` only behind `--cfg=web_sys_unstable_apis`.
#[wasm_bindgen]
extern "C" {
    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &DecompressionStream) -> ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &DecompressionStream) -> WritableStream;
}

#[derive(Debug, Default, Clone, Copy)]
pub struct BrowserGzip;

impl Gunzip for BrowserGzip {
    async fn gunzip(&self, data: &[u8], limit: usize) -> Result<Vec<u8>, GzipError> {
        let corrupt = |_| GzipError::Corrupt;
        let gzip = DecompressionStream::new("gzip").map_err(corrupt)?;
        let parts: Array = [JsValue::from(Uint8Array::from(data))].into_iter().collect();
        let blob = Blob::new_with_u8_array_sequence(&parts).map_err(corrupt)?;
        let pair = ReadableWritablePair::new(&gzip.readable(), &gzip.writable());
        let reader: ReadableStreamDefaultReader = blob.stream().pipe_through(&pair).get_reader().unchecked_into();
        let mut out = Vec::new();
        loop {
            let chunk = JsFuture::from(reader.read()).await.map_err(corrupt)?;
            if Reflect::get(&chunk, &"done".into()).ok().and_then(|d| d.as_bool()) == Some(true) {
                return Ok(out);
            }
            let bytes: Uint8Array = Reflect::get(&chunk, &"value".into()).map_err(corrupt)?.unchecked_into();
            if out.len() + bytes.length() as usize > limit {
                let _ = reader.cancel();
                return Err(GzipError::TooLarge { limit });
            }
            out.extend(bytes.to_vec());
        }
    }
}
