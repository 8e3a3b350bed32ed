// Where the bytes of a WebAssembly module go: function bodies by name and by crate, and data.
// Needs a module with a "name" section (build with names kept, see bench/). Replaces twiggy,
// whose 0.7 parser panics on modules with reference types.
//   node e2e/tools/wasm-sizes.mjs module.wasm [--top 20] [--json]
import fs from 'node:fs';

export function analyse(bytes) {
  let pos = 8;
  const u32 = () => { let r = 0, s = 0, b; do { b = bytes[pos++]; r |= (b & 0x7f) << s; s += 7; } while (b & 0x80); return r >>> 0; };
  const sections = [];
  let importedFuncs = 0;
  const bodies = [];
  const names = new Map();
  let dataBytes = 0;
  while (pos < bytes.length) {
    const id = bytes[pos++];
    const size = u32();
    const start = pos;
    const end = pos + size;
    let name = null;
    if (id === 0) {
      const len = u32();
      name = Buffer.from(bytes.subarray(pos, pos + len)).toString();
      pos += len;
      if (name === 'name') {
        while (pos < end) {
          const sub = bytes[pos++];
          const subSize = u32();
          const subEnd = pos + subSize;
          if (sub === 1) {
            const count = u32();
            for (let i = 0; i < count; i++) {
              const idx = u32(); const l = u32();
              names.set(idx, Buffer.from(bytes.subarray(pos, pos + l)).toString()); pos += l;
            }
          }
          pos = subEnd;
        }
      }
    } else if (id === 2) {
      const count = u32();
      for (let i = 0; i < count; i++) {
        for (let k = 0; k < 2; k++) { const l = u32(); pos += l; }
        const kind = bytes[pos++];
        if (kind === 0) { u32(); importedFuncs++; }
        else if (kind === 1) { pos++; const f = bytes[pos++]; u32(); if (f & 1) u32(); }
        else if (kind === 2) { const f = bytes[pos++]; u32(); if (f & 1) u32(); }
        else if (kind === 3) { pos += 2; }
        else if (kind === 4) { pos++; u32(); }
      }
    } else if (id === 10) {
      const count = u32();
      for (let i = 0; i < count; i++) { const s = u32(); bodies.push({ index: importedFuncs + i, size: s }); pos += s; }
    } else if (id === 11) {
      dataBytes = size;
    }
    sections.push({ id, name, size });
    pos = end;
  }
  const functions = bodies.map((b) => ({ name: names.get(b.index) ?? `func[${b.index}]`, size: b.size }));
  return { total: bytes.length, sections, functions, dataBytes };
}

/** The crate a (demangled or mangled) Rust symbol belongs to, roughly. */
export function crateOf(name) {
  let n = name.replace(/^_ZN/, '').replace(/^<+/, '');
  const m = /^(?:\d+)?([A-Za-z_][A-Za-z0-9_]*)/.exec(n);
  if (!m) return '?';
  let c = m[1];
  if (/^(impl|dyn|_)$/.test(c)) return '?';
  return c;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = process.argv[2];
  const top = Number(process.argv[process.argv.indexOf('--top') + 1]) || 20;
  const r = analyse(fs.readFileSync(file));
  const byCrate = new Map();
  for (const f of r.functions) byCrate.set(crateOf(f.name), (byCrate.get(crateOf(f.name)) ?? 0) + f.size);
  const crates = [...byCrate].sort((a, b) => b[1] - a[1]);
  const fns = [...r.functions].sort((a, b) => b.size - a.size);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ total: r.total, data: r.dataBytes, crates: crates.slice(0, top), functions: fns.slice(0, top) }));
  } else {
    console.log(`module ${r.total} bytes; data section ${r.dataBytes} bytes; code in ${r.functions.length} functions`);
    console.log('\nby crate (function bodies):');
    for (const [c, s] of crates.slice(0, top)) console.log(`  ${String(s).padStart(8)}  ${c}`);
    console.log('\nlargest functions:');
    for (const f of fns.slice(0, top)) console.log(`  ${String(f.size).padStart(8)}  ${f.name.slice(0, 140)}`);
  }
}
