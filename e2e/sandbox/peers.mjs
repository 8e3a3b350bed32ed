#!/usr/bin/env node
// Local sandbox peers for the wallet: a Credo-ts OpenID4VCI issuer and OpenID4VP verifier on loopback.
//
//   import { startPeers } from './sandbox/peers.mjs';
//   const peers = await startPeers({ walletOrigin: 'http://127.0.0.1:8080' });
//   ... peers.issuer.url, peers.verifier.url ...
//   await peers.stop();
//
//   node e2e/sandbox/peers.mjs --wallet http://127.0.0.1:8080 --issuer-port 7001 --verifier-port 7002
//
// Run e2e/sandbox/setup.mjs once first (native Askar). See e2e/sandbox/README.md.
import { fileURLToPath } from 'node:url';
import { startIssuer } from './lib/issuer.mjs';
import { startVerifier } from './lib/verifier.mjs';
import { isLoopback } from './lib/http.mjs';

/**
 * Starts both peers. Both listen on `host` (loopback only), keep their Askar stores in fresh temp dirs,
 * answer CORS for the wallet origin(s) and log every request in memory (`issuer.log`, `verifier.log`,
 * or GET /api/log on each).
 *
 * @param {object} o
 * @param {string|string[]} o.walletOrigin  origin(s) of the wallet; the first is used for same-device links
 * @param {number} [o.issuerPort=0]         0 = a free port
 * @param {number} [o.verifierPort=0]
 * @param {string} [o.host='127.0.0.1']
 * @param {boolean} [o.quiet=false]         silence Credo's own log output (warnings by default)
 * @param {boolean} [o.traceBodies=false]   keep request/response headers and bodies in the request log
 * @param {boolean} [o.notifications=true]  sandbox notification endpoint on the issuer (Credo 0.6.3 has none)
 * @param {number} [o.deferredInterval=5]   `interval` (s) the issuer gives for deferred credentials
 */
export async function startPeers({
  walletOrigin, issuerPort = 0, verifierPort = 0, host = '127.0.0.1', quiet = false, traceBodies = false,
  notifications = true, deferredInterval = 5,
} = {}) {
  const walletOrigins = [].concat(walletOrigin ?? []);
  if (walletOrigins.length === 0) throw new Error('startPeers needs walletOrigin (e.g. http://127.0.0.1:8080)');
  for (const o of walletOrigins) {
    let u;
    try { u = new URL(o); } catch { throw new Error(`walletOrigin '${o}' is not a URL`); }
    if (u.origin !== o) throw new Error(`walletOrigin '${o}' must be a bare origin like ${u.origin} (no path, no trailing slash)`);
  }
  if (!isLoopback(host)) throw new Error(`host must be a loopback address, got '${host}'`);
  const started = Date.now();
  const issuer = await startIssuer({ host, port: issuerPort, walletOrigins, quiet, traceBodies, notifications, deferredInterval });
  let verifier;
  try {
    verifier = await startVerifier({ host, port: verifierPort, walletOrigins, quiet, traceBodies, trustedIssuerDid: () => issuer.did });
  } catch (e) {
    await issuer.stop();
    throw e;
  }
  return {
    issuer,
    verifier,
    startupMs: Date.now() - started,
    async stop() {
      await Promise.allSettled([issuer.stop(), verifier.stop()]);
    },
  };
}

function parseArgs(argv) {
  const out = { walletOrigin: [], issuerPort: 7001, verifierPort: 7002, host: '127.0.0.1', quiet: false, traceBodies: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { const v = argv[++i]; if (v === undefined) throw new Error(`${a} needs a value`); return v; };
    const port = (v) => { const n = Number(v); if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`${a}: '${v}' is not a port`); return n; };
    if (a === '--wallet') out.walletOrigin.push(val());
    else if (a === '--issuer-port') out.issuerPort = port(val());
    else if (a === '--verifier-port') out.verifierPort = port(val());
    else if (a === '--host') out.host = val();
    else if (a === '--quiet') out.quiet = true;
    else if (a === '--trace') out.traceBodies = true;
    else if (a === '--no-notifications') out.notifications = false;
    else if (a === '--deferred-interval') {
      const v = val(); out.deferredInterval = Number(v);
      if (!Number.isInteger(out.deferredInterval) || out.deferredInterval < 1) throw new Error(`--deferred-interval: '${v}' is not a whole number of seconds`);
    }
    else if (a === '--help' || a === '-h') { out.help = true; }
    else throw new Error(`unknown argument ${a} (try --help)`);
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let args;
  try { args = parseArgs(process.argv.slice(2)); } catch (e) { console.error(e.message); process.exit(2); }
  if (args.help) {
    console.log(`usage: node e2e/sandbox/peers.mjs --wallet <origin, default http://127.0.0.1:8080> [--wallet <origin2>] [--issuer-port 7001] [--verifier-port 7002]
       [--host 127.0.0.1] [--quiet] [--trace] [--no-notifications] [--deferred-interval 5]`);
    process.exit(0);
  }
  if (args.walletOrigin.length === 0) args.walletOrigin.push('http://127.0.0.1:8080');
  try {
    const { help: _h, ...opts } = args;
    const peers = await startPeers(opts);
    console.log(`Sandbox peers up in ${peers.startupMs} ms (wallet origin ${opts.walletOrigin.join(', ')})
  issuer    ${peers.issuer.url}/        (issuing page)   DID ${peers.issuer.did}
            credential_issuer ${peers.issuer.credentialIssuer}
            draft-13 style    ${peers.issuer.credentialIssuerDraft13}
  verifier  ${peers.verifier.url}/        (login page)     DID ${peers.verifier.did}
  control API: POST ${peers.issuer.url}/api/offers, POST ${peers.verifier.url}/api/requests (see e2e/sandbox/README.md)
Ctrl-C to stop.`);
    const shutdown = async () => { await peers.stop(); process.exit(0); };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  } catch (e) {
    console.error(`sandbox peers failed to start: ${e.message}`);
    if (/aries_askar|Askar/.test(e.message)) console.error('(has e2e/sandbox/setup.mjs been run?)');
    process.exit(1);
  }
}
