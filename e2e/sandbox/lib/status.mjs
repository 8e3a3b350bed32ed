// The sandbox issuer's status lists (W3C Bitstring Status List v1.0): one for revocation, one for
// suspension, 131,072 entries each (the specification's minimum), bit 0 the most significant bit
// of the first byte. Credo 0.6.3 has no status lists: this is all sandbox code. The list
// credential is signed by Credo (issuer.mjs) as a jwt_vc_json credential of the issuer's DID.
import zlib from 'node:zlib';

export const PURPOSES = ['revocation', 'suspension'];
export const LIST_ENTRIES = 131072;

/**
 * @param {object} o
 * @param {string} o.baseUrl  the lists are served at `${baseUrl}/<purpose>`
 */
export function createStatusLists({ baseUrl }) {
  const bits = Object.fromEntries(PURPOSES.map((p) => [p, new Uint8Array(LIST_ENTRIES / 8)]));
  const used = new Set();
  const state = { tampered: false };

  const check = (purpose, index) => {
    if (!PURPOSES.includes(purpose)) throw new Error(`unknown status purpose '${purpose}' (known: ${PURPOSES.join(', ')})`);
    if (!Number.isInteger(index) || index < 0 || index >= LIST_ENTRIES) throw new Error(`status index ${index} is outside the list`);
  };

  return {
    state,
    url: (purpose) => `${baseUrl}/${purpose}`,

    /** A fresh index, at random (so that tests exercise every bit position of a byte). */
    allocate() {
      if (used.size >= LIST_ENTRIES) throw new Error('the status lists are full');
      let index;
      do { index = Math.floor(Math.random() * LIST_ENTRIES); } while (used.has(index));
      used.add(index);
      return index;
    },

    /** The credentialStatus entry for `index` in the `purpose` list. */
    entry(purpose, index) {
      check(purpose, index);
      const list = `${baseUrl}/${purpose}`;
      return { id: `${list}#${index}`, type: 'BitstringStatusListEntry', statusPurpose: purpose, statusListIndex: String(index), statusListCredential: list };
    },

    set(purpose, index, value) {
      check(purpose, index);
      const mask = 0x80 >> (index % 8);
      const byte = Math.floor(index / 8);
      bits[purpose][byte] = value ? (bits[purpose][byte] | mask) : (bits[purpose][byte] & ~mask);
    },

    get(purpose, index) {
      check(purpose, index);
      return (bits[purpose][Math.floor(index / 8)] & (0x80 >> (index % 8))) !== 0;
    },

    /** The indexes whose bit is set in the `purpose` list. */
    setIndexes(purpose) {
      const out = [];
      bits[purpose].forEach((b, i) => { for (let k = 0; k < 8; k++) if (b & (0x80 >> k)) out.push(i * 8 + k); });
      return out;
    },

    /** `encodedList`: multibase `u` + base64url (no padding) of the GZIP of the bits. */
    encodedList(purpose) {
      return `u${zlib.gzipSync(Buffer.from(bits[purpose])).toString('base64url')}`;
    },
  };
}

/** Flips one bit in the middle of a compact JWS's signature. */
export function tamperSignature(jws) {
  const [header, payload, signature] = jws.split('.');
  const raw = Buffer.from(signature, 'base64url');
  raw[Math.floor(raw.length / 2)] ^= 0x01;
  return `${header}.${payload}.${raw.toString('base64url')}`;
}
