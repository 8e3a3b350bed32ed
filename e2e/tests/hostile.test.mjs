// Issue 7: hostile peers and bad input, against the whole wallet in the browser. Each case of
// e2e/hostile/cases/ is given to the wallet as a person would (pasted as QR text, or opened as a
// same-device link; then Accept or Share where the journey gets that far), and the test asserts:
//   (a) a clear message: the screen's alert says what happened in plain words (no internals,
//       no markup, no addresses), with the automation contract's roles and names;
//   (b) nothing stored: no new credential, no leftover key, no activity entry claiming success;
//   (c) nothing sent: the hostile peer's log shows no request past the step the wallet refused
//       at, and Playwright sees no request to any other site, no navigation away, no dialog.
// Script in peer-supplied text must render as text: no element is created from it, it never
// runs, and nothing it points at is fetched. 5 MB answers are refused without freezing the page.
//
// One browser; one context (fresh IndexedDB) per category, its stores cleared before each case.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../lib/browser.mjs';
import { HOSTILE_URL, WALLET_URL } from '../lib/env.mjs';
import { CATEGORIES, CONTROL_CASES, HOSTILE_CASES } from '../hostile/cases/index.mjs';
import { STAGES } from '../hostile/server.mjs';

const MARKUP_TEXT = '<img src=x id=hostile-xss';
const RESULT_TITLES = ['That did not work', 'Not a wallet request', 'Credential offer', 'Share your credential?', 'No matching credential', 'Done', 'Credential received', 'Credential accepted'];
const ISSUING_CASE = 'control-issuer-did-key';
const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');

async function api(path, init) {
  const res = await fetch(`${HOSTILE_URL}${path}`, init);
  if (!res.ok) throw new Error(`hostile peer ${path}: HTTP ${res.status}`);
  return res.json();
}
const logSince = (seq) => api(`/api/log?since=${seq}`);
const lastSeq = async () => (await api('/api/log?since=0')).reduce((m, e) => Math.max(m, e.seq), 0);

let browser;
let session;
const passed = new Map();
const timings = [];
const gaps = [];

before(async () => {
  assert.ok(HOSTILE_URL, 'HOSTILE_URL is set by e2e/run.mjs');
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
});

after(async () => {
  await session?.context.close();
  await browser?.close();
  const rows = CATEGORIES.map(([id, label]) => [label, HOSTILE_CASES.filter((c) => c.category === id && (!only || only.test(c.name))).length, passed.get(id) ?? 0]);
  const total = rows.reduce((a, r) => [a[0] + r[1], a[1] + r[2]], [0, 0]);
  const width = Math.max(...rows.map((r) => r[0].length), 8);
  const line = (a, b, c) => `${a.padEnd(width)}  ${String(b).padStart(5)}  ${String(c).padStart(6)}`;
  console.log(`\nHostile cases by category (plus ${CONTROL_CASES.length} controls the wallet accepts):\n${line('category', 'cases', 'passed')}`);
  for (const r of rows) console.log(line(...r));
  console.log(line('total', ...total));
  if (timings.length) {
    const s = timings.reduce((a, b) => a + b, 0) / 1000;
    console.log(`${timings.length} cases in ${s.toFixed(1)} s; longest main-thread pause during 5 MB cases: ${Math.round(Math.max(0, ...gaps))} ms`);
  }
});

/** A fresh browser context (fresh IndexedDB) on the wallet, its engine started. */
async function newSession() {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  // Measures the longest pause of the page's main thread (a frozen page stops the ticks).
  await context.addInitScript(() => {
    let last = performance.now();
    window.__maxGap = 0;
    setInterval(() => { const t = performance.now(); window.__maxGap = Math.max(window.__maxGap, t - last); last = t; }, 25);
  });
  const page = await context.newPage();
  const s = { context, page, requests: [], pageErrors: [], dialogs: [] };
  context.on('request', (r) => s.requests.push(r));
  page.on('pageerror', (e) => s.pageErrors.push(e.message));
  page.on('dialog', (d) => { s.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  // The Settings page lists the wallet's identifier once the engine has opened its storage.
  await page.goto(`${WALLET_URL}/settings`);
  await page.getByRole('list', { name: 'Your identifiers' }).getByRole('listitem').first().waitFor({ timeout: 20000 });
  return s;
}

/** Empties the stores a case could write to (the wallet's own key stays). */
function clearStores(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('dome-wallet');
    open.onupgradeneeded = () => open.transaction.abort();
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(['credentials', 'activity', 'seenRequests'], 'readwrite');
      for (const name of ['credentials', 'activity', 'seenRequests']) tx.objectStore(name).clear();
      tx.oncomplete = () => { db.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
  }));
}

/** Counts of credentials and keys, and the activity log, read straight from IndexedDB. */
function readStores(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('dome-wallet');
    open.onupgradeneeded = () => open.transaction.abort();
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(['credentials', 'keys', 'activity']);
      const out = {};
      tx.objectStore('credentials').count().onsuccess = (e) => { out.credentials = e.target.result; };
      tx.objectStore('keys').count().onsuccess = (e) => { out.keys = e.target.result; };
      tx.objectStore('activity').getAll().onsuccess = (e) => { out.activity = e.target.result.map((a) => ({ kind: a.kind, outcome: a.outcome, at: a.at })); };
      tx.oncomplete = () => { db.close(); resolve(out); };
      tx.onerror = () => reject(tx.error);
    };
  }));
}

const title = (page) => page.getByRole('heading', { level: 1 }).innerText();

/** Waits until the engine has answered with a journey screen (or the journey ended). */
async function resultScreen(page, titles = RESULT_TITLES) {
  await page.waitForFunction((wanted) => {
    const h1 = document.querySelector('h1');
    return h1 && wanted.includes(h1.textContent.trim()) && !document.querySelector('form.screen fieldset[disabled]');
  }, titles, { timeout: 25000 });
  return title(page);
}

/** Gives the wallet the case's text: pasted on the Scan page, or opened as a same-device link. */
async function open(page, c, text) {
  if (c.via === 'link') {
    await page.goto(text);
  } else {
    await page.goto(`${WALLET_URL}/scan`);
    await page.getByRole('textbox', { name: 'Paste a link' }).fill(text);
    await page.evaluate(() => { window.__maxGap = 0; });
    await page.getByRole('button', { name: 'Open' }).click();
  }
  return resultScreen(page);
}

async function press(page, name, titles) {
  await page.getByRole('button', { name }).click();
  return resultScreen(page, titles);
}

/** Receives a good credential from the hostile peer's control issuer. */
async function issueCredential(page) {
  const { link } = await api(`/api/cases/${ISSUING_CASE}`);
  assert.equal(await open(page, {}, link), 'Credential offer');
  assert.equal(await press(page, 'Accept'), 'Credential received', await page.getByRole('main').innerText());
}

/** The alert's text says what happened in plain words: no internals, markup or addresses. */
function assertPlainWords(text, c) {
  assert.match(text, c.message, `[${c.name}] the message says why: ${text}`);
  assert.ok(text.length >= 20 && text.length <= 400, `[${c.name}] a sentence, not a dump: ${text.length} characters`);
  assert.doesNotMatch(text, /[{}<>[\]`"\\]/, `[${c.name}] no JSON, markup or code: ${text}`);
  assert.doesNotMatch(text, /https?:|javascript:|127\.0\.0\.1|localhost|evil\.example/i, `[${c.name}] no addresses: ${text}`);
  assert.doesNotMatch(text, /\b(undefined|null|NaN|panicked|RuntimeError|unreachable|Error:|stack|Exception|serde|line \d+ column \d+)\b|\.rs:\d+|\bat [\w.$]+ \(/i, `[${c.name}] no internals: ${text}`);
  assert.doesNotMatch(text, /[A-Za-z0-9_-]{40,}/, `[${c.name}] no tokens or keys: ${text}`);
}

/** Script in peer text: never an element, never run, shown as text (when shown at all). */
async function assertInert(page, c) {
  const state = await page.evaluate((marker) => ({
    pwned: window.__pwned ?? null,
    element: document.getElementById('hostile-xss') !== null,
    inlineScripts: [...document.querySelectorAll('script')].filter((s) => !s.src).length,
    iframes: document.querySelectorAll('iframe').length,
    text: document.querySelector('main')?.textContent.includes(marker) ?? false,
  }), MARKUP_TEXT);
  assert.equal(state.pwned, null, `[${c.name}] the peer's script never ran`);
  assert.equal(state.element, false, `[${c.name}] no element was made from the peer's markup`);
  assert.equal(state.iframes, 0, `[${c.name}] no frame`);
  assert.equal(state.inlineScripts, 0, `[${c.name}] no inline script in the page`);
  if (c.markup === 'shown') assert.ok(state.text, `[${c.name}] the peer's text is shown literally`);
}

async function runCase(c) {
  const { page } = session;
  const started = Date.now();
  await page.goto(`${WALLET_URL}/`);
  await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
  await clearStores(page);
  if (c.withCredential) await issueCredential(page);
  const { link } = await api(`/api/cases/${c.name}`);
  const before = await readStores(page);
  const seq = await lastSeq();
  const seen = session.requests.length;
  const errorsBefore = session.pageErrors.length;

  // Drive the journey as a person would, up to the point where the wallet refuses.
  let shown = await open(page, c, link);
  const drive = c.drive ?? 'open';
  if (drive === 'accept' || drive === 'cancel') {
    assert.equal(shown, 'Credential offer', `[${c.name}] the offer is shown: ${await page.getByRole('main').innerText()}`);
    if (drive === 'accept') shown = await press(page, 'Accept');
  }
  if (drive === 'share' || drive === 'replay' || drive === 'leave') {
    assert.equal(shown, 'Share your credential?', `[${c.name}] the consent screen is shown: ${await page.getByRole('main').innerText()}`);
  }
  if (drive === 'replay') {
    assert.equal(await press(page, 'Share'), 'Done', `[${c.name}] the first answer is accepted`);
    const again = c.replayPath ? link.replace(/%2Frequest(?=&|$)/, encodeURIComponent(`/${c.replayPath}`)) : link;
    assert.equal(await open(page, c, again), 'Share your credential?');
    shown = await press(page, 'Share');
  }
  if (drive === 'share') {
    await page.getByRole('button', { name: 'Share' }).click();
    // A wallet that followed the verifier's address would leave; it must stay and say why.
    await resultScreen(page).catch(() => {});
    assert.ok(page.url().startsWith(WALLET_URL), `[${c.name}] the wallet did not open ${page.url()}`);
    shown = await title(page);
  }

  // (a) a clear message
  const main = page.getByRole('main');
  if (c.screen) assert.match(shown, c.screen, `[${c.name}] ${await main.innerText()}`);
  else assert.ok(['That did not work', 'Not a wallet request'].includes(shown), `[${c.name}] a refusal, not "${shown}": ${await main.innerText()}`);
  const alerts = await main.getByRole('alert').allInnerTexts();
  if (c.message) {
    assert.equal(alerts.length, 1, `[${c.name}] one alert: ${JSON.stringify(alerts)}`);
    assertPlainWords(alerts[0], c);
  } else {
    assert.deepEqual(alerts, [], `[${c.name}] no alert`);
  }
  if (c.markup) {
    if (c.stored) {
      // Shown as text in the list and in the credential's detail.
      await page.getByRole('button', { name: 'See your credentials' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Credentials' }).click();
      const list = page.getByRole('list', { name: 'Credentials' });
      await list.getByRole('button').first().click();
      await page.getByRole('heading', { level: 1 }).filter({ hasNotText: /One moment|Credentials/ }).waitFor();
    }
    await assertInert(page, c);
  }
  if (c.huge) {
    const gap = await page.evaluate(() => window.__maxGap);
    gaps.push(gap);
    assert.ok(gap < (c.via === 'link' ? 3000 : 1000), `[${c.name}] the page stayed responsive (longest pause ${Math.round(gap)} ms)`);
  }
  // Leave the journey the way a person would when it did not end by itself.
  if (drive === 'cancel') {
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
  }
  if (drive === 'leave') {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Credentials' }).click();
    await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
  }
  // Anything the wallet would still do on its own (late notifications, logging) happens now.
  await page.waitForTimeout(150);

  // (b) nothing stored
  const afterStores = await readStores(page);
  const added = c.stored ?? 0;
  assert.equal(afterStores.credentials, before.credentials + added, `[${c.name}] credentials stored`);
  assert.equal(afterStores.keys, before.keys + added, `[${c.name}] no key left behind`);
  const fresh = afterStores.activity.slice(before.activity.length);
  const claimed = fresh.filter((a) => a.outcome === 'success' || a.outcome === 'pending');
  const allowed = c.accepted ? (c.role === 'verifier' ? 'presentation' : 'issuance') : null;
  assert.ok(claimed.every((a) => a.kind === allowed) && claimed.length <= (c.accepted ? 1 : 0), `[${c.name}] no activity entry claims success: ${JSON.stringify(fresh)}`);

  // (c) nothing sent
  const log = await logSince(seq);
  const last = STAGES.indexOf(c.stage);
  assert.ok(last >= 0, `[${c.name}] unknown stage ${c.stage}`);
  for (const e of log) {
    assert.equal(e.case, c.name, `[${c.name}] nothing sent to another case's address: ${e.method} ${e.path}`);
    assert.ok(STAGES.indexOf(e.stage) >= 0 && STAGES.indexOf(e.stage) <= last,
      `[${c.name}] nothing sent after the refusal (allowed up to ${c.stage}): ${e.method} ${e.path} (${e.stage})`);
  }
  for (const [stage, max] of Object.entries(c.maxRequests ?? {})) {
    const n = log.filter((e) => e.stage === stage && e.method !== 'OPTIONS').length;
    assert.ok(n <= max, `[${c.name}] at most ${max} ${stage} request(s), got ${n}`);
  }
  // Playwright reports the target of a redirect the wallet refused to follow (fetch with
  // redirect: manual) as a request that failed without being sent: not a request.
  const outside = session.requests.slice(seen)
    .filter((r) => !r.url().startsWith(WALLET_URL))
    .filter((r) => !(r.redirectedFrom() && r.failure()));
  for (const r of outside) {
    assert.ok(r.url().startsWith(`${HOSTILE_URL}/`), `[${c.name}] no request to anyone else: ${r.method()} ${r.url().slice(0, 120)}`);
    const path = new URL(r.url()).pathname;
    assert.ok(log.some((e) => e.path === path && e.method === r.method()), `[${c.name}] every request the browser made is in the peer's log: ${r.method()} ${path}`);
  }
  assert.ok(page.url().startsWith(WALLET_URL), `[${c.name}] still on the wallet: ${page.url()}`);
  assert.deepEqual(session.dialogs, [], `[${c.name}] no dialog opened`);
  assert.deepEqual(session.pageErrors.slice(errorsBefore), [], `[${c.name}] no page error`);
  timings.push(Date.now() - started);
}

// HOSTILE_ONLY=<regular expression> runs the cases whose name matches (and the table counts only those).
const only = process.env.HOSTILE_ONLY ? new RegExp(process.env.HOSTILE_ONLY) : null;
for (const c of [...CONTROL_CASES, ...HOSTILE_CASES].filter((x) => !only || only.test(x.name))) {
  const label = CATEGORIES.find(([id]) => id === c.category)?.[1] ?? 'Control (accepted)';
  test(`${label}: ${c.title} [${c.name}]`, async () => {
    if (!session || session.category !== c.category) {
      await session?.context.close();
      session = await newSession();
      session.category = c.category;
    }
    try {
      await runCase(c);
      passed.set(c.category, (passed.get(c.category) ?? 0) + 1);
    } catch (e) {
      // What the page showed goes to e2e/artifacts/; a failed case may leave the page anywhere:
      // the next one starts afresh.
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      await session.page.screenshot({ path: path.join(ARTIFACTS, `hostile-${c.name}.png`), fullPage: true }).catch(() => {});
      await session.context.close().catch(() => {});
      session = null;
      throw e;
    }
  });
}
