// Compiles the harness CLI to JavaScript once (npm run build; also run by `npm ci` via prepare),
// so `overreach` starts without compiling TypeScript on every run:
//   dist/harness/main.js        entry (bin/overreach.js imports it): picks the bundle argv needs
//   dist/harness/cmd-<name>.cjs the whole CLI with only command <name> registered (one file)
//   dist/harness/cmd-none.cjs   no command (--version); cmd-all.cjs every command (help, typos)
//   dist/harness/sim-worker.js  a farm's simulated device thread
// One CommonJS file per command, not ES-module chunks shared by the commands: `analyze` loaded
// some twenty chunks through Node's ES-module loader (resolve, read, compile and link each), which
// cost ~20–50 ms of CPU more than one file of the same code (bench/analysis-bench.ts). A process
// loads one bundle only, so no class or module state is ever split between two copies.
// npm packages (better-sqlite3, webdriverio …) stay external, except yaml and commander (below), and load from
// node_modules at run time. Source files that locate data via import.meta.url get the URL of
// their original .ts file (computed relative to the bundle), so data paths resolve as from source.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** The command names of harness/cli/registry.ts, in its order. */
export function commandNames() {
  const text = readFileSync(join(ROOT, 'harness', 'cli', 'registry.ts'), 'utf8');
  return [...text.matchAll(/^\s+\{ name: '([a-z]+)', load: /gm)].map((m) => m[1]);
}

/** registry.ts with only the entries of `keep` (all: every entry), so a bundle holds only them. */
const registryPlugin = (keep) => ({
  name: 'registry-subset',
  setup(build) {
    build.onLoad({ filter: /[\\/]harness[\\/]cli[\\/]registry\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const lines = text.split('\n').filter((line) => {
        const m = /^\s+\{ name: '([a-z]+)', load: /.exec(line);
        return !m || keep === 'all' || keep.includes(m[1]);
      });
      return { contents: lines.join('\n'), loader: 'ts' };
    });
  },
});

const common = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  charset: 'utf8',
  legalComments: 'none',
  sourcemap: false,
  logLevel: 'warning',
};

/** esbuild options of one command's bundle (`none`: no command; `all`: every one). */
export function bundleOptions(name, outdir = HARNESS_OUT) {
  const keep = name === 'all' ? 'all' : name === 'none' ? [] : [name];
  return {
    ...common,
    entryPoints: { [`cmd-${name}`]: join(ROOT, 'harness', 'cli', 'cli-main.ts') },
    outdir,
    outExtension: { '.js': '.cjs' },
    format: 'cjs',
    // import.meta in CommonJS: the bundle's own file (the source-url plugin builds on it).
    banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__import_meta_url', 'import.meta.dirname': '__dirname' },
    plugins: [
      registryPlugin(keep),
      builtinsPlugin,
      bundleYamlPlugin,
      bundleCommanderPlugin,
      sourceUrlPlugin(outdir),
    ],
  };
}

/** esbuild options of the farm's simulated-device thread (an ES module of its own). */
export function workerOptions(outdir = HARNESS_OUT) {
  return {
    ...common,
    entryPoints: { 'sim-worker': join(ROOT, 'harness', 'farm', 'sim-worker.ts') },
    outdir,
    format: 'esm',
    // A CommonJS `require` for Node built-ins (builtinsPlugin; esbuild's __require uses it).
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    plugins: [builtinsPlugin, bundleYamlPlugin, bundleCommanderPlugin, sourceUrlPlugin(outdir)],
  };
}

/**
 * dist/harness/main.js: main(argv) runs the bundle that registers what registry.ts's
 * commandsFor(argv) would load (test/cli-startup.test.ts checks they agree).
 */
function dispatcher(names) {
  return `// Generated by scripts/build-harness.mjs: runs the bundle argv needs (registry.ts commandsFor).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const COMMANDS = new Set(${JSON.stringify(names)});
const VERSION_FLAGS = new Set(['-V', '--version']);

/** The bundle for these arguments (argv without node and the script). */
export function bundleFor(args) {
  const first = args.find((a) => !a.startsWith('-'));
  if (first === undefined && args.length > 0 && args.every((a) => VERSION_FLAGS.has(a))) return 'cmd-none.cjs';
  return COMMANDS.has(first) ? \`cmd-\${first}.cjs\` : 'cmd-all.cjs';
}

export async function main(argv) {
  await require(\`./\${bundleFor(argv.slice(2))}\`).main(argv);
}
`;
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
  rmSync(outdir, { recursive: true, force: true });
  const names = commandNames();
  await Promise.all([
    ...[...names, 'none', 'all'].map((name) => esbuild.build(bundleOptions(name, outdir))),
    esbuild.build(workerOptions(outdir)),
  ]);
  writeFileSync(join(outdir, 'main.js'), dispatcher(names));
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
