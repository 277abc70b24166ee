// Compiles the harness CLI to JavaScript once (npm run build; also run by `npm ci` via prepare),
// so `overreach` starts without compiling TypeScript on every run:
//   dist/harness/main.js   entry (bin/overreach.js imports it)
//   dist/harness/sim-worker.js  a farm's simulated device process
//   dist/harness/*.js      one chunk per lazily imported command module and shared code
// npm packages (better-sqlite3, webdriverio …) stay external, except yaml and commander (below), and load from
// node_modules at run time. Source files that locate data via import.meta.url get the URL of
// their original .ts file (computed relative to the chunk), so data paths resolve as from source.

import { readFile } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const HARNESS_OUT = join(ROOT, 'dist', 'harness');

/** import.meta.url → the original source's URL, relative to wherever the chunk lives. */
const sourceUrlPlugin = (outdir) => ({
  name: 'source-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return { contents: text, loader: 'ts' };
      const rel = relative(outdir, args.path).split(sep).join('/');
      return {
        contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`),
        loader: 'ts',
      };
    });
  },
});

/**
 * The `yaml` package is bundled, not loaded from node_modules: its CommonJS build is some sixty
 * files whose resolving and compiling cost every YAML-reading command (analyze with a profile,
 * report, run) ~35 ms of CPU at start-up; bundled into one chunk, ~9 ms. Its built-ins
 * ('process', 'buffer') come through builtinsPlugin below.
 */
const bundleYamlPlugin = {
  name: 'bundle-yaml',
  setup(build) {
    const require = createRequire(import.meta.url);
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: require.resolve('yaml') }));
  },
};

/**
 * `commander` is bundled too: every command loads it, and from node_modules that is six
 * CommonJS files through Node's CJS loader and its ESM wrapper (~5 ms of each start-up).
 */
const bundleCommanderPlugin = {
  name: 'bundle-commander',
  setup(build) {
    const require = createRequire(import.meta.url);
    build.onResolve({ filter: /^commander$/ }, () => ({ path: require.resolve('commander') }));
  },
};

/**
 * Node built-ins come through the banner's real `require`, not ES-module imports. Node builds an
 * ES-module facade of a built-in by reading every export, which runs its lazy getters: `node:fs`
 * then loads fs/promises, readline and streams (~2 ms), `node:process` its report module (~5 ms,
 * yaml's), `node:crypto` all of webcrypto. Each import becomes a one-line CommonJS module
 * (`module.exports = require(…)`), whose exports esbuild reads at each use. commander's
 * child_process (~2.5 ms, only for executable subcommands, which we do not have) loads on its
 * first use.
 */
const builtinsPlugin = {
  name: 'builtins-by-require',
  setup(build) {
    const isBuiltin = (path) => builtinModules.includes(path.replace(/^node:/, ''));
    build.onResolve({ filter: /^(node:)?[a-z_/]+$/ }, (args) => {
      if (!isBuiltin(args.path)) return undefined;
      if (args.namespace === 'builtin') return { path: args.path, external: true };
      const lazy = /child_process$/.test(args.path) && args.importer.includes(`${sep}commander${sep}`);
      return { path: args.path, namespace: 'builtin', pluginData: { lazy } };
    });
    build.onLoad({ filter: /.*/, namespace: 'builtin' }, (args) => {
      const name = JSON.stringify(`node:${args.path.replace(/^node:/, '')}`);
      return {
        contents: args.pluginData?.lazy
          ? `let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require(${name}))[k] });`
          : `module.exports = require(${name});`,
        loader: 'js',
      };
    });
  },
};

/** esbuild options for the harness build (exported for tests). */
export function harnessOptions(outdir = HARNESS_OUT) {
  return {
    absWorkingDir: ROOT,
    entryPoints: {
      main: join(ROOT, 'harness', 'cli', 'main.ts'),
      // A farm's simulated devices each run in a child process (harness/farm/sim-processes.ts).
      'sim-worker': join(ROOT, 'harness', 'farm', 'sim-worker.ts'),
    },
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    charset: 'utf8',
    legalComments: 'none',
    sourcemap: false,
    logLevel: 'warning',
    // Chunks sit next to main.js: the source-url plugin computes paths from this one folder.
    chunkNames: '[name]-[hash]',
    // A CommonJS `require` for Node built-ins (builtinsPlugin; esbuild's __require uses it).
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    plugins: [builtinsPlugin, bundleYamlPlugin, bundleCommanderPlugin, sourceUrlPlugin(outdir)],
  };
}

export async function buildHarness(outdir = HARNESS_OUT) {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    // `npm ci --omit=dev` has no esbuild: bin/overreach.js then runs the sources through tsx.
    console.warn('build-harness: esbuild is not installed; the CLI will run from TypeScript sources');
    return false;
  }
  const { rmSync } = await import('node:fs');
  rmSync(outdir, { recursive: true, force: true });
  await esbuild.build(harnessOptions(outdir));
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildHarness().then(
    (built) => {
      if (built) console.log(`build-harness: wrote ${relative(ROOT, HARNESS_OUT)}/main.js`);
    },
    (err) => {
      console.error(`build-harness: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
