// Keys and certificates the hostile peer signs with, generated at start (node:crypto):
// P-256 did:keys, an RSA eIDAS-like seal certificate for a did:elsi issuer (as DOME's issuers
// seal), and self-signed P-256 certificates for x509_san_dns / x509_hash verifiers.
import crypto from 'node:crypto';
import * as der from './der.mjs';

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

function base58(bytes) {
  let n = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  let out = '';
  while (n > 0n) { out = B58[Number(n % 58n)] + out; n /= 58n; }
  for (const b of bytes) { if (b === 0) out = `1${out}`; else break; }
  return out;
}

export const b64u = (data) => Buffer.from(data).toString('base64url');

/** did:key of a P-256 public key: multicodec 0x1200 (varint 0x80 0x24) + compressed point. */
export function didKeyOf(publicKey) {
  const jwk = publicKey.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x, 'base64url');
  const y = Buffer.from(jwk.y, 'base64url');
  const point = Buffer.concat([Buffer.from([y[y.length - 1] & 1 ? 3 : 2]), x]);
  return `did:key:z${base58(Buffer.concat([Buffer.from([0x80, 0x24]), point]))}`;
}

/** A P-256 key pair with its did:key and key id (`did#fragment`, the fragment being the key). */
export function p256Identity() {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const did = didKeyOf(publicKey);
  return { privateKey, publicKey, did, kid: `${did}#${did.slice('did:key:'.length)}` };
}

/**
 * A DER X.509 v3 certificate. `issuerName`/`signingKey` default to a self-signed one.
 * `subject`/`issuerName`: [[oid, value], …].
 */
export function certificate({
  subject, publicKey, signingKey, issuerName = subject, dnsNames = [], ca = false,
  notBefore = new Date(Date.now() - 24 * 3600e3), notAfter = new Date(Date.now() + 365 * 24 * 3600e3),
}) {
  const rsa = signingKey.asymmetricKeyType === 'rsa';
  const algorithm = rsa ? der.seq(der.oid(der.OID.sha256WithRsa), der.nul()) : der.seq(der.oid(der.OID.ecdsaWithSha256));
  const extensions = [];
  if (dnsNames.length) {
    const names = der.seq(...dnsNames.map((d) => der.tlv(0x82, Buffer.from(d, 'ascii'))));
    extensions.push(der.seq(der.oid(der.OID.subjectAltName), der.octets(names)));
  }
  if (ca) extensions.push(der.seq(der.oid(der.OID.basicConstraints), der.bool(true), der.octets(der.seq(der.bool(true)))));
  const tbs = der.seq(
    der.explicit(0, der.int(2)),
    der.int(crypto.randomBytes(8)),
    algorithm,
    der.name(issuerName),
    der.seq(der.time(notBefore), der.time(notAfter)),
    der.name(subject),
    publicKey.export({ type: 'spki', format: 'der' }),
    ...(extensions.length ? [der.explicit(3, der.seq(...extensions))] : []),
  );
  const signature = crypto.sign('sha256', tbs, signingKey);
  return der.seq(tbs, algorithm, der.bits(signature));
}

/** Everything the hostile peer signs with; fresh on every start. */
export function generateKeys() {
  const issuer = p256Identity();
  const other = p256Identity();
  const verifier = p256Identity();

  // A DOME-like seal: RSA, organizationIdentifier = the did:elsi suffix.
  const sealOrg = 'VATES-B99999990';
  const seal = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const sealSubject = [
    [der.OID.country, 'ES'], [der.OID.organization, 'Hostile Seal S.L.'],
    [der.OID.organizationIdentifier, sealOrg], [der.OID.commonName, 'Hostile Seal'],
  ];
  const sealCert = certificate({ subject: sealSubject, publicKey: seal.publicKey, signingKey: seal.privateKey });
  // The same kind of seal for another organisation (the organisation check must refuse it).
  const otherSeal = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const otherSealCert = certificate({
    subject: [[der.OID.country, 'ES'], [der.OID.organization, 'Someone Else S.L.'], [der.OID.organizationIdentifier, 'VATES-B11111110'], [der.OID.commonName, 'Someone Else']],
    publicKey: otherSeal.publicKey, signingKey: otherSeal.privateKey,
  });

  // Verifier certificates: for 127.0.0.1 (x509_san_dns on loopback, as Credo serves it), for
  // another name, expired, and a leaf whose CA did not sign it.
  const x509 = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const cn = (name) => [[der.OID.commonName, name]];
  const verifierCert = certificate({ subject: cn('Hostile Verifier'), publicKey: x509.publicKey, signingKey: x509.privateKey, dnsNames: ['127.0.0.1'] });
  const otherNameCert = certificate({ subject: cn('Hostile Verifier'), publicKey: x509.publicKey, signingKey: x509.privateKey, dnsNames: ['verifier.example.org'] });
  const expiredCert = certificate({
    subject: cn('Hostile Verifier'), publicKey: x509.publicKey, signingKey: x509.privateKey, dnsNames: ['127.0.0.1'],
    notBefore: new Date(Date.now() - 3 * 365 * 24 * 3600e3), notAfter: new Date(Date.now() - 2 * 365 * 24 * 3600e3),
  });
  const ca = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const caName = cn('Hostile CA');
  const caCert = certificate({ subject: caName, publicKey: ca.publicKey, signingKey: ca.privateKey, ca: true });
  // Names the CA as its issuer but is signed by the leaf's own key: the chain does not verify.
  const forgedLeafCert = certificate({
    subject: cn('Hostile Verifier'), publicKey: x509.publicKey, signingKey: x509.privateKey, issuerName: caName, dnsNames: ['127.0.0.1'],
  });

  return {
    issuer, other, verifier,
    seal: { ...seal, cert: sealCert, org: sealOrg, did: `did:elsi:${sealOrg}` },
    otherSeal: { ...otherSeal, cert: otherSealCert },
    x509: { ...x509, cert: verifierCert, otherNameCert, expiredCert, caCert, forgedLeafCert },
  };
}
