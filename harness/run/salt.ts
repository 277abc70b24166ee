// The value-hash salt, one per database so hashes compare across its runs. It lives in a
// sidecar file (`<db>.salt`, mode 0600) rather than in the database, so sharing a trace does
// not hand out the salt needed to brute-force short identifiers. A lab with several hosts sets
// one salt everywhere (OVERREACH_HASH_SALT), so `merge` can compare their hashes; each run
// records only the salt's id (a hash of it), which `merge` checks.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { InputError } from '../errors.ts';

export const SALT_ENV = 'OVERREACH_HASH_SALT';
const SALT_RE = /^[0-9a-f]{16,}$/;

let memorySalt: string | undefined;

export function hashSaltFor(dbPath: string, env: NodeJS.ProcessEnv = process.env): string {
  const lab = env[SALT_ENV]?.trim();
  if (lab !== undefined && lab !== '') {
    if (!SALT_RE.test(lab)) throw new InputError(`${SALT_ENV}: expected at least 16 lower-case hex digits`);
    return lab;
  }
  if (dbPath === ':memory:' || dbPath === '') {
    memorySalt ??= randomBytes(16).toString('hex');
    return memorySalt;
  }
  const existing = readSaltFile(dbPath);
  if (existing) return existing;
  const salt = randomBytes(16).toString('hex');
  writeFileSync(`${dbPath}.salt`, `${salt}\n`, { mode: 0o600 });
  return salt;
}

/** The salt in `<db>.salt`, or undefined. */
export function readSaltFile(dbPath: string): string | undefined {
  const file = `${dbPath}.salt`;
  if (!existsSync(file)) return undefined;
  const s = readFileSync(file, 'utf8').trim();
  return SALT_RE.test(s) ? s : undefined;
}

/** A public id of a salt (recorded with each run): equal ids = comparable hashes. */
export function saltId(salt: string): string {
  return createHash('sha256').update(`overreach-salt-id\n${salt}`).digest('hex').slice(0, 16);
}
