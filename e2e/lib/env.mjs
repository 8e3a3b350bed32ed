// Where the servers started by e2e/run.mjs are.
export const WALLET_URL = process.env.WALLET_URL ?? 'http://127.0.0.1:8080';
export const ISSUER_URL = process.env.ISSUER_URL;
export const VERIFIER_URL = process.env.VERIFIER_URL;
export const HOSTILE_URL = process.env.HOSTILE_URL;
