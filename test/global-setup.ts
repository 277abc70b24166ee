// One temporary root per test run: every test file's mkdtemp (and the agent bundles each worker
// builds) lands under it, and it is removed when the run ends. Workers are forked processes that
// vitest stops with a signal, so their own exit hooks cannot be relied on to clean up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'overreach-tests-'));
  // Forks inherit the environment at spawn, after this runs; os.tmpdir() reads TMPDIR.
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
