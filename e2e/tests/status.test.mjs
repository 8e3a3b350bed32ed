// Issue 6: a credential's status (revoked, suspended) from its issuer's status list, kept with the
// credential, on the cards and in the detail; offline the last result stays, and a list that does
// not verify is not believed. The issuer is the sandbox's Credo issuer with its status lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchProfile, newProfileDir } from '../lib/browser.mjs';
import { issuer } from '../lib/peers.mjs';
import { accept, offerScreen, storedRecords } from '../lib/wallet.mjs';
import { WALLET_URL } from '../lib/env.mjs';

const mandatee = { firstName: 'Ana', lastName: 'García', email: 'ana@goodair.example', employeeId: 'E-42' };

const cards = (page) => page.getByRole('list', { name: 'Credentials' }).getByRole('listitem');
const card = (page, name) => cards(page).filter({ hasText: name });

/** Waits until the card of `name` shows `state` on a line of its own, and returns its text. */
async function cardShows(page, name, state, timeout = 15000) {
  const line = new RegExp(`^${state}$`, 'm');
  const until = Date.now() + timeout;
  let text = '';
  while (Date.now() < until) {
    text = (await card(page, name).count()) === 1 ? await card(page, name).innerText() : '';
    if (line.test(text)) return text;
    await page.waitForTimeout(200);
  }
  throw new Error(`the card of ${name} does not show "${state}" after ${timeout} ms; it shows: ${JSON.stringify(text)}`);
}

/** Waits until the page's main content matches `pattern`. */
async function mainShows(page, pattern, timeout = 15000) {
  const until = Date.now() + timeout;
  let text = '';
  while (Date.now() < until) {
    text = await page.getByRole('main').innerText();
    if (pattern.test(text)) return text;
    await page.waitForTimeout(200);
  }
  throw new Error(`the page does not show ${pattern} after ${timeout} ms; it shows: ${JSON.stringify(text)}`);
}

/** A browser with a fresh profile, closed after `body` whatever happens. */
async function withWallet(body) {
  const { context, page, problems } = await launchProfile(newProfileDir());
  try {
    await body(page, context);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
}

/** Receives a credential from the sandbox issuer, with a status list entry for `status`. */
async function receive(page, { status = 'revocation', firstName = 'Ana' } = {}) {
  const offer = await issuer.offer({ pin: false, status, mandatee: { ...mandatee, firstName } });
  await page.goto(offer.sameDeviceLink);
  await offerScreen(page);
  assert.equal((await accept(page)).title, 'Credential received');
  await page.getByRole('button', { name: 'See your credentials' }).click();
  await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
  await statusStored(page);
  return offer;
}

/** Waits until every stored credential has the result of a status check (the wallet checks a
 *  credential a moment after it arrives, once "Credential received" is on screen). */
async function statusStored(page, timeout = 15000) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    const records = await storedRecords(page, 'credentials');
    const stored = records.length > 0 && records.every((r) => r.status?.attemptedAt);
    if (stored) return;
    await page.waitForTimeout(200);
  }
  throw new Error(`no status check was stored within ${timeout} ms of receipt`);
}

async function checkStatus(page) {
  await page.getByRole('button', { name: 'Check status' }).click();
  await page.getByRole('button', { name: 'Check status' }).waitFor({ timeout: 15000 });
}

async function detail(page, name) {
  await card(page, name).getByRole('button').click();
  await page.getByRole('heading', { level: 1, name: 'Employee mandate' }).waitFor();
  return page.getByRole('main').innerText();
}

async function back(page) {
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
}

const listFetches = async () => (await issuer.log()).filter((r) => r.method === 'GET' && r.path.startsWith('/status/')).length;

test('valid when received, revoked once the issuer revokes it and the wallet checks again', async () => {
  await withWallet(async (page, context) => {
    const offer = await receive(page);
    // Checked with the issuer's list right after it arrived.
    let text = await cardShows(page, 'Ana García', 'Valid');
    assert.doesNotMatch(text, /could not be checked/);
    assert.deepEqual((await issuer.state(offer.id)).status.set, [false]);
    let shown = await detail(page, 'Ana García');
    assert.match(shown, /Status\s+Valid/);
    assert.match(shown, /Last checked\s+\w+ \d+, \d{4}/);
    await back(page);

    await issuer.revoke(offer.id);
    await checkStatus(page);
    await cardShows(page, 'Ana García', 'Revoked by the issuer');
    shown = await detail(page, 'Ana García');
    assert.match(shown, /Status\s+Revoked by the issuer/);
    assert.match(shown, /Last checked\s+\w+ \d+, \d{4}/);
    assert.doesNotMatch(shown, /Could not be checked/);
    await back(page);
    // Kept: after a reload (no network needed to show it).
    await page.reload();
    await cardShows(page, 'Ana García', 'Revoked by the issuer');
  });
});

test('suspended and reinstated, checked from the detail', async () => {
  await withWallet(async (page, context) => {
    const offer = await receive(page, { status: 'suspension' });
    await cardShows(page, 'Ana García', 'Valid');
    await issuer.suspend(offer.id);
    await detail(page, 'Ana García');
    await page.getByRole('button', { name: 'Check status' }).click();
    await mainShows(page, /Status\s+Suspended by the issuer/);
    await issuer.reinstate(offer.id);
    await page.getByRole('button', { name: 'Check status' }).click();
    await mainShows(page, /Status\s+Valid/);
    await back(page);
    await cardShows(page, 'Ana García', 'Valid');
  });
});

test('offline the last result stays, saying since when; back online the wallet checks again', async () => {
  await withWallet(async (page, context) => {
    const offer = await receive(page);
    await cardShows(page, 'Ana García', 'Valid');
    await context.setOffline(true);
    await issuer.revoke(offer.id);
    await checkStatus(page);
    const text = await cardShows(page, 'Ana García', 'Valid');
    assert.match(text, /Status could not be checked\nLast checked \w+ \d+, \d{4}/);
    const shown = await detail(page, 'Ana García');
    assert.match(shown, /Status\s+Valid/);
    assert.match(shown, /Could not be checked\s+The issuer's status list could not be reached/);
    await back(page);
    // The browser comes back online: the wallet checks by itself.
    await context.setOffline(false);
    const after = await cardShows(page, 'Ana García', 'Revoked by the issuer');
    assert.doesNotMatch(after, /could not be checked/);
  });
});

test('a status list whose signature does not verify is not believed', async () => {
  await withWallet(async (page, context) => {
    try {
      const offer = await receive(page);
      await cardShows(page, 'Ana García', 'Valid');
      await issuer.revoke(offer.id);
      await issuer.tamperStatusLists(true);
      await checkStatus(page);
      const text = await cardShows(page, 'Ana García', 'Valid');
      assert.match(text, /Status could not be checked\nLast checked/);
      const shown = await detail(page, 'Ana García');
      assert.match(shown, /Could not be checked\s+The issuer's status list did not pass the wallet's checks/);
      await back(page);
      await issuer.tamperStatusLists(false);
      await checkStatus(page);
      await cardShows(page, 'Ana García', 'Revoked by the issuer');
    } finally {
      await issuer.tamperStatusLists(false);
    }
  });
});

test('opening the wallet online checks every credential, fetching a shared list once; usable first', async () => {
  await withWallet(async (page) => {
    await receive(page, { firstName: 'Ana' });
    await cardShows(page, 'Ana García', 'Valid');
    const newer = await receive(page, { firstName: 'Berta' });
    await cardShows(page, 'Berta García', 'Valid');
    await issuer.revoke(newer.id);
    await issuer.clearLog();
    await page.goto(`${WALLET_URL}/`);
    await cardShows(page, 'Berta García', 'Revoked by the issuer');
    await cardShows(page, 'Ana García', 'Valid');
    assert.equal(await listFetches(), 1, 'two credentials on one list: one fetch');
    // The newer credential is revoked: the usable one comes first.
    const texts = await cards(page).allInnerTexts();
    assert.match(texts[0], /Ana García/);
    assert.match(texts[1], /Berta García/);
  });
});
