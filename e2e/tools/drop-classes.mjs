// Removes JavaScript classes that a module exports but the wallet never uses, with the
// WebAssembly code behind them: a post-build step (e2e/tools/post-build.mjs).
// Leptos depends on server_fn, whose `browser` feature (always on) brings wasm-streams, and its
// `#[wasm_bindgen]` classes (IntoUnderlyingSource, …) are exports: no optimiser may drop them, nor
// the code they reach. The wallet has no server functions and streams nothing.
// Steps: the classes leave the glue, their functions leave the module's exports, wasm-opt removes
// what nothing reaches any more, and the glue's imports that the module no longer has go too.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { leb, readImports } from './shrink-glue.mjs';

const WASM_FEATURES = ['--enable-reference-types', '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext', '--enable-mutable-globals'];

/** The sections of a module: `{ id, start, end, bodyStart }` each. */
function sections(wasm) {
  const out = [];
  let pos = 8;
  while (pos < wasm.length) {
    const start = pos;
    const id = wasm[pos++];
    let size = 0, shift = 0, b;
    do { b = wasm[pos++]; size |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80);
    out.push({ id, start, bodyStart: pos, end: pos + size });
    pos += size;
  }
  return out;
}

function reader(wasm, pos) {
  return {
    get pos() { return pos; },
    u32() { let r = 0, shift = 0, b; do { b = wasm[pos++]; r |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80); return r >>> 0; },
    name() { const n = this.u32(); const s = Buffer.from(wasm.subarray(pos, pos + n)).toString('utf8'); pos += n; return s; },
    byte() { return wasm[pos++]; },
  };
}

/** The module without the exports named in `drop`. */
function withoutExports(wasm, drop) {
  const section = sections(wasm).find((s) => s.id === 7);
  if (!section) throw new Error('the module has no export section');
  const r = reader(wasm, section.bodyStart);
  const count = r.u32();
  const kept = [];
  for (let i = 0; i < count; i++) {
    const from = r.pos;
    const name = r.name();
    r.byte();
    r.u32();
    if (!drop.has(name)) kept.push(wasm.subarray(from, r.pos));
  }
  const body = Buffer.concat([leb(kept.length), ...kept]);
  return Buffer.concat([wasm.subarray(0, section.start), Buffer.from([7]), leb(body.length), body, wasm.subarray(section.end)]);
}

/** Removes the classes named in `classes` (when the glue has them) from wasm-bindgen's
 *  unminified glue `js` and its module `wasm`. Throws when the glue does not look as expected,
 *  so that a change of wasm-bindgen stops the build. */
export function dropClasses(js, wasm, classes) {
  let glue = js;
  const exports = new Set();
  const cut = (re, what) => {
    const found = glue.match(re);
    if (!found) throw new Error(`the glue has no ${what}`);
    for (const m of found[0].matchAll(/\bwasm\.(\w+)/g)) exports.add(m[1]);
    glue = glue.replace(re, '');
  };
  const present = classes.filter((c) => new RegExp(`^export class ${c} \\{$`, 'm').test(glue));
  if (present.length === 0) return { js, wasm, dropped: [] };
  for (const c of present) {
    cut(new RegExp(`^export class ${c} \\{\\n[\\s\\S]*?^\\}\\n`, 'm'), `class ${c}`);
    cut(new RegExp(`^if \\(Symbol\\.dispose\\) ${c}\\.prototype\\[Symbol\\.dispose\\] = ${c}\\.prototype\\.free;\\n`, 'm'), `dispose line of ${c}`);
    cut(new RegExp(`^const ${c}Finalization = [\\s\\S]*?\\);\\n`, 'm'), `finalization registry of ${c}`);
    if (new RegExp(`\\b${c}\\b`).test(glue)) throw new Error(`${c} is still used in the glue`);
  }

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'drop-classes-'));
  let out;
  try {
    const input = path.join(tmp, 'in.wasm');
    const output = path.join(tmp, 'out.wasm');
    fs.writeFileSync(input, withoutExports(wasm, exports));
    execFileSync('wasm-opt', [input, '--remove-unused-module-elements', ...WASM_FEATURES, '-o', output], { stdio: 'pipe' });
    out = fs.readFileSync(output);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }

  // Imports the module lost: their functions in the glue's import object go too.
  const imported = new Set(readImports(out)?.entries.map((e) => e.field) ?? []);
  glue = glue.replace(/^ {8}(__wbg_\w+): function\([^)]*\) \{\n[\s\S]*?^ {8}\},\n/gm, (entry, name) => (imported.has(name) ? entry : ''));
  for (const name of imported) {
    if (name.startsWith('__wbg_') && !glue.includes(`${name}:`)) throw new Error(`the glue lost the import ${name}`);
  }
  return { js: glue, wasm: out, dropped: present };
}
