// Malformed and oversized links and QR texts: refused before the wallet contacts anyone.
import { M } from './messages.mjs';

const enc = encodeURIComponent;
const offerUri = (uri) => `openid-credential-offer://?credential_offer_uri=${enc(uri)}`;
const vp = (params) => `openid4vp://?${params}`;
const did = 'did:key:zDnaerDaTF5BXEavCrfRZEk316dpbLsfPDZ3WJ5hRTPFU2169';
const MARKUP = '<img src=x id=hostile-xss onerror="window.__pwned=1"><script>window.__pwned=1</script>';

const link = (name, title, text, message, extra = {}) => ({
  name: `link-${name}`, category: 'links', role: 'link', title, link: text, message, stage: 'none', via: 'paste', ...extra,
});

export default [
  link('offer-without-parameters', 'openid-credential-offer:// with neither credential_offer nor credential_offer_uri', () => 'openid-credential-offer://', M.invalidLink),
  link('offer-both-parameters', 'an offer link with both credential_offer and credential_offer_uri',
    (ctx) => `${offerUri(`${ctx.base}/offer`)}&credential_offer=${enc('{}')}`, M.invalidLink),
  link('offer-parameter-twice', 'credential_offer_uri given twice (two readers could pick different ones)',
    (ctx) => `${offerUri(`${ctx.base}/offer`)}&credential_offer_uri=${enc(`${ctx.base}/other`)}`, M.invalidLink),
  link('offer-uri-http-public-host', 'credential_offer_uri over plain http to a public host', () => offerUri('http://issuer.example.com/offer/1'), M.insecureOffer),
  link('offer-uri-javascript', 'credential_offer_uri is a javascript: URL', () => offerUri('javascript:alert(document.domain)'), M.insecureOffer),
  link('offer-uri-userinfo', 'credential_offer_uri carries a user name and password', (ctx) => offerUri(ctx.base.replace('http://', 'http://user:secret@') + '/offer'), M.insecureOffer),
  link('offer-uri-fragment', 'credential_offer_uri has a #fragment', (ctx) => offerUri(`${ctx.base}/offer#x`), M.insecureOffer),
  link('offer-uri-file', 'credential_offer_uri is a file: URL', () => offerUri('file:///etc/passwd'), M.insecureOffer),
  link('offer-uri-data', 'credential_offer_uri is a data: URL', () => offerUri('data:application/json,{"credential_issuer":"https://a.example"}'), M.insecureOffer),
  link('offer-uri-ftp', 'credential_offer_uri uses ftp:', () => offerUri('ftp://127.0.0.1/offer'), M.insecureOffer),
  link('offer-uri-unicode-host', 'credential_offer_uri with a non-ASCII (homograph) host', () => offerUri('https://іssuer.example/offer'), M.insecureOffer),
  link('offer-uri-too-long', 'credential_offer_uri of 5,000 characters', (ctx) => offerUri(`${ctx.base}/offer?${'a'.repeat(5000)}`), M.insecureOffer),
  link('offer-uri-whitespace', 'credential_offer_uri with a space and a line break in it', (ctx) => offerUri(`${ctx.base}/of fer\r\nX-Evil: 1`), M.insecureOffer),
  link('offer-value-not-json', 'credential_offer by value that is not JSON', () => `openid-credential-offer://?credential_offer=${enc('not json at all')}`, M.offerUnreadable),
  link('offer-value-array', 'credential_offer by value that is a JSON array', () => `openid-credential-offer://?credential_offer=${enc('[]')}`, M.offerUnreadable),
  link('offer-value-deep-nesting', 'credential_offer by value nested 1,000 levels deep',
    () => `openid-credential-offer://?credential_offer=${enc(`{"credential_issuer":${'['.repeat(1000)}${']'.repeat(1000)}}`)}`, M.offerUnreadable),
  link('offer-value-bad-utf8', 'credential_offer by value that is not UTF-8 (%FF%FE)', () => 'openid-credential-offer://?credential_offer=%FF%FE%00%01', M.offerUnreadable),
  link('too-many-parameters', 'a link with 70 parameters', () => vp(Array.from({ length: 70 }, (_, i) => `p${i}=1`).join('&')), M.invalidLink),
  link('qr-text-9-kb', 'QR text of 9 KB (more than a QR code holds)', () => vp(`client_id=x&request_uri=${'a'.repeat(9000)}`), M.invalidLink),
  link('qr-text-5-mb', 'QR text of 5 MB pasted', () => vp(`request_uri=${'a'.repeat(5 * 1024 * 1024)}`), M.invalidLink, { huge: true }),
  // A longer same-device link never reaches the wallet: web servers refuse such request lines (Node: 16 KB).
  link('same-device-link-12-kb', 'a same-device link of 12 KB', (ctx) => `${ctx.wallet}/?credential_offer_uri=${'a'.repeat(12 * 1024)}`, M.invalidLink, { via: 'link' }),
  link('same-device-offer-http-public-host', 'a same-device link whose offer is on plain http elsewhere',
    (ctx) => `${ctx.wallet}/?credential_offer_uri=${enc('http://issuer.example.com/offer/1')}`, M.insecureOffer, { via: 'link' }),
  link('login-without-parameters', 'openid4vp:// with no parameters', () => 'openid4vp://', M.invalidLink),
  link('login-client-id-twice', 'a login link naming two client_ids', (ctx) => vp(`client_id=a&client_id=b&request_uri=${enc(`${ctx.base}/request`)}`), M.invalidLink),
  link('login-request-uri-http-public-host', 'request_uri over plain http to a public host',
    () => vp(`client_id=${enc(`decentralized_identifier:${did}`)}&request_uri=${enc('http://verifier.example.org/request/1')}`), M.loginInsecure),
  link('login-request-uri-javascript', 'request_uri is a javascript: URL', () => vp(`client_id=${enc(did)}&request_uri=${enc('javascript:alert(1)')}`), M.loginInsecure),
  link('login-request-uri-data', 'request_uri is a data: URL', () => vp(`client_id=${enc(did)}&request_uri=${enc('data:application/jwt,eyJ9')}`), M.loginInsecure),
  link('login-request-uri-userinfo', 'request_uri carries a user name and password',
    (ctx) => vp(`client_id=${enc(did)}&request_uri=${enc(ctx.base.replace('http://', 'http://user:secret@') + '/request')}`), M.loginInsecure),
  link('login-request-uri-method-put', 'request_uri_method=put', (ctx) => vp(`client_id=${enc(did)}&request_uri=${enc(`${ctx.base}/request`)}&request_uri_method=put`), M.loginUnreadable),
  link('login-method-without-uri', 'request_uri_method without a request_uri', () => vp(`client_id=${enc(did)}&request_uri_method=post&response_type=vp_token`), M.loginUnreadable),
  link('login-request-and-uri', 'both request and request_uri', (ctx) => vp(`client_id=${enc(did)}&request=e30.e30.&request_uri=${enc(`${ctx.base}/request`)}`), M.loginUnreadable),
  link('login-without-client-id', 'a request_uri without a client_id', (ctx) => vp(`request_uri=${enc(`${ctx.base}/request`)}`), M.loginUnreadable),
  link('login-client-id-control-characters', 'a client_id with control characters', () => vp(`client_id=${enc('\u0001did:key:\u0007x')}&response_type=vp_token`), M.loginUnreadable),
  link('nested-request-is-https', "DOME's callback form wrapping an https URL instead of an openid4vp link",
    (ctx) => `${ctx.wallet}/protocol/callback?authorization_request=${enc('https://evil.example/?request_uri=x&client_id=y')}`, M.invalidLink, { via: 'link' }),
  link('nested-request-is-javascript', "DOME's callback form wrapping a javascript: URL",
    (ctx) => `${ctx.wallet}/protocol/callback?authorization_request=${enc('javascript:alert(1)')}`, M.invalidLink, { via: 'link' }),
  link('markup-as-qr-text', 'QR text that is HTML with a script: shown as text, never as markup', () => MARKUP, M.notWallet, { markup: 'shown' }),
  link('control-characters-as-qr-text', 'QR text with NUL and BEL characters', () => 'hello\u0000\u0007world', M.notWallet),
];
