// The sandbox peers' control APIs (see e2e/sandbox/README.md).
import { ISSUER_URL, VERIFIER_URL } from './env.mjs';

async function call(base, method, path, body) {
  const res = await fetch(base + path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

export const issuer = {
  offer: (options = {}) => call(ISSUER_URL, 'POST', '/api/offers', options),
  state: (id) => call(ISSUER_URL, 'GET', `/api/offers/${id}`),
  release: (id) => call(ISSUER_URL, 'POST', `/api/offers/${id}/release`),
  revoke: (id) => call(ISSUER_URL, 'POST', `/api/offers/${id}/revoke`),
  suspend: (id) => call(ISSUER_URL, 'POST', `/api/offers/${id}/suspend`),
  reinstate: (id) => call(ISSUER_URL, 'POST', `/api/offers/${id}/reinstate`),
  statusLists: () => call(ISSUER_URL, 'GET', '/api/status-lists'),
  tamperStatusLists: (tampered) => call(ISSUER_URL, 'POST', '/api/status-lists', { tampered }),
  setListedInRegistry: (listed) => call(ISSUER_URL, 'POST', '/api/tir', { listed }),
  info: () => call(ISSUER_URL, 'GET', '/api/issuer'),
  log: () => call(ISSUER_URL, 'GET', '/api/log'),
  clearLog: () => call(ISSUER_URL, 'DELETE', '/api/log'),
};

export const verifier = {
  request: (options = {}) => call(VERIFIER_URL, 'POST', '/api/requests', options),
  state: (id) => call(VERIFIER_URL, 'GET', `/api/requests/${id}`),
  info: () => call(VERIFIER_URL, 'GET', '/api/verifier'),
  log: () => call(VERIFIER_URL, 'GET', '/api/log'),
  clearLog: () => call(VERIFIER_URL, 'DELETE', '/api/log'),
};
