// The post-build steps' WebAssembly tools (e2e/tools/), on made-up bodies and on the built bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chain, orderFunctions } from '../tools/order-functions.mjs';
import { shrinkGlue } from '../tools/shrink-glue.mjs';
import { textIds, toArrays } from '../tools/i18n-arrays.mjs';
import { leb, name, readImports, section, sections, withoutCustomSections } from '../tools/wasm-binary.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = path.join(root, 'dist');

test('the chain starts with the largest function, visits each once, and puts alike ones together', () => {
  const a = Buffer.from('0123456789abcdefghij');
  const b = Buffer.from('zyxwvutsrqponmlk');
  const code = [b, Buffer.from('0123456789abcdefghiX'), Buffer.from('zyxwvutsrqponmlX'), a, Buffer.from('..')];
  const order = chain(code);
  assert.deepEqual([...order].sort(), [0, 1, 2, 3, 4]);
  assert.equal(order[0], 1, 'ties in size go to the earlier function');
  assert.equal(order[1], 3, 'the body most like the first comes next');
  assert.deepEqual(order.slice(2, 4).sort(), [0, 2]);
  assert.deepEqual(chain(code), order, 'the same bodies give the same order');
});

/** A module of three empty functions and a memory, importing `imported` and exporting `exported`
 *  (functions, in order, then the memory as `memory`). */
function madeUpModule(imported, exported) {
  const vec = (items) => Buffer.concat([leb(items.length), ...items]);
  const func = (field, index) => Buffer.concat([name(field), Buffer.from([0]), leb(index)]);
  return Buffer.concat([
    Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]),
    section(1, vec([Buffer.from([0x60, 0, 0])])),
    section(2, vec([Buffer.concat([name('./x_bg.js'), name(imported), Buffer.from([0, 0])])])),
    section(3, vec([leb(0), leb(0), leb(0)])),
    section(5, vec([Buffer.from([0, 1])])),
    section(7, vec([...exported.map((field, i) => func(field, i + 1)), Buffer.concat([name('memory'), Buffer.from([2, 0])])])),
    section(10, vec([0, 1, 2].map(() => Buffer.from([2, 0, 0x0b])))),
  ]);
}

test('the glue and the module get short names, and exports the glue never uses are dropped', async () => {
  const closure = 'wasm_bindgen_0a1b2c___convert__closures_____invoke___x';
  const wasm = madeUpModule('__wbg_log_0123456789abcdef', ['main', '__wbindgen_malloc', closure]);
  assert.ok(WebAssembly.validate(wasm));
  const glue = `let wasm;
export function run() { const imports = { __wbg_log_0123456789abcdef: function() { console.log(1); } };
  wasm.__wbindgen_malloc(8); wasm.${closure}(); return imports; }
export function set(m) { wasm = m; }`;
  const out = await shrinkGlue(glue, wasm);
  assert.ok(WebAssembly.validate(out.wasm));
  const module = await WebAssembly.compile(out.wasm);
  const exports = WebAssembly.Module.exports(module).map((e) => e.name);
  assert.equal(exports.length, 3, `main is dropped: ${exports}`);
  assert.ok(exports.includes('memory'));
  const short = exports.filter((e) => e !== 'memory');
  assert.ok(short.every((e) => /^_x[a-zA-Z]+$/.test(e)), `${short}`);
  for (const e of short) assert.ok(out.js.includes(`.${e}(`), `the glue calls ${e}`);
  for (const gone of ['__wbindgen_malloc', closure, '__wbg_log_0123456789abcdef']) assert.ok(!out.js.includes(gone), gone);
  assert.deepEqual(WebAssembly.Module.imports(module).map((i) => i.name), ['_a']);
});

test('the built modules: ordered again they stay valid, with the same imports and exports', async (t) => {
  const modules = fs.readdirSync(dist).filter((f) => f.endsWith('_bg.wasm'));
  assert.ok(modules.length >= 2, 'the interface and the engine module');
  for (const file of modules) {
    const wasm = fs.readFileSync(path.join(dist, file));
    assert.ok(!sections(wasm).some((s) => s.id === 0), `${file} ships without custom sections`);
    const again = withoutCustomSections(orderFunctions(wasm));
    assert.ok(WebAssembly.validate(again), `${file} is valid once ordered`);
    const before = await WebAssembly.compile(wasm);
    const after = await WebAssembly.compile(again);
    assert.deepEqual(WebAssembly.Module.exports(after), WebAssembly.Module.exports(before));
    assert.deepEqual(WebAssembly.Module.imports(after), WebAssembly.Module.imports(before));
    assert.equal(readImports(again).entries.length, readImports(wasm).entries.length);
    // Only the order changes: the code is as large as before, within the renumbering's bytes.
    const code = (m) => sections(m).find((s) => s.id === 10);
    const size = (m) => code(m).end - code(m).bodyStart;
    assert.ok(Math.abs(size(again) - size(wasm)) < size(wasm) / 100, `${file}: ${size(wasm)} → ${size(again)} bytes of code`);
  }
});

test('translations are served as arrays in the order of the text ids', () => {
  const source = fs.readFileSync(path.join(root, 'src', 'i18n', 'mod.rs'), 'utf8');
  const sections = { shell: textIds(source, 'Key'), journey: textIds(source, 'Msg') };
  assert.equal(sections.shell[0], 'AppName');
  for (const lang of ['ca', 'de', 'es', 'fr', 'it']) {
    const named = JSON.parse(fs.readFileSync(path.join(root, 'public', 'i18n', `${lang}.json`), 'utf8'));
    const served = JSON.parse(fs.readFileSync(path.join(dist, 'i18n', `${lang}.json`), 'utf8'));
    assert.deepEqual(served, toArrays(named, sections), `${lang}: dist/i18n is the source in id order`);
    for (const [section, ids] of Object.entries(sections)) {
      // The files are complete (a native test keeps them so): every id has its text, in place.
      assert.deepEqual([...ids].sort(), Object.keys(named[section]).sort(), `${lang} ${section}`);
      ids.forEach((id, i) => assert.equal(served[section][i], named[section][id], `${lang} ${section} ${id}`));
    }
  }
  assert.throws(() => toArrays({ shell: { NoSuchText: 'x' } }, sections), /NoSuchText/);
  assert.deepEqual(toArrays({ shell: { AppName: 'W' } }, { shell: ['AppName', 'NavScan'] }), { shell: ['W', null] });
  assert.throws(() => textIds('pub enum Key {\n    a b,\n}\n', 'Key'), /cannot read/);
});
