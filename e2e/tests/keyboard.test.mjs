// Issue 6: the wallet by keyboard alone (Tab, Shift+Tab, Enter, Space; no clicks): the four pages,
// a credential's detail and back, an offer with a PIN, a login; every focus stop visibly focused,
// focus moved to what replaced the page and brought back when a journey ends; and the markup a
// screen reader relies on (live regions for progress and results, headings, labelled lists).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchProfile, newProfileDir, expectHttpError } from '../lib/browser.mjs';
import { issuer, verifier } from '../lib/peers.mjs';
import { WALLET_URL } from '../lib/env.mjs';
import { SCREENSHOTS } from '../lib/audit.mjs';
import fs from 'node:fs';
import path from 'node:path';

/** A picture of the focus indicator, for review (e2e/artifacts/screenshots/keyboard-*.png). */
async function picture(page, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `keyboard-${name}.png`) });
}

const mandatee = { firstName: 'Ana', lastName: 'García', email: 'ana@goodair.example', employeeId: 'E-42' };
const mandator = { organization: 'GoodAir S.L.', organizationIdentifier: 'VATES-B12345678', commonName: 'Luis Pérez', country: 'ES' };

/** What has focus: its tag, role, accessible-ish name, and whether its focus is visible. */
function focused(page) {
  return page.evaluate(() => {
    const e = document.activeElement;
    if (!e || e === document.body) return { tag: 'body', name: '' };
    // The name as a screen reader gives it, roughly: label, aria-label, or the text without hidden icons.
    const labelled = e.id && document.querySelector(`label[for="${e.id}"]`);
    const shown = e.cloneNode(true);
    shown.querySelectorAll('[aria-hidden="true"]').forEach((n) => n.remove());
    const name = (labelled?.textContent ?? e.getAttribute('aria-label') ?? shown.textContent).trim().replace(/\s+/g, ' ');
    const style = getComputedStyle(e);
    return {
      tag: e.tagName.toLowerCase(),
      role: e.getAttribute('role'),
      name,
      credential: e.getAttribute('data-credential'),
      visible: e.matches(':focus-visible') && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
      onScreen: (() => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight; })(),
    };
  });
}

/**
 * Presses Tab (or Shift+Tab) until the focused element's name matches `name` (and its tag
 * `tag`, when given); every element passed on the way must show a visible focus indicator.
 */
async function tabTo(page, name, { back = false, tag, max = 25 } = {}) {
  const seen = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    seen.push(`${f.tag} "${f.name}"`);
    if (f.tag !== 'body') assert.ok(f.visible, `focus on ${f.tag} "${f.name}" is not visible (no :focus-visible outline)`);
    if (name.test(f.name) && (!tag || f.tag === tag)) return f;
  }
  assert.fail(`${back ? 'Shift+Tab' : 'Tab'} never reached ${name}; focus went through: ${seen.join(' → ')}`);
}

/** Waits until the focus is on the level-1 heading `name` (what replaced the page). */
async function focusOnHeading(page, name) {
  await page.getByRole('heading', { level: 1, name }).waitFor({ timeout: 15000 })
    .catch(async () => assert.fail(`no heading "${name}" at ${page.url()}; the page says: ${await page.locator('main').innerText()}`));
  await page.waitForFunction((n) => document.activeElement?.tagName === 'H1' && document.activeElement.textContent === n, name, { timeout: 5000 })
    .catch(async () => assert.fail(`focus is not on the heading "${name}" but on ${JSON.stringify(await focused(page))}`));
}

/** Goes to a page through the navigation, by keyboard, from wherever the focus is. */
async function navigate(page, name) {
  // The navigation comes before the page's content: Shift+Tab reaches it from inside the page.
  await tabTo(page, new RegExp(`^${name}$`), { back: true, tag: 'a' });
  await page.keyboard.press('Enter');
  await focusOnHeading(page, name);
  assert.equal(new URL(page.url()).pathname, { Credentials: '/', Scan: '/scan', Activity: '/activity', Settings: '/settings' }[name]);
}

/** Pastes `link` into the Scan page's field and presses Open, by keyboard. */
async function pasteLink(page, link) {
  await navigate(page, 'Scan');
  await tabTo(page, /^Paste a link$/, { tag: 'textarea' });
  await page.keyboard.insertText(link);
  await tabTo(page, /^Open$/, { tag: 'button' });
  await page.keyboard.press('Enter');
}

test('the four pages, an offer with a PIN, a credential and back, and a login, by keyboard alone', async () => {
  const { context, page, problems } = await launchProfile(newProfileDir());
  try {
    await page.goto(`${WALLET_URL}/`);
    await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
    await page.getByText('No credentials yet').waitFor();

    // The first Tab reaches the skip link, shown when focused; it leads into the page.
    const skip = await tabTo(page, /^Skip to content$/, { max: 1 });
    assert.ok(skip.onScreen, 'the skip link is shown when focused');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main');

    // The four pages, each announced by focus on its heading.
    await tabTo(page, /^Scan$/, { back: true, tag: 'a' });
    await picture(page, 'nav-link');
    await page.keyboard.press('Enter');
    await focusOnHeading(page, 'Scan');
    for (const name of ['Activity', 'Settings', 'Credentials']) await navigate(page, name);

    // An offer with a PIN: a wrong PIN first.
    const offer = await issuer.offer({ pin: true, mandatee, mandator });
    const wrong = offer.pin === '0000' ? '1111' : '0000';
    await pasteLink(page, offer.offerUri);
    await focusOnHeading(page, 'Credential offer');
    const pin = await tabTo(page, /^PIN$/, { tag: 'input' });
    assert.equal(pin.tag, 'input');
    await page.keyboard.type(wrong);
    await page.keyboard.press('Enter');
    // The refused PIN: the alert is shown and the focus is back in the field, marked invalid.
    await page.getByRole('alert').filter({ hasText: 'PIN was not accepted' }).waitFor({ timeout: 20000 });
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
    // A screen reader reads the field's help and the reason it was refused.
    const described = await page.evaluate(() => document.activeElement.getAttribute('aria-describedby').split(/\s+/).filter(Boolean).map((id) => document.getElementById(id)?.textContent));
    assert.equal(described.length, 2, JSON.stringify(described));
    assert.match(described[0], /Enter the PIN/);
    assert.match(described[1], /PIN was not accepted/);
    await picture(page, 'refused-pin');
    expectHttpError(problems, /^HTTP 400: POST .*\/token$/);
    await page.keyboard.press('Control+A');
    await page.keyboard.type(offer.pin);
    await page.keyboard.press('Enter');
    await focusOnHeading(page, 'Credential received');
    await tabTo(page, /^See your credentials$/, { tag: 'button' });
    await page.keyboard.press('Enter');
    await focusOnHeading(page, 'Credentials');

    // The credential's detail, and back to its card.
    const card = await tabTo(page, /Ana García/, { tag: 'button' });
    await picture(page, 'card');
    await page.keyboard.press('Enter');
    await focusOnHeading(page, 'Employee mandate');
    await tabTo(page, /^Back$/, { tag: 'button' });
    await page.keyboard.press(' ');
    await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
    await page.waitForFunction((id) => document.activeElement?.getAttribute('data-credential') === id, card.credential, { timeout: 5000 })
      .catch(async () => assert.fail(`focus did not return to the card: ${JSON.stringify(await focused(page))}`));

    // A login: the consent screen, Share, Done, Close.
    const request = await verifier.request({ style: 'v1' });
    await pasteLink(page, request.link);
    await focusOnHeading(page, 'Share your credential?');
    await tabTo(page, /^Share$/, { tag: 'button' });
    await picture(page, 'share');
    await page.keyboard.press('Enter');
    await focusOnHeading(page, 'Done');
    assert.equal((await verifier.state(request.id)).verified, true);
    // Close ends the login where it began, on the Scan page.
    await tabTo(page, /^Close$/, { tag: 'button' });
    await page.keyboard.press('Enter');
    await focusOnHeading(page, 'Scan');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('screen reader markup: live regions for progress and results, headings, labelled lists', async () => {
  const { context, page, problems } = await launchProfile(newProfileDir());
  try {
    // Work in progress is announced: while the issuer answers, focus is on the busy status line.
    let release;
    const held = new Promise((r) => { release = r; });
    await context.route('**/token', async (route) => { await held; await route.continue(); });
    const offer = await issuer.offer({ pin: false, mandatee, mandator });
    await page.goto(offer.sameDeviceLink);
    await focusOnHeading(page, 'Credential offer');
    await tabTo(page, /^Accept$/, { tag: 'button' });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'status', null, { timeout: 5000 });
    assert.match(await page.evaluate(() => document.activeElement.textContent), /Requesting your credential/);
    release();
    await focusOnHeading(page, 'Credential received');
    // The outcome is a status too.
    await page.getByRole('status').filter({ hasText: 'checked and stored' }).waitFor();
    await context.unroute('**/token');

    // One level-1 heading per page; the lists are named.
    for (const [path, list] of [['/', 'Credentials'], ['/activity', 'Activity'], ['/settings', 'Your identifiers'], ['/scan', null]]) {
      await page.goto(WALLET_URL + path);
      if (list) await page.getByRole('list', { name: list }).getByRole('listitem').first().waitFor();
      else await page.getByRole('heading', { level: 1 }).waitFor();
      assert.equal(await page.getByRole('heading', { level: 1 }).count(), 1, path);
    }

    // The Scan page's camera status is one live region whose text changes (not a new element).
    const cameraStatus = page.getByRole('status').filter({ hasText: 'No camera was found.' });
    await cameraStatus.waitFor();
    await page.evaluate(() => {
      window.__status = document.getElementById('camera-status');
      window.__changes = [];
      new MutationObserver(() => window.__changes.push(window.__status.textContent)).observe(window.__status, { childList: true, characterData: true, subtree: true });
    });
    await tabTo(page, /^Try again$/, { tag: 'button' });
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.__changes.length >= 2);
    assert.deepEqual(await page.evaluate(() => [window.__status === document.getElementById('camera-status'), window.__status.getAttribute('role'), window.__changes]),
      [true, 'status', ['Starting the camera…', 'No camera was found.']]);

    // The key check's results arrive inside a live region that was there before them.
    await page.goto(`${WALLET_URL}/settings`);
    await page.getByRole('list', { name: 'Your identifiers' }).waitFor();
    const region = page.getByRole('status').filter({ has: page.locator('ul.checks') });
    assert.equal(await region.count(), 1);
    assert.equal(await region.getByRole('listitem').count(), 0);
    await tabTo(page, /^Check keys$/, { tag: 'button' });
    await page.keyboard.press('Enter');
    await region.getByText('Key works').first().waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
