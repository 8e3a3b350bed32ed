import { startPeers } from './peers.mjs';
import { createAgent, createP256DidKey } from './lib/agent.mjs';
import { OpenId4VcModule } from '@credo-ts/openid4vc';
import { X509Module } from '@credo-ts/core';
const peers = await startPeers({ walletOrigin: 'http://127.0.0.1:8080', quiet: false, traceBodies: true });
const holder = await createAgent({ name: 'h', modules: { openid4vc: new OpenId4VcModule({}), x509: new X509Module({ trustedCertificates: [peers.verifier.certificatePem] }) } });
const H = holder.agent.modules.openid4vc.holder;
const offer = await peers.issuer.createOffer({});
const resolved = await H.resolveCredentialOffer(offer.offerUri);
const token = await H.requestToken({ resolvedCredentialOffer: resolved });
const res = await H.requestCredentials({ resolvedCredentialOffer: resolved, ...token, credentialBindingResolver: async () => { const { verificationMethodId } = await createP256DidKey(holder.agent); return { method: 'did', didUrls: [verificationMethodId] }; } });
await holder.agent.w3cCredentials.store({ record: res.credentials[0].record });
for (const body of JSON.parse(process.argv[2])) {
  const req = await peers.verifier.createRequest(body);
  try {
    const r = await H.resolveOpenId4VpAuthorizationRequest(req.link);
    console.log(JSON.stringify(r.presentationExchange?.credentialsForRequest ?? r.dcql?.queryResult, null, 1).slice(0, 3000));
    const answer = await H.acceptOpenId4VpAuthorizationRequest({ authorizationRequestPayload: r.authorizationRequestPayload,
      ...(r.dcql ? { dcql: { credentials: H.selectCredentialsForDcqlRequest(r.dcql.queryResult) } } : {}),
      ...(r.presentationExchange ? { presentationExchange: { credentials: H.selectCredentialsForPresentationExchangeRequest(r.presentationExchange.credentialsForRequest) } } : {}) });
    console.log('answer', answer.ok, answer.serverResponse);
  } catch (e) { console.log('ERR', e.stack); }
  console.log(await peers.verifier.getRequest(req.id));
}
process.exit(0);
