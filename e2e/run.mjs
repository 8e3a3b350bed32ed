// Runs the end-to-end tests: serves the release bundle (dist/) and the sandbox peers on
// loopback, then runs every e2e/tests/*.test.mjs with Node's test runner.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServers } from './serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
if (!fs.existsSync(path.join(here, '..', 'dist', 'index.html'))) {
  console.error('dist/ is missing: run `trunk build --release` first (scripts/test does).');
  process.exit(2);
}
const only = process.argv.slice(2);
const files = fs.readdirSync(path.join(here, 'tests'))
  .filter((f) => f.endsWith('.test.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .map((f) => path.join(here, 'tests', f));

const servers = await startServers({ walletPort: 0, quiet: true });
const env = { ...process.env, ...servers.env };
// --test-timeout is per file (the hostile suite takes minutes): a hung file fails instead of
// hanging CI, and --test-force-exit ends a file whose failed test left a browser open.
const code = await new Promise((resolve) => {
  const child = spawn(process.execPath, ['--test', '--test-concurrency=1', '--test-force-exit', '--test-timeout=900000', '--test-reporter=spec', ...files], { stdio: 'inherit', env });
  child.on('exit', (c) => resolve(c ?? 1));
});
await servers.stop();
process.exit(code);
