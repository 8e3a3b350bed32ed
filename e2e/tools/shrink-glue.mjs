// Makes a wasm-bindgen module pair (its JavaScript glue and its WebAssembly) smaller, without
// changing what either does: a post-build step (e2e/tools/post-build.mjs).
// 1. Import names. wasm-bindgen names every import `__wbg_<name>_<16 hex digits>`, and the names
//    stand twice, as the keys of the glue's import object and in the module's import section. The
//    hashes do not compress: about a fifth of the glue's brotli bytes. Each becomes a short name.
// 2. The glue is minified (terser: whitespace, local names, dead branches); property names and
//    the module's exports stay as they are.
import { minify } from 'terser';
import { leb, name, readImports, section } from './wasm-binary.mjs';

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
  const importSection = section(2, Buffer.concat([
    leb(imports.entries.length),
    ...imports.entries.map((e) => Buffer.concat([name(e.module), name(renamed.get(e.field) ?? e.field), e.desc])),
  ]));
  const out = Buffer.concat([wasm.subarray(0, imports.sectionStart), importSection, wasm.subarray(imports.sectionEnd)]);
  const min = await minify(glue, { module: !/^\s*let wasm_bindgen/m.test(glue), compress: { passes: 2 }, mangle: true, format: { comments: false } });
  if (!min.code) throw new Error('terser returned no code');
  return { js: min.code, wasm: out, renamed: renamed.size };
}
