// Issue 6: an optional trusted issuers registry (EBSI TIR v4), set in Settings; the credential's
// detail then says whether its issuer is listed. The sandbox issuer serves such a registry at
// /tir that lists itself (or, when told so, nobody).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectHttpError, launchProfile, newProfileDir } from '../lib/browser.mjs';
import { issuer } from '../lib/peers.mjs';
import { accept, offerScreen } from '../lib/wallet.mjs';
import { ISSUER_URL, WALLET_URL } from '../lib/env.mjs';

async function setRegistry(page, url) {
  await page.goto(`${WALLET_URL}/settings`);
  await page.getByRole('heading', { level: 2, name: 'Trusted issuers registry' }).waitFor();
  await page.getByRole('textbox', { name: 'Registry address' }).fill(url);
  await page.getByRole('button', { name: 'Save' }).click();
  const note = page.getByRole('status').filter({ hasText: /Saved|Off|not a secure/ });
  await note.waitFor({ timeout: 15000 });
  return note.innerText();
}

async function issuerInDetail(page) {
  await page.goto(`${WALLET_URL}/`);
  await page.getByRole('list', { name: 'Credentials' }).getByRole('button', { name: /Ana García/ }).click();
  await page.getByRole('heading', { level: 1, name: 'Employee mandate' }).waitFor();
  return page.getByRole('main').innerText();
}

test('off by default; set, the detail says whether the issuer is listed', async () => {
  const { context, page, problems } = await launchProfile(newProfileDir());
  try {
    const offer = await issuer.offer({ pin: false, mandatee: { firstName: 'Ana', lastName: 'García' } });
    await page.goto(offer.sameDeviceLink);
    await offerScreen(page);
    assert.equal((await accept(page)).title, 'Credential received');
    assert.doesNotMatch(await issuerInDetail(page), /registry/i, 'off by default: no registry is asked');

    assert.equal(await setRegistry(page, `${ISSUER_URL}/tir`), 'Saved.');
    assert.match(await issuerInDetail(page), /Trusted issuers registry\s+listed, for LEARCredentialEmployee/);

    await issuer.setListedInRegistry(false);
    assert.match(await issuerInDetail(page), /Trusted issuers registry\s+not listed/);
    expectHttpError(problems, /^HTTP 404: GET .*\/tir\/v4\/issuers\/did:key:/);

    // Refused: not https (nothing saved: the registry stays as it was).
    assert.match(await setRegistry(page, 'http://registry.example.org/'), /not a secure \(https\) address/);
    await issuer.setListedInRegistry(true);
    assert.match(await issuerInDetail(page), /Trusted issuers registry\s+listed/);

    assert.equal(await setRegistry(page, ''), 'Off: no registry is asked.');
    assert.doesNotMatch(await issuerInDetail(page), /registry/i);
    // Kept across a reload: the field shows what is set.
    await setRegistry(page, `${ISSUER_URL}/tir`);
    await page.reload();
    await page.getByRole('heading', { level: 2, name: 'Trusted issuers registry' }).waitFor();
    const field = page.getByRole('textbox', { name: 'Registry address' });
    await page.waitForFunction(() => document.getElementById('registry')?.value !== '');
    assert.equal(await field.inputValue(), `${ISSUER_URL}/tir`);
    assert.deepEqual(problems, []);
  } finally {
    await issuer.setListedInRegistry(true);
    await context.close();
  }
});
