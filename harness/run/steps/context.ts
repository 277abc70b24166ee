// What a step executor sees of the run: the device and its UI driver, the app session, the
// current phase, the run's clock, and helpers the orchestrator implements (harness/run/).
import type { AppSession, Device, TapTarget, UiDriver } from '../../device/types.ts';
import type { Scenario, Step, StepKind, StepOf } from '../../scenario/types.ts';
import type { RunClock } from '../clock.ts';
import type { DeviceCaps } from '../device-caps.ts';

export interface StepContext {
  readonly scenario: Scenario;
  readonly pkg: string;
  readonly device: Device;
  readonly caps: DeviceCaps;
  readonly clock: RunClock;
  /** Where screenshots and other artefacts go. */
  readonly outDir: string;
  readonly signal: AbortSignal | undefined;
  /** The app's launcher label, when known (to find its icon). */
  readonly appLabel: string | undefined;
  /** The current phase (pre-consent until a consent step succeeds). */
  readonly phase: string;
  /** The UI driver (opened on first use). */
  ui(): Promise<UiDriver>;
  /** The live app session, if the app was spawned and is still attached. */
  session(): AppSession | undefined;
  /** Installs the app (an APK, or the app model on the simulated device). */
  install(apk?: string): Promise<string>;
  /** Spawns the app suspended under the agent, configures it, sets the phase, resumes it. */
  launch(options: { clearData: boolean }): Promise<void>;
  /** Switches the phase in every process of the app (and for later launches). */
  setPhase(name: string): Promise<void>;
  /** Runs `fn` during which the app's processes ending is expected (not a crash). */
  expectExit<T>(fn: () => Promise<T>): Promise<T>;
  /** Waits `ms` of run (agent) time; ends early when the run is interrupted. */
  sleep(ms: number): Promise<void>;
  /** Records a nested step (each explore action) around `fn`. */
  subStep<T>(kind: string, label: string, fn: () => Promise<T>): Promise<T>;
  /** Stores the focused window's texts (and what `target` designates) as evidence. */
  recordUi(kind: 'consent' | 'tap' | 'screen', target?: TapTarget): Promise<void>;
  /** Progress line for the console. */
  note(message: string): void;
}

/** Runs one step; resolves to an optional detail (what was found, where a file went). */
export type StepExecutor<K extends StepKind> = (
  step: StepOf<K>,
  ctx: StepContext,
) => Promise<string | undefined>;

export type ExecutorTable = { [K in StepKind]: StepExecutor<K> };

/** A step failure with a clear cause (any thrown error also fails the step). */
export class StepFailure extends Error {
  override readonly name = 'StepFailure';
}

export function stepLabel(step: Step): string {
  if (step.label !== undefined) return step.label;
  switch (step.kind) {
    case 'tap':
    case 'long-press':
    case 'wait-for':
    case 'type':
      return `${step.kind} ${step.target.by}=${step.target.value}`;
    case 'wait':
    case 'background':
      return `${step.kind} ${step.durationMs / 1000}s`;
    case 'grant':
    case 'revoke':
      return `${step.kind} ${step.permission.replace(/^android\.permission\./, '')}`;
    case 'permission-dialog':
      return `permission-dialog ${step.action}${step.permission ? ` ${step.permission.replace(/^android\.permission\./, '')}` : ''}`;
    case 'set-phase':
      return `set-phase ${step.name}`;
    case 'screenshot':
      return `screenshot ${step.name}`;
    case 'explore':
      return `explore ${step.strategy} seed=${step.seed}`;
    case 'set-location':
      return `set-location ${step.lat},${step.lon}`;
    case 'launch':
      return step.clearData ? 'launch (clear data)' : 'launch';
    case 'swipe':
      return step.direction ? `swipe ${step.direction}` : 'swipe';
    default:
      return step.kind;
  }
}
