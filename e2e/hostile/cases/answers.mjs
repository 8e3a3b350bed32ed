// Token, nonce and credential endpoint answers that are errors, oversized, unreadable or
// redirect elsewhere: the issuance stops there; no later step is sent, no key is left behind.
import { reply } from '../lib/reply.mjs';
import { M } from './messages.mjs';

const MARKUP = '<img src=x id=hostile-xss onerror="window.__pwned=1"><script>window.__pwned=1</script>';

const answer = (step, name, title, change, message, extra = {}) => ({
  name: `${step}-${name}`, category: 'answers', role: 'issuer', title, message, stage: step, drive: 'accept', issuer: { [step]: change }, ...extra,
});
const token = (...a) => answer('token', ...a);
const nonce = (...a) => answer('nonce', ...a);
const credential = (...a) => answer('credential', ...a);

export default [
  token('invalid-grant', 'the token endpoint refuses the code (invalid_grant)', () => reply.json({ error: 'invalid_grant' }, 400), M.offerUsed),
  token('server-error', 'the token endpoint answers HTTP 500 with a stack trace', () => reply.text('java.lang.IllegalStateException\n\tat es.in2.issuer.Token.exchange(Token.java:42)', 500), M.issuerRefused),
  token('html-page', 'the token answer is an HTML page', () => reply.text('<html><body>Maintenance</body></html>', 200, 'text/html'), M.issuerUnreadable),
  token('type-dpop', 'a DPoP-bound token (not supported)', (ctx, t) => ({ ...t, token_type: 'DPoP' }), M.dpop),
  token('type-missing', 'no token_type', (ctx, t) => ({ ...t, token_type: undefined }), M.issuerUnreadable),
  token('type-mac', 'token_type "mac"', (ctx, t) => ({ ...t, token_type: 'mac' }), M.issuerUnreadable),
  token('header-injection', 'an access_token with a line break and a header in it', (ctx, t) => ({ ...t, access_token: 'abc\r\nX-Injected: 1' }), M.issuerUnreadable),
  token('access-token-huge', 'an access_token of 9,000 characters', (ctx, t) => ({ ...t, access_token: 'a'.repeat(9000) }), M.issuerUnreadable),
  token('empty-object', 'the token answer is {}', () => ({}), M.issuerUnreadable),
  token('5-mb-declared', 'a token answer of 5 MB', () => reply.huge(5 * 1024 * 1024), M.tooLarge, { huge: true }),
  token('redirect-elsewhere', 'the token endpoint redirects elsewhere (never followed)', (ctx) => reply.redirect(`${ctx.base}/pwned-redirect`, 307), M.issuerUnreachable),
  nonce('server-error', 'the nonce endpoint answers HTTP 500', () => reply.json({ error: 'server_error' }, 500), M.issuerRefused),
  nonce('not-json', 'the nonce answer is not JSON', () => reply.text('nonce=abc'), M.issuerUnreadable),
  nonce('empty-c-nonce', 'an empty c_nonce', () => ({ c_nonce: '' }), M.issuerUnreadable),
  nonce('c-nonce-control-characters', 'a c_nonce with control characters', () => ({ c_nonce: 'a\u0000b\u001bc' }), M.issuerUnreadable),
  credential('server-error', 'the credential endpoint answers HTTP 500', () => reply.json({ error: 'server_error' }, 500), M.issuerRefused),
  credential('invalid-proof', 'the proof is refused without a fresh nonce (invalid_proof)', () => reply.json({ error: 'invalid_proof' }, 400), M.issuerRefused),
  credential('invalid-nonce-forever', 'invalid_nonce again and again with a fresh c_nonce: one retry only', () => reply.json({ error: 'invalid_nonce', c_nonce: 'again' }, 400), M.issuerRefused, { maxRequests: { credential: 2 } }),
  credential('error-description-markup', 'an error whose description is HTML with a script: never shown', () => reply.json({ error: 'invalid_request', error_description: MARKUP }, 400), M.issuerRefused, { markup: 'hidden' }),
  credential('error-code-markup', 'an error code that is HTML: not shown', () => reply.json({ error: MARKUP }, 400), M.issuerRefused, { markup: 'hidden' }),
  credential('not-json', 'the credential answer is not JSON', () => reply.text('eyJhbGciOi', 200, 'text/plain'), M.issuerUnreadable),
  credential('5-mb-declared', 'a credential answer of 5 MB with its Content-Length', () => reply.huge(5 * 1024 * 1024), M.tooLarge, { huge: true }),
  credential('5-mb-chunked', 'a credential answer of 5 MB, chunked (no Content-Length)', () => reply.huge(5 * 1024 * 1024, { chunked: true }), M.tooLarge, { huge: true }),
  credential('600-kb', 'a credential answer of 600 KB (limit 512 KB)', (ctx, c) => ({ ...c, padding: 'x'.repeat(600 * 1024) }), M.tooLarge),
  credential('empty-list', 'credentials: [] and no transaction_id', () => ({ credentials: [] }), M.issuerUnreadable),
  credential('not-a-jws', 'the credential is not a JWS', () => ({ credentials: [{ credential: 'hello' }] }), M.issuerUnreadable),
  credential('unsigned-json', 'the credential is unsigned JSON (an object)', () => ({ credential: { type: ['VerifiableCredential', 'LEARCredentialEmployee'], credentialSubject: {} } }), M.issuerUnreadable),
  credential('seventeen-credentials', '17 credentials in one answer', (ctx, c) => ({ credentials: Array.from({ length: 17 }, () => c.credentials[0]) }), M.issuerUnreadable),
  credential('202-without-transaction', 'HTTP 202 without a transaction_id', () => reply.json({ interval: 5 }, 202), M.issuerUnreadable),
  credential('deferred-without-endpoint', 'deferred (202) but the metadata has no deferred endpoint', () => reply.json({ transaction_id: 't-1', interval: 5 }, 202), M.issuerUnreadable, {
    issuer: { metadata: (ctx, m) => ({ ...m, deferred_credential_endpoint: undefined }), credential: () => reply.json({ transaction_id: 't-1', interval: 5 }, 202) },
  }),
  credential('transaction-id-huge', 'a transaction_id of 5,000 characters', () => reply.json({ transaction_id: 't'.repeat(5000) }, 202), M.issuerUnreadable),
  credential('redirect-elsewhere', 'the credential endpoint redirects elsewhere (never followed)', (ctx) => reply.redirect(`${ctx.base}/pwned-redirect`, 307), M.issuerUnreachable),
  credential('jws-over-256-kb', 'a credential JWS of 300 KB (limit 256 KB)', (ctx, c, request) => ({ credentials: [{ credential: ctx.signDidKey(ctx.learV1(request.holder, { padding: 'x'.repeat(300 * 1024) })) }] }), M.issuerUnreadable),
];
