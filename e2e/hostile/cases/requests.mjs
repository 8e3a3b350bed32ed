// Login requests whose request object is unsigned, signed by someone else, out of date, sends
// the answer elsewhere, names a verifier the wallet cannot check, or is malformed: the request
// object is fetched once, then refused; the verifier receives nothing (no POST at all).
import { compact, es256, tamperSignature } from '../lib/jose.mjs';
import { reply } from '../lib/reply.mjs';
import { dcqlQuery } from '../lib/lear.mjs';
import { M } from './messages.mjs';

const enc = encodeURIComponent;
const now = () => Math.floor(Date.now() / 1000);

const req = (name, title, verifier, message, extra = {}) => ({
  name: `request-${name}`, category: 'requests', role: 'verifier', title, message, stage: 'request', verifier, ...extra,
});
const claims = (change) => ({ claims: (ctx, c) => change(ctx, c) });
/** A verifier identified by its certificate for 127.0.0.1 (x509_san_dns), as Credo serves it. */
const x509 = (cert = (ctx) => ctx.keys.x509.cert, chain = null) => ({
  clientId: () => 'x509_san_dns:127.0.0.1',
  header: (ctx) => ({ alg: 'ES256', typ: 'oauth-authz-req+jwt', x5c: (chain ? chain(ctx) : [cert(ctx)]).map((c) => c.toString('base64')) }),
  sign: (ctx) => es256(ctx.keys.x509.privateKey),
});
/** Plain (unsigned) parameters in the link itself. */
const plain = (ctx, clientId, params = {}) => {
  const p = {
    client_id: clientId, response_type: 'vp_token', response_mode: 'direct_post', response_uri: `${ctx.base}/response`,
    nonce: 'n-0S6_WzA2Mj', dcql_query: JSON.stringify(dcqlQuery()), ...params,
  };
  return `openid4vp://?${Object.entries(p).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${enc(v)}`).join('&')}`;
};
/** The request object's claims as text, with client_metadata nested `n` levels deep. */
const deeplyNested = (ctx, n) => {
  const text = JSON.stringify({ ...ctx.run('claims'), client_metadata: 'NESTED' });
  return text.replace('"NESTED"', `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`);
};

export default [
  req('alg-none', 'an unsigned request object (alg "none")', { request: (ctx) => reply.jwt(compact({ alg: 'none', typ: 'oauth-authz-req+jwt' }, ctx.run('claims'), null)) }, M.loginUnverified),
  req('unsigned-parameters-for-a-did', 'plain, unsigned parameters naming a DID verifier (a signature is required)', {}, M.loginUnverified, {
    stage: 'none', link: (ctx) => plain(ctx, ctx.run('clientId')),
  }),
  req('by-value-unsigned', 'an unsigned request object by value in the link', {}, M.loginUnverified, {
    stage: 'none', link: (ctx) => `openid4vp://?client_id=${enc(ctx.run('clientId'))}&request=${compact({ alg: 'none', typ: 'oauth-authz-req+jwt' }, ctx.run('claims'), null)}`,
  }),
  req('signed-by-another-key', "signed by a key other than the client's", { sign: (ctx) => es256(ctx.keys.other.privateKey) }, M.loginUnverified),
  req('kid-names-another-did', 'the kid names another DID (and that key signed)', {
    header: (ctx, h) => ({ ...h, kid: ctx.keys.other.kid }), sign: (ctx) => es256(ctx.keys.other.privateKey),
  }, M.loginUnverified),
  req('no-kid', 'no kid in the header', { header: (ctx, h) => ({ ...h, kid: undefined }) }, M.loginUnverified),
  req('broken-signature', 'one bit of the signature flipped', { request: (ctx, r) => reply.jwt(tamperSignature(r.body)) }, M.loginUnverified),
  req('client-id-differs-from-link', 'the request object names another client than the link', claims((ctx, c) => ({ ...c, client_id: `decentralized_identifier:${ctx.keys.other.did}` })), M.loginUnverified),
  req('iss-names-another-party', 'a legacy (bare DID) request whose iss names another party', {
    clientId: (ctx) => ctx.keys.verifier.did, claims: (ctx, c) => ({ ...c, iss: ctx.keys.other.did }),
  }, M.loginUnverified),
  req('expired', 'expired ten minutes ago', claims((ctx, c) => ({ ...c, iat: now() - 1200, exp: now() - 600 })), M.loginExpired),
  req('no-exp', 'no exp (an unbounded request)', claims((ctx, c) => ({ ...c, exp: undefined })), M.loginUnverified),
  req('iat-in-the-future', 'issued an hour in the future', claims((ctx, c) => ({ ...c, iat: now() + 3600, exp: now() + 7200 })), M.loginNotYet),
  req('nbf-in-the-future', 'not valid before an hour from now', claims((ctx, c) => ({ ...c, nbf: now() + 3600 })), M.loginNotYet),
  req('exp-is-a-string', 'exp is a string', claims((ctx, c) => ({ ...c, exp: 'soon' })), M.loginUnreadable),
  req('x509-response-uri-on-another-host', 'x509_san_dns:127.0.0.1 with response_uri on localhost (not bound to the client identifier)', {
    ...x509(), claims: (ctx, c) => ({ ...c, response_uri: `${ctx.base.replace('127.0.0.1', 'localhost')}/response` }),
  }, M.loginUnverified),
  req('x509-certificate-for-another-name', 'x509_san_dns:127.0.0.1 signed with a certificate for verifier.example.org', x509((ctx) => ctx.keys.x509.otherNameCert), M.loginUnverified),
  req('x509-certificate-expired', 'x509_san_dns with an expired certificate', x509((ctx) => ctx.keys.x509.expiredCert), M.loginUnverified),
  req('x509-chain-forged', 'a leaf that names a CA which did not sign it', x509(null, (ctx) => [ctx.keys.x509.forgedLeafCert, ctx.keys.x509.caCert]), M.loginUnverified),
  req('x509-without-x5c', 'x509_san_dns without an x5c', { ...x509(), header: () => ({ alg: 'ES256', typ: 'oauth-authz-req+jwt' }) }, M.loginUnverified),
  req('x509-hash-of-another-certificate', "x509_hash that is not the hash of the signer's certificate", {
    ...x509(), clientId: () => 'x509_hash:47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU',
  }, M.loginUnverified),
  req('redirect-uri-signed', 'a redirect_uri client that signs (it cannot: it has no key)', { clientId: (ctx) => `redirect_uri:${ctx.base}/response` }, M.loginUnverified),
  req('redirect-uri-response-uri-differs', 'a redirect_uri client whose response_uri is another address', {}, M.loginUnverified, {
    stage: 'none', link: (ctx) => plain(ctx, `redirect_uri:${ctx.base}/response`, { response_uri: `${ctx.base}/elsewhere` }),
  }),
  req('redirect-uri-http-public-host', 'a redirect_uri client on plain http to a public host', {}, M.loginInsecure, {
    stage: 'none', link: (ctx) => plain(ctx, 'redirect_uri:http://verifier.example.org/cb', { response_uri: undefined }),
  }),
  req('prefix-openid-federation', 'client identifier prefix openid_federation (not supported)', { clientId: () => 'openid_federation:https://verifier.example.org' }, M.unknownVerifier),
  req('prefix-verifier-attestation', 'client identifier prefix verifier_attestation (not supported)', { clientId: () => 'verifier_attestation:verifier.example.org' }, M.unknownVerifier),
  req('prefix-x509-san-uri', 'client identifier prefix x509_san_uri (withdrawn)', { clientId: () => 'x509_san_uri:https://verifier.example.org' }, M.unknownVerifier),
  req('prefix-unknown', 'an unknown client identifier prefix', { clientId: () => 'made_up_prefix:verifier' }, M.unknownVerifier),
  req('pre-registered', 'a client identifier without prefix (pre-registered: the wallet has no registry)', { clientId: () => 'hostile-verifier' }, M.unknownVerifier),
  req('client-id-scheme-entity-id', 'a legacy client_id_scheme "entity_id"', {
    clientId: (ctx) => ctx.keys.verifier.did, claims: (ctx, c) => ({ ...c, client_id_scheme: 'entity_id' }),
  }, M.unknownVerifier),
  req('encrypted-request-object', 'an encrypted (JWE) request object', { request: () => reply.jwt('eyJhbGciOiJFQ0RILUVTIn0.a.b.c.d') }, M.loginUnreadable),
  req('typ-jwt', 'typ "JWT" instead of oauth-authz-req+jwt', { header: (ctx, h) => ({ ...h, typ: 'JWT' }) }, M.loginUnverified),
  req('html-page', 'request_uri answers an HTML page', { request: () => reply.text('<!doctype html><h1>Log in</h1>', 200, 'text/html') }, M.loginUnverified),
  req('not-utf8', 'request_uri answers bytes that are not UTF-8', { request: () => reply.text(Buffer.from([0xff, 0xfe, 0xfd, 0x2e, 0x2e]), 200, 'application/jwt') }, M.loginUnreadable),
  req('response-type-code', 'response_type "code"', claims((ctx, c) => ({ ...c, response_type: 'code' })), M.loginUnreadable),
  req('response-mode-fragment', 'response_mode "fragment"', claims((ctx, c) => ({ ...c, response_mode: 'fragment' })), M.responseMode),
  req('response-mode-missing', 'no response_mode', claims((ctx, c) => ({ ...c, response_mode: undefined })), M.responseMode),
  req('response-uri-http-public-host', 'response_uri on plain http to a public host', claims((ctx, c) => ({ ...c, response_uri: 'http://verifier.example.org/cb' })), M.loginInsecure),
  req('response-uri-javascript', 'response_uri is a javascript: URL', claims((ctx, c) => ({ ...c, response_uri: 'javascript:alert(1)' })), M.loginInsecure),
  req('response-uri-missing', 'no response_uri', claims((ctx, c) => ({ ...c, response_uri: undefined })), M.loginUnreadable),
  req('redirect-uri-with-direct-post', 'a redirect_uri next to response_mode direct_post', claims((ctx, c) => ({ ...c, redirect_uri: 'https://evil.example/cb' })), M.loginUnreadable),
  req('no-nonce', 'no nonce', claims((ctx, c) => ({ ...c, nonce: undefined })), M.loginUnverified),
  req('nonce-2-kb', 'a nonce of 2,000 characters', claims((ctx, c) => ({ ...c, nonce: 'n'.repeat(2000) })), M.loginTooLarge),
  req('state-not-a-string', 'state is an object', claims((ctx, c) => ({ ...c, state: { a: 1 } })), M.loginUnreadable),
  req('transaction-data', 'transaction_data to approve', claims((ctx, c) => ({ ...c, transaction_data: ['eyJ0eXBlIjoicGF5bWVudCJ9'] })), M.transaction),
  req('client-metadata-not-an-object', 'client_metadata is an array', claims((ctx, c) => ({ ...c, client_metadata: [1, 2] })), M.loginUnreadable),
  req('deeply-nested-claims', 'client_metadata nested 5,000 levels deep', {
    request: (ctx) => reply.jwt(compact(ctx.run('header'), deeplyNested(ctx, 5000), ctx.run('sign'))),
  }, M.loginUnverified),
  req('wallet-nonce-not-echoed', 'request_uri_method=post, but the object does not echo the wallet_nonce', {}, M.loginUnverified, {
    link: (ctx) => `openid4vp://?client_id=${enc(ctx.run('clientId'))}&request_uri=${enc(`${ctx.base}/request`)}&request_uri_method=post`,
  }),
  req('fetch-not-found', 'request_uri answers 404', { request: () => reply.json({ error: 'not_found' }, 404) }, M.loginNotFetched),
  req('fetch-200-kb', 'a request object of 200 KB (limit 128 KB)', claims((ctx, c) => ({ ...c, padding: 'x'.repeat(200 * 1024) })), M.loginTooLarge),
  req('fetch-5-mb', 'request_uri answers 5 MB', { request: () => reply.huge(5 * 1024 * 1024) }, M.tooLarge, { huge: true }),
  req('fetch-redirect-elsewhere', 'request_uri redirects elsewhere (never followed)', { request: (ctx) => reply.redirect(`${ctx.base}/pwned-redirect`) }, M.loginUnreachable),
  req('replayed-nonce', 'the same request answered twice (replayed nonce)', { claims: (ctx, c) => ({ ...c, nonce: `fixed-${ctx.name}` }) }, M.alreadyAnswered, {
    drive: 'replay', stage: 'response', withCredential: true, accepted: true, maxRequests: { response: 1 },
  }),
  req('replayed-nonce-other-request', 'a second request object reusing an answered nonce (another request_uri and state)', { claims: (ctx, c) => ({ ...c, nonce: `fixed-${ctx.name}` }) }, M.alreadyAnswered, {
    drive: 'replay', replayPath: 'request2', stage: 'response', withCredential: true, accepted: true, maxRequests: { response: 1 },
    routes: { request2: (ctx) => ctx.run('request') },
  }),
];
