// An independent did:key (P-256) decoder for the tests, so the wallet's own code is not used to
// check itself: base58btc → multicodec 0x1200 → compressed point → a Node.js public key.
import crypto from 'node:crypto';

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58Decode(text) {
  let n = 0n;
  for (const c of text) {
    const v = ALPHABET.indexOf(c);
    if (v < 0) throw new Error(`not base58: ${c}`);
    n = n * 58n + BigInt(v);
  }
  const bytes = [];
  while (n > 0n) { bytes.unshift(Number(n & 0xffn)); n >>= 8n; }
  for (const c of text) { if (c === '1') bytes.unshift(0); else break; }
  return Buffer.from(bytes);
}

/** The public key of a `did:key:zDn…` (P-256) as a Node.js KeyObject. */
export function publicKeyOfDidKey(did) {
  const m = /^did:key:z([1-9A-HJ-NP-Za-km-z]+)$/.exec(did);
  if (!m) throw new Error(`not a did:key: ${did}`);
  const bytes = base58Decode(m[1]);
  if (bytes[0] !== 0x80 || bytes[1] !== 0x24 || bytes.length !== 35) throw new Error('not a compressed P-256 did:key');
  const spkiPrefix = Buffer.from('3039301306072a8648ce3d020106082a8648ce3d030107032200', 'hex');
  return crypto.createPublicKey({ key: Buffer.concat([spkiPrefix, bytes.subarray(2)]), format: 'der', type: 'spki' });
}

/** Verifies a compact ES256 JWS with a did:key; returns its decoded header and claims. */
export function verifyEs256WithDidKey(compact, did) {
  const [h, p, s] = compact.split('.');
  const ok = crypto.verify('sha256', Buffer.from(`${h}.${p}`), { key: publicKeyOfDidKey(did), dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'));
  if (!ok) throw new Error('ES256 signature does not verify with the did:key');
  return { header: JSON.parse(Buffer.from(h, 'base64url')), claims: JSON.parse(Buffer.from(p, 'base64url')) };
}
