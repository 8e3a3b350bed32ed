// Issue 5: scanning QR codes with the camera (Chromium's fake camera, fed a .y4m picture of a
// generated code), reading an image of one, and opening the wallet from links.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchProfile, newProfileDir } from '../lib/browser.mjs';
import { HEIGHT, launchWithCamera, qrImage, RECORD_TRACKS, trackStates, WIDTH } from '../lib/camera.mjs';
import { issuer, verifier } from '../lib/peers.mjs';
import { accept, credentialItems, main, offerScreen, screenAfterWork } from '../lib/wallet.mjs';
import { WALLET_URL } from '../lib/env.mjs';

const mandatee = { firstName: 'Ana', lastName: 'García', email: 'ana@goodair.example', employeeId: 'E-42' };
const mandator = { organization: 'GoodAir S.L.', organizationIdentifier: 'VATES-B12345678', commonName: 'Luis Pérez', country: 'ES' };

const status = (page, text) => page.getByRole('status').filter({ hasText: text });
const heading = (page, name) => page.getByRole('heading', { level: 1, name });
const cameraRequests = (page) => page.evaluate(() => window.__cameraRequests);

/** Waits until `check()` is true (polling), or fails with `what`. */
async function eventually(check, what, timeout = 10000) {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Pretends the tab is hidden or shown again (as switching tabs or apps does). */
function setHidden(page, hidden) {
  return page.evaluate((hidden) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

test('an offer QR code starts receiving the credential; the camera stops once it is read', async () => {
  const offer = await issuer.offer({ pin: true, mandatee, mandator });
  const { context, page, problems } = await launchWithCamera(offer.offerUri);
  await page.goto(`${WALLET_URL}/scan`);
  const shown = await offerScreen(page);
  assert.match(shown, /DOME Sandbox Issuer/);
  assert.match(shown, /Employee mandate/);
  assert.equal(await page.getByRole('button', { name: 'Accept' }).count(), 1);
  assert.deepEqual(await trackStates(page), ['ended'], 'the camera was released when the code was read');
  const outcome = await accept(page, offer.pin);
  assert.equal(outcome.title, 'Credential received', outcome.text);
  assert.match((await credentialItems(page)).join('\n'), /Ana García/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('a login request QR code opens the consent screen, and Share signs in', async () => {
  const request = await verifier.request({ style: 'v1', responseMode: 'direct_post.jwt' });
  const { context, page, problems } = await launchWithCamera(request.link);
  const offer = await issuer.offer({ pin: false, mandatee, mandator });
  await page.goto(offer.sameDeviceLink);
  await offerScreen(page);
  assert.equal((await accept(page)).title, 'Credential received');
  assert.equal(await cameraRequests(page), 0, 'receiving by link used no camera');

  await page.goto(`${WALLET_URL}/scan`);
  await heading(page, 'Share your credential?').waitFor({ timeout: 15000 });
  assert.match(await main(page).innerText(), /Employee mandate · Ana García · GoodAir S\.L\./);
  assert.deepEqual(await trackStates(page), ['ended']);
  await page.getByRole('button', { name: 'Share' }).click();
  const done = await screenAfterWork(page);
  assert.equal(done.title, 'Done', done.text);
  const state = await verifier.state(request.id);
  assert.equal(state.verified, true, JSON.stringify(state));
  assert.deepEqual(problems, []);
  await context.close();
});

test('a QR code that is no wallet request says so and shows what it held; Back does not read it again', async () => {
  const text = 'WIFI:S:GoodAir guests;T:WPA;P:correct horse battery staple;;';
  const { context, page, problems } = await launchWithCamera(text);
  await page.goto(`${WALLET_URL}/scan`);
  await heading(page, 'Not a wallet request').waitFor({ timeout: 15000 });
  assert.match(await main(page).innerText(), /neither a credential offer nor a login request/);
  assert.match(await main(page).innerText(), /correct horse battery staple/);
  assert.deepEqual(await trackStates(page), ['ended']);

  // Back to the Scan page: the camera starts again, and the same code, still in sight, is not
  // handed over again.
  await page.getByRole('button', { name: 'Back' }).click();
  await status(page, 'Looking for a QR code').waitFor();
  await eventually(async () => (await trackStates(page)).join() === 'ended,live', 'the camera again');
  const frames = await page.evaluate(() => window.__frames);
  await eventually(async () => (await page.evaluate(() => window.__frames)) > frames + 3, 'frames read again');
  assert.equal(await heading(page, 'Scan').count(), 1, 'still scanning');

  // Leaving the page releases the camera.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Credentials' }).click();
  await heading(page, 'Credentials').waitFor();
  await eventually(async () => (await trackStates(page)).every((s) => s === 'ended'), 'the camera released');
  assert.deepEqual(problems, []);
  await context.close();
});

test('reading frames continuously keeps the page responsive; hiding the tab or Stop releases the camera', async () => {
  const { context, page, problems } = await launchWithCamera(null);
  await page.goto(`${WALLET_URL}/scan`);
  await status(page, 'Looking for a QR code').waitFor();
  assert.deepEqual(await trackStates(page), ['live']);
  // Frames keep going to the reader (about 8 a second) while the main thread stays free.
  const { frames, longest } = await page.evaluate(() => new Promise((resolve) => {
    let longest = 0;
    const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => { longest = Math.max(longest, e.duration); }));
    observer.observe({ type: 'longtask' });
    const start = window.__frames;
    setTimeout(() => { observer.disconnect(); resolve({ frames: window.__frames - start, longest }); }, 3000);
  }));
  assert.ok(frames >= 6, `${frames} frames read in 3 s`);
  assert.ok(longest < 200, `the longest task on the main thread took ${longest} ms`);

  await setHidden(page, true);
  await eventually(async () => (await trackStates(page)).join() === 'ended', 'the camera released while hidden');
  await setHidden(page, false);
  await eventually(async () => (await trackStates(page)).join() === 'ended,live', 'the camera back when shown');
  await status(page, 'Looking for a QR code').waitFor();

  await page.getByRole('button', { name: 'Stop the camera' }).click();
  await status(page, 'The camera is off.').waitFor();
  assert.deepEqual(await trackStates(page), ['ended', 'ended']);
  await page.getByRole('button', { name: 'Start the camera' }).click();
  await status(page, 'Looking for a QR code').waitFor();
  assert.deepEqual(await trackStates(page), ['ended', 'ended', 'live']);
  await page.goBack();
  await eventually(async () => (await trackStates(page)).every((s) => s === 'ended'), 'the camera released');
  assert.deepEqual(problems, []);
  await context.close();
});

/** Gives the engine worker (the QR reader) a stand-in BarcodeDetector (Chromium on Linux has none) that
 *  sees `text` in camera-sized pictures and nothing in others. */
function fakeBarcodeDetector(context, text) {
  return context.route(/\/engine-loader-[0-9a-f]+\.js$/, async (route) => {
    const loader = await (await route.fetch()).text();
    await route.fulfill({
      contentType: 'text/javascript',
      body: `self.BarcodeDetector = class {
        static async getSupportedFormats() { return ['aztec', 'qr_code']; }
        constructor(options) { if (options.formats.join() !== 'qr_code') throw new TypeError('formats'); }
        async detect(source) { return source.width === ${WIDTH} && source.height === ${HEIGHT} ? [{ rawValue: ${JSON.stringify(text)} }] : []; }
      };
      ${loader}`,
    });
  });
}

test("the browser's BarcodeDetector reads camera frames where there is one", async () => {
  const { context, page, problems } = await launchWithCamera(null);
  await fakeBarcodeDetector(context, 'Seen by BarcodeDetector');
  await page.goto(`${WALLET_URL}/scan`);
  await heading(page, 'Not a wallet request').waitFor({ timeout: 15000 });
  assert.match(await main(page).innerText(), /Seen by BarcodeDetector/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("an image the BarcodeDetector finds nothing in goes through the wallet's reader (light on dark too)", async () => {
  const { context, page, problems } = await launchProfile(newProfileDir());
  await fakeBarcodeDetector(context, 'not in images');
  const offer = await issuer.offer({ pin: false, mandatee });
  await page.goto(`${WALLET_URL}/scan`);
  await status(page, 'No camera was found.').waitFor();
  await page.getByLabel('Choose an image of a QR code').setInputFiles(qrImage(offer.offerUri, { width: 400, height: 300, invert: true }));
  await offerScreen(page);
  assert.deepEqual(problems, []);
  await context.close();
});

test('with several cameras, one can be chosen', async () => {
  const { context, page, problems } = await launchProfile(newProfileDir(), {
    args: ['--use-fake-device-for-media-stream=device-count=2', '--use-fake-ui-for-media-stream'],
  });
  await context.addInitScript(RECORD_TRACKS);
  await page.goto(`${WALLET_URL}/scan`);
  const picker = page.getByRole('combobox', { name: 'Which camera' });
  await picker.waitFor();
  assert.deepEqual(await picker.getByRole('option').allInnerTexts(), ['fake_device_0', 'fake_device_1']);
  const first = await picker.inputValue();
  const other = (await picker.getByRole('option').evaluateAll((options) => options.map((o) => o.value))).find((v) => v !== first);
  await picker.selectOption(other);
  await eventually(async () => (await trackStates(page)).join() === 'ended,live', 'the other camera');
  const used = await page.evaluate(() => window.__tracks[1].getSettings().deviceId);
  assert.equal(used, other);
  assert.equal(await picker.inputValue(), other);
  assert.deepEqual(problems, []);
  await context.close();
});

test('camera refused: how to allow it in plain words, and an image or a pasted link still work', async () => {
  const offer = await issuer.offer({ pin: false, mandatee });
  const { context, page, problems } = await launchWithCamera(offer.offerUri, { allow: false });
  await page.goto(`${WALLET_URL}/scan`);
  await status(page, 'The wallet is not allowed to use the camera.').waitFor();
  const text = await main(page).innerText();
  assert.match(text, /allow the camera for this site/);
  assert.match(text, /choose an image of the QR code or paste its link/);
  assert.equal(await page.getByRole('button', { name: 'Try again' }).count(), 1);
  assert.equal(await page.getByRole('textbox', { name: 'Paste a link' }).count(), 1);
  assert.deepEqual(await trackStates(page), [], 'no camera');

  // A picture without a code, a file that is no picture, then the code.
  const input = page.getByLabel('Choose an image of a QR code');
  await input.setInputFiles(qrImage(null));
  await status(page, 'No QR code was found in this image.').waitFor();
  await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture') });
  await status(page, 'could not be opened as an image').waitFor();
  await input.setInputFiles(qrImage(offer.offerUri));
  await offerScreen(page);
  assert.equal((await accept(page)).title, 'Credential received');
  assert.deepEqual(problems, []);
  await context.close();
});

test('same-device links open the wallet in a new tab, beside a wallet tab already open', async () => {
  const { context, page, problems } = await launchProfile(newProfileDir());
  await page.goto(`${WALLET_URL}/`);
  await heading(page, 'Credentials').waitFor();

  const offer = await issuer.offer({ pin: true, mandatee, mandator });
  const opened = context.waitForEvent('page');
  await page.evaluate((href) => window.open(href, '_blank'), offer.sameDeviceLink);
  const tab = await opened;
  await offerScreen(tab);
  assert.equal((await accept(tab, offer.pin)).title, 'Credential received');

  const request = await verifier.request({ style: 'v1' });
  const loginTab = await context.newPage();
  await loginTab.goto(request.sameDeviceLink);
  await heading(loginTab, 'Share your credential?').waitFor({ timeout: 15000 });
  await loginTab.getByRole('button', { name: 'Share' }).click();
  assert.equal((await screenAfterWork(loginTab)).title, 'Done');
  assert.equal((await verifier.state(request.id)).verified, true);
  assert.match((await credentialItems(page)).join('\n'), /Ana García/, 'the first tab sees the credential');
  assert.deepEqual(problems, []);
  await context.close();
});

test('links handed over by the browser (/scan?link=…) open without the camera', async () => {
  const { context, page, problems } = await launchProfile(newProfileDir());
  await context.addInitScript(RECORD_TRACKS);
  const offer = await issuer.offer({ pin: false, mandatee, mandator });
  const offerLink = offer.offerUri.replace(/^openid-credential-offer:/, 'web+openid-credential-offer:');
  await page.goto(`${WALLET_URL}/scan?link=${encodeURIComponent(offerLink)}`);
  await offerScreen(page);
  assert.equal(new URL(page.url()).search, '', 'the link leaves the address bar');
  assert.equal((await accept(page)).title, 'Credential received');

  const request = await verifier.request({ style: 'v1' });
  const loginLink = request.link.replace(/^openid4vp:/, 'web+openid4vp:');
  await page.goto(`${WALLET_URL}/scan?link=${encodeURIComponent(loginLink)}`);
  await heading(page, 'Share your credential?').waitFor({ timeout: 15000 });
  assert.equal(await cameraRequests(page), 0, 'the camera was not started');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the wallet offers to open wallet links; Chromium refuses those scheme names', async () => {
  const { context, page, problems } = await launchProfile(newProfileDir());
  await page.goto(`${WALLET_URL}/scan`);
  const register = page.getByRole('button', { name: 'Use this wallet for wallet links' });
  // The HTML standard allows only letters after "web+": Chromium refuses both names.
  await register.click();
  await status(page, 'does not let a web page open these links').waitFor();

  // A browser that accepts them is asked for both, with the wallet's handler address.
  await context.addInitScript(() => {
    window.__registered = [];
    Navigator.prototype.registerProtocolHandler = function (scheme, url) { window.__registered.push([scheme, url]); };
  });
  await page.reload();
  await register.click();
  await status(page, 'such links open in this wallet').waitFor();
  assert.deepEqual(await page.evaluate(() => window.__registered), [
    ['web+openid-credential-offer', `${WALLET_URL}/scan?link=%s`],
    ['web+openid4vp', `${WALLET_URL}/scan?link=%s`],
  ]);
  assert.deepEqual(problems, []);
  await context.close();
});
