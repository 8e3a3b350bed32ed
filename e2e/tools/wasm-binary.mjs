// Reading and writing the parts of a WebAssembly module that the post-build steps change
// (e2e/tools/drop-classes.mjs, shrink-glue.mjs, order-functions.mjs), and running wasm-opt on one.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** An unsigned LEB128 number. */
export const leb = (n) => { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return Buffer.from(out); };

/** A name as the binary format writes it: its length, then its UTF-8 bytes. */
export const name = (s) => { const b = Buffer.from(s, 'utf8'); return Buffer.concat([leb(b.length), b]); };

/** A section: its id, then its length and `body`. */
export const section = (id, body) => Buffer.concat([Buffer.from([id]), leb(body.length), body]);

/** Reads numbers, names and bytes from `wasm`, starting at `pos`. */
export function reader(wasm, pos) {
  return {
    get pos() { return pos; },
    set pos(p) { pos = p; },
    u32() { let r = 0, shift = 0, b; do { b = wasm[pos++]; r |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80); return r >>> 0; },
    name() { const n = this.u32(); const s = Buffer.from(wasm.subarray(pos, pos + n)).toString('utf8'); pos += n; return s; },
    byte() { return wasm[pos++]; },
  };
}

/** The sections of a module: `{ id, start, bodyStart, end }` each. */
export function sections(wasm) {
  const out = [];
  const r = reader(wasm, 8);
  while (r.pos < wasm.length) {
    const start = r.pos;
    const id = r.byte();
    const size = r.u32();
    out.push({ id, start, bodyStart: r.pos, end: r.pos + size });
    r.pos += size;
  }
  if (out.length > 0 && out[out.length - 1].end > wasm.length) throw new Error('a section runs past the end of the module');
  return out;
}

/** Reads the import section of a module: its entries with their byte ranges, or null. */
export function readImports(wasm) {
  const found = sections(wasm).find((s) => s.id === 2);
  if (!found) return null;
  const r = reader(wasm, found.bodyStart);
  const entries = [];
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const module = r.name();
    const field = r.name();
    const descStart = r.pos;
    const kind = r.byte();
    if (kind === 0) r.u32();                                                   // function: type index
    else if (kind === 1) { r.byte(); const flags = r.byte(); r.u32(); if (flags & 1) r.u32(); } // table
    else if (kind === 2) { const flags = r.byte(); r.u32(); if (flags & 1) r.u32(); }           // memory
    else if (kind === 3) r.pos += 2;                                           // global: type, mutability
    else if (kind === 4) { r.byte(); r.u32(); }                                 // tag
    else throw new Error(`unknown import kind ${kind}`);
    entries.push({ module, field, kind, desc: wasm.subarray(descStart, r.pos) });
  }
  if (r.pos !== found.end) throw new Error('import section not read to its end');
  return { sectionStart: found.start, sectionEnd: found.end, entries };
}

/** Reads the export section of a module: its entries (name, and the bytes after it), or null. */
export function readExports(wasm) {
  const found = sections(wasm).find((s) => s.id === 7);
  if (!found) return null;
  const r = reader(wasm, found.bodyStart);
  const entries = [];
  const count = r.u32();
  for (let i = 0; i < count; i++) {
    const field = r.name();
    const descStart = r.pos;
    r.byte();
    r.u32();
    entries.push({ field, desc: wasm.subarray(descStart, r.pos) });
  }
  if (r.pos !== found.end) throw new Error('export section not read to its end');
  return { sectionStart: found.start, sectionEnd: found.end, entries };
}

/** The module with its export section made of `entries` (`{ field, desc }`, as `readExports`). */
export function withExports(wasm, entries) {
  const found = sections(wasm).find((s) => s.id === 7);
  if (!found) throw new Error('the module has no export section');
  const body = Buffer.concat([leb(entries.length), ...entries.map((e) => Buffer.concat([name(e.field), e.desc]))]);
  return Buffer.concat([wasm.subarray(0, found.start), section(7, body), wasm.subarray(found.end)]);
}

/** The module without its custom sections (id 0), which never change what it does. */
export function withoutCustomSections(wasm) {
  return Buffer.concat([wasm.subarray(0, 8), ...sections(wasm).filter((s) => s.id !== 0).map((s) => wasm.subarray(s.start, s.end))]);
}

/** The features the wallet's modules use (they name them in their target_features section too). */
const WASM_FEATURES = ['--enable-reference-types', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals', '--enable-multivalue'];

/** Runs wasm-opt (the pinned one on PATH) with `args` on `wasm`, and returns its output. */
export function wasmOpt(wasm, args, label = 'wasm-opt') {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `${label}-`));
  try {
    const input = path.join(tmp, 'in.wasm');
    const output = path.join(tmp, 'out.wasm');
    fs.writeFileSync(input, wasm);
    execFileSync('wasm-opt', [input, ...args, ...WASM_FEATURES, '-o', output], { stdio: 'pipe' });
    return fs.readFileSync(output);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
