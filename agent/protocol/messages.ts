// The agent ↔ harness wire format (protocol v1). Pure types and constants: imported by the
// agent (bundled into the app's process) and by the harness (ingest, live sessions).
// Every message is the payload of one Frida `send()`; recorded traces store one per line.
// docs/protocol.md is the prose version of this file; keep them in step.

export const PROTOCOL_VERSION = 1 as const;

export const DATA_CATEGORIES = [
  'device-id',
  'phone-number',
  'location',
  'contacts',
  'call-log',
  'sms',
  'calendar',
  'accounts',
  'installed-apps',
  'running-apps',
  'clipboard',
  'camera',
  'microphone',
  'screen-capture',
  'sensors',
  'network-id',
  'media',
  'browser-history',
  'permission-request',
  'permission-check',
  'notification',
  'dialog',
  'toast',
  'overlay',
  'background-activity',
  'install-prompt',
  'lifecycle',
  // Outgoing traffic (HTTP, WebView, TLS and socket writes) and name resolution: not personal
  // data themselves; a send says which kept values it carried (EventRecord.carried).
  'network-send',
  'name-lookup',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/** `not-hookable`: the method is abstract (or an interface's): a replacement on ART never runs. */
export const HOOK_STATES = [
  'installed',
  'pending',
  'class-missing',
  'method-missing',
  'failed',
  'not-hookable',
] as const;
export type HookState = (typeof HOOK_STATES)[number];

/** How a kept value appeared in an outgoing message (agent/leaks/value-match.ts). */
export const VALUE_ENCODINGS = [
  'plain',
  'url',
  'hex',
  'base64',
  'base64url',
  'md5',
  'sha1',
  'sha256',
  'location',
] as const;
export type ValueEncoding = (typeof VALUE_ENCODINGS)[number];

/** A kept value found in an outgoing message: the read (EventRecord.ref) and its encoding. */
export interface SentValue {
  ref: number;
  encoding: ValueEncoding;
}

/** Where an outgoing message went, as far as the hook knows it. */
export interface Destination {
  /** Host name (URL host, TLS server name, or the name a resolved address came from). */
  host?: string;
  port?: number;
  /** 'https', 'http', 'ws', 'tls' (raw TLS write), 'tcp', 'udp' … */
  scheme?: string;
  /** TLS server name indication, when the hook saw the handshake. */
  sni?: string;
  /** Bytes of the message (the whole body, not only the searched window). */
  bytes?: number;
}

/** First message of every agent instance (one per hooked process). */
export interface HelloMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'hello';
  /** Agent time in ms since the Unix epoch, for clock-offset estimation. */
  time: number;
  agentVersion: string;
  pid: number;
  process: string;
  /** Android API level if known (Build.VERSION.SDK_INT). */
  apiLevel?: number;
}

/** A stack sent once; later events refer to it by `id` (scoped to the sending pid). */
export interface StackRecord {
  id: number;
  /** Innermost first, at most 32 frames, e.g. "com.foo.Bar.baz(Bar.java:12)". */
  frames: string[];
  native?: boolean;
}

export interface EventRecord {
  /** ms since the Unix epoch (may carry a fraction). */
  time: number;
  /** Stable catalog id, e.g. "telephony.get-imei". */
  hook: string;
  category: DataCategory;
  /** Resolved API, e.g. "android.telephony.TelephonyManager.getImei(int)" or "libc.so!open". */
  api: string;
  /** Short human summary of the arguments (Settings key, URI authority, permissions …). */
  args?: string;
  /** Short summary of the result, never the raw personal value unless raw values are on. */
  result?: string;
  /** Redacted personal value: hex of a salted SHA-256, truncated to 16 chars. */
  valueHash?: string;
  /** Raw personal value, present only when the harness configured raw values on. */
  raw?: string;
  thread: string;
  foreground: boolean;
  phase: string;
  /** Id of a StackRecord sent in this or an earlier batch from the same pid. */
  stack?: number;
  /** A read whose value the agent kept for matching: its per-pid ref (≥ 1), named by `carried`. */
  ref?: number;
  /** network-send events: the destination. */
  net?: Destination;
  /** network-send events: kept values found in the message's first bytes. */
  carried?: SentValue[];
}

/** Events are always sent in batches (≤ 1,000 events, ≤ 1 MiB serialised). */
export interface EventsMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'events';
  pid: number;
  process: string;
  /** Per-pid batch sequence number starting at 1; a gap means a lost batch. */
  seq: number;
  stacks: StackRecord[];
  events: EventRecord[];
  /** Events dropped by the agent's bounded queue since the previous batch. */
  dropped: number;
}

export interface HookStatusRecord {
  hook: string;
  state: HookState;
  /** Why it is not installed, or the overloads it covers. */
  detail?: string;
  /** Number of overloads hooked. */
  overloads?: number;
}

export interface HookStatusMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'hook-status';
  pid: number;
  process: string;
  time: number;
  statuses: HookStatusRecord[];
}

export const LIFECYCLE_KINDS = ['app-start', 'foreground', 'background', 'activity', 'phase'] as const;
export type LifecycleKind = (typeof LIFECYCLE_KINDS)[number];

export interface LifecycleMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'lifecycle';
  pid: number;
  process: string;
  time: number;
  kind: LifecycleKind;
  /** Activity class for 'activity'/'foreground', phase name for 'phase'. */
  detail?: string;
}

/** An error inside the agent (a hook body that threw, an install failure after start …). */
export interface AgentErrorMessage {
  v: typeof PROTOCOL_VERSION;
  type: 'agent-error';
  pid: number;
  process: string;
  time: number;
  hook?: string;
  message: string;
}

export type AgentMessage =
  | HelloMessage
  | EventsMessage
  | HookStatusMessage
  | LifecycleMessage
  | AgentErrorMessage;

export type AgentMessageType = AgentMessage['type'];

/** Options the harness passes through rpc `configure`. */
export interface AgentConfig {
  /** Categories switched off (events of these are not reported). */
  disabledCategories?: DataCategory[];
  rawValues?: boolean;
  /** Salt for value hashes; the harness uses one per database so hashes are comparable. */
  hashSalt?: string;
  captureStacks?: boolean;
  /** Return planted, distinctive values from identifier, location, ad-ID and clipboard hooks (agent/leaks/honey.ts). */
  honey?: boolean;
  /** KiB of each outgoing message searched for kept values (default 16). */
  matchWindowKb?: number;
}

/** Counters returned by rpc `status`. */
export interface AgentStatus {
  agentVersion: string;
  pid: number;
  process: string;
  phase: string;
  foreground: boolean;
  eventsSeen: number;
  eventsSent: number;
  eventsDropped: number;
  batchesSent: number;
  stacksSent: number;
  hookErrors: number;
  /** Distinct values kept for matching, and outgoing messages found carrying one. */
  valuesKept?: number;
  sendsMatched?: number;
  hooks: HookStatusRecord[];
}

/** The rpc exports of the agent (names as seen from the host, camelCase). */
export interface AgentRpc {
  ping(): string;
  status(): AgentStatus;
  setPhase(name: string): void;
  configure(config: AgentConfig): void;
  flush(): number;
}
