// valueHash = first 16 hex chars of SHA-256(salt + value). Apps read the same identifier over
// and over, so a small cache keeps hashing off the hot path.
const CACHE_MAX = 4096;
const cache = new Map<string, string>();
let cacheSalt = '';

export function valueHash(salt: string, value: string): string {
  if (salt !== cacheSalt) {
    cache.clear();
    cacheSalt = salt;
  }
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  const digest = Checksum.compute('sha256', salt + value).slice(0, 16);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(value, digest);
  return digest;
}
