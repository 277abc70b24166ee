// Bundles the Frida agent with esbuild (npm run build:agent; also run by `npm ci` via prepare):
//   dist/agent.js          the real agent (frida-java-bridge)
//   dist/agent-sim.js      the same source, frida-java-bridge aliased to the simulated bridge
//   dist/agent-sim-test.js the simulated agent with a host-supplied catalog (tests only)
// Output is deterministic: no timestamps, no absolute paths, same input → identical bytes.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SIM_BRIDGE = join(ROOT, 'harness', 'simulation', 'runtime', 'bridge-entry.ts');

/** esbuild options for one bundle (exported for tests). */
export function bundleOptions(entry, outfile, sim) {
  return {
    absWorkingDir: ROOT,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    charset: 'utf8',
    legalComments: 'none',
    sourcemap: false,
    logLevel: 'warning',
    // frida-java-bridge's mkdex uses Node's Buffer: bundle the `buffer` package for it.
    alias: sim ? { 'frida-java-bridge': SIM_BRIDGE } : { buffer: 'buffer/' },
    define: { 'process.env.NODE_ENV': '"production"' },
  };
}

export const BUNDLES = [
  { entry: 'agent/index.ts', out: 'dist/agent.js', sim: false },
  { entry: 'agent/index.ts', out: 'dist/agent-sim.js', sim: true },
  { entry: 'agent/runtime/test-entry.ts', out: 'dist/agent-sim-test.js', sim: true },
];

export async function buildAgent(outDir = join(ROOT, 'dist')) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    // `npm ci --omit=dev` has no esbuild: the harness then runs without a bundled agent.
    console.warn('build-agent: esbuild is not installed; skipping the agent bundle');
    return [];
  }
  mkdirSync(outDir, { recursive: true });
  const written = [];
  for (const b of BUNDLES) {
    const outfile = join(outDir, b.out.replace(/^dist\//, ''));
    await esbuild.build(bundleOptions(join(ROOT, b.entry), outfile, b.sim));
    written.push(outfile);
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outIdx = process.argv.indexOf('--out');
  const outDir = outIdx > 0 ? process.argv[outIdx + 1] : undefined;
  buildAgent(outDir).then(
    (files) => {
      for (const f of files) console.log(`build-agent: wrote ${f}`);
    },
    (err) => {
      console.error(`build-agent: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
