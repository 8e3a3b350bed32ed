// Benchmarks of whole journeys against the sandbox peers, and of a wallet with many credentials.
// The wallet's own CPU time comes from a DevTools trace of the renderer (its main thread and the
// engine worker's thread), the network wait from the requests the wallet sent to the peers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '../e2e/node_modules/playwright-core/index.mjs';
import { CHROMIUM_ARGS } from '../e2e/lib/browser.mjs';
import { storedRecords } from '../e2e/lib/wallet.mjs';

async function fresh() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wallet-bench-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS, viewport: { width: 390, height: 844 },
  });
  const page = context.pages()[0] ?? await context.newPage();
  return { context, page, dir, async close() { await context.close(); fs.rmSync(dir, { recursive: true, force: true }); } };
}

/** Records the wallet's requests to `origins` with their start and end (ms, Node clock). */
function watchRequests(context, origins) {
  const log = [];
  const open = new Map();
  context.on('request', (r) => { if (origins.some((o) => r.url().startsWith(o))) open.set(r, { url: r.url(), start: performance.now() }); });
  const done = (r) => { const e = open.get(r); if (e) { e.end = performance.now(); log.push(e); open.delete(r); } };
  context.on('requestfinished', done);
  context.on('requestfailed', done);
  return {
    /** Resolves once no request is under way, waiting first for requests the wallet has just
     *  made and DevTools not yet reported (at most `limit` ms in all). */
    async settled(limit = 5000) {
      const pause = () => new Promise((r) => setTimeout(r, 10));
      for (let waited = 0; waited < 100; waited += 10) await pause();
      for (let waited = 100; open.size > 0 && waited < limit; waited += 10) await pause();
    },
    between(t0, t1) {
      const inside = log.filter((e) => e.start >= t0 && e.start <= t1);
      // The time at least one request was outstanding: the union of their intervals.
      const spans = inside.map((e) => [e.start, Math.min(e.end ?? t1, t1)]).sort((a, b) => a[0] - b[0]);
      let wait = 0; let [cur0, cur1] = [NaN, NaN];
      for (const [a, b] of spans) {
        if (!(a <= cur1)) { if (!Number.isNaN(cur0)) wait += cur1 - cur0; [cur0, cur1] = [a, b]; } else cur1 = Math.max(cur1, b);
      }
      if (!Number.isNaN(cur0)) wait += cur1 - cur0;
      return { roundTrips: inside.length, networkMs: wait };
    },
  };
}

/** Starts a DevTools trace; `stop()` returns the CPU milliseconds the renderer's main thread and
 *  the engine worker's thread spent running the wallet's tasks: `{ main, worker }`, and apart from
 *  them `harness`, the tasks that ran DevTools commands (the benchmark driving and watching the
 *  page: they are not the wallet's work, and the wallet's own work never runs inside them, see
 *  `press`).
 *  CPU is the threads' own CPU time (the trace's `tdur`). `busy` is the tasks' wall time, which
 *  also counts a thread waiting (a commit waiting for the compositor) or descheduled while other
 *  threads and processes have the cores: on 2 cores the page, the engine and the raster threads
 *  run at once, and each thread's wait for the core the other holds would count twice. */
async function traceCpu(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['toplevel', 'disabled-by-default-devtools.timeline'] }, transferMode: 'ReturnAsStream' });
  return async () => {
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    const { stream } = await complete;
    let text = '';
    for (;;) {
      const chunk = await cdp.send('IO.read', { handle: stream });
      text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString() : chunk.data;
      if (chunk.eof) break;
    }
    await cdp.send('IO.close', { handle: stream });
    const events = JSON.parse(text).traceEvents ?? JSON.parse(text);
    const threads = new Map();
    for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') threads.set(`${e.pid}:${e.tid}`, e.args.name);
    const us = { main: 0, worker: 0, harness: 0 };
    const wall = { main: 0, worker: 0 };
    // A task runs a DevTools command when the message it received is one of a DevTools session.
    const devtools = events.filter((e) => e.ph === 'X' && e.name === 'Receive mojo message'
      && /DevTools/.test(e.args?.chrome_mojo_event_info?.mojo_interface_tag ?? ''));
    const runsDevtools = (task) => devtools.some((m) => m.pid === task.pid && m.tid === task.tid
      && m.ts >= task.ts && m.ts <= task.ts + (task.dur ?? 0));
    for (const e of events) {
      if (e.ph !== 'X' || e.name !== 'ThreadControllerImpl::RunTask') continue;
      const thread = threads.get(`${e.pid}:${e.tid}`);
      const key = { CrRendererMain: 'main', 'DedicatedWorker thread': 'worker' }[thread];
      if (!key) continue;
      if (runsDevtools(e)) { us.harness += e.tdur ?? e.dur ?? 0; continue; }
      // A task of a microsecond or so may come without its thread time.
      us[key] += e.tdur ?? e.dur ?? 0;
      wall[key] += e.dur ?? 0;
    }
    return {
      main: us.main / 1000, worker: us.worker / 1000, harness: us.harness / 1000,
      busy: { main: wall.main / 1000, worker: wall.worker / 1000 },
    };
  };
}

async function post(base, route, body) {
  const res = await fetch(base + route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return res.json();
}

/** A journey in two parts: opening the link (loading the wallet page, reading the offer or the
 *  request) and the exchange after the user's answer. CPU is split by thread. */
function summary(t0, t1, t2, t3, opening, exchange, requests, settled = t3) {
  const a = requests.between(t0, t1);
  const b = requests.between(t2, settled);
  return {
    wallMs: (t1 - t0) + (t3 - t2),
    roundTrips: a.roundTrips + b.roundTrips,
    networkMs: a.networkMs + b.networkMs,
    walletCpuMs: opening.main + opening.worker + exchange.main + exchange.worker,
    openingCpuMs: opening,
    exchangeCpuMs: exchange,
  };
}

// In-page waiting and clicking, so the harness adds (almost) no work to the measured threads:
// Playwright's own waits poll inside the page.
function installUntil(page) {
  return page.addInitScript(() => {
    window.__until = (test) => new Promise((resolve) => {
      const check = () => { if (test()) { observer.disconnect(); resolve(performance.now()); } };
      const observer = new MutationObserver(check);
      observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      check();
    });
    // Until the screen titled `t` is on display and not busy.
    window.__showing = (t) => window.__until(() => document.querySelector('main h1')?.textContent === t && !document.querySelector('form.screen fieldset[disabled]'));
  });
}
const title = (page, text) => page.evaluate((t) => window.__showing(t), text);
// The click runs in a task of its own, not inside the DevTools command that asks for it, so
// that the wallet's work it starts is counted as the wallet's.
const press = (page, action, until) => page.evaluate(([a, t]) => {
  const button = document.querySelector(`form.screen button[value="${a}"]`);
  if (!button) throw new Error(`no "${a}" action on the screen "${document.querySelector('main h1')?.textContent}"`);
  setTimeout(() => button.click(), 0);
  return window.__showing(t);
}, [action, until]);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** The journeys of `visits` visits (fresh profiles, see `visit`): per journey the median of
 *  each time, the most round trips any visit made, and the wallet's CPU in the exchange of every
 *  visit (`exchangeCpuPerVisit`), since a budget met only in the median is not met reliably. */
export async function measureJourneys(peers, visits = 5) {
  const runs = [];
  for (let i = 0; i < visits; i++) runs.push(await visit(peers));
  const out = {};
  for (const name of Object.keys(runs[0])) {
    const all = runs.map((r) => r[name]);
    const mid = (pick) => median(all.map(pick));
    const threads = (pick) => ({ main: mid((j) => pick(j).main), worker: mid((j) => pick(j).worker), harness: mid((j) => pick(j).harness) });
    out[name] = {
      visits,
      wallMs: mid((j) => j.wallMs),
      roundTrips: Math.max(...all.map((j) => j.roundTrips)),
      networkMs: mid((j) => j.networkMs),
      walletCpuMs: mid((j) => j.walletCpuMs),
      openingCpuMs: threads((j) => j.openingCpuMs),
      exchangeCpuMs: threads((j) => j.exchangeCpuMs),
      exchangeCpuPerVisit: all.map((j) => j.exchangeCpuMs.main + j.exchangeCpuMs.worker),
      exchangeBusyPerVisit: all.map((j) => j.exchangeCpuMs.busy.main + j.exchangeCpuMs.busy.worker),
    };
  }
  return out;
}

/** One issuance (offer with PIN, same-device link) and one presentation (DCQL, QR text pasted),
 *  in a fresh profile: the first of each starts the engine; the second of each runs warm. User
 *  think time (typing the PIN, reading the consent screen) is not counted. */
async function visit({ walletUrl, issuerUrl, verifierUrl }) {
  const b = await fresh();
  await installUntil(b.page);
  const requests = watchRequests(b.context, [issuerUrl, verifierUrl]);
  const out = {};
  for (const round of ['first', 'warm']) {
    const offer = await post(issuerUrl, '/api/offers', { pin: true });
    let stop = await traceCpu(b.context, b.page);
    let t0 = performance.now();
    await b.page.goto(offer.sameDeviceLink, { waitUntil: 'commit' });
    await title(b.page, 'Credential offer');
    let t1 = performance.now();
    let opening = await stop();
    await b.page.getByRole('textbox', { name: /PIN/ }).fill(offer.pin);
    stop = await traceCpu(b.context, b.page);
    const t2 = performance.now();
    await press(b.page, 'accept', 'Credential received');
    const t3 = performance.now();
    // The notification goes while the result is on screen: its requests and CPU still count.
    await requests.settled();
    let exchange = await stop();
    out[`issuance_${round}`] = summary(t0, t1, t2, t3, opening, exchange, requests, performance.now());
    await press(b.page, 'credentials', 'Credentials');

    const request = await post(verifierUrl, '/api/requests', { style: 'v1' });
    const query = new URL(request.sameDeviceLink).search;
    stop = await traceCpu(b.context, b.page);
    t0 = performance.now();
    await b.page.goto(`${walletUrl}/${query}`, { waitUntil: 'commit' });
    await title(b.page, 'Share your credential?');
    t1 = performance.now();
    opening = await stop();
    stop = await traceCpu(b.context, b.page);
    const t4 = performance.now();
    await press(b.page, 'share', 'Done');
    const t5 = performance.now();
    exchange = await stop();
    out[`presentation_${round}`] = summary(t0, t1, t4, t5, opening, exchange, requests);
    await press(b.page, 'close', 'Credentials');
  }
  await b.close();
  return out;
}

/** Opens the Credentials page of a wallet holding `count` credentials (copies of one issued by
 *  the sandbox); the time from navigation until every item is on screen. */
export async function measureManyCredentials({ walletUrl, issuerUrl }, count = 1000, runs = 3) {
  const b = await fresh();
  const offer = await post(issuerUrl, '/api/offers', { pin: false });
  await b.page.goto(offer.sameDeviceLink);
  await b.page.getByRole('button', { name: 'Accept' }).click();
  await b.page.getByRole('heading', { level: 1, name: 'Credential received' }).waitFor();
  // The copies are made once the credential's first status check is stored (a moment after it
  // arrived), as in a wallet in use; copies never checked would all be checked at each opening.
  const checked = async () => {
    const records = await storedRecords(b.page, 'credentials');
    return records.length === 1 && records[0].status?.attemptedAt !== undefined;
  };
  for (let waited = 0; !(await checked()); waited += 200) {
    if (waited > 15000) throw new Error('the credential was not checked within 15 s of its arrival');
    await b.page.waitForTimeout(200);
  }
  await b.page.evaluate((n) => new Promise((resolve, reject) => {
    const open = indexedDB.open('dome-wallet');
    open.onsuccess = () => {
      const db = open.result;
      const store = db.transaction('credentials', 'readwrite').objectStore('credentials');
      store.getAll().onsuccess = (e) => {
        const [one] = e.target.result;
        const tx = db.transaction('credentials', 'readwrite');
        for (let i = 1; i < n; i++) tx.objectStore('credentials').put({ ...one, id: `${one.id}-${i}`, receivedAt: one.receivedAt - i });
        tx.oncomplete = () => { db.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    };
  }), count);
  await b.page.addInitScript((n) => {
    new MutationObserver((_, observer) => {
      if (document.querySelectorAll('ul.credentials > li').length >= n) { window.__listShownAt = performance.now(); observer.disconnect(); }
    }).observe(document, { childList: true, subtree: true });
  }, count);
  const times = [];
  for (let i = 0; i < runs; i++) {
    await b.page.goto(`${walletUrl}/`);
    await b.page.waitForFunction(() => window.__listShownAt !== undefined, null, { timeout: 60000 });
    times.push(await b.page.evaluate(() => window.__listShownAt));
  }
  await b.close();
  times.sort((a, b) => a - b);
  return { count, msToList: times[Math.floor(times.length / 2)] };
}
