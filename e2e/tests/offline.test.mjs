// Issue 6: the wallet is installable as an app, and opens offline to read stored credentials.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchProfile, newProfileDir } from '../lib/browser.mjs';
import { issuer } from '../lib/peers.mjs';
import { accept, credentialItems, offerScreen } from '../lib/wallet.mjs';
import { WALLET_URL } from '../lib/env.mjs';

test('installable: a manifest with icons, a service worker, no installability errors', async () => {
  const { context, page, problems } = await launchProfile(newProfileDir());
  await page.goto(`${WALLET_URL}/`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  const manifest = await (await fetch(`${WALLET_URL}/manifest.webmanifest`)).json();
  assert.equal(manifest.start_url, '/');
  assert.equal(manifest.display, 'standalone');
  for (const icon of manifest.icons) assert.equal((await fetch(WALLET_URL + icon.src)).status, 200, icon.src);
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors, []);
  assert.deepEqual(problems, []);
  await context.close();
});

test('offline, the wallet opens and shows the stored credentials', async () => {
  const offer = await issuer.offer({ pin: false, mandatee: { firstName: 'Ana', lastName: 'García' } });
  const { context, page, problems } = await launchProfile(newProfileDir());
  await page.goto(offer.sameDeviceLink);
  await offerScreen(page);
  assert.equal((await accept(page)).title, 'Credential received');
  await page.evaluate(() => navigator.serviceWorker.ready);
  const online = await credentialItems(page); // a reload: now the service worker serves the page
  assert.equal(await page.evaluate(() => !!navigator.serviceWorker.controller), true);

  await context.setOffline(true);
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
  const offline = await page.getByRole('list', { name: 'Credentials' }).getByRole('listitem').allInnerTexts();
  assert.deepEqual(offline, online);
  assert.match(offline.join(), /Ana García/);
  // Its details too (the engine starts from the cache; the signature is checked with WebCrypto).
  await page.getByRole('list', { name: 'Credentials' }).getByRole('button', { name: /Ana García/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Employee mandate' }).waitFor();
  assert.match(await page.getByRole('main').innerText(), /May execute Onboarding in DOME/);
  await context.setOffline(false);
  assert.deepEqual(problems, []);
  await context.close();
});
