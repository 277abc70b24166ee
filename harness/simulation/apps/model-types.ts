// The app model: a scriptable description of an app under test for the simulated device
// (docs/app-models.md). model-load.ts turns a YAML file into these normalised types; the
// simulated app (sim-app.ts) plays them against the simulated Frida/Java runtime.
import type { SampleValue } from '../../../agent/catalog/types.ts';
import type { SendSpec } from './model-send.ts';

export const CALL_CONDITIONS = ['always', 'foreground', 'background', 'pre-consent', 'post-consent'] as const;
export type CallCondition = (typeof CALL_CONDITIONS)[number];

/** Where a call is made from, which decides the tail of its stack (stack.ts). */
export const CALL_CONTEXTS = [
  'app-start',
  'activity',
  'click',
  'timer',
  'lifecycle',
  'permission-result',
] as const;
export type CallContext = (typeof CALL_CONTEXTS)[number];

interface CallBase {
  /** Caller's package prefix: an SDK from `sdks` or the app's own package. */
  from: string;
  /** Explicit stack (innermost first) replacing the generated one. */
  stack?: string[];
  /** Number of times the call is repeated. */
  times: number;
  /** Thread name; 'main' unless given. */
  thread: string;
  /** Full process name the call runs in (package or package:suffix). */
  process: string;
  /** Permission that the call needs: without it the call is skipped (or made, see ifDenied). */
  requires?: string;
  ifDenied: 'skip' | 'call';
  /** App-op the platform records for this call (AppOpsManager name), overriding the default map. */
  op?: string;
  /** Only made when this condition holds at the time of the call. */
  when: CallCondition;
  /** file:line:col of the call in the model, for run-time messages. */
  where: string;
  /** Remember what the call returned (to the app) under this name, for later `send:` templates. */
  keep?: string;
  /** A `send:` call: the request the app makes (the java/native fields name the library API). */
  send?: SendSpec;
}

export interface JavaCall extends CallBase {
  kind: 'java';
  className: string;
  method: string;
  overload?: string[];
  args: SampleValue[];
  result?: SampleValue;
  self?: SampleValue;
}

export interface NativeCall extends CallBase {
  kind: 'native';
  module: string | null;
  symbol: string;
  args: SampleValue[];
  result?: SampleValue;
}

export type ModelCall = JavaCall | NativeCall;

export interface DialogButton {
  text: string;
  resourceId: string;
  action: ModelAction;
}

export interface DialogSpec {
  title: string;
  message: string;
  buttons: DialogButton[];
  /** Whether back dismisses the dialog (default true). */
  cancelable: boolean;
}

/** What tapping an element, a dialog button or a timer does. Every field is optional. */
export interface ModelAction {
  calls: ModelCall[];
  goto?: string;
  /** The privacy-policy agree button: records consent. */
  consent?: boolean;
  /** Withdraws consent (a "disagree"/"revoke" button). */
  revokeConsent?: boolean;
  dialog?: DialogSpec;
  /** Leaves the app (an external link): the browser comes to the front. */
  exitApp?: string | true;
  /** Ids of permission-requests to start. */
  requestPermissions: string[];
  /** Closes the app (a "quit" button): the process keeps running in the background. */
  finish?: boolean;
  /**
   * The device goes away (USB unplugged, emulator died): every device, or only those whose
   * serial is listed (so a farm's retry on another device can be shown).
   */
  loseDevice?: true | string[];
}

export interface ModelElement {
  className: string;
  text: string;
  resourceId: string;
  contentDesc: string;
  clickable: boolean;
  longClickable: boolean;
  checkable: boolean;
  checked: boolean;
  enabled: boolean;
  password: boolean;
  /** [left, top, right, bottom] in device pixels. */
  bounds: [number, number, number, number];
  onTap?: ModelAction;
  onLongPress?: ModelAction;
  /** Calls made when the check state changes (with the new state in the `checked` condition). */
  onCheck?: ModelCall[];
  onUncheck?: ModelCall[];
}

export interface ModelScreen {
  id: string;
  activity: string;
  elements: ModelElement[];
  onEnter: ModelCall[];
  /** Requests started when the screen is entered. */
  requestPermissions: string[];
  /** Dialog shown when the screen is entered (consent dialog, rating prompt …). */
  dialog?: DialogSpec;
  /** Only show `dialog` before consent (a consent dialog is not shown again). */
  dialogPreConsent: boolean;
}

export interface ModelTimer {
  /** Period in ms; with `once` the delay before the single run. */
  everyMs: number;
  once: boolean;
  when: CallCondition;
  action: ModelAction;
  where: string;
}

export interface PermissionRequest {
  id: string;
  permissions: string[];
  /** API the app calls; default android.app.Activity.requestPermissions. */
  api: string;
  from: string;
  /** Re-request after a denial, after this many ms (undefined: never). */
  retryAfterMs?: number;
  /** Maximum number of re-requests after denials. */
  maxRetries: number;
  onGrant: ModelCall[];
  onDeny: ModelCall[];
  /** After a denial the app finishes its activities (the "exit when refused" pattern, MIIT 2.1.1). */
  finishOnDeny?: boolean;
  where: string;
}

/** An access the platform records (AppOps) that no hooked Java/native API sees. */
export interface HiddenOp {
  op: string;
  /** When it happens: at app start, or every N ms. */
  everyMs?: number;
  process: string;
  where: string;
}

export interface AppModel {
  /** The file it came from (for messages). */
  file: string;
  packageName: string;
  label: string;
  versionName: string;
  /** The Application subclass (Application.onCreate's receiver). */
  applicationClass: string;
  /** Full process names: the main one first. */
  processes: string[];
  /**
   * Helper process → ms after the main process runs when it starts (Android starts a ":push"
   * process on its own, later than the main one: Frida sees it through spawn gating).
   */
  processStarts: Record<string, number>;
  /** ABIs of the app's native libraries (lib/<abi>/); empty: none, or run natively anywhere. */
  abis: string[];
  /** Alias → package prefix of the SDKs bundled in the app. */
  sdks: Record<string, string>;
  /** Manifest permissions. */
  permissions: string[];
  /** Manifest broadcast receivers and their intent-filter actions (boot, connectivity …). */
  receivers: { name: string; actions: string[] }[];
  onStart: ModelCall[];
  screens: ModelScreen[];
  startScreen: string;
  timers: ModelTimer[];
  onBackground: ModelCall[];
  onForeground: ModelCall[];
  permissionRequests: PermissionRequest[];
  /** Requests started right after Application.onCreate. */
  startRequests: string[];
  hiddenOps: HiddenOp[];
}
