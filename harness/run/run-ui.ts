// The run's UI session and the evidence it records: the UiAutomator2 driver opened once, every
// tap and long press snapshotted first (what was on screen, what was hit), and a `screen`
// snapshot when the agent reports a dialog. The session and agent side is run-context.ts.

import type { Device, TapTarget, UiDriver } from '../device/types.ts';
import { errorMessage } from '../errors.ts';
import { createLog } from '../log.ts';
import type { Scenario } from '../scenario/types.ts';
import type { Store } from '../store/store.ts';
import type { RunClock } from './clock.ts';
import { parsePageSource, targetOf, type UiSnapshotKind, writeUiSnapshot } from './ui-snapshot.ts';

const log = createLog('run');

/** Steps that drive the UI (they open the UiAutomator2 session). */
const UI_STEPS: readonly string[] = [
  'wait-for',
  'tap',
  'long-press',
  'type',
  'swipe',
  'back',
  'home',
  'background',
  'screenshot',
  'permission-dialog',
  'consent',
  'explore',
  'check-setting',
];

export function usesUi(scenario: Scenario): boolean {
  return scenario.steps.some((s) => UI_STEPS.includes(s.kind));
}

export interface RunUiOptions {
  device: Device;
  clock: RunClock;
  store: Store;
  runId: number;
  rawValues: boolean;
  /** The innermost open step (its `steps.id`), undefined between steps. */
  currentStep: () => number | undefined;
}

export class RunUi {
  private driver: UiDriver | undefined;
  private pendingScreen: Promise<void> | undefined;

  constructor(private readonly o: RunUiOptions) {}

  async ui(): Promise<UiDriver> {
    this.driver ??= recordingDriver(await this.o.device.ui(), (target) => this.record('tap', target));
    return this.driver;
  }

  /**
   * Stores what the focused window shows now (and which element `target` designates): the
   * evidence of the consent dialog and of what each tap hit. Never fails the step.
   */
  async record(kind: UiSnapshotKind, target?: TapTarget): Promise<void> {
    try {
      const driver = this.driver ?? (await this.ui());
      const raw = { raw: this.o.rawValues };
      const nodes = parsePageSource(await driver.pageSource(), raw);
      writeUiSnapshot(this.o.store, this.o.runId, {
        time: this.o.clock.now(),
        stepId: this.o.currentStep() ?? null,
        kind,
        package: target && 'packageName' in target ? target.packageName || null : null,
        target: target ? targetOf(target, nodes, raw) : null,
        nodes,
      });
    } catch (err) {
      log.warn(`UI snapshot (${kind}) not recorded: ${errorMessage(err)}`);
    }
  }

  /**
   * A `screen` snapshot after the agent reported a dialog: one at a time, only while a step runs
   * and a UI session is already open (never opens one by itself), awaited before the UI closes.
   */
  snapshotScreen(): void {
    if (this.pendingScreen || !this.driver || this.o.currentStep() === undefined) return;
    this.pendingScreen = this.record('screen').finally(() => {
      this.pendingScreen = undefined;
    });
  }

  async close(): Promise<void> {
    await this.pendingScreen;
    const d = this.driver;
    this.driver = undefined;
    if (d) await d.close();
  }
}

/** The driver with every tap and long press recorded first (what was on screen, what was hit). */
function recordingDriver(inner: UiDriver, record: (target: TapTarget) => Promise<void>): UiDriver {
  return {
    findAll: (l) => inner.findAll(l),
    find: (l) => inner.find(l),
    waitFor: (l, ms) => inner.waitFor(l, ms),
    tap: async (t) => {
      await record(t);
      return inner.tap(t);
    },
    longPress: async (t, ms) => {
      await record(t);
      return inner.longPress(t, ms);
    },
    type: (t, text, clear) => inner.type(t, text, clear),
    swipe: (a, b, ms) => inner.swipe(a, b, ms),
    back: () => inner.back(),
    home: () => inner.home(),
    pageSource: () => inner.pageSource(),
    screenshot: () => inner.screenshot(),
    close: () => inner.close(),
  };
}
