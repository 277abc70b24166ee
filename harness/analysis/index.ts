// The findings engine: rules over a stored run → rows in findings / finding_events.
// docs/findings.md documents every rule, its thresholds and how to tune them.
export {
  DEFAULT_LIMITS,
  loadRulesConfig,
  parseRulesConfig,
  type RuleLimits,
  resolveLimits,
} from './config.ts';
export { AnalysisContext, sdkLabel } from './context.ts';
export { analyzeRun, analyzeRunDetailed, compareFindings, readFindings, writeFindings } from './engine.ts';
export { FAMILY_SCENARIOS, RULE_SCENARIOS, rulesDeciding, scenariosOf } from './miit/rule-scenarios.ts';
export { MIIT_SCENARIOS, type MiitScenario, type MiitScenarioId } from './miit/scenarios.ts';
export { RULES } from './rules/index.ts';
export { activeSdks, attributeRunSdks, storeAttributor, storedSdkName } from './sdk-attribution.ts';
export {
  type AnalysisResult,
  type AnalyzeOptions,
  type Finding,
  type FindingDraft,
  RULE_IDS,
  type Rule,
  type RuleId,
} from './types.ts';
