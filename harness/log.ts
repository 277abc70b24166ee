// A small leveled logger per package (Appium-driver style): `const log = createLog('store')`.
// Writes to stderr so command output on stdout stays machine-readable.

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

let threshold: LogLevel = (process.env['OVERREACH_LOG'] as LogLevel | undefined) ?? 'warn';
let sink: (line: string) => void = (line) => process.stderr.write(`${line}\n`);

export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

export function setLogSink(fn: (line: string) => void): void {
  sink = fn;
}

export interface Log {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export function createLog(name: string): Log {
  const emit = (level: LogLevel, msg: string) => {
    if (LOG_LEVELS.indexOf(level) < LOG_LEVELS.indexOf(threshold)) return;
    sink(`[${name}] ${level}: ${msg}`);
  };
  return {
    debug: (m) => emit('debug', m),
    info: (m) => emit('info', m),
    warn: (m) => emit('warn', m),
    error: (m) => emit('error', m),
  };
}
