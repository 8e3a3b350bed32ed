#!/usr/bin/env node
// Installs what the sandbox peers (Credo-ts issuer and verifier) need at run time, and does
// nothing when that is already done:
//   1. `npm ci --ignore-scripts` in e2e/ when e2e/node_modules lacks Credo (the install scripts
//      would try to download a prebuilt Askar from the internet, which is not reachable here);
//   2. the native Askar library 0.4.6, taken from the PyPI wheel `aries-askar==0.4.6` (cached in
//      e2e/.cache/), put where @openwallet-foundation/askar-nodejs looks for it (its native/ dir),
//      with the version.json its own installer would write;
//   3. `npm rebuild` of the two ffi packages (compiles their N-API addons with node-gyp);
//   4. a check that Askar loads and reports its version.
// Usage: node e2e/sandbox/setup.mjs            (prints each step it takes or skips)
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ASKAR_VERSION = '0.4.6';
const E2E = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const NM = path.join(E2E, 'node_modules');
const CACHE = path.join(E2E, '.cache');
const ASKAR_PKG = path.join(NM, '@openwallet-foundation', 'askar-nodejs');
const NATIVE_DIR = path.join(ASKAR_PKG, 'native');
const NATIVE_LIB = path.join(NATIVE_DIR, 'libaries_askar.so');
const VERSION_JSON = path.join(NATIVE_DIR, 'version.json');
const FFI_ADDONS = [
  ['@2060.io/ref-napi', 'build/Release/binding.node'],
  ['@2060.io/ffi-napi', 'build/Release/ffi_bindings.node'],
];

const started = Date.now();
const did = [];
const log = (msg) => console.log(`[sandbox setup] ${msg}`);
function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.error) throw new Error(`${cmd} could not be started: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
}

if (process.platform !== 'linux' || process.arch !== 'x64') {
  throw new Error(`setup.mjs knows only linux x64 (the manylinux2014_x86_64 wheel); this is ${process.platform} ${process.arch}`);
}

// 1. npm packages
if (!fs.existsSync(path.join(NM, '@credo-ts', 'openid4vc', 'package.json')) || !fs.existsSync(ASKAR_PKG)) {
  run('npm', ['ci', '--ignore-scripts'], { cwd: E2E });
  did.push('npm ci --ignore-scripts');
} else {
  log('npm packages: present (e2e/node_modules has @credo-ts/openid4vc and askar-nodejs)');
}

// 2. native Askar
const wantedVersion = `v${ASKAR_VERSION}`;
const installedVersion = (() => {
  try { return JSON.parse(fs.readFileSync(VERSION_JSON, 'utf8')).version; } catch { return undefined; }
})();
if (fs.existsSync(NATIVE_LIB) && installedVersion === wantedVersion) {
  log(`native Askar: present (${path.relative(E2E, NATIVE_LIB)}, ${wantedVersion})`);
} else {
  fs.mkdirSync(CACHE, { recursive: true });
  const findWheel = () => fs.readdirSync(CACHE).find((f) => f.startsWith(`aries_askar-${ASKAR_VERSION}-`) && f.endsWith('.whl'));
  let wheel = findWheel();
  if (wheel) {
    log(`wheel: cached (${path.join('.cache', wheel)})`);
  } else {
    run('python3', ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--platform', 'manylinux2014_x86_64',
      '--python-version', '3.11', '--disable-pip-version-check', '-d', CACHE, `aries-askar==${ASKAR_VERSION}`]);
    wheel = findWheel();
    if (!wheel) throw new Error(`pip download finished but no aries_askar-${ASKAR_VERSION}-*.whl is in ${CACHE}`);
    did.push(`downloaded ${wheel}`);
  }
  fs.mkdirSync(NATIVE_DIR, { recursive: true });
  // A wheel is a zip file; Python (needed for pip anyway) extracts the one member we want.
  execFileSync('python3', ['-c', `
import sys, zipfile, shutil
with zipfile.ZipFile(sys.argv[1]) as z, z.open('aries_askar/libaries_askar.so') as src, open(sys.argv[2] + '.tmp', 'wb') as dst:
    shutil.copyfileobj(src, dst)
`, path.join(CACHE, wheel), NATIVE_LIB]);
  fs.renameSync(`${NATIVE_LIB}.tmp`, NATIVE_LIB);
  fs.writeFileSync(VERSION_JSON, JSON.stringify({ version: wantedVersion }) + '\n');
  log(`native Askar: installed ${path.relative(E2E, NATIVE_LIB)} (${fs.statSync(NATIVE_LIB).size} bytes) and version.json`);
  did.push('installed native Askar');
}

// 3. ffi addons
const missing = FFI_ADDONS.filter(([pkg, file]) => !fs.existsSync(path.join(NM, pkg, file))).map(([pkg]) => pkg);
if (missing.length === 0) {
  log('ffi addons: built (@2060.io/ref-napi, @2060.io/ffi-napi)');
} else {
  // Rebuild both: ffi-napi links against ref-napi's headers, and a half-built pair is no use.
  run('npm', ['rebuild', ...FFI_ADDONS.map(([pkg]) => pkg)], { cwd: E2E });
  const still = FFI_ADDONS.filter(([pkg, file]) => !fs.existsSync(path.join(NM, pkg, file)));
  if (still.length) throw new Error(`npm rebuild ran but ${still.map(([p, f]) => `${p}/${f}`).join(', ')} is missing`);
  did.push('rebuilt ffi addons');
}

// 4. check
const check = spawnSync(process.execPath, ['-e',
  "const { askar } = require('@openwallet-foundation/askar-nodejs'); process.stdout.write(askar.version())"],
{ cwd: E2E, encoding: 'utf8' });
if (check.status !== 0) throw new Error(`Askar does not load:\n${check.stderr}`);
if (check.stdout.trim() !== ASKAR_VERSION) throw new Error(`Askar reports version ${check.stdout.trim()}, expected ${ASKAR_VERSION}`);
log(`check: askar-nodejs loads the native library, version ${check.stdout.trim()}`);

const secs = ((Date.now() - started) / 1000).toFixed(1);
log(did.length ? `done in ${secs} s: ${did.join('; ')}` : `nothing to do (already set up), ${secs} s`);
