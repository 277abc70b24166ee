// The identity of a stored stack, `stacks.hash` (docs/schema.md): SHA-1, as 40 hex characters,
// of "J\n" (Java) or "N\n" (native) followed by the frames joined by '\n'. `merge` matches
// stacks across databases by it, so its meaning never changes; only how fast it is computed.
import { nodeCrypto } from '../util/node-crypto.ts';

/** What is hashed: the kind prefix and the frames' text. */
export function stackKey(text: string, native: boolean): string {
  return (native ? 'N\n' : 'J\n') + text;
}

let sha1Hex: ((key: string) => string) | undefined;

/** SHA-1 hex of `key` (stackKey): the value stored in `stacks.hash`. */
export function stackHash(key: string): string {
  if (!sha1Hex) {
    const crypto = nodeCrypto();
    // crypto.hash (Node ≥ 20.12) hashes a string in one call, without a Hash object per stack.
    const oneShot = typeof crypto.hash === 'function' ? crypto.hash : undefined;
    sha1Hex = oneShot
      ? (k) => oneShot('sha1', k, 'hex')
      : (k) => crypto.createHash('sha1').update(k).digest('hex');
  }
  return sha1Hex(key);
}
