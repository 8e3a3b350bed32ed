// Credentials the issuer sends that must not be stored: unsigned, wrongly signed, for another
// holder, out of date, sealed by another organisation, of another type. The wallet refuses each
// after the credential answer: no credential and no key are kept, and the issuer is sent
// nothing more (no notification).
import crypto from 'node:crypto';
import { compact, es256, hs256, rs256, tamperSignature } from '../lib/jose.mjs';
import { M } from './messages.mjs';

const DAY = 24 * 3600;
const now = () => Math.floor(Date.now() / 1000);
const iso = (t) => new Date(t * 1000).toISOString();
const MARKUP = '<img src=x id=hostile-xss onerror="window.__pwned=1"><script>window.__pwned=1</script>';

const cred = (name, title, make, message, extra = {}) => ({
  name: `credential-${name}`, category: 'credentials', role: 'issuer', title, message, stage: 'credential', drive: 'accept',
  issuer: { credentialJwt: (ctx, base, holder) => make(ctx, holder) }, ...extra,
});
const withVc = (p, changes) => ({ ...p, vc: { ...p.vc, ...changes } });
const withSubject = (p, changes) => withVc(p, { credentialSubject: { ...p.vc.credentialSubject, ...changes } });
const withMandate = (p, changes) => withSubject(p, { mandate: { ...p.vc.credentialSubject.mandate, ...changes } });
const header = (ctx, extra = {}) => ({ alg: 'ES256', typ: 'JWT', kid: ctx.keys.issuer.kid, ...extra });

export default [
  cred('alg-none', 'alg "none": an unsigned credential', (ctx, h) => compact({ alg: 'none', typ: 'JWT' }, ctx.learV1(h), null), M.issuerUnreadable),
  cred('alg-hs256', 'alg HS256 (a shared secret, never an issuer signature)', (ctx, h) => compact(header(ctx, { alg: 'HS256' }), ctx.learV1(h), hs256('secret')), M.issuerUnreadable),
  cred('alg-es384', 'alg ES384 (not accepted)', (ctx, h) => compact(header(ctx, { alg: 'ES384' }), ctx.learV1(h), es256(ctx.keys.issuer.privateKey)), M.issuerUnreadable),
  cred('crit-unknown', 'an unknown critical header (crit: ["exp"])', (ctx, h) => compact(header(ctx, { crit: ['exp'], exp: 1 }), ctx.learV1(h), es256(ctx.keys.issuer.privateKey)), M.issuerUnreadable),
  cred('signature-truncated', 'an ES256 signature of 63 bytes', (ctx, h) => {
    const jwt = ctx.signDidKey(ctx.learV1(h));
    const [a, b, s] = jwt.split('.');
    return `${a}.${b}.${Buffer.from(s, 'base64url').subarray(1).toString('base64url')}`;
  }, M.issuerUnreadable),
  cred('broken-signature', 'one bit of the signature flipped', (ctx, h) => tamperSignature(ctx.signDidKey(ctx.learV1(h))), M.altered),
  cred('tampered-payload', 'the payload changed after signing (another organisation)', (ctx, h) => {
    const [a, , s] = ctx.signDidKey(ctx.learV1(h)).split('.');
    const forged = withMandate(ctx.learV1(h), { mandator: { organization: 'Forged Corp', organizationIdentifier: 'VATES-X0000000X' } });
    return `${a}.${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${s}`;
  }, M.altered),
  cred('signed-by-another-key', "signed by a key other than the issuer's did:key", (ctx, h) => ctx.signDidKey(ctx.learV1(h), { key: ctx.keys.other.privateKey }), M.altered),
  cred('kid-names-another-did', 'the header kid names another did:key', (ctx, h) => ctx.signDidKey(ctx.learV1(h), { header: { kid: ctx.keys.other.kid }, key: ctx.keys.other.privateKey }), M.altered),
  cred('alg-rs256-with-did-key', 'alg RS256 for a P-256 did:key issuer (wrong algorithm)', (ctx, h) => compact(header(ctx, { alg: 'RS256' }), ctx.learV1(h), rs256(ctx.keys.seal.privateKey)), M.credentialUnreadable),
  cred('embedded-jwk', 'the header embeds its own key (jwk) instead of naming the issuer', (ctx, h) => {
    const jwk = ctx.keys.other.publicKey.export({ format: 'jwk' });
    return compact({ alg: 'ES256', typ: 'JWT', jwk }, ctx.learV1(h), es256(ctx.keys.other.privateKey));
  }, M.cannotCheckIssuer),
  cred('issuer-did-web', 'a did:web issuer (no way to find its key without an x5c)', (ctx, h) => ctx.signDidKey(
    withVc(ctx.learV1(h, { iss: 'did:web:evil.example' }), { issuer: 'did:web:evil.example' }), { header: { kid: 'did:web:evil.example#key-1' } },
  ), M.cannotCheckIssuer),
  cred('did-elsi-without-x5c', 'a did:elsi issuer without its seal certificate', (ctx, h) => ctx.signDidKey(withVc(ctx.learV1(h, { iss: ctx.keys.seal.did }), { issuer: ctx.keys.seal.did })), M.cannotCheckIssuer),
  cred('holder-is-another-key', "issued to a holder other than the wallet's key", (ctx) => ctx.signDidKey(ctx.learV1(ctx.keys.other.did)), M.otherHolder),
  cred('cnf-names-another-key', 'cnf.kid names a key other than the holder', (ctx, h) => ctx.signDidKey(ctx.learV1(h, { cnf: { kid: ctx.keys.other.kid } })), M.otherHolder),
  cred('no-holder', 'no holder at all (no sub, no subject id, no mandatee id)', (ctx, h) => {
    const p = ctx.learV1(h, { sub: undefined });
    const m = p.vc.credentialSubject.mandate;
    return ctx.signDidKey({ ...p, vc: { ...p.vc, credentialSubject: { mandate: { ...m, mandatee: { ...m.mandatee, id: undefined } } } } });
  }, M.otherHolder),
  cred('expired', 'expired an hour ago (exp)', (ctx, h) => ctx.signDidKey(ctx.learV1(h, { nbf: now() - 30 * DAY, exp: now() - 3600 })), M.expired),
  cred('not-yet-valid', 'valid only from the day after tomorrow (nbf)', (ctx, h) => ctx.signDidKey(ctx.learV1(h, { nbf: now() + 2 * DAY })), M.notYetValid),
  cred('valid-until-past', 'a VCDM 2.0 validUntil in the past (exp still ahead)', (ctx, h) => ctx.signSeal(withVc(ctx.learV3(h), { validUntil: iso(now() - DAY) })), M.expired),
  cred('expiration-date-past', 'a VCDM 1.1 expirationDate in the past', (ctx, h) => ctx.signDidKey(withVc(ctx.learV1(h), { expirationDate: iso(now() - DAY) })), M.expired),
  cred('mandate-life-span-ended', "the mandate's life_span ended yesterday", (ctx, h) => ctx.signDidKey(withMandate(ctx.learV1(h), {
    life_span: { start_date_time: iso(now() - 30 * DAY), end_date_time: iso(now() - DAY) },
  })), M.expired),
  cred('seal-of-another-organisation', "a did:elsi issuer sealed with another organisation's certificate (organizationIdentifier mismatch)", (ctx, h) => ctx.signSeal(ctx.learV3(h), { seal: ctx.keys.otherSeal }), M.sealOrganisation),
  cred('seal-for-another-did-elsi', 'sealed by the right certificate but claiming another did:elsi', (ctx, h) => {
    const p = ctx.learV3(h, { iss: 'did:elsi:VATES-A00000000' });
    return ctx.signSeal(withVc(p, { issuer: { ...p.vc.issuer, id: 'did:elsi:VATES-A00000000' } }));
  }, M.sealOrganisation),
  cred('https-issuer-certificate-for-another-host', 'an https issuer whose seal certificate names no such host', (ctx, h) => {
    const p = ctx.learV3(h, { iss: 'https://issuer.example.org' });
    return ctx.signSeal(withVc(p, { issuer: { ...p.vc.issuer, id: 'https://issuer.example.org' } }));
  }, M.sealOrganisation),
  cred('seal-broken-signature', 'a DOME-like RS256 seal with one bit flipped', (ctx, h) => tamperSignature(ctx.signSeal(ctx.learV3(h))), M.altered),
  cred('seal-es256-with-rsa-certificate', 'alg ES256 with an RSA seal certificate', (ctx, h) => compact(
    { alg: 'ES256', x5c: [ctx.keys.seal.cert.toString('base64')] }, ctx.learV3(h), es256(ctx.keys.issuer.privateKey),
  ), M.altered),
  cred('seal-thumbprint-mismatch', 'an x5t#S256 that is not the hash of the x5c certificate', (ctx, h) => ctx.signSeal(ctx.learV3(h), {
    header: { 'x5t#S256': crypto.createHash('sha256').update('something else').digest('base64url') },
  }), M.altered),
  cred('x5c-garbage', 'an x5c that is not a certificate', (ctx, h) => ctx.signSeal(ctx.learV3(h), { header: { x5c: ['bm90IGEgY2VydGlmaWNhdGU='] } }), M.credentialUnreadable),
  cred('x5c-not-base64', 'an x5c entry that is not base64', (ctx, h) => ctx.signSeal(ctx.learV3(h), { header: { x5c: ['%%%'] } }), M.credentialUnreadable),
  cred('iss-and-issuer-differ', 'JWT iss and the credential issuer name different issuers', (ctx, h) => ctx.signDidKey(withVc(ctx.learV1(h), { issuer: ctx.keys.other.did })), M.twoIssuers),
  cred('no-issuer', 'no issuer at all', (ctx, h) => ctx.signDidKey(withVc(ctx.learV1(h, { iss: undefined }), { issuer: undefined })), M.credentialUnreadable),
  cred('unexpected-type', 'a credential of another type than offered', (ctx, h) => ctx.signDidKey(withVc(ctx.learV1(h), { type: ['VerifiableCredential', 'BankAccountCredential'] })), M.wrongType),
  cred('no-vc', 'a JWT that is no credential (no vc, no credentialSubject)', (ctx, h) => ctx.signDidKey({ iss: ctx.keys.issuer.did, sub: h, exp: now() + DAY }), M.credentialUnreadable),
  cred('vc-is-a-string', 'the vc claim is a string', (ctx, h) => ctx.signDidKey({ ...ctx.learV1(h), vc: 'LEARCredentialEmployee' }), M.credentialUnreadable),
  cred('payload-not-json', 'the payload is not JSON', (ctx) => compact(header(ctx), Buffer.from('this is not json'), es256(ctx.keys.issuer.privateKey)), M.credentialUnreadable),
  cred('dates-not-numbers', 'exp is a string', (ctx, h) => ctx.signDidKey(ctx.learV1(h, { exp: 'tomorrow' })), M.credentialUnreadable),
  cred('status-malformed', 'a credentialStatus with a negative index', (ctx, h) => ctx.signDidKey(withVc(ctx.learV1(h), {
    credentialStatus: { type: 'BitstringStatusListEntry', statusPurpose: 'revocation', statusListIndex: '-1', statusListCredential: 'https://issuer.example.org/status/1' },
  })), M.credentialUnreadable),
  {
    ...cred('claims-with-markup', 'claim values with HTML and scripts (accepted, and shown as text everywhere)', (ctx, h) => ctx.signDidKey(withMandate(ctx.learV1(h), {
      mandatee: { id: h, firstName: MARKUP, lastName: '<b>Bold</b>', email: 'javascript:alert(1)', employeeId: '"><svg onload=alert(1)>' },
      mandator: { id: 'did:elsi:VATES-B99999990', organization: `Org ${MARKUP}`, organizationIdentifier: 'VATES-B99999990', commonName: '<iframe src=javascript:alert(1)>', country: 'ES' },
      power: [{ type: 'domain', domain: '<script>x</script>', function: '<img src=x onerror=alert(1)>', action: ['<b>Execute</b>'] }],
    })), undefined),
    screen: /Credential received/, stage: 'notification', stored: 1, accepted: true, markup: 'shown',
  },
];
