// The scenario language: types, YAML and TypeScript front ends, loader.

export type { DurationInput, ExpectationInput, ScenarioInput, StepInput, TargetInput } from './dsl.ts';
export { assert, defineScenario, isBuiltScenario, scenario, step, toRaw } from './dsl.ts';
export { formatPath, ScenarioInputError } from './issues.ts';
export { loadScenario, SCENARIO_EXTENSIONS, validateScenarioFile } from './load.ts';
export { normalisePermission, RUNTIME_PERMISSIONS } from './permissions.ts';
export * from './types.ts';
export { validateScenario } from './validate.ts';
export { parseDuration, parseTargetShorthand } from './values.ts';
export { parseScenarioYaml } from './yaml.ts';
