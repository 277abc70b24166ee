// Types of scripts/build-agent.mjs for TypeScript callers (tests, bench, harness/simulation).
export interface BundleSpec {
  entry: string;
  out: string;
  sim: boolean;
}
export const BUNDLES: readonly BundleSpec[];
export function bundleOptions(entry: string, outfile: string, sim: boolean): Record<string, unknown>;
/** Builds every bundle into `outDir` (default dist/); returns the files written. */
export function buildAgent(outDir?: string): Promise<string[]>;
