// Headless Chromium for the end-to-end tests: Debian's /usr/bin/chromium driven by playwright-core.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

export function newProfileDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'wallet-profile-'));
}

/** A browser with a real on-disk profile (IndexedDB survives closing it, as in a restart). */
export async function launchProfile(profileDir, { viewport = { width: 390, height: 844 }, args = [], ...options } = {}) {
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS, ...args],
    viewport,
    ...options,
  });
  const problems = [];
  const watch = (page) => {
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    // Failed loads are reported with their address by the 'response' handler below.
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`); });
  };
  context.on('response', (r) => { if (r.status() >= 400 && !options.allowHttpErrors) problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`); });
  context.pages().forEach(watch);
  context.on('page', watch);
  const page = context.pages()[0] ?? await context.newPage();
  return { context, page, problems };
}

/** Removes one expected failed HTTP answer from `problems`; throws if it did not happen. */
export function expectHttpError(problems, pattern) {
  const i = problems.findIndex((p) => p.startsWith('HTTP ') && pattern.test(p));
  if (i < 0) throw new Error(`expected an HTTP error matching ${pattern}; problems: ${JSON.stringify(problems)}`);
  problems.splice(i, 1);
}
