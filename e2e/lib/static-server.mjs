// Serves the wallet's release bundle (dist/) the way a production host should: single-page
// fallback to index.html, precompressed brotli/gzip when the browser accepts it, long caching
// for hashed files, and the security headers of docs/SECURITY.md.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.json': 'application/json', '.webmanifest': 'application/manifest+json', '.ico': 'image/x-icon',
};

// Links into the wallet carry one-time codes (credential offers, request URIs): never leak them
// in a Referer, and never let another site frame the wallet.
export const SECURITY_HEADERS = {
  'Content-Security-Policy': [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' data: https: http://127.0.0.1:* http://localhost:*",
    "connect-src 'self' https: http://127.0.0.1:* http://localhost:*",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(self), microphone=(), geolocation=()',
};

const compressed = new Map();
function encodeOnce(file, encoding) {
  const key = `${file}\0${encoding}`;
  if (!compressed.has(key)) {
    const raw = fs.readFileSync(file);
    compressed.set(key, encoding === 'br'
      ? zlib.brotliCompressSync(raw, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } })
      : zlib.gzipSync(raw, { level: 9 }));
  }
  return compressed.get(key);
}

export function createStaticServer(root, { extraHeaders = {}, onRequest } = {}) {
  const rootDir = path.resolve(root);
  return http.createServer((req, res) => {
    onRequest?.(req);
    const url = new URL(req.url, 'http://localhost');
    let file = path.join(rootDir, path.normalize(decodeURIComponent(url.pathname)));
    if (!file.startsWith(rootDir)) { res.writeHead(400).end(); return; }
    let isFallback = false;
    if (!fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      file = path.join(rootDir, 'index.html');
      isFallback = true;
    }
    const ext = path.extname(file);
    const headers = { ...SECURITY_HEADERS, ...extraHeaders, 'Content-Type': TYPES[ext] ?? 'application/octet-stream', Vary: 'Accept-Encoding' };
    const hashed = /-[0-9a-f]{16}(_bg)?\.(js|wasm|css)$/.test(file);
    if (path.basename(file) === 'sw.js') headers['Service-Worker-Allowed'] = '/';
    headers['Cache-Control'] = hashed ? 'public, max-age=31536000, immutable' : 'no-cache';
    const accept = String(req.headers['accept-encoding'] ?? '');
    let body;
    if (/\.(js|wasm|css|html|svg|json|webmanifest)$/.test(file) && /\bbr\b/.test(accept)) {
      body = encodeOnce(file, 'br'); headers['Content-Encoding'] = 'br';
    } else if (/\.(js|wasm|css|html|svg|json|webmanifest)$/.test(file) && /\bgzip\b/.test(accept)) {
      body = encodeOnce(file, 'gzip'); headers['Content-Encoding'] = 'gzip';
    } else {
      body = fs.readFileSync(file);
    }
    headers['Content-Length'] = body.length;
    res.writeHead(isFallback && url.pathname.includes('.') ? 404 : 200, headers);
    res.end(req.method === 'HEAD' ? undefined : body);
  });
}
