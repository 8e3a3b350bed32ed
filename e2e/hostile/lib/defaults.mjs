// The hostile peer's default behaviour: a correct OpenID4VCI issuer and OpenID4VP verifier.
// Each case overrides the one answer it makes hostile; a case with no override is a control
// that the wallet accepts (proving that what a hostile case changes is what gets refused).
import crypto from 'node:crypto';
import { compact, es256, rs256 } from './jose.mjs';
import { configuration, CONFIGURATION_ID, dcqlQuery, learV1, learV3 } from './lear.mjs';
import { reply } from './reply.mjs';

export const PRE_AUTHORIZED = 'urn:ietf:params:oauth:grant-type:pre-authorized_code';
export const enc = encodeURIComponent;
const now = () => Math.floor(Date.now() / 1000);

export const issuer = {
  /** The text the wallet is given: an offer by reference. */
  link: (ctx) => `openid-credential-offer://?credential_offer_uri=${enc(`${ctx.base}/offer`)}`,
  offer: (ctx) => ({
    credential_issuer: ctx.base,
    credential_configuration_ids: [CONFIGURATION_ID],
    grants: { [PRE_AUTHORIZED]: { 'pre-authorized_code': `code-${ctx.name}` } },
  }),
  metadata: (ctx) => ({
    credential_issuer: ctx.base,
    credential_endpoint: `${ctx.base}/credential`,
    nonce_endpoint: `${ctx.base}/nonce`,
    deferred_credential_endpoint: `${ctx.base}/deferred`,
    notification_endpoint: `${ctx.base}/notification`,
    display: [{ name: 'Hostile Issuer', locale: 'en' }],
    credential_configurations_supported: { [CONFIGURATION_ID]: configuration() },
  }),
  as: (ctx) => ({
    issuer: ctx.base,
    token_endpoint: `${ctx.base}/token`,
    'pre-authorized_grant_anonymous_access_supported': true,
  }),
  oidc: () => reply.status(404),
  token: () => ({ access_token: 'hostile-access-token', token_type: 'Bearer', expires_in: 300 }),
  nonce: () => ({ c_nonce: 'hostile-c-nonce' }),
  /** The credential JWT for `holder` (the did:key of the wallet's proof). */
  credentialJwt: (ctx, holder) => ctx.signDidKey(ctx.learV1(holder)),
  credential: (ctx, request) => ({ credentials: [{ credential: ctx.run('credentialJwt', request.holder) }], notification_id: 'hostile-notification' }),
  deferred: () => reply.json({ error: 'invalid_transaction_id' }, 400),
  notification: () => reply.status(204),
};

export const verifier = {
  clientId: (ctx) => `decentralized_identifier:${ctx.keys.verifier.did}`,
  /** The text the wallet is given: a request by reference. */
  link: (ctx) => `openid4vp://?client_id=${enc(ctx.run('clientId'))}&request_uri=${enc(`${ctx.base}/request`)}`,
  header: (ctx) => ({ alg: 'ES256', typ: 'oauth-authz-req+jwt', kid: ctx.keys.verifier.kid }),
  claims: (ctx) => ({
    iss: undefined,
    aud: 'https://self-issued.me/v2',
    client_id: ctx.run('clientId'),
    response_type: 'vp_token',
    response_mode: 'direct_post',
    response_uri: `${ctx.base}/response`,
    nonce: crypto.randomBytes(16).toString('base64url'),
    state: crypto.randomBytes(16).toString('base64url'),
    iat: now(),
    exp: now() + 300,
    client_metadata: { client_name: 'Hostile Verifier', vp_formats_supported: { jwt_vc_json: { alg_values: ['ES256'] } } },
    dcql_query: dcqlQuery(),
  }),
  /** Signs the request object; the default is the client's own did:key. */
  sign: (ctx) => es256(ctx.keys.verifier.privateKey),
  request: (ctx) => reply.jwt(compact(ctx.run('header'), withoutUndefined(ctx.run('claims')), ctx.run('sign'))),
  response: () => ({}),
};

function withoutUndefined(object) {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined));
}

/** Signing helpers every case context has. */
export function signers(keys) {
  return {
    /** ES256 by the issuer's did:key, `kid` naming it. */
    signDidKey: (payload, { header = {}, key = keys.issuer.privateKey } = {}) => compact({ alg: 'ES256', typ: 'JWT', kid: keys.issuer.kid, ...header }, payload, es256(key)),
    /** RS256 JAdES seal with the x5c certificate, as DOME's issuer writes it. */
    signSeal: (payload, { header = {}, seal = keys.seal } = {}) => compact({
      alg: 'RS256', cty: 'json', x5c: [seal.cert.toString('base64')], sigT: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), crit: ['sigT'], ...header,
    }, payload, rs256(seal.privateKey)),
    /** A Credo-like credential payload for `holder`, with top-level claims replaced by `extra`. */
    learV1: (holder, extra = {}) => ({ ...learV1({ iss: keys.issuer.did, holder }), ...extra }),
    /** A DOME-like (v3, did:elsi) credential payload for `holder`. */
    learV3: (holder, extra = {}) => ({ ...learV3({ iss: keys.seal.did, holder, org: keys.seal.org }), ...extra }),
  };
}
