// What a command needs from the outside world. Tests pass captured output and an in-memory
// database path; main.ts passes the real process streams.

export interface CliDeps {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Default database path when --db is not given. */
  defaultDb: string;
  /** Whether stdout is an interactive terminal (live progress vs. plain lines). */
  isTty: boolean;
}

/** Set once the reader of stdout went away (`overreach … | head`): the rest is dropped quietly. */
let stdoutClosed = false;
let watching = false;

function watchStdout(): void {
  if (watching) return;
  watching = true;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') {
      stdoutClosed = true;
      return;
    }
    throw err;
  });
}

export function processDeps(): CliDeps {
  watchStdout();
  return {
    stdout: (t) => {
      if (!stdoutClosed) process.stdout.write(t);
    },
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
    defaultDb: process.env['OVERREACH_DB'] ?? 'overreach.db',
    isTty: Boolean(process.stdout.isTTY),
  };
}
