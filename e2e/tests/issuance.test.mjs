// Issue 3: receiving a LEARCredentialEmployee from a real OpenID4VCI issuer (Credo-ts, the
// sandbox issuer) in every way the wallet is handed one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectHttpError, launchProfile, newProfileDir } from '../lib/browser.mjs';
import { issuer } from '../lib/peers.mjs';
import { accept, credentialItems, offerScreen, paste, storedCounts } from '../lib/wallet.mjs';
import { WALLET_URL } from '../lib/env.mjs';

const mandatee = { firstName: 'Ana', lastName: 'García', email: 'ana@goodair.example', employeeId: 'E-42' };
const mandator = { organization: 'GoodAir S.L.', organizationIdentifier: 'VATES-B12345678', commonName: 'Luis Pérez', country: 'ES', email: 'legal@goodair.example', serialNumber: 'B12345678' };

async function notifications(id) {
  return (await issuer.state(id)).notifications.map((n) => n.event);
}

/** The issuer's notifications for offer `id` once they are `expected` (the wallet sends them in
 *  the background, while its result is on screen), or what it had after 5 s. */
async function notified(id, expected) {
  let seen = await notifications(id);
  for (let waited = 0; waited < 5000 && JSON.stringify(seen) !== JSON.stringify(expected); waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    seen = await notifications(id);
  }
  return seen;
}

test('offer by reference with a PIN, opened as a same-device link', async () => {
  const offer = await issuer.offer({ pin: true, mandatee, mandator });
  const { context, page, problems } = await launchProfile(newProfileDir());
  await page.goto(offer.sameDeviceLink);
  const shown = await offerScreen(page);
  assert.match(shown, /DOME Sandbox Issuer/);
  assert.match(shown, /Employee mandate/);
  assert.equal(new URL(page.url()).search, '', 'the one-time link leaves the address bar');
  // Nothing was requested from the issuer before Accept: no token yet.
  assert.equal((await issuer.state(offer.id)).state, 'OfferUriRetrieved');

  const outcome = await accept(page, offer.pin);
  assert.equal(outcome.title, 'Credential received', outcome.text);
  assert.deepEqual(await notified(offer.id, ['credential_accepted']), ['credential_accepted']);
  await page.getByRole('button', { name: 'See your credentials' }).click();
  const items = await credentialItems(page);
  assert.equal(items.length, 1);
  assert.match(items[0], /Employee mandate/);
  assert.match(items[0], /Ana García/);
  assert.match(items[0], /GoodAir S\.L\./);

  await page.reload();
  assert.deepEqual(await credentialItems(page), items, 'still there after a reload');
  // Headless Chromium does not grant persistent storage: the wallet warns, now that it holds something.
  assert.match(await page.getByRole('note').innerText(), /may clear the wallet's data/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('offer by value without a PIN, pasted on the Scan page', async () => {
  const offer = await issuer.offer({ byValue: true, pin: false, mandatee });
  assert.match(offer.offerUri, /^openid-credential-offer:\/\/\?credential_offer=/);
  const { context, page, problems } = await launchProfile(newProfileDir());
  await paste(page, offer.offerUri);
  await offerScreen(page);
  assert.equal(await page.getByRole('textbox', { name: /PIN/ }).count(), 0, 'no PIN field when none is needed');
  const outcome = await accept(page);
  assert.equal(outcome.title, 'Credential received', outcome.text);
  assert.match((await credentialItems(page)).join('\n'), /Ana García/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a wrong PIN is refused with a clear message, nothing is kept, and the right one then works', async () => {
  const offer = await issuer.offer({ pin: true, mandatee });
  const wrong = offer.pin === '0000' ? '1111' : '0000';
  const { context, page, problems } = await launchProfile(newProfileDir());
  await page.goto(offer.sameDeviceLink);
  await offerScreen(page);
  const before = await storedCounts(page);
  const refused = await accept(page, wrong);
  assert.equal(refused.title, 'Credential offer', 'the offer stays on screen');
  assert.match(refused.text, /PIN was not accepted/);
  assert.equal(await page.getByRole('textbox', { name: /PIN/ }).getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByRole('alert').count(), 1);
  assert.deepEqual(await storedCounts(page), before, 'nothing stored, no key left behind');
  expectHttpError(problems, /^HTTP 400: POST .*\/token$/);
  const fetches = (await issuer.log()).filter((r) => r.method === 'GET' && r.path.includes('/offers/')).length;
  const ok = await accept(page, offer.pin);
  assert.equal(ok.title, 'Credential received', ok.text);
  assert.equal((await issuer.log()).filter((r) => r.method === 'GET' && r.path.includes('/offers/')).length, fetches, 'the offer is not fetched again');
  assert.deepEqual(await storedCounts(page), { credentials: 1, keys: before.keys + 1 });
  assert.equal((await credentialItems(page)).length, 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test('Cancel leaves nothing stored and sends nothing to the issuer', async () => {
  const offer = await issuer.offer({ pin: true, mandatee });
  const { context, page, problems } = await launchProfile(newProfileDir());
  await page.goto(offer.sameDeviceLink);
  await offerScreen(page);
  await issuer.clearLog();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
  assert.deepEqual(await credentialItems(page), []);
  const sent = (await issuer.log()).filter((r) => !r.path.startsWith('/api/'));
  assert.deepEqual(sent, [], 'the issuer heard nothing after the offer');
  assert.deepEqual(problems, []);
  await context.close();
});

test('deferred issuance: pending across a reload, then the signed credential replaces it', async () => {
  const offer = await issuer.offer({ pin: true, deferred: true, mandatee });
  const { context, page, problems } = await launchProfile(newProfileDir());
  await page.goto(offer.sameDeviceLink);
  await offerScreen(page);
  const outcome = await accept(page, offer.pin);
  assert.equal(outcome.title, 'Credential accepted', outcome.text);
  assert.match(outcome.text, /still has to sign/);
  let items = await credentialItems(page);
  assert.equal(items.length, 1);
  assert.match(items[0], /pending/);

  await page.reload();
  items = await credentialItems(page);
  assert.match(items[0], /pending/, 'still pending after a reload');

  await issuer.release(offer.id);
  // The wallet polls by itself, respecting the issuer's interval (5 s in the sandbox).
  const list = page.getByRole('list', { name: 'Credentials' }).getByRole('listitem');
  await list.filter({ hasText: 'Ana García' }).waitFor({ timeout: 30000 });
  items = await list.allInnerTexts();
  assert.equal(items.length, 1, 'the signed credential replaced the pending one');
  assert.doesNotMatch(items[0], /pending/);
  assert.deepEqual(await notified(offer.id, ['credential_accepted']), ['credential_accepted']);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a draft-13 style issuer and offer', async () => {
  const offer = await issuer.offer({ pin: true, draft13: true, mandatee });
  const { context, page, problems } = await launchProfile(newProfileDir());
  await page.goto(offer.sameDeviceLink);
  await offerScreen(page);
  const outcome = await accept(page, offer.pin);
  assert.equal(outcome.title, 'Credential received', outcome.text);
  assert.match((await credentialItems(page)).join('\n'), /Ana García/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the same-device paths DOME uses open the offer too', async () => {
  for (const path of ['/tabs/home', '/protocol-callback']) {
    const offer = await issuer.offer({ pin: false, mandatee });
    const query = new URL(offer.sameDeviceLink).search;
    const { context, page, problems } = await launchProfile(newProfileDir());
    await page.goto(`${WALLET_URL}${path}${query}`);
    await offerScreen(page);
    assert.equal((await accept(page)).title, 'Credential received');
    assert.deepEqual(problems, []);
    await context.close();
  }
});

test('a credential in plain words, and deleting it tells the issuer and removes its key', async () => {
  const offer = await issuer.offer({ pin: false, mandatee, mandator });
  const { context, page, problems } = await launchProfile(newProfileDir());
  await page.goto(offer.sameDeviceLink);
  await offerScreen(page);
  assert.equal((await accept(page)).title, 'Credential received');
  const before = await storedCounts(page);
  await credentialItems(page);
  await page.getByRole('list', { name: 'Credentials' }).getByRole('button', { name: /Ana García/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Employee mandate' }).waitFor();
  const detail = await page.getByRole('main').innerText();
  assert.match(detail, /GoodAir S\.L\. empowers Ana García/);
  assert.match(detail, /May execute Onboarding in DOME/);
  assert.match(detail, /May create, update and delete Product Offering in DOME/);
  assert.match(detail, /VATES-B12345678/);
  assert.match(detail, /Signature\s+verified/);
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('heading', { level: 1, name: 'Delete this credential?' }).waitFor();
  await page.getByRole('button', { name: 'Keep it' }).click();
  await page.getByRole('heading', { level: 1, name: 'Employee mandate' }).waitFor();
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
  assert.deepEqual(await credentialItems(page), []);
  assert.deepEqual(await storedCounts(page), { credentials: 0, keys: before.keys - 1 }, 'its key went with it');
  assert.deepEqual(await notified(offer.id, ['credential_accepted', 'credential_deleted']), ['credential_accepted', 'credential_deleted']);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a credential received joins the list without the stored ones being read again', async () => {
  const { context, page, problems } = await launchProfile(newProfileDir());
  // The interface's reads of the stored credentials (the engine reads in its own worker).
  await page.addInitScript(() => {
    window.__credentialReads = 0;
    const getAll = IDBObjectStore.prototype.getAll;
    IDBObjectStore.prototype.getAll = function (...args) {
      if (this.name === 'credentials') window.__credentialReads += 1;
      return getAll.apply(this, args);
    };
  });
  const reads = () => page.evaluate(() => window.__credentialReads);
  let before = 0;
  // Into an empty wallet, then beside a credential.
  for (const firstName of ['Ana', 'Berta']) {
    const offer = await issuer.offer({ pin: false, status: 'revocation', mandatee: { ...mandatee, firstName } });
    await page.goto(offer.sameDeviceLink);
    await offerScreen(page);
    await page.waitForFunction(() => window.__credentialReads === 1); // the list, read as the wallet opened
    before = await reads();
    assert.equal((await accept(page)).title, 'Credential received');
    assert.equal(await reads(), before, `${firstName}: no read of the stored credentials in the exchange`);
  }
  await page.getByRole('button', { name: 'See your credentials' }).click();
  await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
  const cards = page.getByRole('list', { name: 'Credentials' }).getByRole('listitem');
  await cards.nth(1).waitFor();
  const items = await cards.allInnerTexts();
  assert.equal(items.length, 2);
  assert.match(items[0], /Berta García/, 'newest first');
  assert.match(items[1], /Ana García/);
  // The status check after receipt comes to the list the same way.
  await page.waitForFunction(() => document.querySelectorAll('ul.credentials > li .state').length === 2);
  await page.waitForTimeout(2500);
  assert.equal(await reads(), before, 'the second credential and its status came without reading the stored ones');
  assert.deepEqual(problems, []);
  await context.close();
});
