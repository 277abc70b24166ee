// One running instance of a modelled app (all its processes): plays the model's calls on the
// simulated runtime with realistic stacks, keeps the screen/dialog stack, foreground state,
// timers and the permission-request flow, and reports UI events to the device.
import type { SampleValue } from '../../../agent/catalog/types.ts';
import { createLog, type Log } from '../../log.ts';
import { opAllowed, opForCall } from '../device/app-ops.ts';
import { type PendingAsk, PermissionFlow } from '../device/permission-flow.ts';
import type { SimProcessRuntime } from '../runtime/process-runtime.ts';
import { type BundledClass, bundledClasses } from './bundled-classes.ts';
import { runSend } from './model-send.ts';
import type {
  AppModel,
  CallCondition,
  CallContext,
  DialogSpec,
  JavaCall,
  ModelAction,
  ModelCall,
  ModelScreen,
} from './model-types.ts';
import { type AppData, type AppHost, frameworkCall } from './sim-app-host.ts';
import { buildStack } from './stack.ts';

export type { AppData, AppHost, SimEvent } from './sim-app-host.ts';

const log: Log = createLog('sim-app');

const LOCATION_RESULTS = new Set(['getLastKnownLocation', 'getLastLocation', 'getCurrentLocation']);

export class SimApp {
  foreground = false;
  alive = true;
  /** Screen ids, bottom first. */
  readonly screens: string[] = [];
  readonly dialogs: DialogSpec[] = [];
  /** Errors thrown by the runtime for a call (the app keeps going, as the agent would). */
  readonly callErrors: string[] = [];
  /** Values the app's reads returned, by their model `keep:` name (for `send:` templates). */
  private readonly kept = new Map<string, unknown>();
  private readonly timerIds = new Set<number>();
  private started = false;
  readonly pkg: string;
  private readonly permissions: PermissionFlow;
  private readonly bundled: Map<string, BundledClass>;
  /** "process|class" of bundled classes already loaded. */
  private readonly loaded = new Set<string>();
  /** Processes whose code runs; a helper is attached (held) before it runs, and may die alone. */
  private readonly running = new Set<string>();

  constructor(
    readonly model: AppModel,
    readonly host: AppHost,
    /** Attached processes by name (the main one from spawn; helpers added as they start). */
    readonly runtimes: Map<string, SimProcessRuntime>,
  ) {
    this.pkg = model.packageName;
    this.permissions = new PermissionFlow(this);
    this.bundled = bundledClasses(model);
  }

  get data(): AppData {
    return this.host.data(this.pkg);
  }

  get screen(): ModelScreen | undefined {
    const id = this.screens[this.screens.length - 1];
    return this.model.screens.find((s) => s.id === id);
  }

  get activity(): string {
    return this.screen?.activity ?? '';
  }

  private get main(): SimProcessRuntime | undefined {
    return this.runtimes.get(this.pkg);
  }

  /** Application.onCreate in the main process, timers, then the launcher activity comes up. */
  start(): void {
    this.running.add(this.pkg);
    this.main?.startApplication(this.model.applicationClass);
    this.runCalls(
      this.model.onStart.filter((c) => c.process === this.pkg),
      'app-start',
    );
    for (const h of this.model.hiddenOps) {
      const fire = () => {
        if (!this.alive) return;
        this.host.noteOp(
          this.pkg,
          h.op,
          opAllowed(h.op, this.host.granted(this.pkg), this.foreground),
          h.process,
        );
      };
      if (h.everyMs === undefined) fire();
      else this.every(h.everyMs, false, fire);
    }
    for (const t of this.model.timers) {
      this.every(t.everyMs, t.once, () => {
        if (this.holds(t.when)) this.perform(t.action, 'timer');
      });
    }
    // Requests "at start" run in the first activity's onCreate (requestPermissions needs one).
    this.enterScreen(this.model.startScreen);
    for (const id of this.model.startRequests) this.requestPermissions(id);
    this.launch();
  }

  /**
   * A helper process Android started after the main one (or restarted): its attached runtime
   * runs Application.onCreate and the model's on-start calls made in that process.
   */
  startProcess(name: string): void {
    const rt = this.runtimes.get(name);
    if (!this.alive || !rt || this.running.has(name)) return;
    this.running.add(name);
    rt.startApplication(this.model.applicationClass);
    this.runCalls(
      this.model.onStart.filter((c) => c.process === name),
      'app-start',
    );
  }

  /** Whether a process's code runs now. */
  isRunning(name: string): boolean {
    return this.alive && this.running.has(name);
  }

  /** A helper process died on its own (low-memory kill): its calls stop until it restarts. */
  processDied(name: string): void {
    const rt = this.runtimes.get(name);
    this.running.delete(name);
    this.runtimes.delete(name);
    rt?.kill();
  }

  /** The launcher (or a return from the browser) brings the app to the front. */
  launch(): void {
    if (!this.alive) return;
    if (this.screens.length === 0) this.enterScreen(this.model.startScreen);
    this.toForeground();
  }

  /** Runs `fn` after `ms` (and every `ms` unless once) until the process dies. */
  every(ms: number, once: boolean, fn: () => void): void {
    const schedule = () => {
      const id = this.host.clock.setTimeout(() => {
        this.timerIds.delete(id);
        if (!this.alive) return;
        fn();
        if (!once) schedule();
      }, ms);
      this.timerIds.add(id);
    };
    schedule();
  }

  holds(cond: CallCondition): boolean {
    switch (cond) {
      case 'always':
        return true;
      case 'foreground':
        return this.foreground;
      case 'background':
        return !this.foreground;
      case 'pre-consent':
        return !this.data.consent;
      case 'post-consent':
        return this.data.consent;
    }
  }

  runCalls(calls: readonly ModelCall[], context: CallContext): void {
    for (const c of calls) this.runCall(c, context);
  }

  runCall(call: ModelCall, context: CallContext): void {
    if (!this.alive || !this.holds(call.when)) return;
    // Code of a process that is not running (not started yet, or killed) does not run.
    const runtime = this.running.has(call.process) ? this.runtimes.get(call.process) : undefined;
    if (!runtime) return;
    const api =
      call.kind === 'java' ? `${call.className}.${call.method}` : `${call.module ?? '*'}!${call.symbol}`;
    const granted = this.host.granted(this.pkg);
    const denied = call.requires !== undefined && !granted.has(call.requires);
    const made = !denied || call.ifDenied === 'call';
    this.host.emit({
      type: 'call',
      pkg: this.pkg,
      process: call.process,
      api,
      context,
      made,
      where: call.where,
    });
    if (!made) return;
    const op = opForCall(call);
    const activity = this.activity || `${this.pkg}.MainActivity`;
    const stack = buildStack(call, this.pkg, context, activity, this.model.applicationClass);
    for (let i = 0; i < call.times; i++) {
      if (op) this.host.noteOp(this.pkg, op, opAllowed(op, granted, this.foreground), call.process);
      try {
        if (call.send) {
          const loader =
            call.kind === 'java' ? this.loadBundled(runtime, call.className, stack, call.thread) : undefined;
          runSend(runtime, call.send, this.kept, {
            stack,
            thread: call.thread,
            ...(loader && loader !== 'app' ? { loader } : {}),
          });
        } else if (call.kind === 'java') {
          const result = denied ? null : (this.locationResult(call) ?? call.result);
          const loader = this.loadBundled(runtime, call.className, stack, call.thread);
          const seen = runtime.callJava(call.className, call.method, {
            ...(loader && loader !== 'app' ? { loader } : {}),
            args: call.args,
            ...(result !== undefined ? { result } : {}),
            ...(call.self !== undefined ? { self: call.self } : {}),
            ...(call.overload ? { overload: call.overload } : {}),
            stack,
            thread: call.thread,
          });
          // What the app got (a honey value when the agent planted one), else what it planned.
          if (call.keep && (seen ?? result) != null) this.kept.set(call.keep, seen ?? result);
        } else if (!this.host.nativeBridged(this.pkg)) {
          // Translated ARM code calls the bridge's own ARM libc, which Frida does not hook.
          runtime.callNative(call.module, call.symbol, {
            args: call.args,
            ...(call.result !== undefined ? { result: call.result } : {}),
            stack,
            thread: call.thread,
          });
        }
      } catch (err) {
        const msg = `${call.where}: ${api}: ${err instanceof Error ? err.message : String(err)}`;
        this.callErrors.push(msg);
        log.warn(msg);
      }
    }
  }

  /** Defines a bundled class in the process the first time it is used; returns its loader. */
  private loadBundled(
    runtime: SimProcessRuntime,
    className: string,
    stack: string[],
    thread: string,
  ): string | undefined {
    const b = this.bundled.get(className);
    if (!b) return undefined;
    const key = `${runtime.processName}|${className}`;
    if (!this.loaded.has(key)) {
      this.loaded.add(key);
      runtime.loadClass(b.cls, b.loader, stack, thread);
    }
    return b.loader;
  }

  /** A location read returns the device's mock location when one is set (setLocation). */
  private locationResult(call: JavaCall): SampleValue | undefined {
    const loc = this.host.location();
    if (!loc || !LOCATION_RESULTS.has(call.method) || call.result === undefined || call.result === null)
      return undefined;
    const provider = typeof call.args[0] === 'string' ? call.args[0] : 'fused';
    return {
      $class: 'android.location.Location',
      $methods: { getLatitude: loc.lat, getLongitude: loc.lon, getProvider: provider },
    };
  }

  /** What a tap, dialog button or timer does. */
  perform(action: ModelAction, context: CallContext): void {
    if (!this.alive) return;
    this.runCalls(action.calls, context);
    if (action.consent || action.revokeConsent) {
      this.data.consent = action.consent === true;
      this.host.emit({ type: 'consent', pkg: this.pkg, consent: this.data.consent });
    }
    for (const id of action.requestPermissions) this.requestPermissions(id);
    if (action.dialog) this.showDialog(action.dialog, context);
    if (action.goto) this.enterScreen(action.goto);
    if (action.exitApp) {
      const url = action.exitApp === true ? 'https://example.com/' : action.exitApp;
      this.host.emit({ type: 'exit-app', pkg: this.pkg, url });
      this.toBackground();
      this.host.openExternal(this.pkg, url);
    }
    if (action.finish) this.finishAll();
    if (action.loseDevice) this.host.loseDevice(action.loseDevice === true ? undefined : action.loseDevice);
  }

  showDialog(dialog: DialogSpec, context: CallContext): void {
    this.dialogs.push(dialog);
    // As AlertDialog.Builder leaves them in the dialog's AlertController: the model lists buttons
    // left to right, Android lays them out neutral, negative, positive.
    const [positive, negative, neutral] = [...dialog.buttons].reverse().map((b) => b.text);
    const alert = {
      $class: 'com.android.internal.app.AlertController',
      $fields: {
        mTitle: dialog.title || null,
        mMessage: dialog.message || null,
        mButtonPositiveText: positive ?? null,
        mButtonNegativeText: negative ?? null,
        mButtonNeutralText: neutral ?? null,
      },
    };
    const self = {
      $class: 'android.app.AlertDialog',
      $methods: { isShowing: true },
      $fields: { mAlert: alert },
    };
    this.runCall(frameworkCall(this.pkg, this.pkg, 'android.app.Dialog', 'show', [], { self }), context);
    this.host.emit({ type: 'dialog', pkg: this.pkg, title: dialog.title });
  }

  /** Taps a button of the top dialog: it closes, then its action runs. */
  pressDialogButton(index: number): void {
    const dialog = this.dialogs.pop();
    const button = dialog?.buttons[index];
    if (button) this.perform(button.action, 'click');
  }

  enterScreen(id: string): void {
    const screen = this.model.screens.find((s) => s.id === id);
    if (!screen || !this.alive) return;
    const prev = this.screen;
    if (prev && this.foreground) this.main?.pause(prev.activity);
    this.screens.push(id);
    this.dialogs.length = 0;
    this.runCalls(screen.onEnter, 'activity');
    if (this.foreground) this.main?.resume(screen.activity);
    this.host.emit({ type: 'screen', pkg: this.pkg, screen: id, activity: screen.activity });
    if (screen.dialog && (!screen.dialogPreConsent || !this.data.consent))
      this.showDialog(screen.dialog, 'activity');
    for (const r of screen.requestPermissions) this.requestPermissions(r);
  }

  /** Back inside the app: permission dialog (= deny), dialog, previous screen, or finish. */
  back(): void {
    if (!this.alive) return;
    if (this.currentAsk()) {
      this.answer(false);
      return;
    }
    const top = this.dialogs[this.dialogs.length - 1];
    if (top) {
      if (top.cancelable) this.dialogs.pop();
      return;
    }
    if (this.screens.length > 1) {
      const leaving = this.screen;
      if (leaving && this.foreground) this.main?.pause(leaving.activity);
      this.screens.pop();
      const now = this.screen;
      if (now && this.foreground) this.main?.resume(now.activity);
      if (now) this.host.emit({ type: 'screen', pkg: this.pkg, screen: now.id, activity: now.activity });
      return;
    }
    this.finishAll();
  }

  private finishAll(): void {
    this.toBackground();
    this.screens.length = 0;
    this.dialogs.length = 0;
    this.host.finished(this.pkg);
  }

  toBackground(): void {
    if (!this.foreground || !this.alive) return;
    this.foreground = false;
    if (this.activity) this.main?.pause(this.activity);
    this.runCalls(this.model.onBackground, 'lifecycle');
    this.host.emit({ type: 'background', pkg: this.pkg });
  }

  toForeground(): void {
    if (this.foreground || !this.alive) return;
    const first = !this.started;
    this.started = true;
    this.foreground = true;
    if (this.activity) this.main?.resume(this.activity);
    if (!first) this.runCalls(this.model.onForeground, 'lifecycle');
    this.host.emit({ type: 'foreground', pkg: this.pkg });
    const ask = this.currentAsk();
    if (ask) this.host.emit({ type: 'permission-dialog', pkg: this.pkg, permission: ask.queue[0] ?? '' });
  }

  // ---- permissions (permission-flow.ts) ----------------------------------------------------

  /** The request whose system dialog is on screen (only while the app is in front). */
  currentAsk(): PendingAsk | undefined {
    return this.permissions.current();
  }

  requestPermissions(id: string): void {
    this.permissions.request(id);
  }

  /** The user's answer in the system dialog on screen. */
  answer(allow: boolean): void {
    this.permissions.answer(allow);
  }

  /** The process dies (crash, kill, revoke, lost device). */
  kill(reason: string): void {
    if (!this.alive) return;
    this.alive = false;
    for (const id of this.timerIds) this.host.clock.clearTimeout(id);
    this.timerIds.clear();
    for (const r of this.runtimes.values()) r.kill();
    this.host.emit({ type: 'detach', pkg: this.pkg, reason });
  }
}
