// Process-wide agent state: identity, consent phase, foreground counting, configuration and
// counters. Plain module state: Frida runs the script's JS on one lock, so no races here.
import { type AgentConfig, type DataCategory, PROTOCOL_VERSION } from '../protocol/messages.ts';

export const AGENT_VERSION = '0.1.0';

export interface ResolvedConfig {
  disabledCategories: ReadonlySet<DataCategory>;
  rawValues: boolean;
  hashSalt: string;
  captureStacks: boolean;
  honey: boolean;
}

export const counters = {
  eventsSeen: 0,
  eventsSent: 0,
  eventsDropped: 0,
  batchesSent: 0,
  stacksSent: 0,
  hookErrors: 0,
};

export const identity = { pid: 0, process: 'unknown', packageName: 'unknown' };

let phase = 'pre-consent';
let resumed = 0;
let config: ResolvedConfig = {
  disabledCategories: new Set(),
  rawValues: false,
  hashSalt: '',
  captureStacks: true,
  honey: false,
};

export function setIdentity(pid: number, process: string): void {
  identity.pid = pid;
  identity.process = process;
  // Helper processes are "pkg:push"; the app's own package is the part before the colon.
  identity.packageName = process.split(':')[0] ?? process;
}

/** Common envelope fields of every message but `hello`. */
export function envelope(): { v: typeof PROTOCOL_VERSION; pid: number; process: string } {
  return { v: PROTOCOL_VERSION, pid: identity.pid, process: identity.process };
}

export function getPhase(): string {
  return phase;
}

export function setPhaseName(name: string): void {
  phase = name;
}

// Foreground follows Android's ProcessLifecycleOwner: it turns on at the first resumed activity
// but turns off only when no activity has resumed for BACKGROUND_DELAY_MS after the last pause,
// so a screen switch (pause A, resume B) never reads as a trip to the background.
export const BACKGROUND_DELAY_MS = 700;
let foreground = false;

export function isForeground(): boolean {
  return foreground;
}

/** Counts resumed activities; returns the resumed count after the change. */
export function activityResumed(delta: 1 | -1): number {
  resumed = Math.max(0, resumed + delta);
  return resumed;
}

export function resumedCount(): number {
  return resumed;
}

/** Sets the debounced foreground flag; returns whether it changed. */
export function setForeground(value: boolean): boolean {
  if (foreground === value) return false;
  foreground = value;
  return true;
}

export function getConfig(): ResolvedConfig {
  return config;
}

export function applyConfig(update: AgentConfig): ResolvedConfig {
  config = {
    disabledCategories:
      update.disabledCategories !== undefined
        ? new Set(update.disabledCategories)
        : config.disabledCategories,
    rawValues: update.rawValues ?? config.rawValues,
    hashSalt: update.hashSalt ?? config.hashSalt,
    captureStacks: update.captureStacks ?? config.captureStacks,
    honey: update.honey ?? config.honey,
  };
  return config;
}
