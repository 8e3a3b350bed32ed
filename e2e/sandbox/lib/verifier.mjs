// The sandbox verifier: a Credo 0.6.3 OpenID4VP verifier asking for a LEARCredentialEmployee, with
// signed request objects by reference, direct_post or direct_post.jwt, several protocol styles, a
// broken-signature variant, its own issuer check, a control API for tests and a login page for people.
//
// Credo 0.6.3 accepts a credential from any issuer whose DID resolves. This verifier additionally
// requires the credential to come from the sandbox issuer's DID; if not, it answers the wallet with
// 400 invalid_request (instead of Credo's 200) and reports verified: false.
import { OpenId4VcModule, OpenId4VcVerifierEvents, OpenId4VcVerificationSessionState } from '@credo-ts/openid4vc';
import { Kms, utils } from '@credo-ts/core';
import express from 'express';
import { createAgent, createP256DidKey } from './agent.mjs';
import { createPeerServer, asyncRoute, esc, HttpError } from './http.mjs';
import { layout, qrSvg } from './page.mjs';
import { dcqlQuery, presentationDefinition, LOGO_SVG, CREDENTIAL_TYPES } from './lear.mjs';

export const VERIFIER_ID = 'dome';

/** What each style means for Credo: OpenID4VP version, request signer, default query language. */
export const STYLES = {
  v1: { version: 'v1', signer: 'did', query: 'dcql' },
  draft24: { version: 'v1.draft24', signer: 'did', query: 'dcql' },
  draft21: { version: 'v1.draft21', signer: 'did', query: 'pe' },
  x509: { version: 'v1', signer: 'x509', query: 'dcql' },
};
const RESPONSE_MODES = ['direct_post', 'direct_post.jwt'];
const VERSION_NAMES = { v1: 'v1', draft24: 'v1.draft24', draft21: 'v1.draft21' };

/**
 * @param {object} o
 * @param {string} o.host
 * @param {number} o.port
 * @param {string[]} o.walletOrigins
 * @param {() => string} o.trustedIssuerDid  the DID credentials must be issued by
 * @param {boolean} [o.quiet]
 * @param {boolean} [o.traceBodies]
 */
export async function startVerifier({ host, port, walletOrigins, trustedIssuerDid, quiet, traceBodies }) {
  const peer = await createPeerServer({ name: 'verifier', host, port, walletOrigins, traceBodies });
  const { app, url } = peer;
  const baseUrl = `${url}/oid4vp`;
  const requests = new Map(); // sandbox id -> record
  const byAuthorizationRequestId = new Map(); // Credo authorizationRequestId -> sandbox id

  // Count every response the wallet posts and, after Credo has verified it, apply the issuer check.
  app.post(`/oid4vp/${VERIFIER_ID}/authorize`, (req, res, next) => {
    const record = requests.get(byAuthorizationRequestId.get(String(req.query.session ?? '')));
    if (record) {
      record.responsesReceived += 1;
      const send = res.send.bind(res);
      res.send = (body) => {
        if (res.statusCode === 200 && record.check && !record.check.ok) {
          res.status(400);
          return send(JSON.stringify({ error: 'invalid_request', error_description: record.check.error }));
        }
        if (res.statusCode !== 200 && !record.error) record.error = describeCredoError(body);
        return send(body);
      };
    }
    next();
  });

  // Count fetches of Credo's request objects (this runs before Credo's own route).
  app.get(`/oid4vp/${VERIFIER_ID}/authorization-requests/:rid`, (req, _res, next) => {
    const record = requests.get(byAuthorizationRequestId.get(req.params.rid));
    if (record && !record.brokenSignature) record.requestFetches += 1;
    next();
  });

  const created = await createAgent({
    name: 'verifier',
    quiet,
    modules: { openid4vc: new OpenId4VcModule({ app, verifier: { baseUrl } }) },
  });
  const { agent } = created;
  const verifierApi = agent.modules.openid4vc.verifier;

  // Credo emits ResponseVerified synchronously inside its response handler, before answering the
  // wallet, with the (decrypted) authorization response on the session: check the issuer there.
  agent.events.on(OpenId4VcVerifierEvents.VerificationSessionStateChanged, ({ payload }) => {
    const session = payload.verificationSession;
    const record = requests.get(byAuthorizationRequestId.get(session.authorizationRequestId));
    if (!record) return;
    record.state = session.state;
    if (session.state === OpenId4VcVerificationSessionState.ResponseVerified) {
      record.check = checkPresentation(session.authorizationResponsePayload, trustedIssuerDid());
    } else if (session.state === OpenId4VcVerificationSessionState.Error) {
      record.error = session.errorMessage ?? 'error';
    }
  });

  await verifierApi.createVerifier({
    verifierId: VERIFIER_ID,
    clientMetadata: { client_name: 'DOME Sandbox Verifier (Credo-ts)', logo_uri: `${url}/static/logo.svg` },
  });
  const { did, verificationMethodId } = await createP256DidKey(agent);

  // Self-signed certificate for x509_san_dns: Credo takes the client id from the host of the response
  // URI and wants it among the certificate's SAN dNSName entries (so on loopback: the IP as a DNS name).
  const certKey = await agent.kms.createKey({ type: { kty: 'EC', crv: 'P-256' } });
  const certPublicJwk = Kms.PublicJwk.fromPublicJwk(certKey.publicJwk);
  const certHost = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const certificate = await agent.x509.createCertificate({
    authorityKey: certPublicJwk,
    issuer: { commonName: 'DOME Sandbox Verifier', countryName: 'ES' },
    validity: { notBefore: new Date(Date.now() - 60e3), notAfter: new Date(Date.now() + 7 * 86400e3) },
    extensions: {
      subjectAlternativeName: { name: [{ type: 'dns', value: certHost }] },
      keyUsage: { usages: ['digitalSignature'], markAsCritical: true },
    },
  });
  certificate.keyId = certKey.keyId;
  const certificatePem = certificate.toString('pem');

  async function createRequest(options = {}) {
    const known = ['style', 'responseMode', 'brokenSignature', 'purpose', 'query', 'version', 'redirect'];
    for (const k of Object.keys(options)) if (!known.includes(k)) throw new HttpError(400, 'invalid_request', `unknown option '${k}' (known: ${known.join(', ')})`);
    const styleName = options.style ?? 'v1';
    const style = STYLES[styleName];
    if (!style) throw new HttpError(400, 'invalid_request', `style must be one of ${Object.keys(STYLES).join(', ')}`);
    const responseMode = options.responseMode ?? 'direct_post';
    if (!RESPONSE_MODES.includes(responseMode)) throw new HttpError(400, 'invalid_request', `responseMode must be one of ${RESPONSE_MODES.join(', ')}`);
    if (options.version !== undefined && styleName !== 'x509') throw new HttpError(400, 'invalid_request', "'version' only applies to style 'x509' (the other styles fix it)");
    if (options.version !== undefined && !VERSION_NAMES[options.version]) throw new HttpError(400, 'invalid_request', `version must be one of ${Object.keys(VERSION_NAMES).join(', ')}`);
    const version = options.version ? VERSION_NAMES[options.version] : style.version;
    // Draft 21 has no DCQL in Credo, so it defaults to Presentation Exchange whatever the signer.
    const query = options.query ?? (version === 'v1.draft21' ? 'pe' : style.query);
    if (!['dcql', 'pe'].includes(query)) throw new HttpError(400, 'invalid_request', "query must be 'dcql' or 'pe'");
    if (options.purpose !== undefined && (typeof options.purpose !== 'string' || options.purpose.length > 300)) throw new HttpError(400, 'invalid_request', "'purpose' must be a string of at most 300 characters");
    for (const k of ['brokenSignature', 'redirect']) if (options[k] !== undefined && typeof options[k] !== 'boolean') throw new HttpError(400, 'invalid_request', `'${k}' must be true or false`);

    const id = utils.uuid();
    let result;
    try {
      result = await verifierApi.createAuthorizationRequest({
        verifierId: VERIFIER_ID,
        version,
        responseMode,
        requestSigner: style.signer === 'x509' ? { method: 'x5c', x5c: [certificate], clientIdPrefix: 'x509_san_dns' } : { method: 'did', didUrl: verificationMethodId },
        ...(query === 'dcql' ? { dcql: { query: dcqlQuery({ purpose: options.purpose }) } } : { presentationExchange: { definition: presentationDefinition({ purpose: options.purpose }) } }),
        ...(options.redirect ? { authorizationResponseRedirectUri: `${url}/done/${id}` } : {}),
      });
    } catch (e) {
      // Credo refuses combinations it does not support (e.g. DCQL with draft 21): say so to the caller.
      throw new HttpError(400, 'unsupported_by_credo', `Credo refused the request: ${e.message}`);
    }
    const { authorizationRequest, verificationSession, authorizationRequestObject } = result;
    const params = new URL(authorizationRequest).searchParams;
    const clientId = params.get('client_id');
    if (options.brokenSignature) params.set('request_uri', `${url}/tampered/${id}`);
    const link = `openid4vp://?${params}`;
    const sameDeviceLink = `${walletOrigins[0]}/?${params}`;
    const record = {
      id, createdAt: new Date().toISOString(), style: styleName, version, responseMode, query,
      brokenSignature: options.brokenSignature === true, redirect: options.redirect === true,
      verificationSessionId: verificationSession.id, authorizationRequestId: verificationSession.authorizationRequestId,
      credoRequestUri: authorizationRequestObject.request_uri, clientId, link, sameDeviceLink,
      state: verificationSession.state, responsesReceived: 0, requestFetches: 0, check: undefined, error: undefined,
    };
    requests.set(id, record);
    byAuthorizationRequestId.set(verificationSession.authorizationRequestId, id);
    return { id, link, sameDeviceLink, clientId, requestUri: params.get('request_uri') };
  }

  async function getRequest(id) {
    const record = requests.get(id);
    if (!record) throw new HttpError(404, 'not_found', `no request ${id}`);
    const session = await verifierApi.getVerificationSessionById(record.verificationSessionId);
    const state = session.state;
    const credoVerified = state === OpenId4VcVerificationSessionState.ResponseVerified;
    const verified = credoVerified && record.check?.ok === true;
    let error = record.error ?? session.errorMessage ?? undefined;
    if (credoVerified && record.check && !record.check.ok) error = record.check.error;
    return {
      id,
      style: record.style,
      version: record.version,
      responseMode: record.responseMode,
      query: record.query,
      brokenSignature: record.brokenSignature,
      clientId: record.clientId,
      state,
      verified,
      ...(error ? { error } : {}),
      ...(record.check?.claims ? { presentedClaims: record.check.claims } : {}),
      ...(record.check?.issuer ? { credentialIssuer: record.check.issuer, holder: record.check.holder } : {}),
      responsesReceived: record.responsesReceived,
      requestObjectFetches: record.requestFetches,
      link: record.link,
      sameDeviceLink: record.sameDeviceLink,
    };
  }

  // --- routes ---------------------------------------------------------------------------------------
  app.get('/static/logo.svg', (_req, res) => res.type('image/svg+xml').send(LOGO_SVG));
  // The broken-signature variant: Credo's own request object, fetched from Credo, one signature bit flipped.
  app.get('/tampered/:id', asyncRoute(async (req, res) => {
    const record = requests.get(req.params.id);
    if (!record || !record.brokenSignature) throw new HttpError(404, 'not_found', 'no such tampered request');
    record.requestFetches += 1;
    const upstream = await fetch(record.credoRequestUri);
    const jwt = await upstream.text();
    if (!upstream.ok) { res.status(upstream.status).type(upstream.headers.get('content-type') ?? 'text/plain').send(jwt); return; }
    res.type(upstream.headers.get('content-type') ?? 'application/oauth-authz-req+jwt').send(flipSignatureBit(jwt));
  }));
  app.post('/api/requests', express.json(), asyncRoute(async (req, res) => res.status(201).json(await createRequest(req.body ?? {}))));
  app.get('/api/requests/:id', asyncRoute(async (req, res) => res.json(await getRequest(req.params.id))));
  app.get('/api/verifier', (_req, res) => res.json(describe()));
  peer.mountLogApi();
  app.get('/', (_req, res) => res.type('html').send(layout({ title: 'DOME sandbox login', body: loginForm() })));
  app.post('/login', express.urlencoded({ extended: false }), asyncRoute(async (req, res) => {
    const f = req.body ?? {};
    const { id } = await createRequest({ style: f.style, responseMode: f.responseMode, brokenSignature: f.brokenSignature === 'on' });
    res.redirect(303, `/login/${id}`);
  }));
  app.get('/login/:id', asyncRoute(async (req, res) => {
    const r = await getRequest(req.params.id);
    res.type('html').send(layout({ title: 'Sign in with your LEAR credential', body: await loginPage(r), script: pollScript(r.id) }));
  }));
  app.get('/done/:id', asyncRoute(async (req, res) => {
    const r = await getRequest(req.params.id);
    res.type('html').send(layout({ title: 'Sign-in result', body: `<div class="card">${resultHtml(r)}</div>` }));
  }));

  function describe() {
    return {
      url,
      did,
      verificationMethod: verificationMethodId,
      clientIds: {
        v1: `decentralized_identifier:${did}`,
        draft24: did,
        draft21: did,
        x509: `x509_san_dns:${certHost}`,
      },
      certificatePem,
      trustedIssuerDid: trustedIssuerDid(),
      walletOrigins,
    };
  }

  return {
    ...describe(),
    log: peer.log,
    createRequest,
    getRequest,
    async stop() {
      await peer.close();
      await created.shutdown();
    },
  };
}

/**
 * Looks into a verified authorization response: every credential must be a LEARCredentialEmployee
 * issued by `trustedIssuerDid`. Returns { ok, error?, issuer, holder, claims }.
 */
export function checkPresentation(responsePayload, trustedIssuerDid) {
  try {
    const vpToken = responsePayload?.vp_token;
    const vps = typeof vpToken === 'string' ? [vpToken]
      : Array.isArray(vpToken) ? vpToken
        : Object.values(vpToken ?? {}).flat();
    if (vps.length === 0) return { ok: false, error: 'no presentation in vp_token' };
    let first;
    for (const vpJwt of vps) {
      if (typeof vpJwt !== 'string') return { ok: false, error: 'only JWT presentations are expected' };
      const vp = decodeJwtPayload(vpJwt);
      const vcs = [].concat(vp.vp?.verifiableCredential ?? []);
      if (vcs.length === 0) return { ok: false, error: 'the presentation carries no credential' };
      for (const vcJwt of vcs) {
        const vc = decodeJwtPayload(vcJwt);
        const issuer = vc.iss ?? (typeof vc.vc?.issuer === 'string' ? vc.vc.issuer : vc.vc?.issuer?.id);
        if (issuer !== trustedIssuerDid) {
          return { ok: false, issuer, error: `credential issuer ${issuer} is not the sandbox issuer ${trustedIssuerDid}` };
        }
        if (!CREDENTIAL_TYPES.every((t) => vc.vc?.type?.includes(t))) return { ok: false, issuer, error: `credential type ${JSON.stringify(vc.vc?.type)} is not LEARCredentialEmployee` };
        first ??= { issuer, holder: vp.iss, subject: vc.vc?.credentialSubject };
      }
    }
    const mandate = first.subject?.mandate ?? {};
    return {
      ok: true,
      issuer: first.issuer,
      holder: first.holder,
      claims: {
        firstName: mandate.mandatee?.firstName,
        lastName: mandate.mandatee?.lastName,
        email: mandate.mandatee?.email,
        organization: mandate.mandator?.organization,
        organizationIdentifier: mandate.mandator?.organizationIdentifier,
      },
    };
  } catch (e) {
    return { ok: false, error: `could not read the presentation: ${e.message}` };
  }
}

function decodeJwtPayload(jwt) {
  const part = String(jwt).split('.')[1];
  if (!part) throw new Error('not a compact JWS');
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

/** Flips one bit in the middle of a compact JWS's signature, keeping it well-formed base64url. */
export function flipSignatureBit(jws) {
  const parts = jws.trim().split('.');
  if (parts.length !== 3) throw new Error('request object is not a compact JWS');
  const sig = Buffer.from(parts[2], 'base64url');
  if (sig.length === 0) throw new Error('request object has an empty signature');
  sig[Math.floor(sig.length / 2)] ^= 0x01;
  return `${parts[0]}.${parts[1]}.${sig.toString('base64url')}`;
}

function describeCredoError(body) {
  try {
    const j = JSON.parse(body);
    return [j.error, j.error_description].filter(Boolean).join(': ') || String(body);
  } catch { return String(body ?? 'error'); }
}

function loginForm() {
  const opts = (values, selected) => values.map((v) => `<option${v === selected ? ' selected' : ''}>${esc(v)}</option>`).join('');
  return `<form class="card" method="post" action="/login">
  <h2>Sign in to the sandbox marketplace</h2>
  <div class="row"><label>Request style <select name="style">${opts(Object.keys(STYLES), 'v1')}</select></label>
  <label>Response mode <select name="responseMode">${opts(RESPONSE_MODES, 'direct_post')}</select></label></div>
  <div class="opts"><label><input type="checkbox" name="brokenSignature"> Tamper with the request signature</label></div>
  <p><button type="submit">Sign in with the wallet</button></p>
</form>`;
}

async function loginPage(r) {
  return `<div class="card">
  <p><a class="btn" href="${esc(r.sameDeviceLink)}">Open the wallet (same device)</a></p>
  <div class="qr">${await qrSvg(r.link)}</div>
  <p class="muted">Scan with the wallet. Style ${esc(r.style)} (${esc(r.version)}), ${esc(r.responseMode)}, query ${esc(r.query)}${r.brokenSignature ? ', <b>tampered signature</b>' : ''}.</p>
  <p class="muted">client_id <span class="mono">${esc(r.clientId)}</span></p>
  <p id="result">${resultHtml(r)}</p>
  <p><a href="/">New sign-in</a> · <a href="/api/requests/${esc(r.id)}">JSON</a></p>
</div>`;
}

function resultHtml(r) {
  if (r.verified) return `<span class="ok">Signed in as ${esc(r.presentedClaims?.firstName)} ${esc(r.presentedClaims?.lastName)} for ${esc(r.presentedClaims?.organization)}</span>`;
  if (r.error) return `<span class="bad">Sign-in failed: ${esc(r.error)}</span>`;
  return `Waiting for the wallet… (${esc(r.state)})`;
}

function pollScript(id) {
  return `(() => {
  const el = document.getElementById('result');
  const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
  async function poll() {
    try {
      const r = await (await fetch('/api/requests/${encodeURIComponent(id)}')).json();
      if (r.verified) { el.innerHTML = '<span class="ok">Signed in as ' + esc(r.presentedClaims.firstName) + ' ' + esc(r.presentedClaims.lastName) + ' for ' + esc(r.presentedClaims.organization) + '</span>'; return; }
      if (r.error) { el.innerHTML = '<span class="bad">Sign-in failed: ' + esc(r.error) + '</span>'; return; }
      el.textContent = 'Waiting for the wallet… (' + r.state + ')';
    } catch (e) { el.textContent = 'Lost contact with the verifier: ' + e.message; }
    setTimeout(poll, 1500);
  }
  setTimeout(poll, 1500);
})();`;
}
