// Makes a wasm-bindgen module pair (its JavaScript glue and its WebAssembly) smaller, without
// changing what either does: a post-build step (e2e/tools/post-build.mjs).
// 1. Import names. wasm-bindgen names every import `__wbg_<name>_<16 hex digits>`, and the names
//    stand twice, as the keys of the glue's import object and in the module's import section. The
//    hashes do not compress: about a fifth of the glue's brotli bytes. Each becomes a short name.
// 2. Export names. wasm-bindgen names the functions that call Rust closures after their types
//    (`wasm_bindgen_<hash>___convert__closures_____invoke___…`, up to 300 characters of paths and
//    hashes), again twice: in the module's export section and in the glue. Each gets a short name,
//    as do its runtime's exports (`__wbindgen_malloc`, called at every string handed to Rust, …).
//    Exports the glue never names (Rust's `main`, the abort handler, wasm-split's marker, the
//    unused `__wbindgen_free`) are dropped: only the glue uses the module's exports.
// 3. The glue is minified (terser: whitespace, local names, dead branches, arrow functions);
//    property names and the other exports stay as they are.
import { minify } from 'terser';
import { leb, name, readExports, readImports, section, withExports } from './wasm-binary.mjs';

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
  let out = Buffer.concat([wasm.subarray(0, imports.sectionStart), importSection, wasm.subarray(imports.sectionEnd)]);
  const exports = readExports(out);
  if (!exports) throw new Error('the module has no export section');
  const taken = new Set(exports.entries.map((e) => e.field));
  let nextExport = 0;
  const exportName = () => {
    let n;
    do n = `_x${shortName(nextExport++).slice(1)}`; while (taken.has(n));
    return n;
  };
  const entries = exports.entries.flatMap((e) => {
    if (e.field === 'memory') return [e];
    // The glue uses an export as a property of the module's exports (`wasm.<name>`).
    const uses = glue.match(new RegExp(`\\bwasm\\.${escape(e.field)}(?![\\w$])`, 'g')) ?? [];
    const quoted = new RegExp(`['"\`]${escape(e.field)}|${escape(e.field)}['"\`]`).test(glue);
    if (/^wasm_bindgen_[0-9a-f]+___\w+$/.test(e.field)) {
      // A closure export's name also stands for its JavaScript wrapper function (local, so
      // minified), never in a string.
      if (uses.length === 0 || quoted) throw new Error(`export ${e.field}: ${uses.length} uses as wasm.${e.field}${quoted ? ', and a string' : ''}`);
    } else {
      const elsewhere = new RegExp(`(?<![\\w$])${escape(e.field)}(?![\\w$])`).test(glue.replace(/\bwasm\.[\w$]+/g, ''));
      if (quoted || elsewhere) return [e];
      if (uses.length === 0) return [];
      if (!/^__(wbindgen|externref)_\w+$/.test(e.field)) return [e];
    }
    const field = exportName();
    glue = glue.replace(new RegExp(`\\bwasm\\.${escape(e.field)}(?![\\w$])`, 'g'), `wasm.${field}`);
    return [{ field, desc: e.desc }];
  });
  out = withExports(out, entries);
  // Arrow functions and method shorthand for the glue's function expressions: wasm-bindgen's glue
  // never calls them with `new` (nor relies on their prototype); terser keeps a function whose body
  // uses `this` or `arguments` (the wrappers that catch exceptions) as it is.
  const min = await minify(glue, {
    module: !/^\s*let wasm_bindgen/m.test(glue),
    ecma: 2020,
    compress: { passes: 3, unsafe_arrows: true, unsafe_methods: true },
    mangle: true,
    format: { comments: false },
  });
  if (!min.code) throw new Error('terser returned no code');
  return { js: min.code, wasm: out, renamed: renamed.size };
}
