// Issue 7: the wallet is served with a strict Content-Security-Policy and works under it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchProfile, newProfileDir } from '../lib/browser.mjs';
import { WALLET_URL } from '../lib/env.mjs';

test('the security headers are in force on every page', async () => {
  for (const path of ['/', '/settings', '/?credential_offer_uri=https%3A%2F%2Fissuer.example%2Fo']) {
    const res = await fetch(WALLET_URL + path);
    const csp = res.headers.get('content-security-policy');
    assert.match(csp, /(^|; )script-src 'self' 'wasm-unsafe-eval'(;|$)/, path);
    assert.match(csp, /(^|; )frame-ancestors 'none'(;|$)/);
    assert.match(csp, /(^|; )object-src 'none'(;|$)/);
    assert.match(csp, /(^|; )base-uri 'none'(;|$)/);
    assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/, 'no inline script or style, no eval');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  }
});

test('the wallet runs under the policy, and the policy blocks inline script', async () => {
  const { context, page, problems } = await launchProfile(newProfileDir());
  await page.goto(`${WALLET_URL}/settings`);
  await page.getByRole('list', { name: 'Your identifiers' }).getByRole('listitem').first().waitFor();
  // An injected inline script (what an XSS would try) does not run.
  const ran = await page.evaluate(() => new Promise((resolve) => {
    window.__injected = false;
    document.addEventListener('securitypolicyviolation', (e) => resolve({ blocked: e.violatedDirective }), { once: true });
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.head.append(s);
    setTimeout(() => resolve({ injected: window.__injected }), 500);
  }));
  assert.deepEqual(ran, { blocked: 'script-src-elem' });
  // The page cannot be framed.
  const framed = await page.evaluate((url) => new Promise((resolve) => {
    const f = document.createElement('iframe');
    f.src = url;
    f.onload = () => { try { resolve(f.contentDocument?.body?.innerText ?? 'blocked'); } catch { resolve('blocked'); } };
    document.body.append(f);
  }), `${WALLET_URL}/`);
  assert.ok(!/Credentials/.test(framed), 'the wallet did not render inside a frame');
  // Both expected: the refused inline script and the refused frame are reported on the console.
  const csp = problems.filter((p) => /Content Security Policy|frame-ancestors|Refused/.test(p));
  problems.splice(0, problems.length, ...problems.filter((p) => !csp.includes(p)));
  assert.deepEqual(problems, []);
  await context.close();
});
