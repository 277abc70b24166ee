// Captured CLI deps for tests that call runCli: output collects into strings instead of the
// process streams. The returned object is itself a CliDeps, so it can be passed to runCli as is.
import { join } from 'node:path';
import type { CliDeps } from '../../harness/cli/deps.ts';

export interface CaptureOptions {
  env?: NodeJS.ProcessEnv;
  /** Default database path; `<cwd>/overreach.db` unless given. */
  defaultDb?: string;
}

export interface CapturedDeps extends CliDeps {
  /** Everything written to stdout since creation or the last reset(). */
  out: () => string;
  /** Everything written to stderr since creation or the last reset(). */
  err: () => string;
  /** Forgets the captured output of one stream, or of both. */
  reset: (stream?: 'out' | 'err') => void;
}

export function captureDeps(cwd: string, opts: CaptureOptions = {}): CapturedDeps {
  let out = '';
  let err = '';
  return {
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      err += t;
    },
    cwd,
    env: opts.env ?? {},
    defaultDb: opts.defaultDb ?? join(cwd, 'overreach.db'),
    isTty: false,
    out: () => out,
    err: () => err,
    reset: (stream) => {
      if (stream !== 'err') out = '';
      if (stream !== 'out') err = '';
    },
  };
}
