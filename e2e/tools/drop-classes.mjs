// Removes JavaScript classes that a module exports but the wallet never uses, with the
// WebAssembly code behind them: a post-build step (e2e/tools/post-build.mjs).
// Leptos depends on server_fn, whose `browser` feature (always on) brings wasm-streams, and its
// `#[wasm_bindgen]` classes (IntoUnderlyingSource, …) are exports: no optimiser may drop them, nor
// the code they reach. The wallet has no server functions and streams nothing.
// Steps: the classes leave the glue, their functions leave the module's exports, wasm-opt removes
// what nothing reaches any more, and the glue's imports that the module no longer has go too.
import { readExports, readImports, wasmOpt, withExports } from './wasm-binary.mjs';

/** The module without the exports named in `drop`. */
function withoutExports(wasm, drop) {
  const exports = readExports(wasm);
  if (!exports) throw new Error('the module has no export section');
  return withExports(wasm, exports.entries.filter((e) => !drop.has(e.field)));
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

  const out = wasmOpt(withoutExports(wasm, exports), ['--remove-unused-module-elements'], 'drop-classes');

  // Imports the module lost: their functions in the glue's import object go too.
  const imported = new Set(readImports(out)?.entries.map((e) => e.field) ?? []);
  glue = glue.replace(/^ {8}(__wbg_\w+): function\([^)]*\) \{\n[\s\S]*?^ {8}\},\n/gm, (entry, name) => (imported.has(name) ? entry : ''));
  for (const name of imported) {
    if (name.startsWith('__wbg_') && !glue.includes(`${name}:`)) throw new Error(`the glue lost the import ${name}`);
  }
  return { js: glue, wasm: out, dropped: present };
}
