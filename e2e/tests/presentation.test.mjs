// Issue 4: logging in with a LEARCredentialEmployee at a real OpenID4VP verifier (Credo-ts, the
// sandbox verifier), in the request styles, client identifier prefixes and response modes the
// wallet supports. The credential is first issued by the sandbox issuer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { expectHttpError, launchProfile, newProfileDir } from '../lib/browser.mjs';
import { issuer, verifier } from '../lib/peers.mjs';
import { accept, offerScreen, paste, screenAfterWork, main } from '../lib/wallet.mjs';
import { WALLET_URL } from '../lib/env.mjs';

const mandatee = { firstName: 'Ana', lastName: 'García', email: 'ana@goodair.example', employeeId: 'E-42' };
const mandator = { organization: 'GoodAir S.L.', organizationIdentifier: 'VATES-B12345678', commonName: 'Luis Pérez', country: 'ES' };

let browser;
before(async () => {
  browser = await launchProfile(newProfileDir());
  const offer = await issuer.offer({ pin: false, mandatee, mandator });
  await browser.page.goto(offer.sameDeviceLink);
  await offerScreen(browser.page);
  assert.equal((await accept(browser.page)).title, 'Credential received');
});
after(async () => {
  assert.deepEqual(browser.problems, []);
  await browser.context.close();
});

/** Opens a login request in the wallet and waits for the consent (or refusal) screen. */
async function openRequest(page, request, { sameDevice = false } = {}) {
  if (sameDevice) await page.goto(request.sameDeviceLink);
  else await paste(page, request.link);
  await page.getByRole('heading', { level: 1 }).filter({ hasNotText: 'One moment' }).waitFor({ timeout: 15000 });
  return { title: await page.getByRole('heading', { level: 1 }).innerText(), text: await main(page).innerText() };
}

async function share(page) {
  await page.getByRole('button', { name: 'Share' }).click();
  return screenAfterWork(page);
}

const cases = [
  { style: 'v1', responseMode: 'direct_post', sameDevice: true, shows: /signed by did:key:zDn/ },
  { style: 'v1', responseMode: 'direct_post.jwt', shows: /signed by did:key:zDn/ },
  { style: 'draft24', responseMode: 'direct_post', shows: /signed by did:key:zDn/ },
  { style: 'draft21', responseMode: 'direct_post', shows: /signed by did:key:zDn/ },
  { style: 'draft21', responseMode: 'direct_post.jwt', shows: /signed by did:key:zDn/ },
  { style: 'x509', responseMode: 'direct_post', shows: /certificate for 127\.0\.0\.1/ },
  { style: 'x509', responseMode: 'direct_post.jwt', shows: /certificate for 127\.0\.0\.1/ },
];

for (const c of cases) {
  test(`login: ${c.style}, ${c.responseMode}${c.sameDevice ? ', same-device link' : ', pasted QR text'}`, async () => {
    const { page } = browser;
    const request = await verifier.request({ style: c.style, responseMode: c.responseMode });
    await verifier.clearLog();
    const consent = await openRequest(page, request, { sameDevice: c.sameDevice });
    assert.equal(consent.title, 'Share your credential?', consent.text);
    assert.match(consent.text, c.shows, 'says how the verifier was identified');
    assert.match(consent.text, /Employee mandate · Ana García · GoodAir S\.L\./, 'names the credential');
    assert.match(consent.text, /mandatee › firstName/, 'lists the claims it contains');
    // Nothing left the wallet before Share.
    assert.equal((await verifier.state(request.id)).responsesReceived, 0);
    assert.deepEqual((await verifier.log()).filter((r) => r.method === 'POST'), []);
    const done = await share(page);
    assert.equal(done.title, 'Done', done.text);
    assert.match(done.text, /signed in on the other device/);
    const state = await verifier.state(request.id);
    assert.equal(state.verified, true, JSON.stringify(state));
    assert.deepEqual({ firstName: state.presentedClaims.firstName, organization: state.presentedClaims.organization }, { firstName: 'Ana', organization: 'GoodAir S.L.' });
  });
}

test("login through DOME's same-device form: /protocol/callback?authorization_request=<link>", async () => {
  const { page } = browser;
  const request = await verifier.request({ style: 'v1' });
  await page.goto(`${WALLET_URL}/protocol/callback?authorization_request=${encodeURIComponent(request.link)}`);
  await page.getByRole('heading', { level: 1, name: 'Share your credential?' }).waitFor({ timeout: 15000 });
  assert.equal(new URL(page.url()).search, '', 'the link leaves the address bar');
  assert.equal((await share(page)).title, 'Done');
  assert.equal((await verifier.state(request.id)).verified, true);
});

test('Decline tells the verifier and shares nothing', async () => {
  const { page } = browser;
  const request = await verifier.request({ style: 'v1' });
  await openRequest(page, request);
  await page.getByRole('button', { name: 'Decline' }).click();
  await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
  const state = await verifier.state(request.id);
  assert.equal(state.verified, false);
  assert.equal(state.responsesReceived, 1, 'the verifier got the refusal');
  // Credo answers an access_denied response with HTTP 400; that is the verifier's business.
  expectHttpError(browser.problems, /^HTTP 400: POST .*\/authorize\?session=/);
  assert.equal(state.presentedClaims ?? null, null);
});

test('a request whose signature is broken is refused, and the verifier receives nothing', async () => {
  const { page } = browser;
  const request = await verifier.request({ style: 'v1', brokenSignature: true });
  const refused = await openRequest(page, request);
  assert.equal(refused.title, 'That did not work');
  assert.match(refused.text, /could not be verified|nothing was shared/i);
  assert.equal(await page.getByRole('button', { name: 'Share' }).count(), 0);
  assert.equal((await verifier.state(request.id)).responsesReceived, 0);
});

test('a request is answered only once, even from two tabs', async () => {
  const { page, context } = browser;
  const request = await verifier.request({ style: 'v1' });
  await openRequest(page, request);
  // The same request opened in a second tab of the wallet (Credo serves it again until answered).
  const other = await context.newPage();
  assert.equal((await openRequest(other, request)).title, 'Share your credential?');
  assert.equal((await share(other)).title, 'Done');
  await other.close();
  const replay = await share(page);
  assert.equal(replay.title, 'That did not work');
  assert.match(replay.text, /already answered/);
  assert.equal((await verifier.state(request.id)).responsesReceived, 1, 'the verifier got one answer');
});

test('a same-device login follows the verifier back to its site', async () => {
  const { page } = browser;
  const request = await verifier.request({ style: 'v1', redirect: true });
  await openRequest(page, request, { sameDevice: true });
  await page.getByRole('button', { name: 'Share' }).click();
  await page.waitForURL((url) => !url.href.startsWith(WALLET_URL), { timeout: 15000 });
  assert.ok(page.url().startsWith(new URL(request.link.replace('openid4vp://', 'http://x/')).searchParams.get('request_uri').split('/oid4vp')[0]));
  assert.equal((await verifier.state(request.id)).verified, true);
});

test('the Activity page lists every login and issuance, without claim values', async () => {
  const { page } = browser;
  await page.goto(`${WALLET_URL}/activity`);
  const list = page.getByRole('list', { name: 'Activity' });
  await list.getByRole('listitem').first().waitFor();
  const entries = await list.getByRole('listitem').allInnerTexts();
  const text = entries.join('\n');
  assert.match(text, /Credential received/);
  assert.match(text, /Login · done/);
  assert.match(text, /Login · declined/);
  assert.match(text, /Login · failed/);
  assert.match(text, /Shared: .*credentialSubject\.mandate\.mandatee\.firstName/);
  assert.doesNotMatch(text, /Ana|García|ana@goodair/, 'names claims, never their values');
});
