// Just enough DER to write X.509 certificates for the hostile peer (node:crypto signs, but
// cannot make certificates). Every function returns a Buffer holding one encoded value.

function length(n) {
  if (n < 0x80) return Buffer.from([n]);
  const bytes = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

export function tlv(tag, ...contents) {
  const body = Buffer.concat(contents.map((c) => (Buffer.isBuffer(c) ? c : Buffer.from(c))));
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

export const seq = (...items) => tlv(0x30, ...items);
export const set = (...items) => tlv(0x31, ...items);
export const nul = () => Buffer.from([0x05, 0x00]);
export const octets = (bytes) => tlv(0x04, bytes);
export const bits = (bytes) => tlv(0x03, Buffer.from([0]), bytes);
export const utf8 = (text) => tlv(0x0c, Buffer.from(text, 'utf8'));
export const printable = (text) => tlv(0x13, Buffer.from(text, 'ascii'));
export const explicit = (n, ...contents) => tlv(0xa0 + n, ...contents);
export const bool = (v) => tlv(0x01, Buffer.from([v ? 0xff : 0]));

/** A non-negative INTEGER from a number or big-endian bytes. */
export function int(value) {
  let bytes;
  if (Buffer.isBuffer(value)) bytes = value;
  else {
    const out = [];
    for (let v = BigInt(value); v > 0n; v >>= 8n) out.unshift(Number(v & 0xffn));
    bytes = Buffer.from(out.length ? out : [0]);
  }
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0 && bytes[i + 1] < 0x80) i++;
  bytes = bytes.subarray(i);
  if (bytes[0] & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

export function oid(dotted) {
  const parts = dotted.split('.').map(Number);
  const out = [40 * parts[0] + parts[1]];
  for (const p of parts.slice(2)) {
    const chunk = [];
    let v = p;
    do { chunk.unshift(v & 0x7f); v = Math.floor(v / 128); } while (v > 0);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] |= 0x80;
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime before 2050, GeneralizedTime after (RFC 5280 §4.1.2.5). */
export function time(date) {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${iso}Z`));
}

export const OID = {
  commonName: '2.5.4.3',
  country: '2.5.4.6',
  organization: '2.5.4.10',
  serialNumber: '2.5.4.5',
  organizationIdentifier: '2.5.4.97',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256WithRsa: '1.2.840.113549.1.1.11',
};

/** A Name from [[oid, value], …], one attribute per RDN (country as PrintableString). */
export function name(attributes) {
  return seq(...attributes.map(([o, v]) => set(seq(oid(o), o === OID.country ? printable(v) : utf8(v)))));
}
