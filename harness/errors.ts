// Typed errors: the CLI prints `message` on one line and sets a non-zero exit code.
// `cause` keeps the underlying error for --verbose and logs.

export class OverreachError extends Error {
  override readonly name: string = 'OverreachError';
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Bad input from a user file: scenario, APK, profile, trace, SQL. Names the file and place. */
export class InputError extends OverreachError {
  override readonly name = 'InputError';
  override readonly exitCode = 2;
}

/** The trace store refused an operation (newer schema, write in a read-only query …). */
export class StoreError extends OverreachError {
  override readonly name = 'StoreError';
}

/** A device, adb, frida-server or Appium failed. */
export class DeviceError extends OverreachError {
  override readonly name = 'DeviceError';
}

/** Something a user must install or configure first (frida package, adb, chromium …). */
export class EnvironmentError extends OverreachError {
  override readonly name = 'EnvironmentError';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The user stopped the command (Ctrl-C): exit 130, as a shell reports SIGINT. */
export class InterruptedError extends OverreachError {
  override readonly name = 'InterruptedError';
  override readonly exitCode = 130;
}

/** A `--fail-on` threshold was reached or an `expect` failed: CI fails the build (exit 3). */
export class ThresholdError extends OverreachError {
  override readonly name: string = 'ThresholdError';
  override readonly exitCode = 3;
}
