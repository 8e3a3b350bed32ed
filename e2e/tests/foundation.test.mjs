// Issue 2: the wallet starts, owns a non-extractable holder key from its first start, keeps it
// across reloads and browser restarts, and its did:key verifies the wallet's signatures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchProfile, newProfileDir } from '../lib/browser.mjs';
import { WALLET_URL } from '../lib/env.mjs';
import { verifyEs256WithDidKey } from '../lib/didkey.mjs';

async function walletDids(page) {
  await page.goto(`${WALLET_URL}/settings`);
  const list = page.getByRole('list', { name: 'Your identifiers' });
  await list.getByRole('listitem').first().waitFor();
  return list.getByRole('listitem').allInnerTexts();
}

/** Reads the key records straight from IndexedDB, as any script on the page could. */
function readKeyRecords(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('dome-wallet');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const req = db.transaction('keys').objectStore('keys').getAll();
      req.onsuccess = async () => {
        const out = [];
        for (const r of req.result) {
          const priv = r.keyPair.privateKey;
          let exportError = null;
          try { await crypto.subtle.exportKey('jwk', priv); } catch (e) { exportError = e.name; }
          out.push({
            fields: Object.keys(r).sort(),
            did: r.did,
            extractable: priv.extractable,
            type: priv.type,
            algorithm: { name: priv.algorithm.name, namedCurve: priv.algorithm.namedCurve },
            usages: priv.usages,
            exportError,
          });
        }
        db.close();
        resolve(out);
      };
      req.onerror = () => reject(req.error);
    };
  }));
}

test('first start provisions one did:key that survives reloads and browser restarts', async () => {
  const profile = newProfileDir();
  let { context, page, problems } = await launchProfile(profile);
  const first = await walletDids(page);
  assert.equal(first.length, 1);
  assert.match(first[0], /^did:key:zDn[1-9A-HJ-NP-Za-km-z]{40,50}$/);

  await page.reload();
  assert.deepEqual(await walletDids(page), first, 'same DID after a reload');
  assert.deepEqual(problems, []);
  await context.close();

  ({ context, page, problems } = await launchProfile(profile));
  assert.deepEqual(await walletDids(page), first, 'same DID after restarting the browser');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the stored private key is non-extractable and nothing else about it is stored', async () => {
  const { context, page, problems } = await launchProfile(newProfileDir());
  const [did] = await walletDids(page);
  const records = await readKeyRecords(page);
  assert.equal(records.length, 1);
  const [r] = records;
  assert.equal(r.did, did);
  assert.deepEqual(r.fields, ['createdAt', 'did', 'keyPair']);
  assert.equal(r.extractable, false);
  assert.equal(r.type, 'private');
  assert.deepEqual(r.algorithm, { name: 'ECDSA', namedCurve: 'P-256' });
  assert.deepEqual(r.usages, ['sign']);
  assert.equal(r.exportError, 'InvalidAccessError', 'the browser refuses to export the key');
  // No key material in synchronous storage either.
  const local = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.doesNotMatch(local, /"d"|privateKey|BEGIN|pkcs8/i);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a signature made by the wallet verifies with the public key decoded from its did:key", async () => {
  const { context, page, problems } = await launchProfile(newProfileDir());
  const [did] = await walletDids(page);
  await page.getByRole('button', { name: 'Check keys' }).click();
  const result = page.getByRole('status').getByRole('listitem').filter({ hasText: did });
  await result.getByText('Key works').waitFor();
  await result.getByText('Technical details').click();
  const jws = (await result.locator('code.jws').innerText()).trim();
  // Verified here with Node's crypto and an independent did:key decoder.
  const { header, claims } = verifyEs256WithDidKey(jws, did);
  assert.equal(header.alg, 'ES256');
  assert.equal(header.kid, `${did}#${did.slice('did:key:'.length)}`);
  assert.equal(claims.iss, did);
  assert.ok(Math.abs(claims.iat - Date.now() / 1000) < 120, 'iat is now');
  // And a changed statement no longer verifies.
  const [h, , s] = jws.split('.');
  const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, iss: 'did:key:zDnaeAttacker' })).toString('base64url')}.${s}`;
  assert.throws(() => verifyEs256WithDidKey(forged, did), /does not verify/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('navigation between the four pages, with history and deep links', async () => {
  const { context, page, problems } = await launchProfile(newProfileDir());
  await page.goto(`${WALLET_URL}/`);
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const [name, path] of [['Scan', '/scan'], ['Activity', '/activity'], ['Settings', '/settings'], ['Credentials', '/']]) {
    await nav.getByRole('link', { name }).click();
    await page.getByRole('heading', { level: 1, name }).waitFor();
    assert.equal(new URL(page.url()).pathname, path);
    assert.equal(await nav.getByRole('link', { name }).getAttribute('aria-current'), 'page');
  }
  await page.goBack();
  await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
  await page.goto(`${WALLET_URL}/activity`);
  await page.getByRole('heading', { level: 1, name: 'Activity' }).waitFor();
  await page.goto(`${WALLET_URL}/no-such-page`);
  await page.getByRole('heading', { level: 1, name: 'This page does not exist.' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('the layout fits a 360 px phone and uses a side rail on desktop', async () => {
  const { context, page, problems } = await launchProfile(newProfileDir(), { viewport: { width: 360, height: 740 } });
  await walletDids(page);
  const phone = await page.evaluate(() => {
    const nav = document.querySelector('nav').getBoundingClientRect();
    return { scrollWidth: document.documentElement.scrollWidth, navBottom: nav.bottom, navWidth: nav.width, height: innerHeight };
  });
  assert.ok(phone.scrollWidth <= 360, `no horizontal scrolling at 360 px (scrollWidth ${phone.scrollWidth})`);
  assert.equal(Math.round(phone.navBottom), phone.height, 'navigation is a bottom bar on phones');
  assert.equal(Math.round(phone.navWidth), 360);
  await page.setViewportSize({ width: 1280, height: 800 });
  const desktop = await page.evaluate(() => {
    const nav = document.querySelector('nav').getBoundingClientRect();
    const main = document.querySelector('main').getBoundingClientRect();
    return { navLeft: nav.left, navRight: nav.right, mainLeft: main.left };
  });
  assert.equal(desktop.navLeft, 0, 'navigation is a side rail on desktop');
  assert.ok(desktop.mainLeft >= desktop.navRight, 'content sits beside the rail');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the start page loads only the interface; the engine worker starts on first use', async () => {
  const { context, page, problems } = await launchProfile(newProfileDir());
  const requested = [];
  context.on('request', (r) => requested.push(new URL(r.url()).pathname));
  await walletDids(page);
  assert.ok(requested.some((p) => /^\/dome-wallet-[0-9a-f]+_bg\.wasm$/.test(p)), 'the interface module loads');
  assert.deepEqual(requested.filter((p) => p.startsWith('/engine')), [], 'no engine files on the start page');
  await page.getByRole('button', { name: 'Check keys' }).click();
  await page.getByText('Key works').waitFor();
  assert.ok(requested.some((p) => /^\/engine-[0-9a-f]{16}_bg\.wasm$/.test(p)), 'the engine loads when needed');
  assert.deepEqual(problems, []);
  await context.close();
});
