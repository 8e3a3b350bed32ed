// Makes a wasm-bindgen module pair (its JavaScript glue and its WebAssembly) smaller, without
// changing what either does: a post-build step (e2e/tools/post-build.mjs).
// 1. Import names. wasm-bindgen names every import `__wbg_<name>_<16 hex digits>`, and the names
//    stand twice, as the keys of the glue's import object and in the module's import section. The
//    hashes do not compress: about a fifth of the glue's brotli bytes. Each becomes a short name.
// 2. The glue is minified (terser: whitespace, local names, dead branches); property names and
//    the module's exports stay as they are.
// 3. The module's custom sections go (producers, target_features, Leptos' __wasm_split_unstable):
//    the browser reads none of them, and they weigh about 0.2 KB (brotli) a module.
import { minify } from 'terser';

/** Reads the import section of a WebAssembly module: its entries with their byte ranges. */
export function readImports(wasm) {
  let pos = 8;
  const u32 = () => {
    let r = 0, shift = 0, b;
    do { b = wasm[pos++]; r |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
    return r >>> 0;
  };
  const text = () => { const n = u32(); const s = Buffer.from(wasm.subarray(pos, pos + n)).toString('utf8'); pos += n; return s; };
  while (pos < wasm.length) {
    const sectionStart = pos;
    const id = wasm[pos++];
    const size = u32();
    const start = pos;
    if (id !== 2) { pos = start + size; continue; }
    const entries = [];
    const count = u32();
    for (let i = 0; i < count; i++) {
      const module = text();
      const field = text();
      const descStart = pos;
      const kind = wasm[pos++];
      if (kind === 0) u32();                                        // function: type index
      else if (kind === 1) { pos++; const flags = wasm[pos++]; u32(); if (flags & 1) u32(); } // table
      else if (kind === 2) { const flags = wasm[pos++]; u32(); if (flags & 1) u32(); }        // memory
      else if (kind === 3) pos += 2;                                 // global: type, mutability
      else if (kind === 4) { pos++; u32(); }                          // tag
      else throw new Error(`unknown import kind ${kind}`);
      entries.push({ module, field, desc: wasm.subarray(descStart, pos) });
    }
    if (pos !== start + size) throw new Error('import section not read to its end');
    return { sectionStart, sectionEnd: start + size, entries };
  }
  return null;
}

export const leb = (n) => { const out = []; do { let b = n & 0x7f; n >>>= 7; if (n) b |= 0x80; out.push(b); } while (n); return Buffer.from(out); };
/** The module without its custom sections (id 0), which never change what it does. */
export function withoutCustomSections(wasm) {
  const kept = [wasm.subarray(0, 8)];
  let pos = 8;
  while (pos < wasm.length) {
    const sectionStart = pos++;
    let size = 0, shift = 0, b;
    do { b = wasm[pos++]; size += (b & 0x7f) * 2 ** shift; shift += 7; } while (b & 0x80);
    pos += size;
    if (pos > wasm.length) throw new Error('a section runs past the end of the module');
    if (wasm[sectionStart] !== 0) kept.push(wasm.subarray(sectionStart, pos));
  }
  return Buffer.concat(kept);
}

const name = (s) => { const b = Buffer.from(s, 'utf8'); return Buffer.concat([leb(b.length), b]); };

/** Short identifiers: a, b, …, Z, aa, ab, … */
function shortName(i) {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let s = '';
  do { s = letters[i % letters.length] + s; i = Math.floor(i / letters.length) - 1; } while (i >= 0);
  return '_' + s; // never a JavaScript keyword, never one of wasm-bindgen's own names
}

const escape = (s) => s.replace(/[$.*+?()[\]{}|^\\]/g, '\\$&');

/** Returns the glue and the module with short import names and the glue minified. Throws if the
 *  glue does not look as expected, so that a change of wasm-bindgen stops the build. */
export async function shrinkGlue(js, wasm) {
  const imports = readImports(wasm);
  if (!imports) throw new Error('the module has no import section');
  const renamed = new Map();
  let next = 0;
  for (const { field } of imports.entries) {
    if (renamed.has(field) || !/^__wbg_\w+$/.test(field)) continue;
    // Each import stands once in the glue, as a key of the import object (`name: function`).
    const uses = js.match(new RegExp(`(?<![\\w$])${escape(field)}(?![\\w$])`, 'g')) ?? [];
    const keys = js.match(new RegExp(`(?<![\\w$])${escape(field)}:`, 'g')) ?? [];
    if (uses.length !== 1 || keys.length !== 1) throw new Error(`import ${field} stands ${uses.length} times in the glue`);
    renamed.set(field, shortName(next++));
  }
  let glue = js;
  for (const [from, to] of renamed) glue = glue.replace(new RegExp(`(?<![\\w$])${escape(from)}:`), `${to}:`);
  const section = Buffer.concat([
    leb(imports.entries.length),
    ...imports.entries.map((e) => Buffer.concat([name(e.module), name(renamed.get(e.field) ?? e.field), e.desc])),
  ]);
  const out = Buffer.concat([
    wasm.subarray(0, imports.sectionStart), Buffer.from([2]), leb(section.length), section, wasm.subarray(imports.sectionEnd),
  ]);
  const min = await minify(glue, { module: !/^\s*let wasm_bindgen/m.test(glue), compress: { passes: 2 }, mangle: true, format: { comments: false } });
  if (!min.code) throw new Error('terser returned no code');
  return { js: min.code, wasm: withoutCustomSections(out), renamed: renamed.size };
}
