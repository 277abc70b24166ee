// The report model: everything a renderer shows, built once from SQL (model.ts). Keys are
// stable (the JSON format is this object); times are ms since the epoch.
import type { TransmissionsSection } from './model-transmissions.ts';

export interface RunInfo {
  id: number;
  package: string;
  appLabel: string | null;
  versionName: string | null;
  versionCode: number | null;
  device: string;
  scenario: string;
  status: string;
  statusReason: string | null;
  startedAt: number;
  endedAt: number | null;
  toolVersion: string;
  agentVersion: string | null;
  processes: { pid: number; name: string; apiLevel: number | null }[];
  eventsDropped: number;
  batchesLost: number;
}

export interface Totals {
  events: number;
  firstEventAt: number | null;
  lastEventAt: number | null;
  categories: number;
  apis: number;
  findings: number;
  /** Findings per severity (every severity present, 0 when none). */
  bySeverity: Record<string, number>;
}

export interface StepInfo {
  id: number;
  idx: number;
  kind: string;
  label: string;
  phase: string | null;
  startedAt: number;
  endedAt: number | null;
  outcome: string;
  detail: string | null;
  events: number;
  /** category → accesses within this step. */
  categories: Record<string, number>;
}

export interface PhaseInfo {
  phase: string;
  events: number;
  firstAt: number;
  lastAt: number;
  categories: Record<string, number>;
}

export interface PhaseBand {
  phase: string;
  start: number;
  end: number;
}

export interface Timeline {
  start: number;
  end: number;
  bucketMs: number;
  buckets: number;
  /** Categories (rows), busiest first. */
  categories: string[];
  /** category → counts per bucket (length `buckets`). */
  counts: Record<string, number[]>;
  maxCount: number;
  phases: PhaseBand[];
  /** Spans in which the app was in the background (shaded on the chart). */
  background: { start: number; end: number }[];
  steps: { idx: number; label: string; at: number; end: number | null; outcome: string }[];
}

export interface StackInfo {
  id: number;
  frames: string[];
  native: boolean;
  sdk: string | null;
}

export interface EvidenceEvent {
  id: number;
  time: number;
  process: string;
  thread: string;
  hook: string;
  api: string;
  category: string;
  phase: string;
  foreground: boolean;
  step: number | null;
  stepLabel: string | null;
  sdk: string | null;
  args: string | null;
  result: string | null;
  valueHash: string | null;
  /** Only with `raw: true`; otherwise always null. */
  raw: string | null;
  stackId: number | null;
}

export interface FindingInfo {
  id: number;
  rule: string;
  severity: string;
  category: string | null;
  sdk: string | null;
  title: string;
  detail: string;
  /** Events behind the finding in all (evidence is the first few). */
  count: number;
  evidence: EvidenceEvent[];
  /** MIIT 164 checklist scenario ids (the legal basis). */
  scenarios: string[];
  /** The screen when the finding began (UI snapshot nearest before its first evidence). */
  ui: UiMoment | null;
  /** The screenshot step nearest in time to the first evidence event (file as recorded). */
  screenshot: { file: string; time: number } | null;
}

export interface UiMoment {
  time: number;
  /** consent | tap | screen, or popup when only the app's notifications/toasts/dialogs are known */
  kind: string;
  /** Text of the element the runner tapped then, if any. */
  target: string | null;
  /** The popups shown just before (`notification title="…"`), then the texts on screen (app strings), checkboxes as "[x] …". */
  texts: string[];
}

export type ChecklistStatus = 'violated' | 'not-observed' | 'not-tested' | 'person';

export interface ChecklistRow {
  id: string;
  zh: string;
  en: string;
  person: boolean;
  status: ChecklistStatus;
  /** Rules that decide it (for a person: rules whose findings give evidence). */
  rules: string[];
  /** Findings (ids) that violate it, or for a person the supporting ones. */
  findings: number[];
  /** Why not tested, what judged it, or what the report gives a person. */
  note: string;
}

export interface DeclaredUsedRow {
  category: string;
  /** Permissions that guard the category (empty = none needed). */
  permissions: string[];
  /** Which of them the manifest declares; null when the manifest is unknown. */
  declaredPermissions: string[] | null;
  /** Whether the privacy policy declares it; null when no profile was given. */
  inPolicy: boolean | null;
  accesses: number;
  verdict: 'used-declared' | 'used-undeclared' | 'used-no-permission' | 'declared-unused' | 'unknown';
}

export interface SdkRow {
  /** Attributed SDK id, `app`, `third-party:…`, or null (unattributed). */
  sdk: string | null;
  name: string;
  vendor: string | null;
  kind: string | null;
  total: number;
  categories: Record<string, number>;
}

export interface HookCoverage {
  counts: Record<string, number>;
  /** Hooks not installed (bounded list), with the process and why. */
  problems: { process: string; hook: string; state: string; detail: string | null }[];
  problemsTotal: number;
}

export interface AppOpsRow {
  op: string;
  before: { mode: string | null; lastAccess: string | null } | null;
  after: { mode: string | null; lastAccess: string | null } | null;
  changed: boolean;
}

export interface LogLine {
  time: number;
  source: string;
  what: string;
  detail: string;
}

export interface ApiCount {
  hook: string;
  api: string;
  category: string;
  accesses: number;
}

export interface ExpectationInfo {
  label: string;
  /** ok, failed, skipped or inconclusive (the agent never loaded). */
  outcome: string;
  detail: string | null;
}

export interface RunSources {
  /** The scenario file as it was given to `run` / the farm plan (may be relative). */
  scenarioFile: string | null;
  /** Run step index → scenario line. */
  stepLines: Record<string, number | null>;
  /** Expectation index → scenario line. */
  expectLines: (number | null)[];
  /** The APK whose manifest is the app's, when known. */
  apk: string | null;
  /** The trace file an ingested run came from. */
  ingestedFrom: string | null;
}

/** Bundled vs ran (harness/analysis/bundled-vs-ran.ts): what the app could call, per SDK, and what ran. */
export type { BundledApi, BundledSdk, BundledVsRan } from '../harness/analysis/bundled-vs-ran.ts';

import type { BundledVsRan } from '../harness/analysis/bundled-vs-ran.ts';

export interface ReportModel {
  schema: 'overreach-report/1';
  generatedAt: number;
  raw: boolean;
  run: RunInfo;
  /** ms since the epoch every "+12.3 s" in the report (and in the findings' texts) counts from. */
  origin: number;
  /** The analysis context stored with the run (file names), and later overrides. */
  context: {
    profile: string | null;
    pack: string | null;
    rules: string | null;
    apk: string | null;
    overrides: { at: number; command: string; keys: string[] }[];
  };
  /** The scenario's `expect` list as the run judged it. */
  expectations: ExpectationInfo[];
  /** Files a finding can point at (SARIF physical locations), as recorded with the run. */
  sources: RunSources;
  totals: Totals;
  steps: StepInfo[];
  phases: PhaseInfo[];
  timeline: Timeline;
  findings: FindingInfo[];
  /** Stacks referenced by evidence, keyed by stack id. */
  stacks: Record<string, StackInfo>;
  declaredVsUsed: {
    manifestKnown: boolean;
    policyKnown: boolean;
    rows: DeclaredUsedRow[];
    /** Declared permissions that guard no monitored category. */
    otherPermissions: string[];
  };
  sdks: SdkRow[];
  apis: ApiCount[];
  hooks: HookCoverage;
  appops: AppOpsRow[];
  /** Agent errors and device logs (crash, ANR, detach), bounded. */
  problems: { agentErrors: number; deviceLogs: number; lines: LogLine[] };
  /** Null when the run has no static scan (no APK or app model was scanned). */
  bundledVsRan: BundledVsRan | null;
  /** What left the device (reports/model-transmissions.ts). */
  transmissions: TransmissionsSection;
  /** The MIIT 164 checklist: the 42 scenarios with their status for this run. */
  checklist: ChecklistRow[];
  /** Language of titles and headings in the rendered report. */
  lang: 'en' | 'zh';
}

export interface BuildOptions {
  /** Include raw personal values (events.raw) in evidence. */
  raw?: boolean;
  /** Evidence events per finding (default 20). */
  evidence?: number;
  /** Timeline columns (default 120). */
  buckets?: number;
  /** Categories the privacy policy declares (default: the run's stored profile's). */
  policyCategories?: readonly string[];
  /** Manifest permissions when the run has no inspected APK. */
  permissions?: readonly string[];
  /** Clock for generatedAt (tests). */
  now?: number;
  /** Report language (default en). */
  lang?: 'en' | 'zh';
}
