// The wallet's benchmark: prints figures (it passes or fails nothing) and writes them to
// bench/results/latest.json so runs can be compared between commits.
//   node bench/run.mjs [--runs 5] [--out bench/results/latest.json]
// Needs the release bundle in dist/ (scripts/bench builds it).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from '../e2e/node_modules/playwright-core/index.mjs';
import { startServers } from '../e2e/serve.mjs';
import { measureJourneys, measureManyCredentials } from './journeys.mjs';
import { CHROMIUM_ARGS } from '../e2e/lib/browser.mjs';
import { analyse, crateOf } from '../e2e/tools/wasm-sizes.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const arg = (name, fallback) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : fallback; };
const RUNS = Number(arg('--runs', 5));
const OUT = arg('--out', path.join(root, 'bench', 'results', 'latest.json'));

const kb = (n) => (n / 1024).toFixed(1);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? s[Math.floor(s.length / 2)] : NaN; };

function sizesOf(file) {
  const raw = fs.readFileSync(file);
  return {
    raw: raw.length,
    gzip: zlib.gzipSync(raw, { level: 9 }).length,
    brotli: zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/** Loads the start page in a fresh profile; returns timings, memory and the files it fetched. */
async function loadOnce(baseUrl, { cpuThrottle = 1 } = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wallet-bench-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 390, height: 844 },
  });
  const page = context.pages()[0] ?? await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  if (cpuThrottle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuThrottle });
  const fetched = [];
  context.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  await page.goto(baseUrl + '/', { waitUntil: 'commit' });
  // Input is answered when a click on the navigation shows the other page.
  const settings = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' });
  await settings.waitFor();
  await page.getByRole('heading', { level: 1 }).waitFor();
  await settings.click();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  const timing = await page.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    return { fcp, answered: performance.now() };
  });
  const heap = await cdp.send('Runtime.getHeapUsage');
  // Every WebAssembly.Memory in the page, found through the DevTools protocol (no app hook).
  const proto = await cdp.send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype' });
  const mems = await cdp.send('Runtime.queryObjects', { prototypeObjectId: proto.result.objectId });
  const wasmBytes = await cdp.send('Runtime.callFunctionOn', {
    objectId: mems.objects.objectId, returnByValue: true,
    functionDeclaration: 'function() { return this.reduce((n, m) => n + m.buffer.byteLength, 0); }',
  });
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
  return { ...timing, jsHeapUsed: heap.usedSize, wasmMemory: wasmBytes.result.value, fetched };
}

/** The largest crates inside a WebAssembly module (by function body bytes), from a build with names. */
function wasmContributors(wasmFile, top = 5) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wallet-names-'));
  try {
    execFileSync('wasm-bindgen', ['--target', 'web', '--keep-debug', '--out-dir', tmp, wasmFile], { stdio: 'pipe' });
    const bound = fs.readdirSync(tmp).find((f) => f.endsWith('_bg.wasm'));
    const named = path.join(tmp, 'named.wasm');
    execFileSync('wasm-opt', ['-Oz', '-g', '--enable-bulk-memory', '--enable-reference-types', '--enable-nontrapping-float-to-int',
      '--enable-sign-ext', '--enable-mutable-globals', '--enable-multivalue', path.join(tmp, bound), '-o', named], { stdio: 'pipe' });
    const r = analyse(fs.readFileSync(named));
    const byCrate = new Map();
    for (const f of r.functions) byCrate.set(crateOf(f.name), (byCrate.get(crateOf(f.name)) ?? 0) + f.size);
    const code = r.functions.reduce((n, f) => n + f.size, 0);
    return { codeBytes: code, dataBytes: r.dataBytes, crates: [...byCrate].sort((a, b) => b[1] - a[1]).slice(0, top).map(([crate, bytes]) => ({ crate, bytes })) };
  } catch (e) {
    return { error: String(e.message).split('\n')[0] };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// ---- The QR reader (Scan page): time per 640×480 camera frame in Chromium. Frames are drawn
// here (e2e/lib/camera.mjs) and sent to the engine worker (named in <meta name="wallet-engine">),
// which reads them, as the Scan page sends them: transferred ImageBitmaps, one at a time.
const QR_LOGIN = 'openid4vp://?client_id=did%3Akey%3AzDnaeVYnWTZu5nbrH1qmBVMvNwSrtKnkRbCZ4xH5h2LQPnzdr&request_uri=https%3A%2F%2Fverifier.dome-marketplace.eu%2Foid4vp%2Fauth-request%2F0e2c9a8f-5f54-4b1e-8a5f-3c6f2f3d1e77';

async function qrReaderBench(baseUrl, { frames = 40 } = {}) {
  const { qrLuma, WIDTH, HEIGHT } = await import('../e2e/lib/camera.mjs');
  const kinds = {
    'a login request code (version 10, 5 px a module)': Buffer.from(qrLuma(QR_LOGIN, { pixels: 5 })).toString('base64'),
    'a small code (3 px a module)': Buffer.from(qrLuma(QR_LOGIN, { pixels: 3 })).toString('base64'),
    'no code (the usual frame while aiming)': Buffer.from(qrLuma(null)).toString('base64'),
  };
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wallet-bench-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  const page = context.pages()[0] ?? await context.newPage();
  await page.goto(baseUrl + '/settings');
  const out = {};
  try {
    for (const [kind, luma] of Object.entries(kinds)) {
      out[kind] = await page.evaluate(async ({ luma, width, height, frames }) => {
        const bytes = Uint8Array.from(atob(luma), (c) => c.charCodeAt(0));
        const rgba = new Uint8ClampedArray(width * height * 4);
        for (let i = 0; i < bytes.length; i++) rgba.set([bytes[i], bytes[i], bytes[i], 255], i * 4);
        const image = new ImageData(rgba, width, height);
        const worker = new Worker(document.querySelector('meta[name=wallet-engine]').content);
        const answers = [];
        // The engine's answers carry the request's id; it says `ready` once it listens.
        const waiting = new Map();
        worker.onmessage = (e) => waiting.get(e.data.id ?? e.data.kind)?.(e.data);
        const answer = (key) => new Promise((resolve) => waiting.set(key, resolve));
        await answer('ready');
        for (let i = 0; i < frames; i++) {
          const bitmap = await createImageBitmap(image);
          const sent = performance.now();
          const answered = answer(i + 1);
          worker.postMessage({ kind: 'read-qr', id: i + 1, bitmap, harder: false }, [bitmap]);
          const a = await answered;
          answers.push({ roundTrip: performance.now() - sent, ms: a.ms, read: a.text !== null });
        }
        worker.terminate();
        return answers;
      }, { luma, width: WIDTH, height: HEIGHT, frames });
    }
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  // The first frames include compiling the module: the median of the rest.
  return Object.fromEntries(Object.entries(out).map(([kind, answers]) => {
    const warm = answers.slice(3);
    return [kind, { readerMs: median(warm.map((a) => a.ms)), roundTripMs: median(warm.map((a) => a.roundTrip)), read: warm.filter((a) => a.read).length / warm.length }];
  }));
}

const servers = await startServers({ walletPort: 0, quiet: true });
const base = servers.env.WALLET_URL;
const peers = { walletUrl: base, issuerUrl: servers.env.ISSUER_URL, verifierUrl: servers.env.VERIFIER_URL };

const results = { date: new Date().toISOString(), commit: '', runs: RUNS };
try { results.commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root }).toString().trim(); } catch {}

const loads = { normal: [], throttled4x: [] };
for (let i = 0; i < RUNS; i++) {
  loads.normal.push(await loadOnce(base));
  loads.throttled4x.push(await loadOnce(base, { cpuThrottle: 4 }));
}
const startFiles = [...new Set(loads.normal[0].fetched)].filter((p) => /\.(js|wasm|css)$/.test(p));
results.startPage = startFiles.map((p) => ({ file: p, ...sizesOf(path.join(dist, p)) }));
results.startPageTotal = results.startPage.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip, brotli: t.brotli + f.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const allFiles = fs.readdirSync(dist).filter((f) => /\.(js|wasm|css)$/.test(f));
results.wholeWallet = allFiles.map((f) => ({ file: '/' + f, ...sizesOf(path.join(dist, f)) }));
results.wholeWalletTotal = results.wholeWallet.reduce((t, f) => ({ raw: t.raw + f.raw, gzip: t.gzip + f.gzip, brotli: t.brotli + f.brotli }), { raw: 0, gzip: 0, brotli: 0 });
results.load = Object.fromEntries(Object.entries(loads).map(([k, runs]) => [k, {
  fcpMs: median(runs.map((r) => r.fcp)), answersInputMs: median(runs.map((r) => r.answered)),
  jsHeapUsed: median(runs.map((r) => r.jsHeapUsed)), wasmMemory: median(runs.map((r) => r.wasmMemory)),
}]));
results.wasm = {};
for (const f of allFiles.filter((f) => f.endsWith('.wasm'))) {
  const name = f.startsWith('engine') ? 'engine' : 'interface';
  // cargo's output before wasm-bindgen and wasm-opt, with its function names: build_release
  // (scripts/setup.sh) builds in target/bundle.
  const unopt = path.join(root, 'target', 'bundle', 'wasm32-unknown-unknown', 'release', { engine: 'engine.wasm', interface: 'dome-wallet.wasm' }[name]);
  if (fs.existsSync(unopt)) results.wasm[name] = wasmContributors(unopt);
}
results.journeys = await measureJourneys(peers);
results.manyCredentials = await measureManyCredentials(peers);
results.qr = { frame: '640×480', perFrame: await qrReaderBench(base) };
await servers.stop();

fs.mkdirSync(path.dirname(OUT), { recursive: true });
fs.writeFileSync(OUT, JSON.stringify(results, null, 2) + '\n');

console.log(`\nWallet benchmark (${results.commit || 'uncommitted'}, ${RUNS} fresh loads each)\n`);
console.log('Start page, first load (KB):      raw    gzip  brotli');
for (const f of results.startPage) console.log(`  ${f.file.padEnd(34)} ${kb(f.raw).padStart(6)} ${kb(f.gzip).padStart(7)} ${kb(f.brotli).padStart(7)}`);
const t = results.startPageTotal;
console.log(`  ${'total'.padEnd(34)} ${kb(t.raw).padStart(6)} ${kb(t.gzip).padStart(7)} ${kb(t.brotli).padStart(7)}   (budget 120 KB brotli)`);
const w = results.wholeWalletTotal;
console.log(`  ${'whole wallet, every feature'.padEnd(34)} ${kb(w.raw).padStart(6)} ${kb(w.gzip).padStart(7)} ${kb(w.brotli).padStart(7)}   (budget 250 KB brotli)`);
for (const [name, r] of Object.entries(results.wasm)) {
  if (r.error) { console.log(`\n${name} module contributors: ${r.error}`); continue; }
  console.log(`\nLargest contributors in the ${name} module (function bytes before compression, of ${kb(r.codeBytes)} KB code + ${kb(r.dataBytes)} KB data):`);
  for (const c of r.crates) console.log(`  ${kb(c.bytes).padStart(7)} KB  ${(100 * c.bytes / r.codeBytes).toFixed(0).padStart(3)}%  ${c.crate}`);
}
const q = results.qr;
console.log('\nQR reader (run by the engine worker for the Scan page)');
console.log(`  per ${q.frame} frame (median)            in the reader  round trip  read`);
for (const [kind, r] of Object.entries(q.perFrame)) console.log(`  ${kind.padEnd(48)} ${r.readerMs.toFixed(1).padStart(6)} ms ${r.roundTripMs.toFixed(1).padStart(8)} ms  ${(100 * r.read).toFixed(0).padStart(3)}%`);
console.log('\nLoad (median):                 no throttle   CPU 4x');
const row = (label, key, fmt) => console.log(`  ${label.padEnd(28)} ${fmt(results.load.normal[key]).padStart(11)} ${fmt(results.load.throttled4x[key]).padStart(8)}`);
row('First Contentful Paint', 'fcpMs', (v) => `${v.toFixed(0)} ms`);
row('answers input', 'answersInputMs', (v) => `${v.toFixed(0)} ms`);
row('JS heap used', 'jsHeapUsed', (v) => `${kb(v)} KB`);
row('WASM memory', 'wasmMemory', (v) => `${kb(v)} KB`);
const visits = Object.values(results.journeys)[0].visits;
console.log(`\nJourneys against the sandbox peers (ms, median of ${visits} visits):  wall  round trips  network  wallet CPU  (opening: page/engine; exchange: page/engine; benchmark\'s own DevTools tasks, not counted)  exchange CPU of each visit  [its tasks\' wall time]`);
const ms = (v) => v.toFixed(0);
for (const [name, j] of Object.entries(results.journeys)) {
  console.log(`  ${name.padEnd(24)} ${ms(j.wallMs).padStart(6)} ${String(j.roundTrips).padStart(12)} ${ms(j.networkMs).padStart(8)} ${ms(j.walletCpuMs).padStart(11)}    ${ms(j.openingCpuMs.main)}/${ms(j.openingCpuMs.worker)}; ${ms(j.exchangeCpuMs.main)}/${ms(j.exchangeCpuMs.worker)}; ${ms(j.openingCpuMs.harness + j.exchangeCpuMs.harness)}  ${j.exchangeCpuPerVisit.map(ms).join(' ')}  [${j.exchangeBusyPerVisit.map(ms).join(' ')}]`);
}
console.log(`\nCredentials page with ${results.manyCredentials.count} credentials: listed ${results.manyCredentials.msToList.toFixed(0)} ms after navigation (median)`);
console.log(`\nwritten to ${path.relative(root, OUT)}`);
process.exit(0);
