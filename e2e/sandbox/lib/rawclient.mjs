// A deliberately small, hand-rolled OpenID4VCI client used by the self-test to probe exactly what the
// Credo issuer accepts and refuses (the Credo holder always sends the "right" thing, so it cannot show
// the edges). Node crypto only: P-256 keys, did:key, ES256 compact JWS.
import crypto from 'node:crypto';

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58btc(bytes) {
  let n = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  let out = '';
  while (n > 0n) { out = B58[Number(n % 58n)] + out; n /= 58n; }
  for (const b of bytes) { if (b !== 0) break; out = `1${out}`; }
  return out;
}

/** A fresh P-256 key as a did:key (multicodec p256-pub 0x1200, compressed point). */
export function newDidKey() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x, 'base64url');
  const y = Buffer.from(jwk.y, 'base64url');
  const compressed = Buffer.concat([Buffer.from([(y[y.length - 1] & 1) ? 0x03 : 0x02]), x]);
  const fingerprint = `z${base58btc(Buffer.concat([Buffer.from([0x80, 0x24]), compressed]))}`;
  const did = `did:key:${fingerprint}`;
  return { did, kid: `${did}#${fingerprint}`, privateKey, publicJwk: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } };
}

export function signJwt(header, payload, privateKey) {
  const input = `${b64json(header)}.${b64json(payload)}`;
  const sig = crypto.sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${sig.toString('base64url')}`;
}

function b64json(v) { return Buffer.from(JSON.stringify(v)).toString('base64url'); }

export function decodeJwt(jwt) {
  const [h, p] = String(jwt).split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url')), payload: JSON.parse(Buffer.from(p, 'base64url')) };
}

/** fetch wrapper: returns { status, headers, json?, text } and never throws on HTTP errors. */
export async function http(method, url, { json, form, headers = {} } = {}) {
  const h = { ...headers };
  let body;
  if (json !== undefined) { h['content-type'] = 'application/json'; body = JSON.stringify(json); }
  if (form !== undefined) { h['content-type'] = 'application/x-www-form-urlencoded'; body = new URLSearchParams(form).toString(); }
  const res = await fetch(url, { method, headers: h, body, redirect: 'manual' });
  const text = await res.text();
  let parsed;
  try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
  return { status: res.status, headers: res.headers, json: parsed, text };
}
