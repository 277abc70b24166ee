// The normalised scenario: what both the YAML loader and the TypeScript DSL produce after
// validation. Durations are milliseconds, permissions full names, targets `{ by, value }`, and
// every default is filled in, so a runner never re-interprets user input.
import type { DataCategory } from '../../agent/protocol/messages.ts';

export const STEP_KINDS = [
  'install',
  'launch',
  'wait',
  'wait-for',
  'tap',
  'long-press',
  'type',
  'swipe',
  'back',
  'home',
  'background',
  'relaunch',
  'screenshot',
  'grant',
  'revoke',
  'permission-dialog',
  'set-location',
  'set-phase',
  'consent',
  'explore',
  'check-setting',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const ON_ERROR = ['continue', 'stop'] as const;
export type OnError = (typeof ON_ERROR)[number];

export const TARGET_KINDS = ['text', 'id', 'accessibility-id', 'xpath'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const DIRECTIONS = ['up', 'down', 'left', 'right'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const EXPLORE_STRATEGIES = ['random', 'monkey'] as const;
export type ExploreStrategy = (typeof EXPLORE_STRATEGIES)[number];

export const DIALOG_ACTIONS = ['allow', 'deny'] as const;
export type DialogAction = (typeof DIALOG_ACTIONS)[number];

/** Finding severities, lowest first; `no-finding: { severity }` means "none at or above this". */
export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Implicit phases: launch starts in pre-consent; a successful `consent` step moves to post-consent. */
export const PRE_CONSENT = 'pre-consent';
export const POST_CONSENT = 'post-consent';

/** Buttons the consent step looks for, most specific first (exact text match, then contains). */
export const DEFAULT_CONSENT_LABELS: readonly string[] = [
  '同意并继续',
  '我已阅读并同意',
  '同意',
  '我同意',
  '好的',
  'Agree and continue',
  'I agree',
  'Agree',
  'Accept all',
  'Accept',
  'Allow',
  'OK',
];

/** Settings entries check-setting looks for (China's and GDPR's "turn off personalisation"). */
export const DEFAULT_SETTING_LABELS: readonly string[] = [
  '个性化推荐',
  '个性化广告',
  'personalized recommendations',
  'personalised recommendations',
  'personalized ads',
  'personalised ads',
  'ad personalization',
];

export const DEFAULTS = {
  onError: 'continue' as OnError,
  launchCold: true,
  launchClearData: false,
  waitForTimeoutMs: 10_000,
  longPressMs: 1_000,
  typeClear: true,
  maxSwipes: 10,
  permissionDialogTimeoutMs: 10_000,
  consentTimeoutMs: 15_000,
  exploreDurationMs: 60_000,
  exploreSeed: 1,
  exploreStrategy: 'random' as ExploreStrategy,
  exploreStayInApp: true,
  checkSettingMaxDepth: 3,
} as const;

export interface Target {
  by: TargetKind;
  value: string;
}

/** A screen point: pixels, or percent of the screen's width/height (0–100). */
export interface Point {
  x: number;
  y: number;
  unit: 'px' | '%';
}

interface StepBase<K extends StepKind> {
  kind: K;
  label?: string;
  /** The step's own on-error, or the scenario's default. */
  onError: OnError;
}

export interface InstallStep extends StepBase<'install'> {
  /** Absent: the scenario's app.apk. */
  apk?: string;
}
export interface LaunchStep extends StepBase<'launch'> {
  /** Force-stop first so the agent is loaded at spawn. */
  cold: boolean;
  clearData: boolean;
}
export interface WaitStep extends StepBase<'wait'> {
  durationMs: number;
}
export interface WaitForStep extends StepBase<'wait-for'> {
  target: Target;
  timeoutMs: number;
}
export interface TapStep extends StepBase<'tap'> {
  target: Target;
}
export interface LongPressStep extends StepBase<'long-press'> {
  target: Target;
  durationMs: number;
}
export interface TypeStep extends StepBase<'type'> {
  target: Target;
  text: string;
  /** Clear the field first. */
  clear: boolean;
}
/** Either a direction (optionally repeated until `until` is visible) or an explicit from → to. */
export interface SwipeStep extends StepBase<'swipe'> {
  direction?: Direction;
  from?: Point;
  to?: Point;
  until?: Target;
  /** Only with `until`: give up (step fails) after this many swipes. */
  maxSwipes?: number;
}
export interface BackStep extends StepBase<'back'> {}
export interface HomeStep extends StepBase<'home'> {}
export interface BackgroundStep extends StepBase<'background'> {
  durationMs: number;
}
export interface RelaunchStep extends StepBase<'relaunch'> {}
export interface ScreenshotStep extends StepBase<'screenshot'> {
  name: string;
}
export interface GrantStep extends StepBase<'grant'> {
  permission: string;
}
export interface RevokeStep extends StepBase<'revoke'> {
  permission: string;
}
export interface PermissionDialogStep extends StepBase<'permission-dialog'> {
  action: DialogAction;
  permission?: string;
  timeoutMs: number;
}
export interface SetLocationStep extends StepBase<'set-location'> {
  lat: number;
  lon: number;
}
export interface SetPhaseStep extends StepBase<'set-phase'> {
  name: string;
}
export interface ConsentStep extends StepBase<'consent'> {
  labels: string[];
  timeoutMs: number;
}
export interface ExploreStep extends StepBase<'explore'> {
  durationMs: number;
  seed: number;
  /** Absent: bounded by duration only. */
  maxActions?: number;
  strategy: ExploreStrategy;
  stayInApp: boolean;
}
export interface CheckSettingStep extends StepBase<'check-setting'> {
  labels: string[];
  maxDepth: number;
}

export type Step =
  | InstallStep
  | LaunchStep
  | WaitStep
  | WaitForStep
  | TapStep
  | LongPressStep
  | TypeStep
  | SwipeStep
  | BackStep
  | HomeStep
  | BackgroundStep
  | RelaunchStep
  | ScreenshotStep
  | GrantStep
  | RevokeStep
  | PermissionDialogStep
  | SetLocationStep
  | SetPhaseStep
  | ConsentStep
  | ExploreStep
  | CheckSettingStep;

export type StepOf<K extends StepKind> = Extract<Step, { kind: K }>;

export const EXPECTATION_KINDS = [
  'no-access',
  'max-rate',
  'max-count',
  'no-finding',
  'setting-found',
] as const;
export type ExpectationKind = (typeof EXPECTATION_KINDS)[number];

export type Expectation =
  | { kind: 'no-access'; category: DataCategory; phase?: string }
  | { kind: 'max-rate'; category: DataCategory; perMinute: number; phase?: string }
  | { kind: 'max-count'; category: DataCategory; count: number; phase?: string }
  | { kind: 'no-finding'; rule?: string; severity?: Severity }
  | { kind: 'setting-found'; labels: string[] };

export interface AppSpec {
  package: string;
  apk?: string;
  profile?: string;
  /** Simulated-device model (JSON) for runs without a real device. */
  model?: string;
}

export interface DeviceHints {
  serial?: string;
  minApi?: number;
  maxApi?: number;
  abi?: string;
  emulator?: boolean;
}

export interface Scenario {
  name: string;
  description?: string;
  app: AppSpec;
  device?: DeviceHints;
  onError: OnError;
  /** Every phase name: pre-consent, post-consent, then the declared extra phases. */
  phases: string[];
  consentLabels: string[];
  expect: Expectation[];
  steps: Step[];
}
