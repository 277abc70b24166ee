// Types for scripts/build-harness.mjs (imported by tests).
export const HARNESS_OUT: string;
export function harnessOptions(outdir?: string): Record<string, unknown>;
export function buildHarness(outdir?: string): Promise<boolean>;
