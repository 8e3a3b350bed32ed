// Compact JWS as the hostile peer writes them, well-formed or not.
import crypto from 'node:crypto';
import { b64u } from './keys.mjs';

const part = (value) => b64u(Buffer.isBuffer(value) || typeof value === 'string' ? value : JSON.stringify(value));

/** `header.payload.signature`; `sign(bytes)` returns the signature (or null for none). */
export function compact(header, payload, sign) {
  const input = `${part(header)}.${part(payload)}`;
  const signature = sign ? sign(Buffer.from(input)) : Buffer.alloc(0);
  return `${input}.${b64u(signature)}`;
}

/** ES256 (`r || s`) with a P-256 private key. */
export const es256 = (privateKey) => (data) => crypto.sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
/** RS256 (PKCS#1 v1.5) with an RSA private key. */
export const rs256 = (privateKey) => (data) => crypto.sign('sha256', data, privateKey);
/** HS256 with a shared secret (a wallet must never accept it from an issuer). */
export const hs256 = (secret) => (data) => crypto.createHmac('sha256', secret).update(data).digest();

/** Flips one bit in the middle of the signature. */
export function tamperSignature(jws) {
  const [h, p, s] = jws.split('.');
  const sig = Buffer.from(s, 'base64url');
  sig[Math.floor(sig.length / 2)] ^= 0x01;
  return `${h}.${p}.${b64u(sig)}`;
}

/** Decodes a compact JWS without verifying it. */
export function decode(jws) {
  const [h, p] = String(jws).split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url')), payload: JSON.parse(Buffer.from(p, 'base64url')) };
}
