// Issuer and authorization server metadata that names another issuer, sends the wallet's token
// or proofs to another origin, or describes what the wallet cannot hold: the offer is refused
// after the metadata is read, before any token is asked for.
import { PRE_AUTHORIZED } from '../lib/defaults.mjs';
import { CONFIGURATION_ID } from '../lib/lear.mjs';
import { reply } from '../lib/reply.mjs';
import { M } from './messages.mjs';

const MARKUP = '<img src=x id=hostile-xss onerror="window.__pwned=1"><script>window.__pwned=1</script>';

const meta = (name, title, change, message, extra = {}) => ({
  name: `metadata-${name}`, category: 'metadata', role: 'issuer', title, message, stage: 'metadata', issuer: { metadata: change }, ...extra,
});
const as = (name, title, change, message) => ({
  name: `as-metadata-${name}`, category: 'metadata', role: 'issuer', title, message, stage: 'metadata', issuer: { as: change },
});
const config = (m, changes) => ({
  ...m, credential_configurations_supported: { [CONFIGURATION_ID]: { ...m.credential_configurations_supported[CONFIGURATION_ID], ...changes } },
});
const loopbackAlias = (ctx) => ctx.base.replace('127.0.0.1', 'localhost');

export default [
  meta('for-another-issuer', 'metadata whose credential_issuer is another issuer', (ctx, m) => ({ ...m, credential_issuer: `${ctx.origin}/case/someone-else` }), M.metadataBad),
  meta('issuer-trailing-slash', 'credential_issuer differing by a trailing slash (compared exactly)', (ctx, m) => ({ ...m, credential_issuer: `${ctx.base}/` }), M.metadataBad),
  meta('credential-endpoint-other-site', 'credential_endpoint on another site', (ctx, m) => ({ ...m, credential_endpoint: 'https://evil.example/credential' }), M.metadataBad),
  meta('credential-endpoint-other-port', 'credential_endpoint on another port of the same host', (ctx, m) => ({ ...m, credential_endpoint: `${ctx.base.replace(/:\d+\//, ':1/')}/credential` }), M.metadataBad),
  meta('credential-endpoint-host-alias', 'credential_endpoint on localhost instead of 127.0.0.1 (another origin)', (ctx, m) => ({ ...m, credential_endpoint: `${loopbackAlias(ctx)}/credential` }), M.metadataBad),
  meta('credential-endpoint-javascript', 'credential_endpoint is a javascript: URL', (ctx, m) => ({ ...m, credential_endpoint: 'javascript:alert(1)' }), M.metadataBad),
  meta('credential-endpoint-http-public-host', 'credential_endpoint on plain http to a public host', (ctx, m) => ({ ...m, credential_endpoint: 'http://issuer.example.com/credential' }), M.metadataBad),
  meta('nonce-endpoint-other-site', 'nonce_endpoint on another site', (ctx, m) => ({ ...m, nonce_endpoint: 'https://evil.example/nonce' }), M.metadataBad),
  meta('deferred-endpoint-other-site', 'deferred_credential_endpoint on another site', (ctx, m) => ({ ...m, deferred_credential_endpoint: 'https://evil.example/deferred' }), M.metadataBad),
  meta('notification-endpoint-other-site', 'notification_endpoint on another site', (ctx, m) => ({ ...m, notification_endpoint: 'https://evil.example/notification' }), M.metadataBad),
  meta('no-credential-endpoint', 'no credential_endpoint', (ctx, m) => ({ ...m, credential_endpoint: undefined }), M.metadataBad),
  meta('no-configurations', 'no credential_configurations_supported', (ctx, m) => ({ ...m, credential_configurations_supported: undefined }), M.metadataBad),
  meta('offered-configuration-missing', 'the offered configuration is not in the metadata', (ctx, m) => ({ ...m, credential_configurations_supported: { Other: m.credential_configurations_supported[CONFIGURATION_ID] } }), M.metadataBad),
  meta('format-mso-mdoc', 'the offered credential is an mdoc', (ctx, m) => config(m, { format: 'mso_mdoc', doctype: 'org.iso.18013.5.1.mDL' }), M.cannotHold),
  meta('binding-jwk-only', 'the credential must be bound to a jwk', (ctx, m) => config(m, { cryptographic_binding_methods_supported: ['jwk'] }), M.cannotHold),
  meta('proof-alg-eddsa-only', 'proofs must be EdDSA', (ctx, m) => config(m, { proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['EdDSA'] } } }), M.cannotHold),
  meta('proof-type-attestation-only', 'proofs must be key attestations', (ctx, m) => config(m, { proof_types_supported: { attestation: { proof_signing_alg_values_supported: ['ES256'] } } }), M.cannotHold),
  meta('configuration-not-an-object', 'the offered configuration is a string', (ctx, m) => ({ ...m, credential_configurations_supported: { [CONFIGURATION_ID]: 'jwt_vc_json' } }), M.metadataBad),
  meta('encryption-required', 'credential response encryption required', (ctx, m) => ({ ...m, credential_response_encryption: { alg_values_supported: ['ECDH-ES'], enc_values_supported: ['A128GCM'], encryption_required: true } }), M.encryption),
  meta('too-many-authorization-servers', 'nine authorization servers listed', (ctx, m) => ({ ...m, authorization_servers: Array.from({ length: 9 }, (_, i) => `${ctx.base}/as${i}`) }), M.metadataBad),
  meta('authorization-server-http-public-host', 'an authorization server on plain http to a public host', (ctx, m) => ({ ...m, authorization_servers: ['http://as.example.com'] }), M.metadataBad),
  meta('html-page', 'the metadata is an HTML page', () => reply.text('<!doctype html><h1>Welcome</h1>', 200, 'text/html'), M.issuerUnreadable),
  meta('5-mb-declared', 'metadata of 5 MB with its Content-Length', () => reply.huge(5 * 1024 * 1024), M.tooLarge, { huge: true }),
  meta('300-kb', 'metadata of 300 KB (limit 256 KB)', (ctx, m) => ({ ...m, padding: 'x'.repeat(300 * 1024) }), M.tooLarge),
  meta('not-found', 'no metadata (HTTP 404 in both well-known forms)', () => reply.status(404), M.metadataBad),
  meta('redirect-elsewhere', 'the metadata redirects elsewhere (never followed)', (ctx) => reply.redirect(`${ctx.base}/pwned-redirect`), M.issuerUnreachable),
  as('for-another-server', 'authorization server metadata for another issuer', (ctx, a) => ({ ...a, issuer: 'https://as.example.com' }), M.metadataBad),
  as('token-endpoint-other-site', 'token_endpoint on another site', (ctx, a) => ({ ...a, token_endpoint: 'https://evil.example/token' }), M.metadataBad),
  as('token-endpoint-http-public-host', 'token_endpoint on plain http to a public host', (ctx, a) => ({ ...a, token_endpoint: 'http://as.example.com/token' }), M.metadataBad),
  as('no-token-endpoint', 'no token_endpoint', (ctx, a) => ({ ...a, token_endpoint: undefined }), M.metadataBad),
  {
    name: 'metadata-offer-names-unlisted-authorization-server', category: 'metadata', role: 'issuer',
    title: 'the offer names an authorization server the issuer does not list',
    issuer: { offer: (ctx, o) => ({ ...o, grants: { [PRE_AUTHORIZED]: { ...o.grants[PRE_AUTHORIZED], authorization_server: `${ctx.base}/as` } } }) },
    message: M.metadataBad, stage: 'metadata',
  },
  meta('display-markup', 'issuer and credential names with HTML and scripts, a javascript: logo and CSS in a colour: shown as text; Cancel sends nothing', (ctx, m) => ({
    ...config(m, { credential_metadata: { display: [{ name: `Mandate ${MARKUP}`, locale: 'en', background_color: `red;background-image:url(${ctx.base}/pwned-css)` }] } }),
    display: [{
      name: `Issuer ${MARKUP}`, locale: 'en', logo: { uri: 'javascript:window.__pwned=1', alt_text: MARKUP },
      background_color: `#000;background:url(${ctx.base}/pwned-css)`, text_color: 'expression(alert(1))',
    }],
  }), undefined, { drive: 'cancel', markup: 'shown', screen: /Credential offer/ }),
  meta('logo-svg-with-script', 'an SVG logo (data: URI) with a script and an external image: drawn as an image only', (ctx, m) => ({
    ...m,
    display: [{
      name: 'Issuer with an SVG logo', locale: 'en',
      logo: { uri: `data:image/svg+xml;utf8,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="window.__pwned=1"><script>window.__pwned=1</script><image href="${ctx.base}/pwned-svg" width="10" height="10"/></svg>`)}`, alt_text: 'logo' },
    }],
  }), undefined, { drive: 'cancel', markup: 'hidden', screen: /Credential offer/ }),
];
