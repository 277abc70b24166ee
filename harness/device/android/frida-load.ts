// Lazy loading of the native `frida` package (an optional dependency: its install downloads a
// prebuilt binary, which fails offline). Nothing imports 'frida' statically, so the rest of the
// harness works without it; commands that need it get one clear EnvironmentError.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EnvironmentError, errorMessage } from '../../errors.ts';

export type FridaModule = typeof import('frida');

const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8')) as unknown;
}

/** The frida version this project pins (package.json optionalDependencies), e.g. "17.18.0". */
export function pinnedFridaVersion(root = PROJECT_ROOT): string {
  const pkg = readJson(`${root}package.json`) as { optionalDependencies?: Record<string, string> };
  const v = pkg.optionalDependencies?.['frida'];
  return v ? v.replace(/^[\^~=]/, '') : 'unknown';
}

/** The installed frida package's version, or undefined when it is not installed. */
export function installedFridaVersion(root = PROJECT_ROOT): string | undefined {
  const path = `${root}node_modules/frida/package.json`;
  if (!existsSync(path)) return undefined;
  return (readJson(path) as { version?: string }).version;
}

export function fridaMissingMessage(version = pinnedFridaVersion()): string {
  return `the 'frida' package is not installed: run \`npm install frida@${version}\` on a machine with internet (see README: Real devices)`;
}

export type Importer = (specifier: string) => Promise<unknown>;

const defaultImporter: Importer = (specifier) => import(specifier);

/**
 * Imports 'frida'. A missing package, or one whose native binding did not build (install script
 * blocked or offline), becomes an EnvironmentError with the install instruction.
 */
export async function loadFrida(importer: Importer = defaultImporter): Promise<FridaModule> {
  const spec = 'frida';
  let mod: unknown;
  try {
    mod = await importer(spec);
  } catch (err) {
    const msg = errorMessage(err);
    const missing = /Cannot find (package|module)|ERR_MODULE_NOT_FOUND/.test(msg);
    throw new EnvironmentError(
      missing ? fridaMissingMessage() : `${fridaMissingMessage()} (loading it failed: ${msg})`,
      { cause: err },
    );
  }
  // The ESM build has a default export holding the API; named exports exist too.
  const m = mod as { default?: FridaModule } & Partial<FridaModule>;
  const api = (m.getDevice ? m : m.default) as FridaModule | undefined;
  if (!api?.getDevice) throw new EnvironmentError(`${fridaMissingMessage()} (the module has no getDevice)`);
  return api;
}
