// Issue 7, item 4: the wallet lock. With a passphrase or a passkey (WebAuthn PRF, Chromium's
// virtual authenticator), credentials and activity are encrypted at rest, nothing is readable
// while locked (on screen or in IndexedDB), journeys that arrive wait for the unlock, the wallet
// locks itself after idle time, and the lock can be changed and turned off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchProfile, newProfileDir } from '../lib/browser.mjs';
import { issuer, verifier } from '../lib/peers.mjs';
import { accept, credentialItems, offerScreen, main, screenAfterWork } from '../lib/wallet.mjs';
import { WALLET_URL } from '../lib/env.mjs';

const mandatee = { firstName: 'Ana', lastName: 'García', email: 'ana@goodair.example', employeeId: 'E-42' };
const mandator = { organization: 'GoodAir S.L.', organizationIdentifier: 'VATES-B12345678', commonName: 'Luis Pérez', country: 'ES' };
const PASSPHRASE = 'correct horse battery staple';
/** Plaintext of the credential and its activity that must not be on disk while the lock is on. */
const SECRETS = ['García', 'GoodAir', 'ana@goodair.example', 'VATES-B12345678', 'DOME Sandbox Issuer'];

/**
 * Everything the wallet stored in IndexedDB as text, as someone reading the browser's files
 * would see it: strings, and bytes decoded both as UTF-8 and as Latin-1.
 */
function storedText(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('dome-wallet');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const names = [...db.objectStoreNames];
      const tx = db.transaction(names);
      const parts = [];
      const dump = (v) => {
        if (typeof v === 'string') parts.push(v);
        else if (typeof v === 'number' || typeof v === 'boolean') parts.push(String(v));
        else if (v instanceof CryptoKey) parts.push('[CryptoKey]');
        else if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
          const bytes = new Uint8Array(v instanceof ArrayBuffer ? v : v.buffer);
          parts.push(new TextDecoder('utf-8').decode(bytes), new TextDecoder('latin1').decode(bytes));
        } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { parts.push(k); dump(x); }
      };
      for (const name of names) {
        const req = tx.objectStore(name).getAll();
        req.onsuccess = () => dump(req.result);
      }
      tx.oncomplete = () => { db.close(); resolve(parts.join('\n')); };
      tx.onerror = () => reject(tx.error);
    };
  }));
}

function assertNoPlaintext(text, secrets = SECRETS) {
  for (const s of secrets) assert.ok(!text.includes(s), `${JSON.stringify(s)} is readable in IndexedDB`);
}

/** Opens the wallet's database in the page and runs `fn(db, arg)` (a test hook reading or
 * writing IndexedDB as any script of the origin could). Sent as an expression, not through
 * `eval`, which the Content-Security-Policy forbids. */
function withDb(page, fn, arg = null) {
  const opener = (fn, arg) => new Promise((resolve, reject) => {
    const open = indexedDB.open('dome-wallet');
    open.onerror = () => reject(open.error);
    open.onsuccess = async () => {
      try { resolve(await fn(open.result, arg)); } catch (e) { reject(e); } finally { open.result.close(); }
    };
  });
  return page.evaluate(`(${opener})(${fn}, ${JSON.stringify(arg)})`);
}

const readLockRecord = (db) => new Promise((resolve) => {
  const req = db.transaction('vault').objectStore('vault').get('lock');
  req.onsuccess = () => resolve(req.result ? { idleSeconds: req.result.idleSeconds, passphrase: !!req.result.passphrase, passkey: !!req.result.passkey, failures: req.result.failures } : null);
});

/**
 * Opens an offer link and accepts it. Opening a link loads the page again, which locks a
 * wallet whose lock is on (the data key lives only in the running engine): `passphrase` unlocks it.
 */
async function receive(page, who = mandatee, passphrase = null) {
  const offer = await issuer.offer({ pin: false, mandatee: who, mandator });
  await page.goto(offer.sameDeviceLink);
  if (passphrase) {
    await lockScreen(page);
    assert.equal(await unlock(page, passphrase), '');
  }
  await offerScreen(page);
  assert.equal((await accept(page)).title, 'Credential received');
}

/**
 * Goes to a page of the wallet through its navigation, as a person would: loading an address
 * instead would start the page again, locked.
 */
async function navigate(page, name) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

/** The credentials on the Credentials page, reached through the navigation. */
async function items(page) {
  await navigate(page, 'Credentials');
  const list = page.getByRole('list', { name: 'Credentials' });
  await list.getByRole('listitem').first().waitFor({ timeout: 15000 });
  return list.getByRole('listitem').allInnerTexts();
}

/** Settings: loaded when the wallet is not open yet, else through the navigation. */
async function openSettings(page, origin = WALLET_URL) {
  if (page.url().startsWith('http')) await navigate(page, 'Settings');
  else await page.goto(`${origin}/settings`);
  await page.getByRole('heading', { level: 2, name: 'Wallet lock' }).waitFor();
}

/** Waits for the lock section's status line to say `pattern`. */
async function lockSays(page, pattern) {
  await page.waitForFunction((source) => {
    const status = document.querySelector('section[aria-labelledby="lock-h"] [role=status]');
    return status && new RegExp(source).test(status.textContent);
  }, pattern.source, { timeout: 20000 });
}

async function turnOnWithPassphrase(page, passphrase = PASSPHRASE) {
  await openSettings(page);
  await page.getByLabel('New passphrase', { exact: true }).fill(passphrase);
  await page.getByLabel('Repeat the new passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Turn on the lock', exact: true }).click();
  await lockSays(page, /The lock is on/);
}

async function lockNow(page) {
  await openSettings(page);
  await page.getByRole('button', { name: 'Lock now' }).click();
  await lockScreen(page);
}

async function lockScreen(page) {
  await page.getByRole('heading', { level: 1, name: 'Wallet locked' }).waitFor({ timeout: 15000 });
}

/** Types the passphrase on the lock screen; resolves when the lock screen is gone or says why not. */
async function unlock(page, passphrase) {
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await page.waitForFunction(() => {
    const heading = document.querySelector('main h1');
    const alert = document.querySelector('main [role=alert]');
    return (heading && heading.textContent !== 'Wallet locked') || (alert && alert.textContent && !/Unlocking/.test(alert.textContent));
  }, null, { timeout: 20000 });
  const alert = page.locator('main [role=alert]');
  return (await alert.count()) ? alert.innerText() : '';
}

test('a passphrase lock: encrypted at rest, nothing readable while locked or after a reload, all back once unlocked', async () => {
  const { context, page, problems } = await launchProfile(newProfileDir());
  // Every console message of the page and the engine worker, to look for the passphrase.
  const logged = [];
  page.on('console', (m) => logged.push(m.text()));
  await receive(page);
  const before = await storedText(page);
  // The check below can see plaintext: before the lock, the name is there.
  assert.ok(before.includes('García') && before.includes('DOME Sandbox Issuer'));
  const jwtStart = before.match(/eyJ[A-Za-z0-9_-]{30}/)[0];

  await turnOnWithPassphrase(page);
  const { idleSeconds, passphrase, passkey } = await withDb(page, readLockRecord);
  assert.deepEqual({ idleSeconds, passphrase, passkey }, { idleSeconds: 900, passphrase: true, passkey: false }, 'on with a passphrase, auto-lock 15 minutes');
  const sealed = await storedText(page);
  assertNoPlaintext(sealed, [...SECRETS, jwtStart]);
  assert.match((await items(page)).join('\n'), /Ana García/, 'still readable while unlocked');

  await lockNow(page);
  assert.doesNotMatch(await main(page).innerText(), /García|GoodAir/);
  for (const path of ['/', '/activity', '/settings', '/scan']) {
    await page.goto(`${WALLET_URL}${path}`);
    await lockScreen(page);
    assert.doesNotMatch(await main(page).innerText(), /García|GoodAir|did:key/, path);
  }
  await page.reload();
  await lockScreen(page);
  assertNoPlaintext(await storedText(page), [...SECRETS, jwtStart]);

  assert.match(await unlock(page, 'not the passphrase'), /does not unlock this wallet/);
  await lockScreen(page);
  assert.equal(await unlock(page, PASSPHRASE), '');
  assert.match((await items(page)).join('\n'), /Employee mandate[\s\S]*Ana García[\s\S]*GoodAir S\.L\./);
  await navigate(page, 'Activity');
  await page.getByRole('list', { name: 'Activity' }).getByRole('listitem').first().waitFor();
  assert.match(await main(page).innerText(), /DOME Sandbox Issuer/, 'the activity log reads again');
  // Still encrypted at rest while unlocked.
  assertNoPlaintext(await storedText(page), [...SECRETS, jwtStart]);
  const stored = await storedText(page);
  assert.ok(!stored.includes(PASSPHRASE) && !stored.includes('not the passphrase'), 'no passphrase stored');
  await page.evaluate(() => console.info('lock test: the console is watched'));
  await page.waitForTimeout(100);
  assert.ok(logged.includes('lock test: the console is watched'), 'the console is watched');
  assert.ok(logged.every((line) => !line.includes(PASSPHRASE) && !line.includes('not the passphrase')), `no passphrase logged: ${logged.join(' | ')}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('wrong passphrases are counted across reloads: after five, even the right one must wait', async () => {
  const { context, page, problems } = await launchProfile(newProfileDir());
  await turnOnWithPassphrase(page);
  await lockNow(page);
  for (let i = 1; i <= 4; i++) assert.match(await unlock(page, `wrong ${i}`), /does not unlock this wallet/, `guess ${i}`);
  assert.match(await unlock(page, 'wrong 5'), /Too many wrong tries\. Try again in 30 seconds\./);
  await page.reload();
  await lockScreen(page);
  assert.match(await unlock(page, PASSPHRASE), /Too many wrong tries\. Try again in \d+ seconds\./, 'the wait survives a reload');
  await lockScreen(page);
  assert.equal((await withDb(page, readLockRecord)).failures, 5);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the wallet locks itself after the idle time, and input in the tab keeps it unlocked', async () => {
  const { context, page, problems } = await launchProfile(newProfileDir());
  await receive(page);
  await turnOnWithPassphrase(page);
  await page.getByLabel('Lock automatically after').selectOption({ label: '1 minute without use' });
  await lockSays(page, /Saved\./);
  assert.equal((await withDb(page, readLockRecord)).idleSeconds, 60, 'Settings stores the choice');
  // Test hook: a shorter idle time written straight into the lock record (the engine accepts
  // any whole number of seconds up to an hour; a shorter time can only lock sooner).
  await withDb(page, (db) => new Promise((resolve) => {
    const store = db.transaction('vault', 'readwrite').objectStore('vault');
    const req = store.get('lock');
    req.onsuccess = () => { store.put({ ...req.result, idleSeconds: 3 }, 'lock').onsuccess = () => resolve(); };
  }));
  await page.reload();
  await lockScreen(page);
  assert.equal(await unlock(page, PASSPHRASE), '');
  assert.match((await items(page)).join('\n'), /Ana García/);
  // Keep using the wallet for 6 s (twice the idle time): it stays unlocked.
  const busyUntil = Date.now() + 6000;
  for (let x = 10; Date.now() < busyUntil; x = (x + 37) % 300) {
    await page.mouse.move(x, 200);
    await page.waitForTimeout(400);
  }
  assert.equal(await page.getByRole('heading', { level: 1, name: 'Wallet locked' }).count(), 0, 'input keeps it unlocked');
  const idleFrom = Date.now();
  await lockScreen(page);
  const lockedAfter = Date.now() - idleFrom;
  assert.ok(lockedAfter >= 1500 && lockedAfter < 8000, `locked ${lockedAfter} ms after the last input`);
  assert.doesNotMatch(await main(page).innerText(), /García/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a login link and an offer link arriving while locked wait for the unlock, then go on', async () => {
  const { context, page, problems } = await launchProfile(newProfileDir());
  await receive(page);
  await turnOnWithPassphrase(page);
  await lockNow(page);

  const request = await verifier.request({ style: 'v1', responseMode: 'direct_post' });
  await page.goto(request.sameDeviceLink);
  await lockScreen(page);
  assert.match(await main(page).innerText(), /A request is waiting/);
  assert.equal(new URL(page.url()).search, '', 'the link left the address bar');
  assert.equal((await verifier.state(request.id)).responsesReceived, 0);
  await unlock(page, PASSPHRASE);
  await page.getByRole('heading', { level: 1, name: 'Share your credential?' }).waitFor({ timeout: 15000 });
  assert.match(await main(page).innerText(), /Ana García/);
  await page.getByRole('button', { name: 'Share' }).click();
  const done = await screenAfterWork(page);
  assert.equal(done.title, 'Done', done.text);
  assert.equal((await verifier.state(request.id)).verified, true, 'the login went through after the unlock');

  // An offer while locked: after the unlock it is shown, accepted, and stored encrypted with a
  // holder key stored only wrapped.
  await lockNow(page);
  const offer = await issuer.offer({ pin: false, mandatee: { ...mandatee, firstName: 'Bea', lastName: 'Zubizarreta' }, mandator });
  await page.goto(offer.sameDeviceLink);
  await lockScreen(page);
  assert.match(await main(page).innerText(), /A request is waiting/);
  await unlock(page, PASSPHRASE);
  await offerScreen(page);
  assert.equal((await accept(page)).title, 'Credential received');
  assert.match((await items(page)).join('\n'), /Bea Zubizarreta/);
  assertNoPlaintext(await storedText(page), ['Zubizarreta', ...SECRETS]);
  const keys = await withDb(page, (db) => new Promise((resolve) => {
    const req = db.transaction('keys').objectStore('keys').getAll();
    req.onsuccess = () => resolve(req.result.map((k) => Object.keys(k).sort().join(',')));
  }));
  assert.ok(keys.includes('createdAt,did,wrapped'), `a key made under the lock is stored wrapped: ${keys}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('changing the passphrase, then turning the lock off, decrypts everything and every key still signs', async () => {
  const { context, page, problems } = await launchProfile(newProfileDir());
  await receive(page);
  await turnOnWithPassphrase(page);
  // A credential received under the lock: its key is wrapped.
  await receive(page, { ...mandatee, firstName: 'Bea', lastName: 'Zubizarreta' }, PASSPHRASE);

  await openSettings(page);
  await page.getByLabel('New passphrase', { exact: true }).fill('short');
  await page.getByLabel('Repeat the new passphrase').fill('short');
  await page.getByRole('button', { name: 'Change the passphrase' }).click();
  await lockSays(page, /at least 8 characters/);
  await page.getByLabel('Current passphrase', { exact: true }).fill('not the passphrase');
  await page.getByLabel('New passphrase', { exact: true }).fill('a new passphrase');
  await page.getByLabel('Repeat the new passphrase').fill('a new passphrase');
  await page.getByRole('button', { name: 'Change the passphrase' }).click();
  await lockSays(page, /does not unlock this wallet/);
  await page.getByLabel('Current passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Change the passphrase' }).click();
  await lockSays(page, /Saved\./);

  await lockNow(page);
  assert.match(await unlock(page, PASSPHRASE), /does not unlock this wallet/, 'the old passphrase no longer opens it');
  assert.equal(await unlock(page, 'a new passphrase'), '');

  await openSettings(page);
  await page.getByLabel('Current passphrase', { exact: true }).fill('a new passphrase');
  await page.getByRole('button', { name: 'Turn off the lock' }).click();
  await lockSays(page, /The lock is off/);
  assert.equal(await withDb(page, readLockRecord), null);
  const clear = await storedText(page);
  assert.ok(clear.includes('García') && clear.includes('Zubizarreta'), 'stored in the clear again');
  await page.reload();
  const listed = (await credentialItems(page)).join('\n');
  assert.match(listed, /Ana García/);
  assert.match(listed, /Bea Zubizarreta/);
  // Every key, including the one that was wrapped, signs without the lock.
  await page.goto(`${WALLET_URL}/settings`);
  await page.getByRole('button', { name: 'Check keys' }).click();
  const results = page.getByRole('status').filter({ has: page.locator('li') });
  await results.locator('li').first().waitFor({ timeout: 20000 });
  await page.waitForFunction(() => !document.querySelector('main button[disabled]'), null, { timeout: 20000 });
  const verdicts = await page.locator('ul.checks li p').allInnerTexts();
  assert.ok(verdicts.length >= 2, verdicts.join());
  assert.ok(verdicts.every((v) => v === 'Key works'), verdicts.join());
  assert.deepEqual(problems, []);
  await context.close();
});

test('tabs keep in step: locking in one locks the other, unlocking in one unlocks the other', async () => {
  const { context, page, problems } = await launchProfile(newProfileDir());
  await receive(page);
  await turnOnWithPassphrase(page);
  const other = await context.newPage();
  await other.goto(`${WALLET_URL}/`);
  await other.getByRole('list', { name: 'Credentials' }).waitFor({ timeout: 15000 });
  assert.match(await main(other).innerText(), /Ana García/, 'a new tab opens unlocked when another tab is');

  await lockNow(page);
  await lockScreen(other);
  assert.doesNotMatch(await main(other).innerText(), /García/);
  await unlock(other, PASSPHRASE);
  await other.getByRole('list', { name: 'Credentials' }).waitFor();
  await page.getByRole('heading', { level: 1, name: 'Wallet locked' }).waitFor({ state: 'detached', timeout: 10000 });
  assert.deepEqual(problems, []);
  await context.close();
});

/** A credential record as a wallet without the lock writes it (schema v3). */
function plainCredential(db) {
  return new Promise((resolve) => {
    const record = {
      id: 'seeded', state: 'valid', jwt: 'eyJhbGciOiJFUzI1NiJ9.eyJzZWVkZWQiOnRydWV9.c2ln', format: 'jwt_vc_json',
      configurationId: 'LEARCredentialEmployee', issuerUrl: 'https://issuer.example', issuerName: 'Seeded Issuer',
      holderDid: 'did:key:zDnaeSeeded', receivedAt: Date.now(),
      summary: { type: 'LEARCredentialEmployee', organisation: 'Seeded Org S.A.', mandatee: 'Carla Quintanilla' },
    };
    db.transaction('credentials', 'readwrite').objectStore('credentials').put(record).onsuccess = () => resolve();
  });
}

test('a passkey lock (virtual authenticator with PRF): on, locked, unlocked with the passkey; a passphrase added; a passkey without PRF is refused', async () => {
  // Passkeys need a domain as relying party: the wallet is opened as localhost (IP addresses are refused).
  const origin = WALLET_URL.replace('127.0.0.1', 'localhost');
  const { context, page, problems } = await launchProfile(newProfileDir());
  await openSettings(page, origin);
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const authenticator = (options) => cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, ...options },
  });

  // Without PRF the passkey cannot protect the lock: it stays off.
  const { authenticatorId: noPrf } = await authenticator({ hasPrf: false });
  await page.getByRole('button', { name: 'Turn on the lock with a passkey' }).click();
  await lockSays(page, /cannot be used for the lock/);
  assert.equal(await withDb(page, readLockRecord), null);
  await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: noPrf });

  const { authenticatorId } = await authenticator({ hasPrf: true });
  await withDb(page, plainCredential);
  await page.reload();
  await page.getByRole('button', { name: 'Turn on the lock with a passkey' }).click();
  await lockSays(page, /The lock is on/);
  assert.deepEqual(await withDb(page, readLockRecord).then(({ passphrase, passkey }) => ({ passphrase, passkey })), { passphrase: false, passkey: true });
  assertNoPlaintext(await storedText(page), ['Carla Quintanilla', 'Seeded Org', 'Seeded Issuer', 'eyJzZWVkZWQ']);
  assert.equal((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials.length, 1);

  await page.getByRole('button', { name: 'Lock now' }).click();
  await lockScreen(page);
  await page.reload();
  await lockScreen(page);
  assert.equal(await page.getByLabel('Passphrase', { exact: true }).count(), 0, 'no passphrase to type');
  await page.getByRole('button', { name: 'Unlock with a passkey' }).click();
  await page.getByRole('heading', { level: 1, name: 'Wallet locked' }).waitFor({ state: 'detached', timeout: 15000 });
  assert.match((await items(page)).join('\n'), /Carla Quintanilla/);

  // A passphrase added with the passkey as proof (current passphrase left empty).
  await openSettings(page);
  await page.getByLabel('New passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Repeat the new passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Set a passphrase' }).click();
  await lockSays(page, /Saved\./);
  await page.getByRole('button', { name: 'Lock now' }).click();
  await lockScreen(page);
  assert.equal(await unlock(page, PASSPHRASE), '');
  await page.getByRole('heading', { level: 2, name: 'Wallet lock' }).waitFor();

  // Another authenticator (the passkey is not there): the passkey does not unlock.
  await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
  await authenticator({ hasPrf: true });
  await openSettings(page);
  await page.getByRole('button', { name: 'Lock now' }).click();
  await lockScreen(page);
  await page.getByRole('button', { name: 'Unlock with a passkey' }).click();
  await page.waitForFunction(() => /No passkey was used/.test(document.querySelector('main [role=alert]')?.textContent ?? ''), null, { timeout: 20000 });
  await lockScreen(page);
  assert.deepEqual(problems, []);
  await context.close();
});
