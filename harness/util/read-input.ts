import { readFileSync } from 'node:fs';
import { InputError } from '../errors.ts';

/** Reads a user's input file as UTF-8; a missing or unreadable file is a one-line InputError. */
export function readInputFile(path: string, displayName = path): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError(`${displayName}: cannot read (${code})`, { cause: err });
  }
}
