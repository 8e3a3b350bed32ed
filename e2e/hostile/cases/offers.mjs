// Credential offers that are malformed, insecure or unusable: fetched once (by reference), then
// refused; nothing else is asked of the issuer.
import { PRE_AUTHORIZED } from '../lib/defaults.mjs';
import { reply } from '../lib/reply.mjs';
import { M } from './messages.mjs';

const MARKUP = '<img src=x id=hostile-xss onerror="window.__pwned=1"><script>window.__pwned=1</script>';

const offer = (name, title, change, message, extra = {}) => ({
  name: `offer-${name}`, category: 'offers', role: 'issuer', title, message, stage: 'offer', issuer: { offer: change }, ...extra,
});
const grant = (o) => o.grants[PRE_AUTHORIZED];
const withGrant = (o, changes) => ({ ...o, grants: { [PRE_AUTHORIZED]: { ...grant(o), ...changes } } });
/** The same offer given by value in the link: refused before anything is fetched. */
const byValue = (name, title, change, message) => ({
  name: `offer-by-value-${name}`, category: 'offers', role: 'issuer', title, message, stage: 'none',
  link: (ctx) => `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(change(ctx, ctx.run('offer'))))}`,
});

export default [
  offer('issuer-http-public-host', 'credential_issuer on plain http to a public host', (ctx, o) => ({ ...o, credential_issuer: 'http://issuer.example.com' }), M.insecureOffer),
  offer('issuer-javascript', 'credential_issuer is a javascript: URL', (ctx, o) => ({ ...o, credential_issuer: 'javascript:alert(1)' }), M.insecureOffer),
  offer('issuer-with-query', 'credential_issuer with a query (identifiers have none)', (ctx, o) => ({ ...o, credential_issuer: `${ctx.base}?tenant=1` }), M.insecureOffer),
  offer('issuer-userinfo', 'credential_issuer with a user name and password', (ctx, o) => ({ ...o, credential_issuer: ctx.base.replace('http://', 'http://u:p@') }), M.insecureOffer),
  offer('issuer-not-a-string', 'credential_issuer is a number', (ctx, o) => ({ ...o, credential_issuer: 42 }), M.offerUnreadable),
  offer('authorization-code-only', 'only the authorization code grant', (ctx, o) => ({ ...o, grants: { authorization_code: { issuer_state: 's' } } }), M.authCodeOnly),
  offer('unknown-grant-only', 'only an unknown grant type', (ctx, o) => ({ ...o, grants: { 'urn:example:grant:magic': { code: 'x' } } }), M.noGrant),
  offer('no-grants', 'no grants at all', (ctx, o) => ({ ...o, grants: undefined }), M.noGrant),
  offer('tx-code-unknown-input-mode', 'tx_code with input_mode "emoji"', (ctx, o) => withGrant(o, { tx_code: { length: 4, input_mode: 'emoji' } }), M.badTxCode),
  offer('tx-code-length-zero', 'tx_code of length 0', (ctx, o) => withGrant(o, { tx_code: { length: 0 } }), M.badTxCode),
  offer('tx-code-length-huge', 'tx_code of length 1,000,000', (ctx, o) => withGrant(o, { tx_code: { length: 1_000_000 } }), M.badTxCode),
  offer('tx-code-length-negative', 'tx_code of length -4', (ctx, o) => withGrant(o, { tx_code: { length: -4 } }), M.offerUnreadable),
  offer('tx-code-length-string', 'tx_code length "4" (a string)', (ctx, o) => withGrant(o, { tx_code: { length: '4' } }), M.offerUnreadable),
  offer('pre-authorized-code-empty', 'an empty pre-authorized_code', (ctx, o) => withGrant(o, { 'pre-authorized_code': '' }), M.offerUnreadable),
  offer('pre-authorized-code-huge', 'a pre-authorized_code of 5,000 characters', (ctx, o) => withGrant(o, { 'pre-authorized_code': 'c'.repeat(5000) }), M.offerUnreadable),
  offer('authorization-server-http-public-host', "the grant's authorization_server on plain http to a public host",
    (ctx, o) => withGrant(o, { authorization_server: 'http://as.example.com' }), M.offerUnreadable),
  offer('no-configuration-ids', 'credential_configuration_ids missing', (ctx, o) => ({ ...o, credential_configuration_ids: undefined }), M.noConfiguration),
  offer('seventeen-configuration-ids', '17 credential configurations offered at once',
    (ctx, o) => ({ ...o, credential_configuration_ids: Array.from({ length: 17 }, (_, i) => `C${i}`) }), M.noConfiguration),
  offer('empty-configuration-id', 'an empty credential configuration id', (ctx, o) => ({ ...o, credential_configuration_ids: [''] }), M.noConfiguration),
  offer('html-page', 'the offer URL answers an HTML page', () => reply.text('<!doctype html><title>Login</title><h1>Please sign in</h1>', 200, 'text/html'), M.offerUnreadable),
  offer('json-null', 'the offer is JSON null', () => reply.text('null', 200, 'application/json'), M.offerUnreadable),
  offer('17-kb', 'an offer of 17 KB (limit 16 KB)', (ctx, o) => ({ ...o, padding: 'x'.repeat(17 * 1024) }), M.tooLarge),
  offer('5-mb-declared', 'an offer of 5 MB with its Content-Length', () => reply.huge(5 * 1024 * 1024), M.tooLarge, { huge: true }),
  offer('5-mb-chunked', 'an offer of 5 MB, chunked (no Content-Length)', () => reply.huge(5 * 1024 * 1024, { chunked: true }), M.tooLarge, { huge: true }),
  offer('redirect-elsewhere', 'the offer URL redirects elsewhere (never followed)', (ctx) => reply.redirect(`${ctx.base}/pwned-redirect`), M.issuerUnreachable),
  offer('server-error', 'the offer URL answers HTTP 500', () => reply.json({ error: 'server_error', error_description: 'java.lang.NullPointerException at …' }, 500), M.issuerRefused),
  offer('not-found', 'the offer URL answers HTTP 404 (used or expired)', () => reply.status(404), M.offerUsed),
  byValue('issuer-http-public-host', 'credential_issuer on plain http to a public host', (ctx, o) => ({ ...o, credential_issuer: 'http://issuer.example.com' }), M.insecureOffer),
  byValue('authorization-code-only', 'only the authorization code grant', (ctx, o) => ({ ...o, grants: { authorization_code: {} } }), M.authCodeOnly),
  byValue('tx-code-length-huge', 'tx_code of length 65', (ctx, o) => withGrant(o, { tx_code: { length: 65 } }), M.badTxCode),
  {
    name: 'offer-tx-code-description-markup', category: 'offers', role: 'issuer',
    title: 'tx_code description with HTML and a script: shown as text; Cancel sends nothing',
    issuer: { offer: (ctx, o) => withGrant(o, { tx_code: { length: 4, input_mode: 'numeric', description: `PIN: ${MARKUP}` } }) },
    drive: 'cancel', markup: 'shown', screen: /Credential offer/, message: undefined, stage: 'metadata',
  },
];
