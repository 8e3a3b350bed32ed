// Serves the wallet's release bundle and, when present, the sandbox issuer and verifier, and
// the hostile peer (e2e/hostile/: an issuer and verifier whose every answer is chosen per case).
//   node e2e/serve.mjs [--port 8080]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createStaticServer } from './lib/static-server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, '..', 'dist');

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server.address().port));
  });
}

export async function startServers({ walletPort = 8080, issuerPort = 0, verifierPort = 0, hostilePort = 0, quiet = false } = {}) {
  const wallet = createStaticServer(dist);
  const port = await listen(wallet, walletPort);
  const walletUrl = `http://127.0.0.1:${port}`;
  const env = { WALLET_URL: walletUrl };
  let peers;
  const peersModule = path.join(here, 'sandbox', 'peers.mjs');
  if (fs.existsSync(peersModule)) {
    const { startPeers } = await import(pathToFileURL(peersModule).href);
    peers = await startPeers({ walletOrigin: walletUrl, issuerPort, verifierPort, quiet });
    env.ISSUER_URL = peers.issuer.url;
    env.VERIFIER_URL = peers.verifier.url;
  }
  const { startHostile } = await import(pathToFileURL(path.join(here, 'hostile', 'server.mjs')).href);
  const hostile = await startHostile({ walletOrigin: walletUrl, port: hostilePort });
  env.HOSTILE_URL = hostile.url;
  return {
    env,
    peers,
    hostile,
    async stop() {
      await hostile.stop();
      await peers?.stop();
      await new Promise((r) => wallet.close(r));
    },
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const portArg = process.argv.indexOf('--port');
  const walletPort = portArg > 0 ? Number(process.argv[portArg + 1]) : 8080;
  const servers = await startServers({ walletPort, issuerPort: 7001, verifierPort: 7002, hostilePort: 7003 });
  console.log(`\nWallet:   ${servers.env.WALLET_URL}`);
  if (servers.env.ISSUER_URL) console.log(`Issuer:   ${servers.env.ISSUER_URL}   (issue a credential to the wallet)`);
  if (servers.env.VERIFIER_URL) console.log(`Verifier: ${servers.env.VERIFIER_URL}   (log in with the wallet)`);
  console.log(`Hostile:  ${servers.env.HOSTILE_URL}   (hostile peer for tests: GET /api/cases lists its cases)`);
  console.log('\nPress Ctrl+C to stop.');
  const stop = async () => { await servers.stop(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
