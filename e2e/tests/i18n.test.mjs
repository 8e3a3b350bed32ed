// Issue 6: the wallet speaks the user's language (English, Spanish, Catalan, German, French,
// Italian): chosen from the browser, switchable in Settings, kept across visits, in journey
// screens and errors too, with dates in the language's format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectHttpError, launchProfile, newProfileDir } from '../lib/browser.mjs';
import { issuer } from '../lib/peers.mjs';
import { main, screenAfterWork } from '../lib/wallet.mjs';
import { WALLET_URL } from '../lib/env.mjs';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The texts of a language as written, keyed by text id (the build serves them as arrays). */
const texts = (lang) => JSON.parse(fs.readFileSync(path.join(root, 'public', 'i18n', `${lang}.json`), 'utf8'));

const mandatee = { firstName: 'Ana', lastName: 'García', email: 'ana@goodair.example', employeeId: 'E-42' };
const mandator = { organization: 'GoodAir S.L.', organizationIdentifier: 'VATES-B12345678', commonName: 'Luis Pérez', country: 'ES', email: 'legal@goodair.example', serialNumber: 'B12345678' };

const heading = (page, name) => page.getByRole('heading', { level: 1, name, exact: true });
const nav = (page) => page.getByRole('navigation');

test("the browser's language is used when the wallet speaks it; English otherwise", async () => {
  for (const [locale, lang] of [['es-ES', 'es'], ['ca', 'ca'], ['de-AT', 'de'], ['fr-BE', 'fr'], ['it-IT', 'it'], ['pt-BR', 'en']]) {
    const { context, page, problems } = await launchProfile(newProfileDir(), { locale });
    await page.goto(`${WALLET_URL}/settings`);
    if (lang === 'en') {
      await heading(page, 'Settings').waitFor();
    } else {
      const t = texts(lang).shell;
      await heading(page, t.NavSettings).waitFor();
      assert.equal(await nav(page).getByRole('link', { name: t.NavCredentials }).count(), 1, `${locale}: the navigation is translated`);
    }
    assert.equal(await page.locator('html').getAttribute('lang'), lang, `${locale}: <html lang>`);
    assert.equal(await page.getByRole('combobox').inputValue(), lang, `${locale}: the menu shows the language in use`);
    assert.deepEqual(problems, [], locale);
    await context.close();
  }
});

test('the language chosen in Settings applies at once, to every page, and is kept', async () => {
  const profile = newProfileDir();
  let { context, page, problems } = await launchProfile(profile, { locale: 'en-GB' });
  await page.goto(`${WALLET_URL}/settings`);
  await page.getByRole('combobox', { name: 'Language of the wallet' }).selectOption('ca');
  const ca = texts('ca').shell;
  await heading(page, ca.NavSettings).waitFor();
  assert.equal(await page.getByRole('combobox', { name: ca.SettingsLanguageLabel }).inputValue(), 'ca', 'the menu keeps its place and value');
  for (const [link, title] of [['NavCredentials', 'NavCredentials'], ['NavScan', 'NavScan'], ['NavActivity', 'NavActivity']]) {
    await nav(page).getByRole('link', { name: ca[link] }).click();
    await heading(page, ca[title]).waitFor();
  }
  assert.doesNotMatch(await page.locator('body').innerText(), /\b(Credentials|Settings|Activity)\b/, 'no English left in the shell');
  await context.close();

  ({ context, page, problems } = await launchProfile(profile, { locale: 'en-GB' }));
  await page.goto(`${WALLET_URL}/`);
  await heading(page, ca.NavCredentials).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'ca', 'the choice outlives the browser');
  await page.goto(`${WALLET_URL}/settings`);
  await page.getByRole('combobox', { name: ca.SettingsLanguageLabel }).selectOption('en');
  await heading(page, 'Settings').waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a journey in German: the offer, a refused PIN, the credential, its powers and dates', async () => {
  const de = texts('de');
  const offer = await issuer.offer({ pin: true, mandatee, mandator });
  const wrong = offer.pin === '0000' ? '1111' : '0000';
  const { context, page, problems } = await launchProfile(newProfileDir(), { locale: 'de-DE' });
  await page.goto(offer.sameDeviceLink);
  await heading(page, de.journey.OfferTitle).waitFor({ timeout: 15000 });
  await page.getByRole('textbox', { name: /PIN/ }).fill(wrong);
  await page.getByRole('button', { name: de.journey.Accept }).click();
  const refused = await screenAfterWork(page);
  assert.equal(refused.title, de.journey.OfferTitle);
  assert.ok(refused.text.includes(de.journey.PinRejected), `the error is told in German: ${refused.text}`);
  expectHttpError(problems, /^HTTP 400: POST .*\/token$/);

  await page.getByRole('textbox', { name: /PIN/ }).fill(offer.pin);
  await page.getByRole('button', { name: de.journey.Accept }).click();
  assert.equal((await screenAfterWork(page)).title, de.journey.ReceivedTitle);
  await page.getByRole('button', { name: de.journey.SeeCredentials }).click();
  await heading(page, de.shell.NavCredentials).waitFor();
  const card = page.getByRole('list', { name: de.shell.CredentialsList }).getByRole('button', { name: /Ana García/ });
  const cardText = await card.innerText();
  // German dates read day.month.year.
  assert.match(cardText, new RegExp(`${de.shell.ValidUntil} \\d{2}\\.\\d{2}\\.\\d{4}`), cardText);
  await card.click();
  const powers = page.getByRole('list', { name: de.journey.Powers });
  await powers.waitFor();
  const detail = await powers.innerText();
  const sentence = de.journey.PowerSentence.replace('{function}', 'Onboarding').replace('{domain}', 'DOME').replace('{actions}', de.journey.ActionExecute);
  assert.ok(detail.includes(sentence), `"${sentence}" in:\n${detail}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test('the translation works offline once used', async () => {
  const es = texts('es').shell;
  const { context, page, problems } = await launchProfile(newProfileDir(), { locale: 'es-ES' });
  await page.goto(`${WALLET_URL}/`);
  await heading(page, es.NavCredentials).waitFor();
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload(); // now the service worker serves the page, and keeps the translation
  await heading(page, es.NavCredentials).waitFor();
  assert.equal(await page.evaluate(() => !!navigator.serviceWorker.controller), true);
  await context.setOffline(true);
  await page.reload();
  await heading(page, es.NavCredentials).waitFor();
  assert.equal(await page.locator('html').getAttribute('lang'), 'es');
  await context.setOffline(false);
  assert.deepEqual(problems, []);
  await context.close();
});
