// Trunk post-build hook: makes the bundle deployable under a strict Content-Security-Policy and
// cacheable for ever.
// 1. Trunk's inline start-up script moves into a hashed file (script-src 'self', no inline).
// 2. The engine worker's files (Trunk does not hash them) get content hashes; index.html names its
//    loader in <meta name="wallet-engine">, where the interface looks for it.
// 3. The service worker gets the list of files to keep for offline use, and a version.
//    Translations (i18n/<lang>.json) are kept when first used; they are written as arrays in the
//    order of the wallet's text ids first (e2e/tools/i18n-arrays.mjs).
// Before all that, classes the wallet never uses leave the interface module (e2e/tools/drop-classes.mjs),
// and each module's JavaScript glue is minified and its imports and closure exports get short
// names (e2e/tools/shrink-glue.mjs): 15 KB (brotli) less in all. Last, each module's functions
// are ordered so that similar ones stand together (e2e/tools/order-functions.mjs, 4.6 KB less),
// and its custom sections go.
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { minify } from 'terser';
import { fileURLToPath } from 'node:url';
import { dropClasses } from './drop-classes.mjs';
import { textIds, toArrays } from './i18n-arrays.mjs';
import { orderFunctions } from './order-functions.mjs';
import { shrinkGlue } from './shrink-glue.mjs';
import { withoutCustomSections } from './wasm-binary.mjs';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set (run as a Trunk hook)');
const file = (name) => path.join(dir, name);
const hash = (data) => crypto.createHash('sha256').update(data).digest('hex').slice(0, 16);
const sri = (data) => 'sha384-' + crypto.createHash('sha384').update(data).digest('base64');

let html = fs.readFileSync(file('index.html'), 'utf8');
// Worker modules, built by Trunk as `<name>.js`, `<name>_bg.wasm`, `<name>_loader.js`.
const WORKERS = ['engine'];

// 0. Smaller glue and import names, for the interface (named in index.html, with integrity) and
//    the engine worker (hashed below, after this).
async function shrink(js, wasm, unusedClasses = []) {
  let glue = fs.readFileSync(file(js), 'utf8');
  let module = fs.readFileSync(file(wasm));
  if (unusedClasses.length > 0) ({ js: glue, wasm: module } = dropClasses(glue, module, unusedClasses));
  const out = await shrinkGlue(glue, module);
  // Then similar functions next to each other (e2e/tools/order-functions.mjs), and no custom
  // sections (producers, target_features: the browser reads none of them; 0.2 KB a module).
  const ordered = withoutCustomSections(orderFunctions(out.wasm));
  for (const [name, data] of [[js, out.js], [wasm, ordered]]) {
    const before = sri(fs.readFileSync(file(name)));
    fs.writeFileSync(file(name), data);
    html = html.replaceAll(`integrity="${before}"`, `integrity="${sri(data)}"`);
  }
}
const ui = /href="\/(dome-wallet-[0-9a-f]+)\.js"/.exec(html);
if (!ui) throw new Error('index.html names no dome-wallet-<hash>.js');
// wasm-streams' classes, which Leptos brings and the wallet never uses (e2e/tools/drop-classes.mjs).
await shrink(`${ui[1]}.js`, `${ui[1]}_bg.wasm`, ['IntoUnderlyingByteSource', 'IntoUnderlyingSink', 'IntoUnderlyingSource']);
for (const worker of WORKERS) await shrink(`${worker}.js`, `${worker}_bg.wasm`);

// 1. The start-up script.
let inline = 0;
html = html.replace(/<script type="module">([\s\S]*?)<\/script>/g, (_, code) => {
  inline += 1;
  const body = code.replace(/^\s*window\.wasmBindings = bindings;\s*$/m, '').trim() + '\n';
  const name = `boot-${hash(body)}.js`;
  fs.writeFileSync(file(name), body);
  return `<script type="module" src="/${name}" integrity="${sri(body)}" crossorigin="anonymous"></script>`;
});
if (inline !== 1) throw new Error(`expected one inline start-up script in index.html, found ${inline}`);

// 2. Content hashes for the worker modules.
for (const worker of WORKERS) {
  const wasm = fs.readFileSync(file(`${worker}_bg.wasm`));
  const h = hash(wasm);
  const js = fs.readFileSync(file(`${worker}.js`), 'utf8');
  const jsName = `${worker}-${h}.js`;
  const wasmName = `${worker}-${h}_bg.wasm`;
  fs.writeFileSync(file(wasmName), wasm);
  fs.writeFileSync(file(jsName), js);
  const loader = fs.readFileSync(file(`${worker}_loader.js`), 'utf8')
    .replace(`./${worker}.js`, `./${jsName}`)
    .replace(`./${worker}_bg.wasm`, `./${wasmName}`);
  if (!loader.includes(jsName) || !loader.includes(wasmName)) throw new Error(`unexpected ${worker}_loader.js: ${loader}`);
  const loaderName = `${worker}-loader-${h}.js`;
  fs.writeFileSync(file(loaderName), loader);
  for (const old of [`${worker}.js`, `${worker}_bg.wasm`, `${worker}_loader.js`]) fs.rmSync(file(old));
  html = html.replace('</head>', `<meta name="wallet-${worker}" content="/${loaderName}">\n</head>`);
}
fs.writeFileSync(file('index.html'), html);

// 2b. Translations as arrays in the order of the wallet's text ids (e2e/tools/i18n-arrays.mjs).
const i18nSource = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'i18n', 'mod.rs'), 'utf8');
const textSections = { shell: textIds(i18nSource, 'Key'), journey: textIds(i18nSource, 'Msg') };
for (const name of fs.readdirSync(file('i18n')).filter((f) => f.endsWith('.json'))) {
  const texts = JSON.parse(fs.readFileSync(file(path.join('i18n', name)), 'utf8'));
  fs.writeFileSync(file(path.join('i18n', name)), JSON.stringify(toArrays(texts, textSections)));
}

// 3. The service worker: a version that changes with any file, and the start page's files to keep
//    at install (workers are kept when first used).
const all = fs.readdirSync(dir, { recursive: true }).filter((f) => f !== 'sw.js' && fs.statSync(file(f)).isFile()).sort();
const version = hash(all.map((a) => a + hash(fs.readFileSync(file(a)))).join('\n'));
// Translations (i18n/) are kept when first used, like the workers: a user needs one of them.
const startPage = all.filter((a) => a !== 'index.html' && !a.includes('/') && !WORKERS.some((w) => a.startsWith(`${w}-`)));
const sw = fs.readFileSync(file('sw.js'), 'utf8')
  .replace("'__VERSION__'", JSON.stringify(version))
  .replace("['__ASSETS__']", JSON.stringify(['/', ...startPage.map((a) => '/' + a)]));
if (sw.includes('__VERSION__') || sw.includes('__ASSETS__')) throw new Error('sw.js template placeholders not replaced');
fs.writeFileSync(file('sw.js'), (await minify(sw, { compress: true, mangle: true })).code);
