// The HTTP side shared by both peers: an Express app on a loopback-only server, CORS for the
// wallet's origin(s) (Credo sends no CORS headers), and an in-memory log of every request.
import express from 'express';
import http from 'node:http';

const ALLOWED_REQUEST_HEADERS = [
  'Content-Type', 'Authorization', 'DPoP', 'OAuth-Client-Attestation', 'OAuth-Client-Attestation-PoP', 'Accept',
];
const EXPOSED_HEADERS = ['WWW-Authenticate', 'DPoP-Nonce', 'Location', 'Content-Type'];
const MAX_LOG = 5000;
const MAX_TRACE_CHARS = 20000;

function clip(text) {
  if (typeof text !== 'string') return text;
  return text.length > MAX_TRACE_CHARS ? `${text.slice(0, MAX_TRACE_CHARS)}…[${text.length - MAX_TRACE_CHARS} more chars]` : text;
}

/**
 * @param {object} o
 * @param {string} o.name              'issuer' | 'verifier' (for messages)
 * @param {string} o.host              interface to listen on (loopback only)
 * @param {number} o.port              0 = any free port
 * @param {string[]} o.walletOrigins   origins that get CORS headers
 * @param {boolean} [o.traceBodies]    also keep request/response bodies and headers in the log
 */
export async function createPeerServer({ name, host, port, walletOrigins, traceBodies = false }) {
  if (!isLoopback(host)) throw new Error(`the ${name} listens on loopback only; '${host}' is not a loopback address`);
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const log = [];
  let seq = 0;

  // 1. request log (first, so even refused preflights are logged)
  app.use((req, res, next) => {
    const started = process.hrtime.bigint();
    const url = new URL(req.originalUrl, 'http://x');
    const entry = {
      seq: ++seq,
      time: new Date().toISOString(),
      method: req.method,
      path: url.pathname,
      query: url.search ? Object.fromEntries(url.searchParams) : undefined,
      origin: req.headers.origin,
    };
    if (traceBodies) {
      entry.requestHeaders = pickHeaders(req.headers, ['content-type', 'authorization', 'dpop', 'accept', 'origin']);
      const chunks = [];
      const write = res.write.bind(res);
      const end = res.end.bind(res);
      res.write = (chunk, ...rest) => { if (chunk) chunks.push(Buffer.from(chunk)); return write(chunk, ...rest); };
      res.end = (chunk, ...rest) => {
        if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk));
        entry.responseBody = clip(Buffer.concat(chunks).toString('utf8'));
        return end(chunk, ...rest);
      };
    }
    res.on('finish', () => {
      entry.status = res.statusCode;
      entry.ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (traceBodies) {
        entry.responseHeaders = pickHeaders(res.getHeaders(), ['content-type', 'www-authenticate', 'location', 'cache-control']);
        // Express body parsers (Credo's own, inside its routers) put the parsed body on req.
        if (req.body !== undefined && !(typeof req.body === 'object' && Object.keys(req.body).length === 0)) {
          entry.requestBody = typeof req.body === 'string' ? clip(req.body) : req.body;
        }
      }
    });
    log.push(entry);
    if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG);
    next();
  });

  // 2. CORS for the wallet (including Private Network Access preflights)
  app.use((req, res, next) => {
    const origin = req.headers.origin;
    const allowed = origin !== undefined && walletOrigins.includes(origin);
    if (allowed) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS.join(', '));
      res.setHeader('Access-Control-Allow-Private-Network', 'true');
    }
    res.append('Vary', 'Origin');
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
      if (!allowed) {
        res.status(403).type('text/plain').send(`CORS: origin ${origin ?? '(none)'} is not the wallet origin (${walletOrigins.join(', ')})`);
        return;
      }
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
      res.setHeader('Access-Control-Allow-Headers', ALLOWED_REQUEST_HEADERS.join(', '));
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  });

  const server = http.createServer(app);
  await new Promise((resolve, reject) => {
    server.once('error', (e) => reject(new Error(`the ${name} cannot listen on ${host}:${port}: ${e.message}`)));
    server.listen(port, host, resolve);
  });
  const address = server.address();
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostForUrl}:${address.port}`;

  return {
    app,
    server,
    url,
    port: address.port,
    log,
    /** Mounts GET/DELETE /api/log. Call after the other routes are set up or before: order does not matter. */
    mountLogApi() {
      app.get('/api/log', (_req, res) => res.json(log));
      app.delete('/api/log', (_req, res) => { const n = log.length; log.length = 0; res.json({ cleared: n }); });
    },
    async close() {
      server.closeAllConnections?.();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export function isLoopback(host) {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function pickHeaders(headers, names) {
  const out = {};
  for (const n of names) if (headers[n] !== undefined) out[n] = String(headers[n]);
  return Object.keys(out).length ? out : undefined;
}

/** Sends a JSON error the way the control API does everywhere. */
export function sendError(res, status, error, description) {
  res.status(status).json({ error, error_description: description });
}

/** Minimal HTML escaping for the human pages. */
export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

/** Wraps an async Express handler so that a thrown error becomes a JSON 500 (or the error's own status). */
export function asyncRoute(handler) {
  return (req, res, next) => {
    Promise.resolve(handler(req, res, next)).catch((error) => {
      if (res.headersSent) { next(error); return; }
      const status = error.status ?? 500;
      sendError(res, status, error.code ?? (status === 500 ? 'server_error' : 'invalid_request'), error.message);
    });
  };
}

export class HttpError extends Error {
  constructor(status, code, message) { super(message); this.status = status; this.code = code; }
}
