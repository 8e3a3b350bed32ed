// Issue 7: nothing secret in logs or in the Activity page: no private keys, no PINs, no
// pre-authorized codes, no access tokens, no claim values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectHttpError, launchProfile, newProfileDir } from '../lib/browser.mjs';
import { issuer, verifier } from '../lib/peers.mjs';
import { accept, offerScreen, paste, screenAfterWork } from '../lib/wallet.mjs';
import { WALLET_URL } from '../lib/env.mjs';

test('a whole issuance and login leave no secret in the console or the activity log', async () => {
  const mandatee = { firstName: 'Zacarías', lastName: 'Quintanilla', email: 'zq@secret.example', employeeId: 'EMP-777-SECRET' };
  const offer = await issuer.offer({ pin: true, mandatee });
  const code = offer.credentialOffer.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code'];
  const wrongPin = offer.pin === '9999' ? '8888' : '9999';
  const { context, page, problems } = await launchProfile(newProfileDir());
  const logged = [];
  const listen = (target, where) => target.on('console', (m) => logged.push(`${where}: ${m.text()}`));
  listen(page, 'page');
  page.on('worker', (w) => listen(w, 'worker'));

  await page.goto(offer.sameDeviceLink);
  await offerScreen(page);
  await accept(page, wrongPin);
  expectHttpError(problems, /\/token$/);
  assert.equal((await accept(page, offer.pin)).title, 'Credential received');
  const request = await verifier.request({ style: 'v1', responseMode: 'direct_post.jwt' });
  await paste(page, request.link);
  await page.getByRole('button', { name: 'Share' }).click();
  assert.equal((await screenAfterWork(page)).title, 'Done');

  await page.goto(`${WALLET_URL}/activity`);
  await page.getByRole('list', { name: 'Activity' }).getByRole('listitem').first().waitFor();
  // Without the dates, whose digits could equal a 4-digit PIN by chance.
  const activity = await page.evaluate(() => [...document.querySelectorAll('ul.activity li p:not(.when)')].map((p) => p.textContent).join('\n'));
  const stored = await page.evaluate(() => new Promise((resolve) => {
    const open = indexedDB.open('dome-wallet');
    open.onsuccess = () => {
      const req = open.result.transaction('activity').objectStore('activity').getAll();
      req.onsuccess = () => { open.result.close(); resolve(JSON.stringify(req.result.map(({ at, seq, ...rest }) => rest))); };
    };
  }));
  const everything = [...logged, activity, stored].join('\n');
  const secrets = {
    pin: offer.pin, wrongPin, code,
    firstName: mandatee.firstName, lastName: mandatee.lastName, email: mandatee.email, employeeId: mandatee.employeeId,
    accessToken: 'eyJ', // any JWT (access tokens, credentials, proofs, VPs) in a log is a leak
  };
  for (const [name, secret] of Object.entries(secrets)) {
    // Digits count only as a whole number (a PIN inside a longer number is not a leak).
    const pattern = /^\d+$/.test(secret) ? new RegExp(`(?<!\\d)${secret}(?!\\d)`) : null;
    const found = pattern ? pattern.test(everything) : everything.includes(secret);
    assert.ok(!found, `${name} (${secret}) appears in the console or the activity log`);
  }
  assert.match(activity, /Login · done/, 'the log itself is there');
  assert.deepEqual(problems, []);
  await context.close();
});
