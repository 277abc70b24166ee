// Findings: what the analysis concludes about a run, with bounded evidence (event ids).
import type Database from 'better-sqlite3';
import type { DataCategory } from '../../agent/protocol/messages.ts';
import type { PolicyPack } from '../knowledge/policy/types.ts';
import type { AppProfile } from '../profile/profile.ts';
import type { Expectation, Severity } from '../scenario/types.ts';
import type { RuleLimits } from './config.ts';
import type { AnalysisContext } from './context.ts';

export const RULE_IDS = [
  'access-before-consent',
  'beyond-necessary',
  'undeclared-collection',
  'background-access',
  'excessive-rate',
  'permission-bypass',
  'unused-dangerous-permission',
  'popup-harassment',
  'permission-rerequest',
  'install-inducement',
  'coverage-gap',
  // Judged from the scenario's `expect` list (harness/analysis/expectations.ts), not by a rule.
  'failed-expectation',
  'missing-privacy-switch',
  // The MIIT checklist rules (harness/analysis/miit/rule-scenarios.ts maps every rule).
  'consent-dialog',
  'refusal-exit',
  'rerequest-next-start',
  'premature-permission',
  'associated-start',
  'deceptive-download',
  'periodic-collection',
  'reward-for-identity',
  'undisclosed-personalisation',
  'transmission-before-consent',
  'undisclosed-recipient',
  // Last: reads the other rules' drafts.
  'finding-transmitted',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** A finding before it is stored. `sdk` null = the app itself or unattributed code. */
export interface FindingDraft {
  rule: RuleId;
  severity: Severity;
  category: DataCategory | null;
  sdk: string | null;
  /** One line: what happened. */
  title: string;
  /** Why it is a finding: what was accessed, when, in which phase/step, what was stated. */
  detail: string;
  /** The first `limits.evidence` event ids, in time order. */
  evidence: number[];
  /** How many events the finding covers in all (≥ evidence.length). */
  count: number;
  /** MIIT checklist scenario ids this finding violates, when narrower than its rule's list. */
  scenarios?: string[];
}

export interface Finding extends FindingDraft {
  /** `findings.id` once stored. */
  id: number;
  runId: number;
}

export interface AnalyzeOptions {
  profile?: AppProfile;
  pack?: PolicyPack;
  limits?: Partial<RuleLimits>;
  /** Declared manifest permissions when the run has no inspected APK (`runs.app_id` NULL). */
  permissions?: string[];
  /** Only these rules (default: all enabled ones). */
  only?: readonly RuleId[];
  /** The scenario's `expect` list: each failed one becomes a finding (failed-expectation …). */
  expectations?: readonly Expectation[];
  /** Scenario file lines of each expectation, for the findings' locations. */
  expectationLines?: readonly (number | null)[];
}

export interface RuleSkip {
  rule: RuleId;
  reason: string;
}

export interface AnalysisResult {
  findings: Finding[];
  /** Rules that could not run (no profile, no manifest permissions …) and why. */
  skipped: RuleSkip[];
  /** Milliseconds per rule, plus `total`. */
  timings: Record<string, number>;
}

/** A rule: data (id, default severity, summary) and one function over SQL queries. */
export interface Rule {
  id: RuleId;
  /** Default (highest) severity the rule assigns. */
  severity: Severity;
  summary: string;
  /** Returns drafts, or a string saying why the rule cannot judge this run. */
  run(ctx: AnalysisContext): FindingDraft[] | string;
}

export type Db = Database.Database;
