// node:crypto, loaded at its first use: importing it costs ~4–5 ms of start-up (its ES-module
// facade and the crypto internals it pulls in), and `analyze`, `report` and `query` on an
// existing database never hash.
import { createRequire } from 'node:module';

type NodeCrypto = typeof import('node:crypto');

let loaded: NodeCrypto | undefined;

export function nodeCrypto(): NodeCrypto {
  loaded ??= createRequire(import.meta.url)('node:crypto') as NodeCrypto;
  return loaded;
}
