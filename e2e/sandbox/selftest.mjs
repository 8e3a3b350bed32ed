#!/usr/bin/env node
// Self-test of the sandbox peers against third-party holders:
//   1. an in-process Credo holder agent takes offers from the issuer (PIN + by reference, by value,
//      deferred, draft-13 style) and presents to the verifier in every style and response mode Credo
//      supports; the broken-signature request must be refused by the holder and reach nothing; a
//      credential from another issuer must not count as verified;
//   2. a hand-rolled raw HTTP client probes what the Credo issuer accepts and refuses at the edges
//      (PIN, proof JWT rules, request shapes, notifications, CORS).
//
// Usage: node e2e/sandbox/selftest.mjs [--verbose] [--observe] [--traffic <file.json>]
//   --verbose   Credo's own warnings on stderr
//   --observe   print the observed protocol messages (request objects, VP, JWE headers, responses)
//   --traffic   write every request both peers received (with bodies) to a JSON file
// Ends with the line "N passed, N failed"; exits 1 if anything failed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { startPeers } from './peers.mjs';
import { createAgent, createP256DidKey } from './lib/agent.mjs';
import { newDidKey, signJwt, decodeJwt, http } from './lib/rawclient.mjs';
import { OpenId4VcModule } from '@credo-ts/openid4vc';
import { X509Module, W3cCredential, W3cCredentialSubject, W3cCredentialRecord, W3cJwtVerifiableCredential, ClaimFormat } from '@credo-ts/core';

const args = process.argv.slice(2);
const verbose = args.includes('--verbose');
const observe = args.includes('--observe');
const trafficFile = args.includes('--traffic') ? args[args.indexOf('--traffic') + 1] : undefined;
const WALLET = 'http://127.0.0.1:8080';

let passed = 0; let failed = 0;
const observations = {};
function note(key, value) { observations[key] = value; }
function assert(cond, message) { if (!cond) throw new Error(message); }
function eq(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}
async function check(name, fn) {
  const t = Date.now();
  try {
    const detail = await fn();
    passed += 1;
    console.log(`ok   ${name} (${Date.now() - t} ms)${detail ? ` — ${detail}` : ''}`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${name}: ${e.message}`);
    if (verbose && e.stack) console.log(e.stack);
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------------------------------------
const importedAfter = Math.round(process.uptime() * 1000);
const t0 = Date.now();
const peers = await startPeers({ walletOrigin: WALLET, quiet: !verbose, traceBodies: true, deferredInterval: 1 });
console.log(`startPeers: ${Date.now() - t0} ms (process start to modules imported: ${importedAfter} ms)`);
console.log(`issuer ${peers.issuer.url} ${peers.issuer.did}\nverifier ${peers.verifier.url} ${peers.verifier.did}`);
const ISS = peers.issuer.url;
const VER = peers.verifier.url;

const holder = await createAgent({
  name: 'holder',
  quiet: !verbose,
  modules: {
    openid4vc: new OpenId4VcModule({}),
    // The holder trusts the verifier's self-signed certificate for the x509_san_dns style.
    x509: new X509Module({ trustedCertificates: [peers.verifier.certificatePem] }),
  },
});
const H = holder.agent.modules.openid4vc.holder;

async function newOffer(body) {
  const r = await http('POST', `${ISS}/api/offers`, { json: body });
  assert(r.status === 201, `POST /api/offers ${JSON.stringify(body)} -> ${r.status} ${r.text}`);
  return r.json;
}
async function offerState(id) { return (await http('GET', `${ISS}/api/offers/${id}`)).json; }
async function newRequest(body) {
  const r = await http('POST', `${VER}/api/requests`, { json: body });
  assert(r.status === 201, `POST /api/requests ${JSON.stringify(body)} -> ${r.status} ${r.text}`);
  return r.json;
}
async function requestState(id) { return (await http('GET', `${VER}/api/requests/${id}`)).json; }

const bindingResolver = async () => {
  const { verificationMethodId } = await createP256DidKey(holder.agent);
  return { method: 'did', didUrls: [verificationMethodId] };
};

/** Credo holder: resolve offer, token (with PIN), credential (+ deferred polling), store, notify. */
async function holderTakesOffer(offer, { notify = 'credential_accepted', release } = {}) {
  const resolved = await H.resolveCredentialOffer(offer.offerUri);
  const token = await H.requestToken({ resolvedCredentialOffer: resolved, ...(offer.pin ? { txCode: offer.pin } : {}) });
  let res = await H.requestCredentials({ resolvedCredentialOffer: resolved, ...token, credentialBindingResolver: bindingResolver });
  let deferredRounds = 0;
  while (res.credentials.length === 0 && res.deferredCredentials.length > 0) {
    const d = res.deferredCredentials[0];
    deferredRounds += 1;
    if (deferredRounds === 2 && release) await release();
    assert(deferredRounds < 8, 'deferred credential never arrived');
    await sleep((d.interval ?? 1) * 1000 + 200);
    res = await H.requestDeferredCredentials({
      issuerMetadata: resolved.metadata, transactionId: d.transactionId, credentialConfigurationId: d.credentialConfigurationId,
      credentialConfiguration: d.credentialConfiguration, accessToken: token.accessToken, jwkThumbprintKmsKeyIdMapping: d.jwkThumbprintKmsKeyIdMapping,
    });
  }
  assert(res.credentials.length === 1, `expected one credential, got ${res.credentials.length}`);
  const { record, notificationId } = res.credentials[0];
  await holder.agent.w3cCredentials.store({ record });
  if (notify && notificationId) {
    await H.sendNotification({ metadata: resolved.metadata, notificationId, accessToken: token.accessToken, notificationEvent: notify });
  }
  return { record, notificationId, deferredRounds, resolved };
}

/** Credo holder: resolve the request (verifies its signature) and answer it. */
async function holderPresents(link) {
  const resolved = await H.resolveOpenId4VpAuthorizationRequest(link);
  const answer = await H.acceptOpenId4VpAuthorizationRequest({
    authorizationRequestPayload: resolved.authorizationRequestPayload,
    ...(resolved.dcql ? { dcql: { credentials: H.selectCredentialsForDcqlRequest(resolved.dcql.queryResult) } } : {}),
    ...(resolved.presentationExchange ? { presentationExchange: { credentials: H.selectCredentialsForPresentationExchangeRequest(resolved.presentationExchange.credentialsForRequest) } } : {}),
  });
  return { resolved, answer };
}

function lastLog(log, pred) { for (let i = log.length - 1; i >= 0; i--) if (pred(log[i])) return log[i]; return undefined; }

// ------------------------------------------------------------------------------------------------
console.log('\n# Credo holder against the issuer');
let firstCredential;
await check('issue: PIN + by reference (v1), notification credential_accepted', async () => {
  const offer = await newOffer({ pin: true, mandatee: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.org', employeeId: 'E-42' }, mandator: { organization: 'Analytical Engines S.L.', organizationIdentifier: 'VATES-B11111111' } });
  assert(/^\d{4}$/.test(offer.pin), `PIN should be 4 digits, got ${offer.pin}`);
  assert(offer.offerUri.startsWith('openid-credential-offer://?credential_offer_uri='), `offer by reference expected: ${offer.offerUri}`);
  eq(offer.sameDeviceLink, `${WALLET}/?credential_offer_uri=${encodeURIComponent(new URL(offer.offerUri).searchParams.get('credential_offer_uri'))}`, 'same-device link');
  const got = await holderTakesOffer(offer);
  firstCredential = got.record;
  const cred = got.record.firstCredential;
  const jwt = decodeJwt(cred.serializedJwt);
  note('issued credential JWT (v1 issuer)', jwt);
  eq(jwt.header.alg, 'ES256', 'credential alg');
  eq(jwt.payload.iss, peers.issuer.did, 'credential iss');
  eq(jwt.payload.vc.credentialSubject.mandate.mandatee.firstName, 'Ada', 'mandatee.firstName');
  eq(jwt.payload.vc.credentialSubject.mandate.mandator.id, 'did:elsi:VATES-B11111111', 'mandator.id follows organizationIdentifier');
  eq(jwt.payload.vc.credentialSubject.mandate.power.length, 2, 'two powers');
  // Credo moves credentialSubject.id into `sub` (like id -> jti, issuanceDate -> nbf, expirationDate -> exp).
  eq(jwt.payload.vc.credentialSubject.id, undefined, 'credentialSubject.id inside vc');
  assert(jwt.payload.sub?.startsWith('did:key:zDn'), `holder did:key P-256 expected in sub, got ${jwt.payload.sub}`);
  eq(got.record.firstCredential.credentialSubjectIds, [jwt.payload.sub], 'holder reads credentialSubject.id back from sub');
  const st = await offerState(offer.id);
  eq(st.state, 'Completed', 'session state');
  eq(st.notifications.map((n) => n.event), ['credential_accepted'], 'notifications');
  return `holder ${jwt.payload.sub.slice(0, 24)}…, state ${st.state}`;
});

await check('issue: wrong PIN is refused, right PIN then works', async () => {
  const offer = await newOffer({ pin: true });
  const resolved = await H.resolveCredentialOffer(offer.offerUri);
  const wrong = offer.pin === '0000' ? '1111' : '0000';
  let err;
  try { await H.requestToken({ resolvedCredentialOffer: resolved, txCode: wrong }); } catch (e) { err = e; }
  assert(err, 'token request with a wrong PIN succeeded');
  const tokenCall = lastLog(peers.issuer.log, (e) => e.path.endsWith('/token'));
  eq(tokenCall.status, 400, 'token status for wrong PIN');
  eq(tokenCall.responseBody && JSON.parse(tokenCall.responseBody).error, 'invalid_grant', 'error for wrong PIN');
  await holderTakesOffer(offer, { notify: false });
  return 'wrong PIN -> 400 invalid_grant; retry with the right PIN -> credential';
});

await check('issue: by value, no PIN', async () => {
  const offer = await newOffer({ byValue: true });
  eq(offer.pin, null, 'pin');
  assert(offer.offerUri.startsWith('openid-credential-offer://?credential_offer='), offer.offerUri);
  assert(offer.sameDeviceLink.startsWith(`${WALLET}/?credential_offer=%7B`), offer.sameDeviceLink);
  await holderTakesOffer(offer, { notify: 'credential_deleted' });
  const st = await offerState(offer.id);
  eq(st.state, 'Completed', 'state');
  eq(st.notifications.map((n) => n.event), ['credential_deleted'], 'notifications');
});

await check('issue: deferred, released by the test, then delivered by the deferred endpoint', async () => {
  // notificationId: false — the Credo 0.6.3 holder refuses a deferred 200 that carries notification_id (next test).
  const offer = await newOffer({ pin: true, deferred: true, notificationId: false });
  let releasedAt;
  const got = await holderTakesOffer(offer, {
    release: async () => { const r = await http('POST', `${ISS}/api/offers/${offer.id}/release`); eq(r.status, 200, 'release status'); releasedAt = Date.now(); },
  });
  assert(releasedAt, 'the test never had to release the credential');
  const first = peers.issuer.log.find((e) => e.path.endsWith('/credential') && e.status === 202);
  assert(first, 'no 202 from the credential endpoint');
  const polls = peers.issuer.log.filter((e) => e.path.endsWith('/deferred-credential'));
  assert(polls.some((e) => e.status === 202) && polls.at(-1).status === 200, `deferred polls: ${polls.map((e) => e.status)}`);
  note('deferred: credential response 202', JSON.parse(first.responseBody));
  note('deferred: deferred response 202', JSON.parse(polls.find((e) => e.status === 202).responseBody));
  note('deferred: deferred response 200', summarizeCredentialResponse(JSON.parse(polls.at(-1).responseBody)));
  const st = await offerState(offer.id);
  eq(st.state, 'Completed', 'state');
  return `${got.deferredRounds} deferred round(s), statuses ${polls.map((e) => e.status).join(',')}`;
});

await check('issue: Credo 0.6.3 holder refuses a deferred 200 carrying notification_id (oid4vc-ts bug, spec allows it)', async () => {
  const offer = await newOffer({ deferred: true });
  let err;
  try {
    await holderTakesOffer(offer, { release: async () => { await http('POST', `${ISS}/api/offers/${offer.id}/release`); } });
  } catch (e) { err = e; }
  assert(err && /Error retrieving deferred credentials/.test(err.message), `expected the Credo holder to refuse, got ${err ? err.message.slice(0, 120) : 'success'}`);
  const last = lastLog(peers.issuer.log, (e) => e.path.endsWith('/deferred-credential'));
  eq(last.status, 200, 'the issuer did deliver');
  assert(JSON.parse(last.responseBody).notification_id, 'with a notification_id');
  return 'zDeferredCredentialResponse in @openid4vc/openid4vci 0.4.6 has the notification_id condition inverted';
});

await check('issue: draft-13 style issuer, PIN, by reference', async () => {
  const offer = await newOffer({ pin: true, draft13: true });
  const got = await holderTakesOffer(offer);
  note('draft13: holder saw draft version', got.resolved.metadata.originalDraftVersion);
  const credReq = lastLog(peers.issuer.log, (e) => e.path === '/oid4vci/lear-draft13/credential');
  note('draft13: credential request (Credo holder)', redactProofs(credReq.requestBody));
  note('draft13: credential response', summarizeCredentialResponse(JSON.parse(credReq.responseBody)));
  const offerGet = lastLog(peers.issuer.log, (e) => e.path.startsWith('/oid4vci/lear-draft13/offers/'));
  note('draft13: offer object', JSON.parse(offerGet.responseBody));
  return `holder read metadata as ${got.resolved.metadata.originalDraftVersion}, request keys ${Object.keys(credReq.requestBody).join(',')}`;
});

await check('issue: draft-13 style issuer, by value, no PIN', async () => {
  const offer = await newOffer({ byValue: true, draft13: true });
  await holderTakesOffer(offer, { notify: false });
});

// Only Ada's credential stays in the holder, so every presentation below is of that one.
for (const r of await holder.agent.w3cCredentials.getAll()) if (r.id !== firstCredential?.id) await holder.agent.w3cCredentials.deleteById(r.id);

// ------------------------------------------------------------------------------------------------
console.log('\n# Credo holder against the verifier');
async function presentAndCheck(body, expectVerified = true) {
  const req = await newRequest(body);
  const { resolved, answer } = await holderPresents(req.link);
  const st = await requestState(req.id);
  const reqObjFetch = lastLog(peers.verifier.log, (e) => e.path.includes('/authorization-requests/'));
  const post = lastLog(peers.verifier.log, (e) => e.path.endsWith('/authorize') && e.method === 'POST');
  const key = `${body.style}${body.query ? `/${body.query}` : ''}${body.version ? `/${body.version}` : ''} ${body.responseMode}`;
  note(`verifier ${key}: link`, req.link);
  note(`verifier ${key}: request object`, decodeJwt(reqObjFetch.responseBody));
  note(`verifier ${key}: wallet POST`, describeWalletPost(post, resolved));
  note(`verifier ${key}: answer to wallet`, { status: post.status, body: post.responseBody });
  if (expectVerified) {
    assert(answer.ok, `holder got ${JSON.stringify(answer.serverResponse)}`);
    eq(st.verified, true, `verified (state ${st.state}, error ${st.error})`);
    eq(st.presentedClaims.firstName, 'Ada', 'presented firstName');
    eq(st.presentedClaims.organization, 'Analytical Engines S.L.', 'presented organisation');
    eq(st.responsesReceived, 1, 'responses received');
  }
  return { req, st, answer, post };
}
const modes = [
  { style: 'v1', responseMode: 'direct_post' },
  { style: 'v1', responseMode: 'direct_post.jwt' },
  { style: 'draft24', responseMode: 'direct_post' },
  { style: 'draft24', responseMode: 'direct_post.jwt' },
  { style: 'draft24', query: 'pe', responseMode: 'direct_post' },
  { style: 'draft21', responseMode: 'direct_post' },
  { style: 'draft21', responseMode: 'direct_post.jwt' },
  { style: 'x509', responseMode: 'direct_post' },
  { style: 'x509', responseMode: 'direct_post.jwt' },
  { style: 'x509', version: 'draft24', responseMode: 'direct_post' },
  { style: 'x509', version: 'draft21', responseMode: 'direct_post' },
];
for (const m of modes) {
  await check(`present: ${JSON.stringify(m)}`, async () => {
    const { st, post } = await presentAndCheck(m);
    return `client_id ${st.clientId.slice(0, 40)}…, wallet got ${post.status} ${post.responseBody}`;
  });
}

await check('present: Credo refuses DCQL with draft 21 and PE with v1 (reported, not hidden)', async () => {
  const a = await http('POST', `${VER}/api/requests`, { json: { style: 'draft21', query: 'dcql' } });
  const b = await http('POST', `${VER}/api/requests`, { json: { style: 'v1', query: 'pe' } });
  eq([a.status, a.json.error, b.status, b.json.error], [400, 'unsupported_by_credo', 400, 'unsupported_by_credo'], 'refusals');
  return `${a.json.error_description} | ${b.json.error_description}`;
});

await check('present: with redirect option Credo answers {redirect_uri}', async () => {
  const { post } = await presentAndCheck({ style: 'v1', responseMode: 'direct_post', redirect: true });
  const body = JSON.parse(post.responseBody);
  assert(typeof body.redirect_uri === 'string' && body.redirect_uri.startsWith(`${VER}/done/`), `redirect_uri: ${post.responseBody}`);
  return post.responseBody;
});

await check('present: broken signature is refused by the holder, verifier receives nothing', async () => {
  const req = await newRequest({ style: 'v1', responseMode: 'direct_post', brokenSignature: true });
  assert(new URL(req.link).searchParams.get('request_uri').startsWith(`${VER}/tampered/`), req.link);
  let err;
  try { await holderPresents(req.link); } catch (e) { err = e; }
  assert(err, 'the Credo holder accepted a request object with a tampered signature');
  const st = await requestState(req.id);
  eq(st.responsesReceived, 0, 'responses received');
  eq(st.verified, false, 'verified');
  eq(st.requestObjectFetches, 1, 'request object fetches');
  return `holder error: ${err.message.split('\n')[0].slice(0, 120)}`;
});

await check('present: the same request signed correctly is accepted (control for the test above)', async () => {
  await presentAndCheck({ style: 'v1', responseMode: 'direct_post' });
});

await check('present: a LEARCredentialEmployee from another issuer is not verified', async () => {
  // A self-issued credential (the holder signs it with its own did:key) is valid to Credo's verifier.
  const rogue = await createP256DidKey(holder.agent);
  const signed = await holder.agent.w3cCredentials.signCredential({
    format: ClaimFormat.JwtVc,
    alg: 'ES256',
    verificationMethod: rogue.verificationMethodId,
    credential: new W3cCredential({
      context: ['https://www.w3.org/2018/credentials/v1'],
      type: ['VerifiableCredential', 'LEARCredentialEmployee'],
      issuer: rogue.did,
      issuanceDate: new Date().toISOString(),
      credentialSubject: new W3cCredentialSubject({ id: rogue.did, claims: { mandate: { mandatee: { firstName: 'Mallory', lastName: 'X' }, mandator: { organization: 'Nope' } } } }),
    }),
  });
  for (const r of await holder.agent.w3cCredentials.getAll()) await holder.agent.w3cCredentials.deleteById(r.id);
  await holder.agent.w3cCredentials.store({ record: W3cCredentialRecord.fromCredential(signed) });
  const { st, answer, post } = await presentAndCheck({ style: 'v1', responseMode: 'direct_post' }, false);
  eq(st.state, 'ResponseVerified', 'Credo itself verified the presentation');
  eq(st.verified, false, 'sandbox verdict');
  assert(/not the sandbox issuer/.test(st.error), `error: ${st.error}`);
  eq(answer.ok, false, 'holder told the login failed');
  eq(post.status, 400, 'status to wallet');
  return st.error;
});

// ------------------------------------------------------------------------------------------------
console.log('\n# Status lists [sandbox]');
/** The status list credential at `url`: its JWT, decoded, and the bit at `index` (MSB first). */
async function statusList(url, index) {
  const r = await http('GET', url);
  assert(r.status === 200, `GET ${url} -> ${r.status}`);
  const jwt = decodeJwt(r.text);
  const bits = zlib.gunzipSync(Buffer.from(jwt.payload.vc.credentialSubject.encodedList.slice(1), 'base64url'));
  return { text: r.text, jwt, bits, set: (bits[Math.floor(index / 8)] & (0x80 >> (index % 8))) !== 0, contentType: r.headers.get('content-type') };
}
const credoVerifies = async (jwt) => (await holder.agent.w3cCredentials.verifyCredential({ credential: W3cJwtVerifiableCredential.fromSerializedJwt(jwt), verifyCredentialStatus: false })).isValid;
let statusOffer;
await check('status: a credential with a revocation entry; its list is signed by the issuer and shows revoke', async () => {
  statusOffer = await newOffer({ status: 'revocation', mandatee: { firstName: 'Ada', lastName: 'Lovelace' }, mandator: { organization: 'Analytical Engines S.L.', organizationIdentifier: 'VATES-B11111111' } });
  const got = await holderTakesOffer(statusOffer);
  const entry = decodeJwt(got.record.firstCredential.serializedJwt).payload.vc.credentialStatus;
  note('status entry in an issued credential', entry);
  const index = Number(entry.statusListIndex);
  eq(entry, { id: `${ISS}/status/revocation#${index}`, type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: String(index), statusListCredential: `${ISS}/status/revocation` }, 'entry');
  eq((await offerState(statusOffer.id)).status, { purpose: 'revocation', list: `${ISS}/status/revocation`, indexes: [index], set: [false] }, 'offer status');
  const before = await statusList(entry.statusListCredential, index);
  note('status list credential JWT', before.jwt);
  assert(before.contentType.startsWith('application/vc+jwt'), `content type ${before.contentType}`);
  eq([before.jwt.payload.iss, before.jwt.payload.vc.type, before.bits.length, before.set], [peers.issuer.did, ['VerifiableCredential', 'BitstringStatusListCredential'], 16384, false], 'list before');
  eq(await credoVerifies(before.text), true, 'Credo verifies the list');
  await http('POST', `${ISS}/api/offers/${statusOffer.id}/revoke`);
  const after = await statusList(entry.statusListCredential, index);
  eq([after.set, after.bits.reduce((n, b) => n + (b ? 1 : 0), 0)], [true, 1], 'revoked: its bit, and only its bit');
  return `index ${index}`;
});
await check('status: suspend and reinstate; revoke of a suspension entry is refused', async () => {
  const offer = await newOffer({ status: 'suspension' });
  await holderTakesOffer(offer);
  const [index] = (await offerState(offer.id)).status.indexes;
  eq((await http('POST', `${ISS}/api/offers/${offer.id}/revoke`)).status, 409, 'revoke a suspension entry');
  await http('POST', `${ISS}/api/offers/${offer.id}/suspend`);
  eq((await statusList(`${ISS}/status/suspension`, index)).set, true, 'suspended');
  await http('POST', `${ISS}/api/offers/${offer.id}/reinstate`);
  eq((await statusList(`${ISS}/status/suspension`, index)).set, false, 'reinstated');
  eq((await http('POST', `${ISS}/api/offers/${(await newOffer({})).id}/revoke`)).status, 409, 'revoke without an entry');
});
await check('status: tampered lists do not verify', async () => {
  await http('POST', `${ISS}/api/status-lists`, { json: { tampered: true } });
  const tampered = await statusList(`${ISS}/status/revocation`, 0);
  await http('POST', `${ISS}/api/status-lists`, { json: { tampered: false } });
  eq(await credoVerifies(tampered.text), false, 'Credo refuses the tampered list');
  eq(await credoVerifies((await statusList(`${ISS}/status/revocation`, 0)).text), true, 'and verifies it again once untampered');
});
await check('status: Credo 0.6.3 verifier refuses a credential with credentialStatus; the same without it is accepted', async () => {
  const mandate = { mandatee: { firstName: 'Ada' }, mandator: { organization: 'Analytical Engines S.L.' } };
  for (const r of await holder.agent.w3cCredentials.getAll()) await holder.agent.w3cCredentials.deleteById(r.id);
  await holderTakesOffer(await newOffer({ status: 'revocation', ...mandate }));
  const { st, answer } = await presentAndCheck({ style: 'v1', responseMode: 'direct_post' }, false);
  eq([answer.ok, st.state, st.verified], [false, 'Error', false], 'refused');
  assert(/Error occured during verification of presentation/.test(st.error), `verifier error: ${st.error}`);
  // Control: the same issuer, the same mandate, no credentialStatus.
  for (const r of await holder.agent.w3cCredentials.getAll()) await holder.agent.w3cCredentials.deleteById(r.id);
  await holderTakesOffer(await newOffer(mandate));
  await presentAndCheck({ style: 'v1', responseMode: 'direct_post' });
  return st.error.split('\n')[0].trim();
});

// ------------------------------------------------------------------------------------------------
console.log('\n# Raw HTTP probes of the issuer (what Credo accepts and refuses)');
const CI = peers.issuer.credentialIssuer;

async function rawToken(offer, { txCode, asJson = false } = {}) {
  const offerObj = offer.credentialOffer;
  const code = offerObj.grants['urn:ietf:params:oauth:grant-type:pre-authorized_code']['pre-authorized_code'];
  const form = { grant_type: 'urn:ietf:params:oauth:grant-type:pre-authorized_code', 'pre-authorized_code': code, ...(txCode ? { tx_code: txCode } : {}) };
  return http('POST', `${offerObj.credential_issuer}/token`, asJson ? { json: form } : { form });
}
function proofJwt(key, { nonce, aud = CI, typ = 'openid4vci-proof+jwt', kid = key.kid, jwk, iss = key.did, iat = Math.floor(Date.now() / 1000), omit = [] } = {}) {
  const header = { alg: 'ES256', typ, ...(jwk ? { jwk } : { kid }) };
  const payload = { iss, aud, iat, nonce };
  for (const k of omit) delete payload[k];
  return signJwt(header, payload, key.privateKey);
}
async function rawCredential(issuerUrl, token, body) {
  return http('POST', `${issuerUrl}/credential`, { json: body, headers: { authorization: `Bearer ${token}` } });
}
async function freshToken(opts = {}) {
  const offer = await newOffer({ pin: true, ...opts });
  const t = await rawToken(offer, { txCode: offer.pin });
  eq(t.status, 200, `token status (${t.text})`);
  return { offer, token: t.json.access_token, cNonce: t.json.c_nonce, tokenResponse: t.json };
}

await check('raw: offer URI can be fetched more than once (not single use)', async () => {
  const offer = await newOffer({ pin: true });
  const uri = new URL(offer.offerUri).searchParams.get('credential_offer_uri');
  const a = await http('GET', uri); const b = await http('GET', uri);
  eq([a.status, b.status], [200, 200], 'statuses');
  note('raw: offer object (v1, PIN)', a.json);
  return 'two GETs, both 200';
});

await check('raw: token request (form) — missing PIN, wrong PIN, right PIN, replay', async () => {
  const offer = await newOffer({ pin: true });
  const none = await rawToken(offer);
  const wrong = await rawToken(offer, { txCode: offer.pin === '9999' ? '0000' : '9999' });
  const ok = await rawToken(offer, { txCode: offer.pin });
  const replay = await rawToken(offer, { txCode: offer.pin });
  note('raw: token missing PIN', { status: none.status, body: none.json });
  note('raw: token wrong PIN', { status: wrong.status, body: wrong.json });
  note('raw: token response', { status: ok.status, body: { ...ok.json, access_token: `${ok.json.access_token.slice(0, 20)}…`, c_nonce: `${ok.json.c_nonce?.slice(0, 20)}…` } });
  note('raw: access token header+payload', decodeJwt(ok.json.access_token));
  note('raw: token replay', { status: replay.status, body: replay.json });
  eq([none.status, none.json.error], [400, 'invalid_request'], 'missing PIN');
  eq([wrong.status, wrong.json.error], [400, 'invalid_grant'], 'wrong PIN');
  eq(ok.status, 200, 'right PIN');
  assert(ok.json.c_nonce && ok.json.token_type, 'token response has token_type and c_nonce');
  eq([replay.status, replay.json.error], [400, 'invalid_grant'], 'replayed code');
  return `token_type ${ok.json.token_type}, expires_in ${ok.json.expires_in}, c_nonce_expires_in ${ok.json.c_nonce_expires_in}`;
});

await check('raw: token request as JSON body is also accepted', async () => {
  const offer = await newOffer({});
  const r = await rawToken(offer, { asJson: true });
  eq(r.status, 200, `status (${r.text})`);
});

await check('raw: tx_code sent although the offer has none is refused', async () => {
  const offer = await newOffer({});
  const r = await rawToken(offer, { txCode: '1234' });
  eq([r.status, r.json.error], [400, 'invalid_request'], 'refusal');
  return r.json.error_description;
});

await check('raw: nonce endpoint', async () => {
  const r = await http('POST', `${CI}/nonce`);
  eq(r.status, 200, 'status');
  assert(r.json.c_nonce && Number.isInteger(r.json.c_nonce_expires_in), JSON.stringify(r.json));
  note('raw: nonce response', { ...r.json, c_nonce: `${r.json.c_nonce.slice(0, 24)}… (a JWT, typ credo+cnonce)` });
  note('raw: nonce is a JWT', decodeJwt(r.json.c_nonce));
  const g = await http('GET', `${CI}/nonce`);
  note('raw: GET nonce', g.status);
  return `c_nonce_expires_in ${r.json.c_nonce_expires_in}; GET -> ${g.status}`;
});

const proofCases = [
  { name: 'correct: kid did:key#frag, iss, aud, iat, nonce from token response', ok: true, build: (k, n) => proofJwt(k, { nonce: n }) },
  { name: 'correct: without iss (anonymous pre-authorized access)', ok: true, build: (k, n) => proofJwt(k, { nonce: n, omit: ['iss'] }) },
  { name: 'correct: iss = some other string', ok: true, build: (k, n) => proofJwt(k, { nonce: n, iss: 'wallet-client' }) },
  { name: 'correct: aud as array containing the issuer', ok: true, build: (k, n) => proofJwt(k, { nonce: n, aud: [CI, 'https://other.example'] }) },
  { name: 'correct: iat 1 hour old (Credo has no iat window)', ok: true, build: (k, n) => proofJwt(k, { nonce: n, iat: Math.floor(Date.now() / 1000) - 3600 }) },
  { name: 'refused: no nonce', ok: false, build: (k) => proofJwt(k, { omit: ['nonce'] }) },
  { name: 'refused: nonce not issued by this issuer', ok: false, build: (k) => proofJwt(k, { nonce: 'abc' }) },
  { name: 'refused: aud = the token endpoint', ok: false, build: (k, n) => proofJwt(k, { nonce: n, aud: `${CI}/token` }) },
  { name: 'refused: typ JWT', ok: false, build: (k, n) => proofJwt(k, { nonce: n, typ: 'JWT' }) },
  { name: 'refused: no iat', ok: false, build: (k, n) => proofJwt(k, { nonce: n, omit: ['iat'] }) },
  { name: 'refused: kid without #fragment', ok: false, build: (k, n) => proofJwt(k, { nonce: n, kid: k.did }) },
  { name: 'refused: jwk header instead of kid (this issuer binds to did:key)', ok: false, build: (k, n) => proofJwt(k, { nonce: n, jwk: k.publicJwk }) },
  { name: 'refused: signed by another key than kid names', ok: false, build: (k, n) => { const other = newDidKey(); return proofJwt({ ...other, kid: k.kid, did: k.did }, { nonce: n }); } },
];
const proofResults = [];
for (const c of proofCases) {
  await check(`raw: proof ${c.name}`, async () => {
    const { token, cNonce } = await freshToken();
    const key = newDidKey();
    const r = await rawCredential(CI, token, { credential_configuration_id: 'LEARCredentialEmployee', proofs: { jwt: [c.build(key, cNonce)] } });
    proofResults.push({ case: c.name, status: r.status, error: r.json?.error, error_description: r.json?.error_description });
    if (c.ok) {
      eq(r.status, 200, `status (${r.text.slice(0, 300)})`);
      eq(decodeJwt(r.json.credentials[0].credential).payload.sub, key.did, 'credential bound to the proof key');
    } else {
      assert(r.status >= 400, `expected a refusal, got ${r.status}`);
    }
    return `${r.status} ${r.json?.error ?? ''} ${r.json?.error_description ? `(${r.json.error_description.split('\n')[0].slice(0, 90)})` : ''}`;
  });
}
note('raw: proof JWT cases', proofResults);

await check('raw: a refused credential request ends the issuance session (retry with a good proof fails)', async () => {
  const { offer, token } = await freshToken();
  const key = newDidKey();
  const first = await rawCredential(CI, token, { credential_configuration_id: 'LEARCredentialEmployee', proofs: { jwt: [proofJwt(key, { omit: ['nonce'] })] } });
  eq(first.status, 400, 'first status');
  assert(first.json.c_nonce, 'the refusal carries a fresh c_nonce');
  const second = await rawCredential(CI, token, { credential_configuration_id: 'LEARCredentialEmployee', proofs: { jwt: [proofJwt(key, { nonce: first.json.c_nonce })] } });
  const st = await offerState(offer.id);
  note('raw: missing-nonce refusal', first.json);
  note('raw: retry after refusal', { status: second.status, body: second.json, sessionState: st.state });
  assert(second.status >= 400, `retry got ${second.status}`);
  eq(st.state, 'Error', 'session state');
  return `first ${first.status} ${first.json.error}; retry ${second.status} ${second.json?.error ?? second.text}; session ${st.state}`;
});

await check('raw: nonce from the nonce endpoint works, and a nonce can be used twice (stateless)', async () => {
  const n = (await http('POST', `${CI}/nonce`)).json.c_nonce;
  const a = await freshToken(); const b = await freshToken();
  const k = newDidKey();
  const r1 = await rawCredential(CI, a.token, { credential_configuration_id: 'LEARCredentialEmployee', proofs: { jwt: [proofJwt(k, { nonce: n })] } });
  const r2 = await rawCredential(CI, b.token, { credential_configuration_id: 'LEARCredentialEmployee', proofs: { jwt: [proofJwt(k, { nonce: n })] } });
  eq([r1.status, r2.status], [200, 200], 'statuses');
});

await check('raw: singular `proof` (draft 13 shape) on the v1 issuer -> singular `credential` in the answer', async () => {
  const { token, cNonce } = await freshToken();
  const k = newDidKey();
  const r = await rawCredential(CI, token, { credential_configuration_id: 'LEARCredentialEmployee', proof: { proof_type: 'jwt', jwt: proofJwt(k, { nonce: cNonce }) } });
  eq(r.status, 200, `status (${r.text.slice(0, 200)})`);
  assert(typeof r.json.credential === 'string' && !r.json.credentials, `response keys ${Object.keys(r.json)}`);
  note('raw: v1 issuer, singular proof -> response', summarizeCredentialResponse(r.json));
  return `keys ${Object.keys(r.json).join(',')}`;
});

await check('raw: v1 issuer, response to `proofs`', async () => {
  const { token, cNonce } = await freshToken();
  const r = await rawCredential(CI, token, { credential_configuration_id: 'LEARCredentialEmployee', proofs: { jwt: [proofJwt(newDidKey(), { nonce: cNonce })] } });
  note('raw: v1 issuer, proofs -> response', summarizeCredentialResponse(r.json));
  eq(r.status, 200, 'status');
  return `keys ${Object.keys(r.json).join(',')}`;
});

await check('raw: draft-13 issuer, request by `format` + `credential_definition` + singular `proof`', async () => {
  const { token, cNonce } = await freshToken({ draft13: true });
  const ci13 = peers.issuer.credentialIssuerDraft13;
  const body = { format: 'jwt_vc_json', credential_definition: { type: ['VerifiableCredential', 'LEARCredentialEmployee'] }, proof: { proof_type: 'jwt', jwt: proofJwt(newDidKey(), { nonce: cNonce, aud: ci13 }) } };
  const r = await rawCredential(ci13, token, body);
  eq(r.status, 200, `status (${r.text.slice(0, 300)})`);
  note('raw: draft13 format request -> response', summarizeCredentialResponse(r.json));
  return `keys ${Object.keys(r.json).join(',')}`;
});

await check('raw: draft-13 issuer, `proofs` -> `credentials` as plain strings', async () => {
  const { token, cNonce } = await freshToken({ draft13: true });
  const ci13 = peers.issuer.credentialIssuerDraft13;
  const r = await rawCredential(ci13, token, { credential_configuration_id: 'LEARCredentialEmployee', proofs: { jwt: [proofJwt(newDidKey(), { nonce: cNonce, aud: ci13 })] } });
  eq(r.status, 200, 'status');
  note('raw: draft13 proofs -> response', summarizeCredentialResponse(r.json));
  assert(typeof r.json.credentials?.[0] === 'string', `credentials[0] is ${typeof r.json.credentials?.[0]}`);
});

await check('raw: deferred — 202, 202 until released, then 200', async () => {
  const { offer, token, cNonce } = await freshToken({ deferred: true, interval: 1 });
  const r = await rawCredential(CI, token, { credential_configuration_id: 'LEARCredentialEmployee', proofs: { jwt: [proofJwt(newDidKey(), { nonce: cNonce })] } });
  eq(r.status, 202, 'credential status');
  const tx = r.json.transaction_id;
  await sleep(1200);
  const d1 = await http('POST', `${CI}/deferred-credential`, { json: { transaction_id: tx }, headers: { authorization: `Bearer ${token}` } });
  eq(d1.status, 202, 'deferred before release');
  const early = await http('POST', `${CI}/deferred-credential`, { json: { transaction_id: tx }, headers: { authorization: `Bearer ${token}` } });
  note('raw: deferred polled again inside the interval', { status: early.status, body: early.json });
  await http('POST', `${ISS}/api/offers/${offer.id}/release`);
  await sleep(1200);
  const d2 = await http('POST', `${CI}/deferred-credential`, { json: { transaction_id: tx }, headers: { authorization: `Bearer ${token}` } });
  eq(d2.status, 200, `deferred after release (${d2.text.slice(0, 200)})`);
  note('raw: deferred 200', summarizeCredentialResponse(d2.json));
  assert(d2.json.credentials?.[0]?.credential && d2.json.notification_id, `deferred 200 body ${d2.text.slice(0, 200)}`);
  const again = await http('POST', `${CI}/deferred-credential`, { json: { transaction_id: tx }, headers: { authorization: `Bearer ${token}` } });
  note('raw: deferred after delivery', { status: again.status, body: again.json });
  return `early poll ${early.status}; after delivery the same transaction_id -> ${again.status} ${again.json?.error ?? ''}`;
});

await check('raw: deferred — an unknown transaction_id ends the issuance session', async () => {
  const { offer, token, cNonce } = await freshToken({ deferred: true, interval: 1 });
  const r = await rawCredential(CI, token, { credential_configuration_id: 'LEARCredentialEmployee', proofs: { jwt: [proofJwt(newDidKey(), { nonce: cNonce })] } });
  eq(r.status, 202, 'credential status');
  await http('POST', `${ISS}/api/offers/${offer.id}/release`);
  await sleep(1200);
  const bad = await http('POST', `${CI}/deferred-credential`, { json: { transaction_id: 'nope' }, headers: { authorization: `Bearer ${token}` } });
  const good = await http('POST', `${CI}/deferred-credential`, { json: { transaction_id: r.json.transaction_id }, headers: { authorization: `Bearer ${token}` } });
  const st = await offerState(offer.id);
  note('raw: deferred with unknown transaction_id', { status: bad.status, body: bad.json, thenRightId: { status: good.status, body: good.json }, sessionState: st.state });
  eq([bad.status, bad.json.error], [400, 'invalid_transaction_id'], 'unknown id');
  assert(good.status >= 400, `the right id afterwards got ${good.status}`);
  eq(st.state, 'Error', 'session state');
  return `unknown id -> 400 invalid_transaction_id; right id afterwards -> ${good.status} ${good.json?.error}; session Error`;
});

await check('raw: notification endpoint (sandbox addition): 204, wrong token 401, unknown id 400, bad event 400', async () => {
  const { offer, token, cNonce } = await freshToken();
  const r = await rawCredential(CI, token, { credential_configuration_id: 'LEARCredentialEmployee', proofs: { jwt: [proofJwt(newDidKey(), { nonce: cNonce })] } });
  const nid = r.json.notification_id;
  assert(nid, 'credential response has notification_id');
  const other = await freshToken();
  const wrongTok = await http('POST', `${CI}/notification`, { json: { notification_id: nid, event: 'credential_accepted' }, headers: { authorization: `Bearer ${other.token}` } });
  const unknown = await http('POST', `${CI}/notification`, { json: { notification_id: 'x', event: 'credential_accepted' }, headers: { authorization: `Bearer ${token}` } });
  const badEvent = await http('POST', `${CI}/notification`, { json: { notification_id: nid, event: 'credential_used' }, headers: { authorization: `Bearer ${token}` } });
  const ok = await http('POST', `${CI}/notification`, { json: { notification_id: nid, event: 'credential_failure', event_description: 'could not store' }, headers: { authorization: `Bearer ${token}` } });
  eq([ok.status, wrongTok.status, unknown.status, badEvent.status], [204, 401, 400, 400], 'statuses');
  const st = await offerState(offer.id);
  eq(st.notifications.map((n) => n.event), ['credential_failure'], 'recorded notifications');
});

await check('raw: credential request without access token', async () => {
  const r = await http('POST', `${CI}/credential`, { json: { credential_configuration_id: 'LEARCredentialEmployee' } });
  note('raw: credential without token', { status: r.status, wwwAuthenticate: r.headers.get('www-authenticate'), body: r.text });
  assert(r.status === 401 || r.status === 403, `status ${r.status}`);
  return `${r.status}, WWW-Authenticate: ${r.headers.get('www-authenticate')}`;
});

await check('raw: CORS preflight for the wallet origin (with Private Network Access) and refusal for another origin', async () => {
  const pre = await fetch(`${CI}/token`, { method: 'OPTIONS', headers: { origin: WALLET, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type', 'access-control-request-private-network': 'true' } });
  eq(pre.status, 204, 'preflight status');
  eq(pre.headers.get('access-control-allow-origin'), WALLET, 'allow-origin');
  eq(pre.headers.get('access-control-allow-private-network'), 'true', 'allow-private-network');
  const other = await fetch(`${VER}/api/requests`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' } });
  eq(other.status, 403, 'other origin preflight');
  const simple = await fetch(`${peers.issuer.url}/.well-known/openid-credential-issuer/oid4vci/lear`, { headers: { origin: WALLET } });
  eq(simple.headers.get('access-control-allow-origin'), WALLET, 'allow-origin on a GET');
});

await check('raw: control API rejects bad input with clear errors', async () => {
  const a = await http('POST', `${ISS}/api/offers`, { json: { pin: 'yes' } });
  const b = await http('POST', `${ISS}/api/offers`, { json: { mandatee: { nickname: 'x' } } });
  const c = await http('POST', `${VER}/api/requests`, { json: { style: 'v3' } });
  const d = await http('POST', `${ISS}/api/offers/nope/release`);
  eq([a.status, b.status, c.status, d.status], [400, 400, 400, 404], 'statuses');
  return [a.json.error_description, b.json.error_description, c.json.error_description].join(' | ');
});

// ------------------------------------------------------------------------------------------------
console.log('\n# Raw HTTP probes of the verifier (what Credo accepts and refuses in a direct_post response)');
const rawHolder = newDidKey();
const rawCredentialJwt = await (async () => {
  const { token, cNonce } = await freshToken({ mandatee: { firstName: 'Raw', lastName: 'Client' } });
  const r = await rawCredential(CI, token, { credential_configuration_id: 'LEARCredentialEmployee', proofs: { jwt: [proofJwt(rawHolder, { nonce: cNonce })] } });
  return r.json.credentials[0].credential;
})();
function vpJwt({ key = rawHolder, aud, nonce, kid = key.kid, iss = key.did, extra = {}, credential = rawCredentialJwt } = {}) {
  return signJwt({ alg: 'ES256', typ: 'JWT', kid }, {
    iss, aud, nonce, ...extra,
    vp: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiablePresentation'], holder: iss, verifiableCredential: [credential] },
  }, key.privateKey);
}
async function openRequest(body) {
  const req = await newRequest(body);
  const ro = await http('GET', new URL(req.link).searchParams.get('request_uri'));
  return { req, ro: decodeJwt(ro.text).payload };
}
const now = () => Math.floor(Date.now() / 1000);
const vpCases = [
  { name: 'v1 DCQL: {"<query id>": ["<VP JWT>"]}, aud = client_id, VP without iat/exp', ok: true, style: 'v1', build: (ro) => ({ vp_token: JSON.stringify({ LEARCredentialEmployee: [vpJwt({ aud: ro.client_id, nonce: ro.nonce })] }) }) },
  { name: 'v1 DCQL: DOME-style VP with iat, nbf, exp, jti, sub', ok: true, style: 'v1', build: (ro) => ({ vp_token: JSON.stringify({ LEARCredentialEmployee: [vpJwt({ aud: ro.client_id, nonce: ro.nonce, extra: { sub: rawHolder.did, iat: now(), nbf: now(), exp: now() + 300, jti: `urn:uuid:${crypto.randomUUID()}` } })] }) }) },
  { name: 'v1 DCQL: value a single string instead of an array', ok: undefined, style: 'v1', build: (ro) => ({ vp_token: JSON.stringify({ LEARCredentialEmployee: vpJwt({ aud: ro.client_id, nonce: ro.nonce }) }) }) },
  { name: 'v1 DCQL: vp_token a bare VP JWT (draft-21 shape)', ok: false, style: 'v1', build: (ro) => ({ vp_token: vpJwt({ aud: ro.client_id, nonce: ro.nonce }) }) },
  { name: 'v1 DCQL: vp_token base64url(VP JWT) (DOME verifier shape)', ok: false, style: 'v1', build: (ro) => ({ vp_token: Buffer.from(vpJwt({ aud: ro.client_id, nonce: ro.nonce })).toString('base64url') }) },
  { name: 'v1 DCQL: aud = bare DID (prefix missing)', ok: false, style: 'v1', build: (ro) => ({ vp_token: JSON.stringify({ LEARCredentialEmployee: [vpJwt({ aud: ro.client_id.replace(/^decentralized_identifier:/, ''), nonce: ro.nonce })] }) }) },
  { name: 'v1 DCQL: aud missing', ok: false, style: 'v1', build: (ro) => ({ vp_token: JSON.stringify({ LEARCredentialEmployee: [vpJwt({ aud: undefined, nonce: ro.nonce })] }) }) },
  { name: 'v1 DCQL: wrong nonce', ok: false, style: 'v1', build: (ro) => ({ vp_token: JSON.stringify({ LEARCredentialEmployee: [vpJwt({ aud: ro.client_id, nonce: 'x' })] }) }) },
  { name: 'v1 DCQL: VP signed by another key than the credential subject', ok: false, style: 'v1', build: (ro) => { const other = newDidKey(); return { vp_token: JSON.stringify({ LEARCredentialEmployee: [vpJwt({ key: other, aud: ro.client_id, nonce: ro.nonce })] }) }; } },
  { name: 'v1 DCQL: VP kid without #fragment', ok: undefined, style: 'v1', build: (ro) => ({ vp_token: JSON.stringify({ LEARCredentialEmployee: [vpJwt({ aud: ro.client_id, nonce: ro.nonce, kid: rawHolder.did })] }) }) },
  { name: 'v1 DCQL: unknown query id', ok: false, style: 'v1', build: (ro) => ({ vp_token: JSON.stringify({ other: [vpJwt({ aud: ro.client_id, nonce: ro.nonce })] }) }) },
  { name: 'v1 DCQL: no state', ok: false, style: 'v1', build: (ro) => ({ vp_token: JSON.stringify({ LEARCredentialEmployee: [vpJwt({ aud: ro.client_id, nonce: ro.nonce })] }), state: undefined }) },
  { name: 'draft24 DCQL: aud = bare DID client_id', ok: true, style: 'draft24', build: (ro) => ({ vp_token: JSON.stringify({ LEARCredentialEmployee: [vpJwt({ aud: ro.client_id, nonce: ro.nonce })] }) }) },
  { name: 'draft24 DCQL: value a single string (draft-24 shape)', ok: undefined, style: 'draft24', build: (ro) => ({ vp_token: JSON.stringify({ LEARCredentialEmployee: vpJwt({ aud: ro.client_id, nonce: ro.nonce }) }) }) },
  {
    name: 'draft21 PE: vp_token = VP JWT, presentation_submission JSON', ok: true, style: 'draft21',
    build: (ro) => ({ vp_token: vpJwt({ aud: ro.client_id, nonce: ro.nonce }), presentation_submission: JSON.stringify({ id: 'x', definition_id: ro.presentation_definition.id, descriptor_map: [{ id: 'LEARCredentialEmployee', format: 'jwt_vp', path: '$', path_nested: { id: 'LEARCredentialEmployee', format: 'jwt_vc', path: '$.vp.verifiableCredential[0]' } }] }) }),
  },
  {
    name: 'draft21 PE: descriptor formats jwt_vp_json / jwt_vc_json', ok: undefined, style: 'draft21',
    build: (ro) => ({ vp_token: vpJwt({ aud: ro.client_id, nonce: ro.nonce }), presentation_submission: JSON.stringify({ id: 'x', definition_id: ro.presentation_definition.id, descriptor_map: [{ id: 'LEARCredentialEmployee', format: 'jwt_vp_json', path: '$', path_nested: { id: 'LEARCredentialEmployee', format: 'jwt_vc_json', path: '$.vp.verifiableCredential[0]' } }] }) }),
  },
  { name: 'draft21 PE: presentation_submission missing', ok: false, style: 'draft21', build: (ro) => ({ vp_token: vpJwt({ aud: ro.client_id, nonce: ro.nonce }) }) },
];
const vpResults = [];
for (const c of vpCases) {
  await check(`raw VP: ${c.name}`, async () => {
    const { req, ro } = await openRequest({ style: c.style, responseMode: 'direct_post' });
    const form = { state: ro.state, ...c.build(ro) };
    if (form.state === undefined) delete form.state;
    const r = await http('POST', ro.response_uri, { form });
    const st = await requestState(req.id);
    vpResults.push({ case: c.name, status: r.status, body: r.json ?? r.text, verified: st.verified });
    if (c.ok === true) { eq([r.status, st.verified], [200, true], `status/verified (${r.text.slice(0, 200)}; ${st.error})`); eq(st.presentedClaims.firstName, 'Raw', 'claims'); }
    if (c.ok === false) { assert(r.status >= 400 && st.verified === false, `expected a refusal, got ${r.status} verified=${st.verified}`); }
    return `${r.status} ${r.text.slice(0, 110)}${c.ok === undefined ? ' (observed, no expectation)' : ''}`;
  });
}
note('raw: VP cases', vpResults);

await check('raw: request object can be fetched twice; unknown offer and request ids -> 404', async () => {
  const req = await newRequest({ style: 'v1' });
  const uri = new URL(req.link).searchParams.get('request_uri');
  const a = await http('GET', uri); const b = await http('GET', uri);
  const c = await http('GET', `${CI}/offers/00000000-0000-0000-0000-000000000000`);
  const d = await http('GET', `${VER}/oid4vp/dome/authorization-requests/00000000-0000-0000-0000-000000000000`);
  eq([a.status, b.status, a.headers.get('content-type')?.split(';')[0], c.status, c.text, d.status], [200, 200, 'application/oauth-authz-req+jwt', 404, '', 404], 'statuses');
  note('raw: unknown request object', d.json ?? d.text);
  return `unknown request object body ${d.text}`;
});

await check('raw VP: the state is used up by the first POST, even a failed one', async () => {
  const { req, ro } = await openRequest({ style: 'v1', responseMode: 'direct_post' });
  const bad = await http('POST', ro.response_uri, { form: { state: ro.state, vp_token: JSON.stringify({ LEARCredentialEmployee: [vpJwt({ aud: ro.client_id, nonce: 'x' })] }) } });
  const good = await http('POST', ro.response_uri, { form: { state: ro.state, vp_token: JSON.stringify({ LEARCredentialEmployee: [vpJwt({ aud: ro.client_id, nonce: ro.nonce })] }) } });
  const st = await requestState(req.id);
  eq([bad.status, good.status >= 400, st.verified, st.responsesReceived], [400, true, false, 2], 'statuses');
  return `second POST -> ${good.status} ${good.text.slice(0, 80)}`;
});

await check('request log: both peers logged method, path and time of every request', async () => {
  const l = (await http('GET', `${ISS}/api/log`)).json;
  assert(l.length > 50 && l.every((e) => e.method && e.path && e.time), `issuer log has ${l.length} entries`);
  const v = (await http('GET', `${VER}/api/log`)).json;
  assert(v.some((e) => e.path.includes('/tampered/')), 'verifier log shows the tampered fetch');
  return `issuer ${l.length} entries, verifier ${v.length} entries`;
});

// ------------------------------------------------------------------------------------------------
if (observe) {
  console.log('\n# Observations');
  console.log(JSON.stringify(observations, null, 2));
}
if (trafficFile) {
  fs.mkdirSync(path.dirname(path.resolve(trafficFile)), { recursive: true });
  fs.writeFileSync(trafficFile, JSON.stringify({ issuer: peers.issuer.log, verifier: peers.verifier.log, observations }, null, 2));
  console.log(`\ntraffic written to ${trafficFile}`);
}
await holder.shutdown();
await peers.stop();
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

// ------------------------------------------------------------------------------------------------
function summarizeCredentialResponse(json) {
  const out = {};
  for (const [k, v] of Object.entries(json ?? {})) {
    if (k === 'credential') out[k] = `<JWT ${decodeJwt(v).header.alg}>`;
    else if (k === 'credentials') out[k] = v.map((c) => (typeof c === 'string' ? '<JWT>' : { ...c, credential: '<JWT>' }));
    else if (k === 'c_nonce') out[k] = '<c_nonce JWT>';
    else out[k] = v;
  }
  return out;
}
function redactProofs(body) {
  const b = JSON.parse(JSON.stringify(body ?? {}));
  if (b.proof?.jwt) b.proof.jwt = decodeJwt(b.proof.jwt);
  if (b.proofs?.jwt) b.proofs.jwt = b.proofs.jwt.map((j) => decodeJwt(j));
  return b;
}
function describeWalletPost(entry, resolved) {
  const body = entry?.requestBody ?? {};
  const out = { contentType: entry?.requestHeaders?.['content-type'], keys: Object.keys(body) };
  if (body.response) {
    out.jweHeader = JSON.parse(Buffer.from(body.response.split('.')[0], 'base64url').toString());
  }
  if (body.vp_token) {
    const vt = typeof body.vp_token === 'string' && body.vp_token.startsWith('{') ? JSON.parse(body.vp_token) : body.vp_token;
    const firstValue = typeof vt === 'object' && !Array.isArray(vt) ? Object.values(vt)[0] : undefined;
    out.vp_token_shape = typeof vt === 'string' ? 'string (VP JWT)' : Array.isArray(vt) ? 'array of VP JWTs'
      : `object keyed by ${Object.keys(vt).join(',')}, value ${Array.isArray(firstValue) ? 'array of VP JWTs' : 'a VP JWT string'}`;
    out.vp_token_form_field = typeof body.vp_token === 'string' && body.vp_token.startsWith('{') ? 'JSON text' : typeof body.vp_token;
    const first = typeof vt === 'string' ? vt : Array.isArray(vt) ? vt[0] : Array.isArray(firstValue) ? firstValue[0] : firstValue;
    const d = decodeJwt(first);
    out.vp = { header: d.header, payload: { ...d.payload, vp: { ...d.payload.vp, verifiableCredential: ['<credential JWT>'] } } };
  }
  if (body.presentation_submission) out.presentation_submission = typeof body.presentation_submission === 'string' ? JSON.parse(body.presentation_submission) : body.presentation_submission;
  if (body.state) out.state = '<state from the request>';
  out.requestClientMetadata = resolved?.authorizationRequestPayload?.client_metadata ? Object.keys(resolved.authorizationRequestPayload.client_metadata) : undefined;
  return out;
}
