// The one Device interface every backend implements: the real Android device (adb + Frida +
// Appium, harness/device/android/) and the simulated device (harness/simulation/device/). Scenario
// runners and commands only see these types, so a scenario runs unchanged on either.
import type { AgentRpc } from '../../agent/protocol/messages.ts';

/** Frida's session detach reasons (frida SessionDetachReason values, verbatim). */
export const DETACH_REASONS = [
  'application-requested',
  'process-replaced',
  'process-terminated',
  'connection-terminated',
  'device-lost',
] as const;
export type DetachReason = (typeof DETACH_REASONS)[number];

export interface DeviceDescription {
  serial: string;
  /** ro.product.model, e.g. "Pixel 7" or "sdk_gphone64_x86_64". */
  model: string;
  manufacturer: string;
  /** ro.build.version.sdk, e.g. 34. */
  apiLevel: number;
  /** ro.build.version.release, e.g. "14". */
  release: string;
  /** ro.product.cpu.abi, e.g. "arm64-v8a", "x86_64". */
  abi: string;
  emulator: boolean;
}

/** AppOps modes as `cmd appops get` prints them. */
export const APP_OP_MODES = ['allow', 'ignore', 'deny', 'default', 'foreground', 'errored'] as const;
export type AppOpMode = (typeof APP_OP_MODES)[number];

/** One entry of the platform's own access record (AppOpsManager). Times are ms since epoch. */
export interface AppOpRecord {
  /** Op name without the OP_ prefix, e.g. "CAMERA", "READ_CLIPBOARD". */
  op: string;
  mode: AppOpMode;
  /** Last allowed access; absent when the op was never noted. */
  lastAccessTime?: number;
  /** Last rejected access (mode ignore/deny at the time). */
  lastRejectTime?: number;
  /** Duration of the last long-running access (camera, microphone, location), in ms. */
  lastDurationMs?: number;
  /** Access counts where the backend knows them (the simulator does; `appops get` does not). */
  count?: number;
  rejectCount?: number;
  lastProcess?: string;
}

export interface ForegroundInfo {
  /** Empty when nothing is resumed (screen off, keyguard). */
  packageName: string;
  /** Fully qualified class name, e.g. "com.foo.MainActivity". */
  activity: string;
}

export interface ProcessInfo {
  /** Process name, e.g. "com.foo" or "com.foo:push". */
  name: string;
  pid: number;
}

/** The agent's rpc exports as the host calls them: every call is asynchronous. */
export type AgentRpcClient = {
  [K in keyof AgentRpc]: (...args: Parameters<AgentRpc[K]>) => Promise<Awaited<ReturnType<AgentRpc[K]>>>;
};

/**
 * JavaScript engines a Frida script can ask for. QuickJS is Frida's default and in every build;
 * V8 is missing from some (docs/real-devices.md, "Which JavaScript engine").
 */
export const JS_RUNTIMES = ['qjs', 'v8'] as const;
export type JsRuntime = (typeof JS_RUNTIMES)[number];
export const DEFAULT_JS_RUNTIME: JsRuntime = 'qjs';

export interface SpawnOptions {
  /** The bundled agent (dist/agent.js) loaded into every process of the app before it runs. */
  agentSource: string;
  /** The engine the agent runs in on a device (default DEFAULT_JS_RUNTIME); the simulator ignores it. */
  jsRuntime?: JsRuntime;
  /** Every agent `send()` payload, unvalidated (the harness validates it), with its process. */
  onMessage(message: unknown, process: ProcessInfo): void;
  /** A script error (an uncaught exception in the agent): never crashes the app. */
  onAgentError?(description: string, process: ProcessInfo): void;
  /** A process's session ended; called once per process. */
  onDetach?(reason: DetachReason, process: ProcessInfo): void;
  /**
   * A process the session instruments after spawn (a ":push" helper that Android starts later,
   * or one restarted after a kill) has its agent loaded and is still held: give it the run's
   * settings (salt, phase, options) here. It runs only after this resolves.
   */
  prepare?(process: ProcessInfo, rpc: AgentRpcClient): Promise<void>;
  /** Frida reported a crash of one of the app's processes (processCrashed, detach with a report). */
  onCrash?(crash: CrashEvent): void;
  /** Something lowers what the run sees (spawn gating switched off, a process left uninstrumented). */
  onDegraded?(message: string): void;
}

/** A spawned, instrumented app. Created suspended: nothing of the app runs before resume(). */
export interface AppSession {
  readonly packageName: string;
  /** Main process id. */
  readonly pid: number;
  /** The main process and every instrumented child/sub-process (":push", ":remote" …). */
  processes(): ProcessInfo[];
  /** Lets the app run (the agent is already loaded). Idempotent. */
  resume(): Promise<void>;
  /** The agent rpc of one process (default: the main process). */
  rpc(processName?: string): AgentRpcClient;
  /** Why the main process's session ended; undefined while attached. */
  readonly detachReason: DetachReason | undefined;
  /** Unloads the agent and detaches; the app keeps running. */
  detach(): Promise<void>;
}

export const CRASH_KINDS = ['crash', 'native-crash', 'anr'] as const;
export type CrashKind = (typeof CRASH_KINDS)[number];

/** A crash or ANR seen in logcat (or simulated). */
export interface CrashEvent {
  /** ms since the Unix epoch. */
  time: number;
  kind: CrashKind;
  /** Process name, e.g. "com.foo". */
  process: string;
  pid?: number;
  /** Exception line and first stack frames, or the ANR reason. */
  detail: string;
}

/** A running crash/ANR capture. */
export interface CrashWatch {
  /** Everything captured so far. */
  events(): CrashEvent[];
  /** Stops capturing; events stay readable. */
  stop(): Promise<void>;
}

// ---- UI driving ------------------------------------------------------------------------------

export const LOCATOR_KINDS = ['text', 'id', 'accessibility-id', 'class', 'xpath'] as const;
export type LocatorKind = (typeof LOCATOR_KINDS)[number];

export interface Locator {
  by: LocatorKind;
  value: string;
}

export interface Point {
  x: number;
  y: number;
}

/** [left, top, right, bottom] in screen pixels. */
export type Bounds = [number, number, number, number];

/** A found element: a snapshot of its attributes plus an id to act on it. */
export interface UiElement {
  elementId: string;
  className: string;
  text: string;
  resourceId: string;
  contentDesc: string;
  packageName: string;
  clickable: boolean;
  checked: boolean;
  enabled: boolean;
  bounds: Bounds;
}

export type TapTarget = UiElement | Locator | Point;

/** The UiAutomator2-style driver: the focused window only, as UiAutomator2 does by default. */
export interface UiDriver {
  findAll(locator: Locator): Promise<UiElement[]>;
  /** First match or null (never throws for "not found"). */
  find(locator: Locator): Promise<UiElement | null>;
  /** Polls until a match appears or the timeout passes (then null). */
  waitFor(locator: Locator, timeoutMs: number): Promise<UiElement | null>;
  /** Throws DeviceError when a locator matches nothing. */
  tap(target: TapTarget): Promise<void>;
  longPress(target: TapTarget, durationMs?: number): Promise<void>;
  /** Types into an editable element, clearing it first unless clear is false. */
  type(target: TapTarget, text: string, clear?: boolean): Promise<void>;
  swipe(from: Point, to: Point, durationMs?: number): Promise<void>;
  back(): Promise<void>;
  home(): Promise<void>;
  /** UiAutomator2 hierarchy XML. */
  pageSource(): Promise<string>;
  /** PNG bytes. */
  screenshot(): Promise<Buffer>;
  /** Ends the UI session (not the app). */
  close(): Promise<void>;
}

// ---- the device ------------------------------------------------------------------------------

export interface InstallOptions {
  /** Grant every runtime permission at install (`install -g`). Default false: the scenario decides. */
  grantAll?: boolean;
}

export interface Device {
  readonly serial: string;
  describe(): Promise<DeviceDescription>;
  /** Installs or updates (data and grants kept); resolves to the package name. */
  install(apkPath: string, options?: InstallOptions): Promise<string>;
  isInstalled(pkg: string): Promise<boolean>;
  /** `pm clear`: stops the app, wipes data, runtime grants and its AppOps record. */
  clearData(pkg: string): Promise<void>;
  /** Grants a runtime permission the app requested ("android.permission.CAMERA"). */
  grant(pkg: string, permission: string): Promise<void>;
  /** Revokes it; Android kills the app's processes when a granted runtime permission is revoked. */
  revoke(pkg: string, permission: string): Promise<void>;
  /** Granted permissions (install-time and runtime), sorted. */
  grantedPermissions(pkg: string): Promise<string[]>;
  /** The platform's access record for the package. */
  appOps(pkg: string): Promise<AppOpRecord[]>;
  /** Moves the mock/emulated GPS fix. */
  setLocation(lat: number, lon: number): Promise<void>;
  foregroundActivity(): Promise<ForegroundInfo>;
  /** Spawns the app suspended with the agent loaded in every process; resume() runs it. */
  spawn(pkg: string, options: SpawnOptions): Promise<AppSession>;
  /** Starts crash/ANR capture; onEvent hears each one as it is seen. */
  watchCrashes(onEvent?: (event: CrashEvent) => void): Promise<CrashWatch>;
  /** Opens a UI session on whatever is on screen (does not launch or stop the app). */
  ui(): Promise<UiDriver>;
  /** Ends sessions, UI driver and capture started through this object. */
  close(): Promise<void>;
}
