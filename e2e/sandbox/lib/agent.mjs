// Builds a Credo 0.6.3 agent for Node without @credo-ts/node (which has no 0.6 release): we supply
// the agent dependencies ourselves and keep the Askar store (SQLite) in a fresh temporary directory.
//
// Askar must be imported before any @credo-ts module, or Credo finds no Askar registered.
import askarNodeJs from '@openwallet-foundation/askar-nodejs';
import { AskarModule } from '@credo-ts/askar';
import { Agent, ConsoleLogger, LogLevel } from '@credo-ts/core';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const { askar } = askarNodeJs;

/** A file system for Credo rooted in one directory (Credo's FileSystem interface). */
function fileSystemClass(root) {
  return class SandboxFileSystem {
    constructor() {
      this.dataPath = path.join(root, 'data');
      this.cachePath = path.join(root, 'cache');
      this.tempPath = path.join(root, 'tmp');
    }
    async exists(p) { try { await fsp.access(p); return true; } catch { return false; } }
    async createDirectory(p) { await fsp.mkdir(path.dirname(p), { recursive: true }); }
    async copyFile(from, to) { await fsp.copyFile(from, to); }
    async write(p, data) { await fsp.mkdir(path.dirname(p), { recursive: true }); await fsp.writeFile(p, data, 'utf8'); }
    async read(p) { return fsp.readFile(p, 'utf8'); }
    async delete(p) { await fsp.rm(p, { recursive: true, force: true }); }
    async downloadToFile(url) { throw new Error(`the sandbox agents download nothing (asked for ${url})`); }
  };
}

/** Node 20 has no global WebSocket; the sandbox agents use no DIDComm, so none is needed. */
class NoWebSocket {
  constructor() { throw new Error('WebSocket transport is not available in the sandbox agents'); }
}

/**
 * Creates and initialises an agent.
 * @param {object} o
 * @param {string} o.name       label, used for the temp dir and the Askar store id
 * @param {object} o.modules    Credo modules besides Askar
 * @param {boolean} [o.quiet]   no Credo log output at all
 * @returns {Promise<{agent: Agent, dir: string, shutdown: () => Promise<void>}>}
 */
export async function createAgent({ name, modules, quiet = false }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `credo-sandbox-${name}-`));
  const agent = new Agent({
    config: {
      // Loopback peers speak http://; Credo refuses http URLs without this (sets a process-wide flag).
      allowInsecureHttpUrls: true,
      logger: new ConsoleLogger(quiet ? LogLevel.off : (process.env.CREDO_LOG_LEVEL ? LogLevel[process.env.CREDO_LOG_LEVEL] : LogLevel.warn)),
    },
    dependencies: {
      FileSystem: fileSystemClass(dir),
      EventEmitterClass: EventEmitter,
      fetch: globalThis.fetch,
      WebSocketClass: NoWebSocket,
    },
    modules: {
      askar: new AskarModule({
        askar,
        store: {
          id: `sandbox-${name}`,
          // A raw key skips Argon2 (about a second per store): the store is throw-away anyway.
          key: askar.storeGenerateRawKey({}),
          keyDerivationMethod: 'raw',
          database: { type: 'sqlite', config: { path: path.join(dir, 'askar.sqlite') } },
        },
      }),
      ...modules,
    },
  });
  await agent.initialize();
  return {
    agent,
    dir,
    async shutdown() {
      try { await agent.shutdown(); } finally { fs.rmSync(dir, { recursive: true, force: true }); }
    },
  };
}

/** Creates a did:key for a fresh P-256 key; returns the DID, its verification method id and key id. */
export async function createP256DidKey(agent) {
  const result = await agent.dids.create({ method: 'key', options: { createKey: { type: { kty: 'EC', crv: 'P-256' } } } });
  const state = result.didState;
  if (state.state !== 'finished') throw new Error(`did:key creation failed: ${state.reason ?? JSON.stringify(state)}`);
  const vm = state.didDocument.verificationMethod?.[0];
  if (!vm) throw new Error('did:key document has no verification method');
  return { did: state.did, verificationMethodId: vm.id };
}
