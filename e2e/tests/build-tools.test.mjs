// The post-build steps' WebAssembly tools (e2e/tools/), on made-up bodies and on the built bundle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chain, orderFunctions } from '../tools/order-functions.mjs';
import { readImports, sections, withoutCustomSections } from '../tools/wasm-binary.mjs';

const dist = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');

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
