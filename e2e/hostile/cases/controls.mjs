// Controls, not hostile cases: the hostile peer's default answers, which the wallet accepts.
// They show that what a hostile case changes is what the wallet refuses.
import { es256 } from '../lib/jose.mjs';

export default [
  {
    name: 'control-issuer-did-key', category: 'controls', role: 'issuer', drive: 'accept', stored: 1, accepted: true,
    title: 'a did:key issuer with a correct ES256 credential (like Credo)', screen: /Credential received/, stage: 'notification',
  },
  {
    name: 'control-issuer-seal', category: 'controls', role: 'issuer', drive: 'accept', stored: 1, accepted: true,
    title: 'a did:elsi issuer with a correct RS256 JAdES seal and x5c (like DOME)', screen: /Credential received/, stage: 'notification',
    issuer: { credentialJwt: (ctx, base, holder) => ctx.signSeal(ctx.learV3(holder)) },
  },
  {
    name: 'control-verifier-did-key', category: 'controls', role: 'verifier', drive: 'share', withCredential: true, accepted: true,
    title: 'a decentralized_identifier (did:key) verifier', screen: /Done/, stage: 'response', maxRequests: { response: 1 },
  },
  {
    name: 'control-verifier-x509', category: 'controls', role: 'verifier', drive: 'share', withCredential: true, accepted: true,
    title: 'an x509_san_dns verifier on 127.0.0.1', screen: /Done/, stage: 'response', maxRequests: { response: 1 },
    verifier: {
      clientId: () => 'x509_san_dns:127.0.0.1',
      header: (ctx) => ({ alg: 'ES256', typ: 'oauth-authz-req+jwt', x5c: [ctx.keys.x509.cert.toString('base64')] }),
      sign: (ctx) => es256(ctx.keys.x509.privateKey),
    },
  },
];
