#!/usr/bin/env node
// Seeds the fuzz corpora (fuzz/corpus/<target>/, not committed) from the project's own test data:
//   - the DER fixtures and the string literals of the core's tests (src/core/**/*.rs): links,
//     JWS, JSON offers, metadata, queries, request objects;
//   - DOME's fixtures in ../shared/dome when they are beside the project;
//   - every answer of the hostile peer (e2e/hostile), started here in-process on loopback.
// Seeds of the targets whose first byte chooses a mode get every mode.
//   node fuzz/seeds.mjs [--refresh]
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, '..');
const corpus = path.join(here, 'corpus');
const MAX_SEED = 32 * 1024;
const counts = {};

// A corpus that exists is kept as libFuzzer grew it: seeds go only into new (empty) corpora,
// unless --refresh (the hostile peer's keys and nonces are new on every start).
const refresh = process.argv.includes('--refresh');
const seeded = new Map();
function wanted(target) {
  if (!seeded.has(target)) {
    const dir = path.join(corpus, target);
    seeded.set(target, refresh || !fs.existsSync(dir) || fs.readdirSync(dir).length === 0);
  }
  return seeded.get(target);
}

function seed(target, bytes) {
  const data = Buffer.isBuffer(bytes) ? bytes : Buffer.from(String(bytes));
  if (data.length === 0 || data.length > MAX_SEED || !wanted(target)) return;
  const dir = path.join(corpus, target);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, crypto.createHash('sha1').update(data).digest('hex'));
  if (!fs.existsSync(file)) { fs.writeFileSync(file, data); counts[target] = (counts[target] ?? 0) + 1; }
}
/** A seed for a target whose first byte chooses the mode, in each of `modes`. */
function moded(target, modes, bytes) {
  for (const m of modes) seed(target, Buffer.concat([Buffer.from([m]), Buffer.from(bytes)]));
}

const isJwt = (t) => /^eyJ[\w-]*\.[\w-]*\.[\w-]*$/.test(t);
const isLink = (t) => /^(openid|eudi-openid4vp|haip|web\+openid|https?:\/\/)/i.test(t);

/** Sorts one piece of test data to the targets that read its kind. */
function classify(text) {
  const t = text.trim();
  if (!t) return;
  if (isLink(t)) {
    seed('invocation', t);
    seed('url', t);
  }
  if (isJwt(t)) {
    seed('jws', t);
    moded('credential', [0], t);
    moded('request_object', [0, 1, 4, 5, 16, 17], t);
    try {
      const payload = Buffer.from(t.split('.')[1], 'base64url').toString();
      JSON.parse(payload);
      classify(payload);
    } catch { /* not JSON */ }
  }
  let value;
  try { value = JSON.parse(t); } catch { return; }
  if (value === null || typeof value !== 'object') return;
  for (const target of ['credential_offer', 'metadata', 'dcql', 'presentation_exchange', 'status_list']) seed(target, t);
  moded('issuer_answers', [0, 1, 2, 5], t);
  moded('credential', [1, 2], t);
  moded('request_object', [2, 3], t);
  // The parts of a request or credential that other targets read alone.
  for (const [key, target] of [['dcql_query', 'dcql'], ['presentation_definition', 'presentation_exchange'], ['credentialStatus', 'status_list'], ['vc', 'credential']]) {
    const part = value[key] ?? value.vc?.[key];
    if (part && typeof part === 'object') {
      if (target === 'credential') moded(target, [2], JSON.stringify(part));
      else seed(target, JSON.stringify(part));
    }
  }
}

function walk(dir, out = []) {
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out); else out.push(p);
  }
  return out;
}

// 1. The core's own test data.
for (const file of walk(path.join(root, 'src', 'core'))) {
  if (file.endsWith('.der')) seed('x509', fs.readFileSync(file));
  if (!file.endsWith('.rs')) continue;
  const source = fs.readFileSync(file, 'utf8');
  for (const m of source.matchAll(/r#"([\s\S]*?)"#/g)) classify(m[1]);
  for (const m of source.matchAll(/"((?:[^"\\\n]|\\.){8,})"/g)) classify(m[1].replace(/\\"/g, '"').replace(/\\\\/g, '\\'));
}

// 1b. Status lists and registry answers (status_bits: 0 GZIP member, 1 legacy plain list, 2 TIR v4 issuer).
{
  const fixtures = path.join(root, 'src', 'core', 'tests', 'fixtures');
  const withMode = (mode, bytes) => seed('status_bits', Buffer.concat([Buffer.from([mode]), Buffer.from(bytes)]));
  withMode(0, fs.readFileSync(path.join(fixtures, 'status', 'hello.txt.gz')));
  for (const name of ['python-gzip-bits-0-7-8-94567-131071.txt']) {
    withMode(0, Buffer.from(fs.readFileSync(path.join(fixtures, 'status', name), 'utf8').trim().slice(1), 'base64url'));
  }
  withMode(1, '[{"nonce":"SYC908RIQQqeUXR19nh3EQ"},{"nonce":"a"}]');
  const tir = JSON.parse(fs.readFileSync(path.join(fixtures, 'tir', 'tir-v4-issuer-example.json'), 'utf8'));
  withMode(2, JSON.stringify(tir.response_200_example));
}

// 2. DOME's fixtures, when ../shared is beside the project.
for (const file of walk(path.join(root, '..', 'shared', 'dome'))) {
  const data = fs.readFileSync(file);
  if (file.endsWith('.der') || file.endsWith('.cer')) seed('x509', data);
  const text = data.toString('utf8');
  classify(text);
  for (const line of text.split('\n')) classify(line);
}

// 3. The hostile peer's answers.
const { startHostile } = await import(pathToFileURL(path.join(root, 'e2e', 'hostile', 'server.mjs')).href);
const { CASES } = await import(pathToFileURL(path.join(root, 'e2e', 'hostile', 'cases', 'index.mjs')).href);
const hostile = await startHostile({ walletOrigin: 'http://127.0.0.1:8080' });
const certs = hostile.keys;
for (const der of [certs.seal.cert, certs.otherSeal.cert, certs.x509.cert, certs.x509.otherNameCert, certs.x509.expiredCert, certs.x509.caCert, certs.x509.forgedLeafCert]) seed('x509', der);
const get = async (url, init) => {
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_SEED) { await res.body?.cancel(); return null; }
    const text = await res.text();
    return text.length > MAX_SEED ? null : text;
  } catch { return null; }
};
// A proof naming the fuzz targets' holder key (its signature is not checked by the peer).
const holder = 'did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv';
const proof = `${Buffer.from(JSON.stringify({ alg: 'ES256', kid: `${holder}#${holder.slice(8)}` })).toString('base64url')}.e30.${'A'.repeat(86)}`;
for (const c of CASES) {
  if (c.huge) continue;
  const about = await (await fetch(`${hostile.url}/api/cases/${c.name}`)).json();
  if (about.link.length <= MAX_SEED) classify(about.link);
  const answers = [];
  const base = about.base;
  const wk = (name) => `${hostile.url}/.well-known/${name}${new URL(base).pathname}`;
  if (c.role === 'issuer') {
    answers.push(await get(`${base}/offer`), await get(wk('openid-credential-issuer')), await get(wk('oauth-authorization-server')));
    for (const step of ['token', 'nonce']) answers.push(await get(`${base}/${step}`, { method: 'POST' }));
    const body = JSON.stringify({ credential_configuration_id: 'LEARCredentialEmployee', proofs: { jwt: [proof] } });
    const credential = await get(`${base}/credential`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    answers.push(credential);
    try { for (const item of JSON.parse(credential).credentials ?? []) if (typeof item?.credential === 'string') classify(item.credential); } catch { /* not JSON */ }
  }
  if (c.role === 'verifier') answers.push(await get(`${base}/request`));
  for (const a of answers.filter(Boolean)) classify(a);
}
await hostile.stop();

console.log(`fuzz seeds written to ${path.relative(root, corpus)}/: ${Object.entries(counts).map(([t, n]) => `${t} ${n}`).join(', ') || 'none new'}`);
