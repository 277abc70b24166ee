// The value-hash salt, one per database so hashes compare across its runs. It lives in a
// sidecar file (`<db>.salt`, mode 0600) rather than in the database, so sharing a trace does
// not hand out the salt needed to brute-force short identifiers.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

let memorySalt: string | undefined;

export function hashSaltFor(dbPath: string): string {
  if (dbPath === ':memory:' || dbPath === '') {
    memorySalt ??= randomBytes(16).toString('hex');
    return memorySalt;
  }
  const file = `${dbPath}.salt`;
  if (existsSync(file)) {
    const s = readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{16,}$/.test(s)) return s;
  }
  const salt = randomBytes(16).toString('hex');
  writeFileSync(file, `${salt}\n`, { mode: 0o600 });
  return salt;
}
