// Driving the wallet as a person would, through its automation contract (roles and names).
import { WALLET_URL } from './env.mjs';

export const main = (page) => page.getByRole('main');

/** The credentials list (role list, named "Credentials") and its items' texts. */
export async function credentialItems(page) {
  await page.goto(`${WALLET_URL}/`);
  await page.getByRole('heading', { level: 1, name: 'Credentials' }).waitFor();
  const list = page.getByRole('list', { name: 'Credentials' });
  if (!(await list.count())) return [];
  // Read in one step in the page: the list is drawn again when the engine reports (a status
  // check), and an element found before that and read after is no longer in the page (its
  // innerText then has no line breaks).
  return page.evaluate(() => [...document.querySelectorAll('main ul[aria-label="Credentials"] > li')].map((li) => li.innerText));
}

/** Waits for the offer screen (after opening an offer link). */
export async function offerScreen(page) {
  await page.getByRole('heading', { level: 1, name: 'Credential offer' }).waitFor({ timeout: 15000 });
  return main(page).innerText();
}

/** Types the PIN (when given) and accepts; returns the outcome screen's title and text. */
export async function accept(page, pin) {
  if (pin !== undefined) await page.getByRole('textbox', { name: /PIN/ }).fill(pin);
  await page.getByRole('button', { name: 'Accept' }).click();
  return screenAfterWork(page);
}

/** Waits until the engine answered (the busy status is gone) and returns the new screen. */
export async function screenAfterWork(page) {
  await page.waitForFunction(() => !document.querySelector('form.screen fieldset[disabled]'), null, { timeout: 20000 });
  const title = await page.getByRole('heading', { level: 1 }).innerText();
  return { title, text: await main(page).innerText() };
}

/** Opens the Scan page and pastes a link into "Paste a link". */
export async function paste(page, link) {
  await page.goto(`${WALLET_URL}/scan`);
  await page.getByRole('textbox', { name: 'Paste a link' }).fill(link);
  await page.getByRole('button', { name: 'Open' }).click();
}

/** How many credentials and keys the wallet has stored, read from IndexedDB (no navigation). */
export function storedCounts(page) {
  return page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('dome-wallet');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(['credentials', 'keys']);
      const counts = {};
      tx.objectStore('credentials').count().onsuccess = (e) => { counts.credentials = e.target.result; };
      tx.objectStore('keys').count().onsuccess = (e) => { counts.keys = e.target.result; };
      tx.oncomplete = () => { db.close(); resolve(counts); };
      tx.onerror = () => reject(tx.error);
    };
  }));
}

/** Every record of one of the wallet's IndexedDB stores, as stored (no navigation). */
export function storedRecords(page, store) {
  return page.evaluate((store) => new Promise((resolve, reject) => {
    const open = indexedDB.open('dome-wallet');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const read = open.result.transaction(store).objectStore(store).getAll();
      read.onsuccess = () => { open.result.close(); resolve(read.result); };
      read.onerror = () => { open.result.close(); reject(read.error); };
    };
  }), store);
}
