// The sandbox issuer: a Credo 0.6.3 OpenID4VCI issuer of DOME-like LEARCredentialEmployee credentials
// (jwt_vc_json, ES256, issuer did:key P-256), a control API for tests and an issuing page for people.
//
// Two Credo issuer records share one agent and one DID:
//   /oid4vci/lear          OpenID4VCI 1.0 metadata (display and claims under credential_metadata), v1 offers
//   /oid4vci/lear-draft13  draft-13 style metadata (no credential_metadata), offers created with version 'v1.draft11-14'
//
// Credo 0.6.3 has no notification endpoint. Unless `notifications: false`, the sandbox adds one
// (POST <credential_issuer>/notification), advertises it as `notification_endpoint` in the issuer metadata
// and adds a `notification_id` to every credential response that carries credentials. Everything
// else on /oid4vci and /.well-known is Credo's own behaviour.
import { OpenId4VcModule, OpenId4VcIssuanceSessionState } from '@credo-ts/openid4vc';
import { W3cCredential, W3cCredentialSubject, W3cCredentialStatus, ClaimFormat, utils } from '@credo-ts/core';
import { Oauth2ServerErrorResponseError } from '@openid4vc/oauth2';
import crypto from 'node:crypto';
import express from 'express';
import { createAgent, createP256DidKey } from './agent.mjs';
import { createPeerServer, asyncRoute, sendError, esc, HttpError } from './http.mjs';
import { layout, qrSvg } from './page.mjs';
import { createStatusLists, tamperSignature, PURPOSES } from './status.mjs';
import {
  CREDENTIAL_CONFIGURATION_ID, CREDENTIAL_TYPES, LEAR_V3_CONTEXT, VCDM_11_CONTEXT, LOGO_SVG,
  buildMandate, credentialConfigurationV1, credentialConfigurationDraft13, issuerDisplay,
} from './lear.mjs';

export const ISSUER_ID_V1 = 'lear';
export const ISSUER_ID_DRAFT13 = 'lear-draft13';
const NOTIFICATION_EVENTS = ['credential_accepted', 'credential_failure', 'credential_deleted'];
const CREDENTIAL_VALIDITY_DAYS = 365;

/**
 * @param {object} o
 * @param {string} o.host
 * @param {number} o.port
 * @param {string[]} o.walletOrigins  first one is used for same-device links
 * @param {boolean} [o.quiet]
 * @param {boolean} [o.traceBodies]
 * @param {boolean} [o.notifications=true]  add the sandbox notification endpoint (Credo has none)
 * @param {number} [o.deferredInterval=5]   seconds a deferred credential tells the wallet to wait
 */
export async function startIssuer({ host, port, walletOrigins, quiet, traceBodies, notifications = true, deferredInterval = 5 }) {
  const peer = await createPeerServer({ name: 'issuer', host, port, walletOrigins, traceBodies });
  const { app, url } = peer;
  const baseUrl = `${url}/oid4vci`;
  const logoUri = `${url}/static/logo.svg`;
  const offers = new Map(); // sandbox offer id -> offer record
  const notificationIds = new Map(); // notification_id -> { offerId, accessToken }
  const statusLists = createStatusLists({ baseUrl: `${url}/status` });
  let issuerDid; let issuerVm; let agent;

  const findOfferForSession = (issuanceSession) => {
    const offer = offers.get(issuanceSession.issuanceMetadata?.sandboxOfferId);
    if (!offer) throw new Error(`issuance session ${issuanceSession.id} belongs to no sandbox offer`);
    return offer;
  };

  // [sandbox] A credentialStatus entry (offer option `status`). Credo's W3cCredentialStatus keeps
  // only `id` and `type`; the other members are set on the instance, and Credo signs them as given.
  // One entry per credential: Credo 0.6.3 accepts one credentialStatus object, not an array.
  const statusEntry = (offer) => {
    if (!offer.statusPurpose) return undefined;
    const index = statusLists.allocate();
    offer.statusIndexes.push(index);
    const entry = statusLists.entry(offer.statusPurpose, index);
    const status = new W3cCredentialStatus({ id: entry.id, type: entry.type });
    Object.assign(status, { statusPurpose: entry.statusPurpose, statusListIndex: entry.statusListIndex, statusListCredential: entry.statusListCredential });
    return status;
  };

  const signCredentials = (offer, keys) => ({
    type: 'credentials',
    format: ClaimFormat.JwtVc,
    credentials: keys.map((key) => {
      const holderDid = key.didUrl.split('#')[0];
      const now = new Date();
      const credentialStatus = statusEntry(offer);
      return {
        verificationMethod: issuerVm,
        credential: new W3cCredential({
          context: [VCDM_11_CONTEXT, LEAR_V3_CONTEXT],
          id: `urn:uuid:${utils.uuid()}`,
          type: [...CREDENTIAL_TYPES],
          issuer: issuerDid,
          issuanceDate: now.toISOString(),
          expirationDate: new Date(now.getTime() + CREDENTIAL_VALIDITY_DAYS * 86400e3).toISOString(),
          // Custom claims survive only through W3cCredentialSubject's `claims` (fromJSON drops them).
          credentialSubject: new W3cCredentialSubject({ id: holderDid, claims: { mandate: offer.mandate } }),
          ...(credentialStatus ? { credentialStatus } : {}),
        }),
      };
    }),
  });

  // [sandbox] The status list credentials: jwt_vc_json, ES256, signed by Credo with the issuer's
  // did:key (a `vc` claim, VCDM 1.1 as Credo signs it), signed afresh on each request so they show
  // the current bits. `tampered` serves them with one bit of the signature flipped.
  async function statusListCredential(purpose) {
    const listUrl = statusLists.url(purpose);
    const signed = await agent.w3cCredentials.signCredential({
      format: ClaimFormat.JwtVc,
      alg: 'ES256',
      verificationMethod: issuerVm,
      credential: new W3cCredential({
        context: [VCDM_11_CONTEXT],
        id: listUrl,
        type: ['VerifiableCredential', 'BitstringStatusListCredential'],
        issuer: issuerDid,
        issuanceDate: new Date(Date.now() - 1000).toISOString(),
        credentialSubject: new W3cCredentialSubject({
          id: `${listUrl}#list`,
          claims: { type: 'BitstringStatusList', statusPurpose: purpose, encodedList: statusLists.encodedList(purpose) },
        }),
      }),
    });
    return statusLists.state.tampered ? tamperSignature(signed.serializedJwt) : signed.serializedJwt;
  }

  function setOfferStatus(id, purpose, value) {
    const offer = offers.get(id);
    if (!offer) throw new HttpError(404, 'not_found', `no offer ${id}`);
    if (offer.statusPurpose !== purpose) {
      throw new HttpError(409, 'no_such_status', `offer ${id} issues credentials ${offer.statusPurpose ? `with a ${offer.statusPurpose} entry` : 'without credentialStatus'}; create it with status: '${purpose}'`);
    }
    if (offer.statusIndexes.length === 0) throw new HttpError(409, 'not_issued', `offer ${id} has issued no credential yet`);
    for (const index of offer.statusIndexes) statusLists.set(purpose, index, value);
    return statusOf(offer);
  }

  function statusOf(offer) {
    if (!offer.statusPurpose) return null;
    return {
      purpose: offer.statusPurpose,
      list: statusLists.url(offer.statusPurpose),
      indexes: offer.statusIndexes,
      set: offer.statusIndexes.map((i) => statusLists.get(offer.statusPurpose, i)),
    };
  }

  const assertDidKeyBinding = (holderBinding) => {
    if (holderBinding.bindingMethod !== 'did' || !holderBinding.keys.every((k) => k.didUrl?.startsWith('did:key:'))) {
      throw new Oauth2ServerErrorResponseError({
        error: 'invalid_proof',
        error_description: 'This issuer binds LEARCredentialEmployee to a did:key: sign the proof with kid = did:key:…#… (not a jwk header)',
      });
    }
  };

  // --- interceptors that add the sandbox notification support to Credo's responses -----------------
  if (notifications) {
    app.use((req, res, next) => {
      const meta = req.method === 'GET' && (
        req.path.match(/^\/\.well-known\/openid-credential-issuer\/oid4vci\/([^/]+)$/)
        ?? req.path.match(/^\/oid4vci\/([^/]+)\/\.well-known\/openid-credential-issuer$/));
      const cred = req.method === 'POST' && req.path.match(/^\/oid4vci\/([^/]+)\/(credential|deferred-credential)$/);
      if (!meta && !cred) { next(); return; }
      const issuerId = (meta || cred)[1];
      const send = res.send.bind(res);
      res.send = (body) => {
        if (typeof body !== 'string' || !String(res.getHeader('content-type') ?? '').includes('json')) return send(body);
        let json;
        try { json = JSON.parse(body); } catch { return send(body); }
        if (meta && res.statusCode === 200) {
          json.notification_endpoint = `${baseUrl}/${issuerId}/notification`;
        } else if (cred && res.statusCode === 200 && (json.credentials || json.credential)) {
          const offer = offerForAccessToken(req.headers.authorization);
          if (offer && !offer.withNotificationId) return send(body);
          const notificationId = utils.uuid();
          notificationIds.set(notificationId, { offerId: offer?.id, accessToken: bearerToken(req.headers.authorization) });
          json.notification_id = notificationId;
        }
        return send(JSON.stringify(json));
      };
      next();
    });
    app.post(/^\/oid4vci\/([^/]+)\/notification$/, express.json(), (req, res) => {
      const token = bearerToken(req.headers.authorization);
      const body = req.body ?? {};
      if (!token) { res.setHeader('WWW-Authenticate', 'Bearer'); sendError(res, 401, 'invalid_token', 'missing access token (Authorization: Bearer or DPoP)'); return; }
      if (typeof body.notification_id !== 'string' || !NOTIFICATION_EVENTS.includes(body.event)) {
        sendError(res, 400, 'invalid_notification_request', `expected {notification_id, event: ${NOTIFICATION_EVENTS.join('|')}, event_description?}`);
        return;
      }
      const known = notificationIds.get(body.notification_id);
      if (!known) { sendError(res, 400, 'invalid_notification_id', 'unknown notification_id'); return; }
      if (known.accessToken !== token) { res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"'); sendError(res, 401, 'invalid_token', 'the access token is not the one the credential was issued to'); return; }
      const offer = offers.get(known.offerId);
      offer?.notifications.push({
        time: new Date().toISOString(), notification_id: body.notification_id, event: body.event,
        ...(body.event_description ? { event_description: String(body.event_description) } : {}),
      });
      res.status(204).end();
    });
  }

  function offerForAccessToken(authorization) {
    const token = bearerToken(authorization);
    if (!token) return undefined;
    try {
      const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
      const code = payload['pre-authorized_code'];
      return [...offers.values()].find((o) => o.preAuthorizedCode === code);
    } catch { return undefined; }
  }

  // --- the Credo agent ----------------------------------------------------------------------------
  const created = await createAgent({
    name: 'issuer',
    quiet,
    modules: {
      openid4vc: new OpenId4VcModule({
        app,
        issuer: {
          baseUrl,
          // DOME keeps code and PIN for 5 minutes; the access token must outlive a deferral a human releases.
          statefulCredentialOfferExpirationInSeconds: 300,
          accessTokenExpiresInSeconds: 3600,
          credentialRequestToCredentialMapper: async ({ issuanceSession, holderBinding, credentialConfigurationId }) => {
            if (credentialConfigurationId !== CREDENTIAL_CONFIGURATION_ID) throw new Error(`unexpected credential configuration ${credentialConfigurationId}`);
            assertDidKeyBinding(holderBinding);
            const offer = findOfferForSession(issuanceSession);
            offer.holderDids = holderBinding.keys.map((k) => k.didUrl.split('#')[0]);
            if (offer.deferred && !offer.released) {
              const transactionId = utils.uuid();
              offer.transactionIds.push(transactionId);
              return { type: 'deferral', transactionId, interval: offer.interval };
            }
            return signCredentials(offer, holderBinding.keys);
          },
          deferredCredentialRequestToCredentialMapper: async ({ issuanceSession, transaction }) => {
            const offer = findOfferForSession(issuanceSession);
            offer.deferredPolls += 1;
            if (!offer.released) return { type: 'deferral', transactionId: transaction.transactionId, interval: offer.interval };
            return signCredentials(offer, transaction.holderBinding.keys);
          },
        },
      }),
    },
  });
  agent = created.agent;
  const issuerApi = agent.modules.openid4vc.issuer;
  ({ did: issuerDid, verificationMethodId: issuerVm } = await createP256DidKey(agent));

  await issuerApi.createIssuer({
    issuerId: ISSUER_ID_V1,
    accessTokenSignerKeyType: { kty: 'EC', crv: 'P-256' },
    display: issuerDisplay(logoUri),
    credentialConfigurationsSupported: { [CREDENTIAL_CONFIGURATION_ID]: credentialConfigurationV1(logoUri) },
  });
  await issuerApi.createIssuer({
    issuerId: ISSUER_ID_DRAFT13,
    accessTokenSignerKeyType: { kty: 'EC', crv: 'P-256' },
    display: issuerDisplay(logoUri),
    credentialConfigurationsSupported: { [CREDENTIAL_CONFIGURATION_ID]: credentialConfigurationDraft13(logoUri) },
  });

  // --- offers -------------------------------------------------------------------------------------
  async function createOffer(options = {}) {
    const known = ['byValue', 'pin', 'pinDescription', 'deferred', 'draft13', 'mandatee', 'mandator', 'interval', 'notificationId', 'status'];
    for (const k of Object.keys(options)) if (!known.includes(k)) throw new HttpError(400, 'invalid_request', `unknown option '${k}' (known: ${known.join(', ')})`);
    for (const k of ['byValue', 'pin', 'deferred', 'draft13', 'notificationId']) {
      if (options[k] !== undefined && typeof options[k] !== 'boolean') throw new HttpError(400, 'invalid_request', `'${k}' must be true or false`);
    }
    if (options.pinDescription !== undefined && (typeof options.pinDescription !== 'string' || options.pinDescription.length > 300)) {
      throw new HttpError(400, 'invalid_request', "'pinDescription' must be a string of at most 300 characters");
    }
    const statusPurpose = options.status === true ? 'revocation' : (options.status ?? false);
    if (statusPurpose !== false && !PURPOSES.includes(statusPurpose)) {
      throw new HttpError(400, 'invalid_request', `'status' must be false, true (= 'revocation'), 'revocation' or 'suspension'`);
    }
    const interval = options.interval ?? deferredInterval;
    if (!Number.isInteger(interval) || interval < 1 || interval > 86400) throw new HttpError(400, 'invalid_request', "'interval' must be an integer number of seconds, 1..86400");
    let mandate;
    try { mandate = buildMandate({ mandatee: options.mandatee, mandator: options.mandator }); } catch (e) { throw new HttpError(400, 'invalid_request', e.message); }

    const id = utils.uuid();
    const draft13 = options.draft13 === true;
    const issuerId = draft13 ? ISSUER_ID_DRAFT13 : ISSUER_ID_V1;
    const pin = options.pin === true;
    const { issuanceSession, credentialOffer } = await issuerApi.createCredentialOffer({
      issuerId,
      credentialConfigurationIds: [CREDENTIAL_CONFIGURATION_ID],
      version: draft13 ? 'v1.draft11-14' : 'v1',
      preAuthorizedCodeFlowConfig: pin
        ? { txCode: { input_mode: 'numeric', length: 4, ...(options.pinDescription ? { description: options.pinDescription } : {}) } }
        : {},
      issuanceMetadata: { sandboxOfferId: id },
    });
    const payload = issuanceSession.credentialOfferPayload;
    const byValue = options.byValue === true;
    const offerUri = byValue
      ? `openid-credential-offer://?${new URLSearchParams({ credential_offer: JSON.stringify(payload) })}`
      : credentialOffer;
    const sameDeviceLink = byValue
      ? `${walletOrigins[0]}/?credential_offer=${encodeURIComponent(JSON.stringify(payload))}`
      : `${walletOrigins[0]}/?credential_offer_uri=${encodeURIComponent(issuanceSession.credentialOfferUri)}`;
    const offer = {
      id, createdAt: new Date().toISOString(), issuerId, issuanceSessionId: issuanceSession.id,
      byValue, pin, deferred: options.deferred === true, draft13, interval,
      // Per offer: leave notification_id out of this offer's credential responses (see README: the
      // Credo 0.6.3 holder refuses a deferred response that carries one).
      withNotificationId: notifications && options.notificationId !== false,
      mandate, released: false, transactionIds: [], deferredPolls: 0, notifications: [], holderDids: [],
      statusPurpose: statusPurpose || null, statusIndexes: [],
      offerUri, sameDeviceLink, credentialOfferUri: issuanceSession.credentialOfferUri,
      preAuthorizedCode: issuanceSession.preAuthorizedCode, txCode: issuanceSession.userPin,
      credentialOfferPayload: payload,
    };
    offers.set(id, offer);
    return { id, offerUri, sameDeviceLink, pin: offer.txCode ?? null, credentialOffer: payload };
  }

  async function getOffer(id) {
    const offer = offers.get(id);
    if (!offer) throw new HttpError(404, 'not_found', `no offer ${id}`);
    const session = await issuerApi.getIssuanceSessionById(offer.issuanceSessionId);
    return {
      id: offer.id,
      createdAt: offer.createdAt,
      options: { byValue: offer.byValue, pin: offer.pin, deferred: offer.deferred, draft13: offer.draft13, interval: offer.interval, notificationId: offer.withNotificationId, status: offer.statusPurpose ?? false },
      credentialIssuer: `${baseUrl}/${offer.issuerId}`,
      state: session.state,
      errorMessage: session.errorMessage ?? null,
      expiresAt: session.expiresAt?.toISOString() ?? null,
      issuedCredentials: session.issuedCredentials,
      pendingTransactions: session.transactions.map((t) => t.transactionId),
      released: offer.released,
      deferredPolls: offer.deferredPolls,
      holderDids: offer.holderDids,
      notifications: offer.notifications,
      pin: offer.txCode ?? null,
      offerUri: offer.offerUri,
      sameDeviceLink: offer.sameDeviceLink,
      mandate: offer.mandate,
      status: statusOf(offer),
    };
  }

  function releaseOffer(id) {
    const offer = offers.get(id);
    if (!offer) throw new HttpError(404, 'not_found', `no offer ${id}`);
    if (!offer.deferred) throw new HttpError(409, 'not_deferred', `offer ${id} is not a deferred offer`);
    offer.released = true;
    return { id, released: true, note: `the next deferred-credential request after the ${offer.interval} s interval gets the credential` };
  }

  // --- control API --------------------------------------------------------------------------------
  app.get('/static/logo.svg', (_req, res) => res.type('image/svg+xml').send(LOGO_SVG));
  app.post('/api/offers', express.json(), asyncRoute(async (req, res) => res.status(201).json(await createOffer(req.body ?? {}))));
  app.get('/api/offers/:id', asyncRoute(async (req, res) => res.json(await getOffer(req.params.id))));
  app.post('/api/offers/:id/release', asyncRoute(async (req, res) => res.json(releaseOffer(req.params.id))));
  app.post('/api/offers/:id/revoke', asyncRoute(async (req, res) => res.json(setOfferStatus(req.params.id, 'revocation', true))));
  app.post('/api/offers/:id/suspend', asyncRoute(async (req, res) => res.json(setOfferStatus(req.params.id, 'suspension', true))));
  app.post('/api/offers/:id/reinstate', asyncRoute(async (req, res) => res.json(setOfferStatus(req.params.id, 'suspension', false))));
  app.get('/api/status-lists', (_req, res) => res.json(describeStatusLists()));
  app.post('/api/status-lists', express.json(), asyncRoute(async (req, res) => {
    const body = req.body ?? {};
    for (const k of Object.keys(body)) if (k !== 'tampered') throw new HttpError(400, 'invalid_request', `unknown field '${k}' (known: tampered)`);
    if (body.tampered !== undefined && typeof body.tampered !== 'boolean') throw new HttpError(400, 'invalid_request', "'tampered' must be true or false");
    if (body.tampered !== undefined) statusLists.state.tampered = body.tampered;
    res.json(describeStatusLists());
  }));
  // [sandbox] A trusted issuers registry (EBSI TIR v4, as FIWARE's trusted-issuers-list answers)
  // that lists this issuer, unless `POST /api/tir {"listed": false}`.
  const tir = { listed: true };
  app.get('/tir/v4/issuers/:did', (req, res) => {
    if (!tir.listed || req.params.did !== issuerDid) {
      res.status(404).json({ title: 'Not Found', status: 404, detail: `issuer ${req.params.did} is not registered` });
      return;
    }
    const body = Buffer.from(JSON.stringify({
      validFor: { from: '2024-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z' }, credentialsType: CREDENTIAL_CONFIGURATION_ID, claims: [],
    })).toString('base64');
    res.json({ did: issuerDid, attributes: [{ hash: crypto.createHash('sha256').update(body).digest('base64'), body, issuerType: 'Undefined' }] });
  });
  app.post('/api/tir', express.json(), asyncRoute(async (req, res) => {
    const body = req.body ?? {};
    if (Object.keys(body).some((k) => k !== 'listed') || typeof body.listed !== 'boolean') throw new HttpError(400, 'invalid_request', "expected {\"listed\": true|false}");
    tir.listed = body.listed;
    res.json({ listed: tir.listed, url: `${url}/tir` });
  }));
  // The lists themselves (what wallets fetch).
  app.get('/status/:purpose', asyncRoute(async (req, res) => {
    if (!PURPOSES.includes(req.params.purpose)) throw new HttpError(404, 'not_found', `no status list '${req.params.purpose}'`);
    res.type('application/vc+jwt').send(await statusListCredential(req.params.purpose));
  }));
  app.get('/api/issuer', (_req, res) => res.json(describe()));
  peer.mountLogApi();

  // --- pages for people ---------------------------------------------------------------------------
  app.get('/', (_req, res) => res.type('html').send(layout({ title: 'DOME sandbox issuer', body: offerForm() })));
  app.post('/offer', express.urlencoded({ extended: false }), asyncRoute(async (req, res) => {
    const f = req.body ?? {};
    const mandatee = pickStrings(f, ['firstName', 'lastName', 'email', 'employeeId']);
    const mandator = pickStrings({ organization: f.organization, organizationIdentifier: f.organizationIdentifier }, ['organization', 'organizationIdentifier']);
    const status = PURPOSES.includes(f.status) ? f.status : false;
    const { id } = await createOffer({ mandatee, mandator, pin: f.pin === 'on', byValue: f.byValue === 'on', deferred: f.deferred === 'on', draft13: f.draft13 === 'on', status });
    res.redirect(303, `/offer/${id}`);
  }));
  app.get('/offer/:id', asyncRoute(async (req, res) => {
    const o = await getOffer(req.params.id);
    res.type('html').send(layout({ title: 'Credential offer', body: await offerPage(o) }));
  }));
  app.post('/offer/:id/release', asyncRoute(async (req, res) => { releaseOffer(req.params.id); res.redirect(303, `/offer/${req.params.id}`); }));
  for (const [action, purpose, value] of [['revoke', 'revocation', true], ['suspend', 'suspension', true], ['reinstate', 'suspension', false]]) {
    app.post(`/offer/:id/${action}`, asyncRoute(async (req, res) => { setOfferStatus(req.params.id, purpose, value); res.redirect(303, `/offer/${req.params.id}`); }));
  }

  function describeStatusLists() {
    return {
      tampered: statusLists.state.tampered,
      lists: Object.fromEntries(PURPOSES.map((p) => [p, { url: statusLists.url(p), set: statusLists.setIndexes(p) }])),
    };
  }

  function describe() {
    return {
      url,
      did: issuerDid,
      verificationMethod: issuerVm,
      credentialIssuer: `${baseUrl}/${ISSUER_ID_V1}`,
      credentialIssuerDraft13: `${baseUrl}/${ISSUER_ID_DRAFT13}`,
      notifications,
      walletOrigins,
    };
  }

  return {
    ...describe(),
    log: peer.log,
    createOffer,
    getOffer,
    releaseOffer,
    revoke: (id) => setOfferStatus(id, 'revocation', true),
    suspend: (id) => setOfferStatus(id, 'suspension', true),
    reinstate: (id) => setOfferStatus(id, 'suspension', false),
    statusLists: describeStatusLists,
    setStatusListTampering(tampered) { statusLists.state.tampered = tampered === true; },
    async stop() {
      await peer.close();
      await created.shutdown();
    },
  };
}

function bearerToken(authorization) {
  const m = /^(?:Bearer|DPoP)\s+(\S+)$/i.exec(String(authorization ?? ''));
  return m ? m[1] : undefined;
}

function pickStrings(source, fields) {
  const out = {};
  for (const f of fields) if (typeof source[f] === 'string' && source[f].trim() !== '') out[f] = source[f].trim();
  return out;
}

function offerForm() {
  return `<form class="card" method="post" action="/offer">
  <h2>Issue a LEARCredentialEmployee</h2>
  <div class="row"><label>First name <input type="text" name="firstName" value="Jane"></label>
  <label>Last name <input type="text" name="lastName" value="Doe"></label></div>
  <div class="row"><label>E-mail <input type="email" name="email" value="jane.doe@example.org"></label>
  <label>Employee id <input type="text" name="employeeId" value="E-0001"></label></div>
  <div class="row"><label>Organisation <input type="text" name="organization" value="Sandbox Org S.L."></label>
  <label>Organisation identifier <input type="text" name="organizationIdentifier" value="VATES-B00000000"></label></div>
  <div class="opts"><label><input type="checkbox" name="pin" checked> PIN (tx_code)</label>
  <label><input type="checkbox" name="byValue"> Offer by value</label>
  <label><input type="checkbox" name="deferred"> Deferred (needs "Sign now")</label>
  <label><input type="checkbox" name="draft13"> Draft-13 style issuer</label>
  <label>Status list entry <select name="status"><option value="">none</option><option value="revocation">revocation</option><option value="suspension">suspension</option></select></label></div>
  <p><button type="submit">Create offer</button></p>
</form>`;
}

async function offerPage(o) {
  const done = [OpenId4VcIssuanceSessionState.Completed].includes(o.state);
  return `<div class="card">
  <p>State: <b id="state">${esc(o.state)}</b>${o.errorMessage ? ` <span class="bad">${esc(o.errorMessage)}</span>` : ''}</p>
  ${o.pin ? `<p>PIN to type in the wallet: <span class="pin">${esc(o.pin)}</span></p>` : '<p class="muted">No PIN needed.</p>'}
  <p><a class="btn" href="${esc(o.sameDeviceLink)}">Open in the wallet (same device)</a></p>
  <div class="qr">${await qrSvg(o.offerUri)}</div>
  <p class="muted">Scan with the wallet (other device). Offer: <span class="mono">${esc(o.offerUri.length > 300 ? `${o.offerUri.slice(0, 300)}…` : o.offerUri)}</span></p>
  ${o.options.deferred ? `<form method="post" action="/offer/${esc(o.id)}/release"><p>Deferred issuance: ${o.released ? '<span class="ok">released</span>' : 'waiting for the issuer\'s signature'}
     ${o.released ? '' : '<button type="submit">Sign now</button>'}</p></form>` : ''}
  ${o.status ? `<p>Status (${esc(o.status.purpose)}, ${esc(o.status.list)}): ${o.status.indexes.length ? o.status.indexes.map((i, k) => `#${i} ${o.status.set[k] ? `<b class="bad">${o.status.purpose === 'revocation' ? 'revoked' : 'suspended'}</b>` : '<span class="ok">not set</span>'}`).join(', ') : 'no credential issued yet'}
     ${o.status.indexes.length ? (o.status.purpose === 'revocation'
    ? (o.status.set.every(Boolean) ? '' : `<form method="post" action="/offer/${esc(o.id)}/revoke"><button type="submit">Revoke</button></form>`)
    : `<form method="post" action="/offer/${esc(o.id)}/${o.status.set.every(Boolean) ? 'reinstate' : 'suspend'}"><button type="submit">${o.status.set.every(Boolean) ? 'Reinstate' : 'Suspend'}</button></form>`) : ''}</p>` : ''}
  ${o.notifications.length ? `<p>Notifications: ${o.notifications.map((n) => esc(n.event)).join(', ')}</p>` : ''}
  <p class="muted">Mandatee ${esc(o.mandate.mandatee.firstName)} ${esc(o.mandate.mandatee.lastName)}, ${esc(o.mandate.mandator.organization)} · options ${esc(JSON.stringify(o.options))}</p>
  <p><a href="/">New offer</a> · <a href="/api/offers/${esc(o.id)}">JSON</a></p>
  ${done ? '' : '<script>setTimeout(() => location.reload(), 3000)</script>'}
</div>`;
}
