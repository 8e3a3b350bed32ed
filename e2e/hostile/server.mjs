#!/usr/bin/env node
// A hostile issuer and verifier on loopback: every answer is chosen per case (e2e/hostile/cases/),
// under /case/<name>/… (and the RFC 8615 well-known forms /.well-known/<name>/case/<name>/…).
// It signs with keys it generates at start (lib/keys.mjs), answers CORS for the wallet's origin
// like the sandbox peers, and logs every request it receives, so that a test can assert that the
// wallet sent nothing after it refused.
//
//   import { startHostile } from './hostile/server.mjs';
//   const hostile = await startHostile({ walletOrigin: 'http://127.0.0.1:8080' });
//   hostile.url; hostile.log; await hostile.stop();
//
//   node e2e/hostile/server.mjs --wallet http://127.0.0.1:8080 [--port 7003]
//
// Control API: GET /api/cases (name, category, title, link of every case), GET /api/cases/<name>,
// GET /api/log[?since=<seq>], DELETE /api/log.
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { CASES } from './cases/index.mjs';
import { decode } from './lib/jose.mjs';
import { generateKeys } from './lib/keys.mjs';
import * as defaults from './lib/defaults.mjs';
import { reply, send } from './lib/reply.mjs';

const MAX_BODY = 1024 * 1024;

/** Which step of a protocol a path is, in the order the wallet may take them. */
export const STAGES = ['none', 'offer', 'metadata', 'token', 'nonce', 'credential', 'deferred', 'notification', 'request', 'did', 'response'];

export function stageOf(rest) {
  if (rest === 'offer') return 'offer';
  if (rest.includes('.well-known/')) return 'metadata';
  if (['token', 'nonce', 'credential', 'deferred', 'notification', 'response'].includes(rest)) return rest;
  if (rest.startsWith('request')) return 'request';
  if (rest.endsWith('did.json')) return 'did';
  if (rest.startsWith('pwned')) return 'beacon';
  return 'other';
}

export function isLoopback(host) {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** `/case/<name>/<rest>` or `/.well-known/<wk>/case/<name>[/<sub>]` → { name, rest }. */
function route(pathname) {
  let m = /^\/\.well-known\/([^/]+)\/case\/([^/]+)(?:\/(.*))?$/.exec(pathname);
  if (m) return { name: m[2], rest: `${m[3] ? `${m[3].replace(/\/$/, '')}/` : ''}.well-known/${m[1]}` };
  m = /^\/case\/([^/]+)\/?(.*)$/.exec(pathname);
  if (m) return { name: m[1], rest: m[2] };
  return null;
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_BODY) break;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(text, type = '') {
  if (!text) return {};
  try {
    if (type.includes('json')) return JSON.parse(text);
    if (type.includes('x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  } catch { /* a hostile peer keeps going */ }
  return { raw: text };
}

/** The holder did:key named by the proof in a credential request, if any. */
function holderOf(body) {
  const jwt = body?.proofs?.jwt?.[0] ?? body?.proof?.jwt;
  if (typeof jwt !== 'string') return undefined;
  try { return String(decode(jwt).header.kid ?? '').split('#')[0] || undefined; } catch { return undefined; }
}

export async function startHostile({ walletOrigin, host = '127.0.0.1', port = 0, cases = CASES, quiet = true } = {}) {
  const walletOrigins = [].concat(walletOrigin ?? []);
  if (walletOrigins.length === 0) throw new Error('startHostile needs walletOrigin');
  if (!isLoopback(host)) throw new Error(`the hostile peer listens on loopback only; '${host}' is not`);
  const keys = generateKeys();
  const byName = new Map(cases.map((c) => [c.name, c]));
  if (byName.size !== cases.length) throw new Error('two hostile cases share a name');
  const log = [];
  let seq = 0;
  let url;

  const contextOf = (c) => {
    const roleDefaults = c.role === 'verifier' ? defaults.verifier : defaults.issuer;
    const overrides = (c.role === 'verifier' ? c.verifier : c.issuer) ?? {};
    const ctx = {
      name: c.name,
      origin: url,
      base: `${url}/case/${c.name}`,
      wallet: walletOrigins[0],
      keys,
      enc: defaults.enc,
      ...defaults.signers(keys),
      /** The answer `what` of this case: its override (given the default's answer), else the default. */
      run(what, ...args) {
        const dflt = roleDefaults[what];
        const base = dflt ? dflt(ctx, ...args) : reply.status(404);
        return overrides[what] ? overrides[what](ctx, base, ...args) : base;
      },
    };
    return ctx;
  };

  const describe = (c, withLink = true) => {
    const ctx = contextOf(c);
    const about = { name: c.name, category: c.category, title: c.title, base: ctx.base };
    return withLink ? { ...about, link: c.link ? c.link(ctx) : ctx.run('link') } : about;
  };

  const server = http.createServer(async (req, res) => {
    const u = new URL(req.url, 'http://x');
    const origin = req.headers.origin;
    const cors = {};
    if (origin !== undefined && walletOrigins.includes(origin)) {
      Object.assign(cors, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Expose-Headers': 'WWW-Authenticate, DPoP-Nonce, Location, Content-Type',
        'Access-Control-Allow-Private-Network': 'true',
      });
    }
    cors.Vary = 'Origin';
    try {
      if (u.pathname.startsWith('/api/')) {
        if (req.method === 'GET' && u.pathname === '/api/log') {
          const since = Number(u.searchParams.get('since') ?? 0);
          return send(res, log.filter((e) => e.seq > since));
        }
        if (req.method === 'DELETE' && u.pathname === '/api/log') { log.length = 0; return send(res, { cleared: true }); }
        if (req.method === 'GET' && u.pathname === '/api/cases') return send(res, cases.map((c) => describe(c, false)));
        const m = /^\/api\/cases\/([^/]+)$/.exec(u.pathname);
        if (req.method === 'GET' && m && byName.has(m[1])) return send(res, describe(byName.get(m[1])));
        return send(res, reply.json({ error: 'not_found' }, 404));
      }
      const r = route(u.pathname);
      const entry = { seq: ++seq, at: Date.now(), method: req.method, path: u.pathname, case: r?.name, rest: r?.rest, stage: r ? stageOf(r.rest) : 'other', origin };
      log.push(entry);
      res.on('finish', () => { entry.status = res.statusCode; });
      if (req.method === 'OPTIONS') {
        if (!cors['Access-Control-Allow-Origin']) return send(res, reply.status(403), cors);
        return send(res, reply.status(204), {
          ...cors,
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers': 'Content-Type, Authorization, DPoP, Accept',
          'Access-Control-Max-Age': '0',
        });
      }
      const c = r && byName.get(r.name);
      if (!c) return send(res, reply.json({ error: 'no such case' }, 404), cors);
      const body = parseBody(await readBody(req), String(req.headers['content-type'] ?? ''));
      entry.bodyKeys = Object.keys(body);
      const ctx = contextOf(c);
      const request = { method: req.method, query: Object.fromEntries(u.searchParams), body, headers: req.headers, holder: holderOf(body) };
      const answer = await answerFor(ctx, c, r.rest, request);
      return send(res, answer, cors);
    } catch (e) {
      if (!quiet) console.error('hostile peer:', e);
      if (!res.headersSent) return send(res, reply.json({ error: 'server_error', error_description: String(e.message) }, 500), cors);
      res.destroy();
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const address = server.address();
  url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  return {
    url,
    log,
    keys,
    describe: (name) => describe(byName.get(name)),
    async stop() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function answerFor(ctx, c, rest, request) {
  if (c.routes?.[rest]) return c.routes[rest](ctx, request);
  const paths = {
    offer: 'offer',
    '.well-known/openid-credential-issuer': 'metadata',
    '.well-known/oauth-authorization-server': 'as',
    '.well-known/openid-configuration': 'oidc',
    token: 'token',
    nonce: 'nonce',
    credential: 'credential',
    deferred: 'deferred',
    notification: 'notification',
    request: 'request',
    response: 'response',
  };
  if (rest.startsWith('pwned')) return reply.status(204);
  const what = paths[rest];
  return what ? ctx.run(what, request) : reply.json({ error: 'not_found' }, 404);
}

function parseArgs(argv) {
  const out = { walletOrigin: [], port: 7003 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--wallet') out.walletOrigin.push(argv[++i]);
    else if (argv[i] === '--port') out.port = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (out.walletOrigin.length === 0) out.walletOrigin.push('http://127.0.0.1:8080');
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = parseArgs(process.argv.slice(2));
  const hostile = await startHostile({ ...args, quiet: false });
  console.log(`Hostile peer: ${hostile.url} (${CASES.length} cases; GET ${hostile.url}/api/cases lists them with their links)`);
  const stop = async () => { await hostile.stop(); process.exit(0); };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
