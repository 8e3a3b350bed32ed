// Issue 7: a tab reloaded at any step of an issuance or a presentation leaves the wallet
// consistent: a credential is stored whole or not at all, nothing is sent without consent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchProfile, newProfileDir } from '../lib/browser.mjs';
import { issuer, verifier } from '../lib/peers.mjs';
import { accept, credentialItems, offerScreen, paste, storedCounts } from '../lib/wallet.mjs';

/** Every stored credential is whole: valid with its JWT, or pending with what resumes it. */
function storedWhole(page) {
  return page.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open('dome-wallet');
    open.onsuccess = () => {
      const req = open.result.transaction('credentials').objectStore('credentials').getAll();
      req.onsuccess = () => {
        open.result.close();
        resolve(req.result.every((c) => (c.state === 'valid' && c.jwt?.split('.').length === 3) || (c.state === 'pending' && !!c.deferred)));
      };
    };
  }));
}

test('reloading on the offer screen stores nothing and requests nothing', async () => {
  const offer = await issuer.offer({ pin: true });
  const { context, page, problems } = await launchProfile(newProfileDir());
  await page.goto(offer.sameDeviceLink);
  await offerScreen(page);
  const before = await storedCounts(page);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
  assert.deepEqual(await storedCounts(page), before);
  assert.equal((await issuer.state(offer.id)).state, 'OfferUriRetrieved', 'no token was requested');
  assert.deepEqual(problems, []);
  await context.close();
});

test('reloading while the credential is on its way leaves nothing half-stored', async () => {
  const offer = await issuer.offer({ pin: false });
  const { context, page, problems } = await launchProfile(newProfileDir());
  // Hold the credential request until the page has been reloaded.
  let held;
  const arrived = new Promise((resolve) => { held = resolve; });
  await context.route('**/oid4vci/lear/credential', async (route) => { held(); await new Promise((r) => setTimeout(r, 1500)); await route.abort(); });
  await page.goto(offer.sameDeviceLink);
  await offerScreen(page);
  await page.getByRole('button', { name: 'Accept' }).click();
  await arrived;
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
  await page.waitForTimeout(2000);
  assert.equal(await storedWhole(page), true);
  assert.deepEqual(await credentialItems(page), [], 'no credential, and no half of one');
  await context.unroute('**/oid4vci/lear/credential');
  // The wallet still works: a new offer goes through.
  const again = await issuer.offer({ pin: false });
  await page.goto(again.sameDeviceLink);
  await offerScreen(page);
  assert.equal((await accept(page)).title, 'Credential received');
  assert.equal(await storedWhole(page), true);
  assert.equal((await credentialItems(page)).length, 1);
  assert.deepEqual(problems.filter((p) => !/credential$/.test(p)), []);
  await context.close();
});

test('reloading on the consent screen sends nothing to the verifier', async () => {
  const offer = await issuer.offer({ pin: false });
  const { context, page, problems } = await launchProfile(newProfileDir());
  await page.goto(offer.sameDeviceLink);
  await offerScreen(page);
  assert.equal((await accept(page)).title, 'Credential received');
  const request = await verifier.request({ style: 'v1' });
  await paste(page, request.link);
  await page.getByRole('heading', { level: 1, name: 'Share your credential?' }).waitFor();
  await page.reload();
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.waitForTimeout(500);
  const state = await verifier.state(request.id);
  assert.equal(state.responsesReceived, 0);
  assert.equal(state.verified, false);
  assert.deepEqual(problems, []);
  await context.close();
});
