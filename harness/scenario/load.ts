// Loading a scenario file: `.yaml`/`.yml` (parsed and validated here) or `.ts`/`.mts`/`.js`
// (imported; its default export is a built Scenario or a builder). Relative app paths (apk,
// profile, model) are resolved against the scenario file's folder in both cases.
import { readFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { errorMessage, InputError } from '../errors.ts';
import { createLog } from '../log.ts';
import { isBuiltScenario, isScenarioBuilder } from './dsl.ts';
import { ScenarioInputError } from './issues.ts';
import type { Scenario } from './types.ts';
import { parseScenarioYaml } from './yaml.ts';

const log = createLog('scenario');

export const SCENARIO_EXTENSIONS = ['.yaml', '.yml', '.ts', '.mts', '.js', '.mjs'] as const;

/** Loads, validates and normalises a scenario file; throws ScenarioInputError (an InputError). */
export async function loadScenario(path: string): Promise<Scenario> {
  const ext = extname(path).toLowerCase();
  let scenario: Scenario;
  if (ext === '.yaml' || ext === '.yml') {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new InputError(`${path}: cannot read scenario: ${errorMessage(err)}`, { cause: err });
    }
    scenario = parseScenarioYaml(text, path);
  } else if ((SCENARIO_EXTENSIONS as readonly string[]).includes(ext)) {
    scenario = await importScenario(path);
  } else {
    throw new InputError(`${path}: expected a scenario file ending in ${SCENARIO_EXTENSIONS.join(', ')}`);
  }
  log.debug(`loaded ${path}: ${scenario.steps.length} steps`);
  return resolvePaths(scenario, dirname(resolve(path)));
}

async function importScenario(path: string): Promise<Scenario> {
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
  } catch (err) {
    // build() at module top level threw: keep the list, name the file
    if (err instanceof ScenarioInputError)
      throw new ScenarioInputError(err.errors.map((e) => `${path}: ${e}`));
    throw new InputError(`${path}: cannot load scenario module: ${errorMessage(err)}`, { cause: err });
  }
  const value = mod.default;
  if (isBuiltScenario(value)) return value;
  if (isScenarioBuilder(value)) return value.build(path);
  throw new InputError(
    `${path}: expected the default export to be a scenario (scenario({...})...build() or defineScenario({...}))`,
  );
}

function resolvePaths(s: Scenario, dir: string): Scenario {
  const abs = (p: string | undefined) => (p === undefined || isAbsolute(p) ? p : resolve(dir, p));
  const app = { ...s.app };
  for (const k of ['apk', 'profile', 'model'] as const) {
    const p = abs(app[k]);
    if (p !== undefined) app[k] = p;
  }
  const steps = s.steps.map((st) =>
    st.kind === 'install' && st.apk !== undefined ? { ...st, apk: abs(st.apk)! } : st,
  );
  return { ...s, app, steps };
}

/** For `overreach scenario check`: the scenario, or every problem as one line each. */
export async function validateScenarioFile(
  path: string,
): Promise<{ ok: true; scenario: Scenario } | { ok: false; errors: string[] }> {
  try {
    return { ok: true, scenario: await loadScenario(path) };
  } catch (err) {
    if (err instanceof ScenarioInputError) return { ok: false, errors: err.errors };
    if (err instanceof InputError) return { ok: false, errors: [err.message] };
    throw err;
  }
}
