// Trunk post-build hook: moves Trunk's inline start-up script into a hashed file, so the wallet
// runs under a Content-Security-Policy without 'unsafe-inline' (script-src 'self').
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) throw new Error('TRUNK_STAGING_DIR is not set (run as a Trunk hook)');
const indexPath = path.join(dir, 'index.html');
let html = fs.readFileSync(indexPath, 'utf8');
const inline = /<script type="module">([\s\S]*?)<\/script>/g;
let count = 0;
html = html.replace(inline, (_, code) => {
  count += 1;
  const body = code.replace(/^\s*window\.wasmBindings = bindings;\s*$/m, '').trim() + '\n';
  const hash = crypto.createHash('sha256').update(body).digest('hex').slice(0, 16);
  const name = `boot-${hash}.js`;
  fs.writeFileSync(path.join(dir, name), body);
  const sri = 'sha384-' + crypto.createHash('sha384').update(body).digest('base64');
  return `<script type="module" src="/${name}" integrity="${sri}" crossorigin="anonymous"></script>`;
});
if (count !== 1) throw new Error(`expected one inline start-up script in index.html, found ${count}`);
fs.writeFileSync(indexPath, html);
