// Verifiers that answer the presentation with errors, oversized or unreadable bodies, or ask the
// wallet to open javascript: and other unsafe addresses. The person agreed to share, so the one
// POST of the answer is expected; after it the wallet sends nothing, opens nothing, and says
// what happened in plain words.
import { reply } from '../lib/reply.mjs';
import { M } from './messages.mjs';

const MARKUP = '<img src=x id=hostile-xss onerror="window.__pwned=1"><script>window.__pwned=1</script>';

const answer = (name, title, response, message, extra = {}) => ({
  name: `verifier-${name}`, category: 'verifier', role: 'verifier', title, message, stage: 'response', drive: 'share',
  withCredential: true, maxRequests: { response: 1 }, verifier: { response: response }, ...extra,
});
/** A 200 answer asking the wallet to open `target`: accepted, but the address is not opened. */
const redirect = (name, title, target) => answer(`redirect-${name}`, title, () => ({ redirect_uri: target }), M.redirectRefused, { accepted: true, screen: /Done/ });

export default [
  answer('400-with-markup', 'HTTP 400 whose error_description is HTML with a script', () => reply.json({ error: 'invalid_request', error_description: MARKUP }, 400), M.rejected, { markup: 'hidden' }),
  answer('401', 'HTTP 401 (expired, timed out or organisation mismatch at DOME)', () => reply.json({ error: 'invalid_client' }, 401), M.rejected),
  answer('403', 'HTTP 403 (revoked at DOME)', () => reply.json({ error: 'access_denied' }, 403), M.revoked),
  answer('500-stack-trace', 'HTTP 500 with a Java stack trace', () => reply.text('java.lang.NullPointerException\n\tat es.in2.vcverifier.Verify(Verify.java:7)', 500), M.rejected),
  answer('5-mb-error', 'HTTP 400 with a 5 MB body', () => reply.huge(5 * 1024 * 1024, { status: 400 }), M.tooLarge, { huge: true }),
  answer('http-redirect-to-javascript', 'an HTTP 302 to a javascript: URL (redirects are never followed)', () => reply.redirect('javascript:alert(document.domain)'), M.loginUnreachable),
  redirect('javascript', 'redirect_uri javascript:', 'javascript:alert(document.domain)'),
  redirect('javascript-mixed-case', 'redirect_uri JaVaScRiPt: with a tab inside', 'JaVa\tScRiPt:alert(1)'),
  redirect('data-html', 'redirect_uri data:text/html', `data:text/html,${encodeURIComponent(MARKUP)}`),
  redirect('vbscript', 'redirect_uri vbscript:', 'vbscript:msgbox(1)'),
  redirect('file', 'redirect_uri file:', 'file:///etc/passwd'),
  redirect('http-public-host', 'redirect_uri on plain http to a public host', 'http://verifier.example.org/done'),
  redirect('userinfo', 'redirect_uri with a user name and password', 'https://user:secret@verifier.example.org/done'),
  redirect('custom-scheme', 'redirect_uri to another app (intent:)', 'intent://scan/#Intent;scheme=zxing;end'),
  redirect('protocol-relative', 'redirect_uri without a scheme (//evil.example)', '//evil.example/done'),
  answer('redirect-not-a-string', 'redirect_uri is a number', () => ({ redirect_uri: 42 }), M.redirectRefused, { accepted: true, screen: /Done/ }),
];
