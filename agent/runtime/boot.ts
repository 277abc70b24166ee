// Start-up: identify the process, say hello (always the first message), install every hook
// inside its own guard, send all statuses, and build the rpc surface index.ts exports.
import Java from 'frida-java-bridge';
import type { CatalogEntry, JavaHookEntry } from '../catalog/types.ts';
import { installEntry } from '../hooks/installer.ts';
import { addPending, startLazyInstaller } from '../hooks/lazy.ts';
import { allStatuses, sendHookStatus, setStatus } from '../hooks/registry.ts';
import { leakCounters, setWindowKb, valuesKept } from '../leaks/leaks.ts';
import type { AgentConfig, AgentRpc, AgentStatus, HelloMessage } from '../protocol/messages.ts';
import { PROTOCOL_VERSION } from '../protocol/messages.ts';
import { post } from '../send.ts';
import { flush } from './batcher.ts';
import { now } from './clock.ts';
import { postLifecycle, REQUIRED_LIFECYCLE } from './lifecycle.ts';
import { errorText, type SummarizerTable, setSummarizers } from './report.ts';
import {
  AGENT_VERSION,
  applyConfig,
  counters,
  getPhase,
  identity,
  isForeground,
  setIdentity,
  setPhaseName,
} from './state.ts';

function readProcessName(): string {
  try {
    const name = File.readAllText('/proc/self/cmdline').split('\0')[0]?.trim();
    if (name) return name;
  } catch {
    // not readable: fall through
  }
  try {
    return Process.enumerateModules()[0]?.name ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function readApiLevel(): number | undefined {
  try {
    const version = Java.use('android.os.Build$VERSION');
    const level: unknown = version.SDK_INT.value;
    return typeof level === 'number' ? level : undefined;
  } catch {
    return undefined;
  }
}

/** Foreground tracking needs Activity.onResume/onPause even if the catalog drops them. */
function withLifecycle(catalog: readonly CatalogEntry[]): CatalogEntry[] {
  const have = new Set(catalog.filter((e) => e.kind === 'java').map((e) => `${e.className}.${e.method}`));
  const extra: JavaHookEntry[] = [];
  for (const api of REQUIRED_LIFECYCLE) {
    if (have.has(api)) continue;
    const dot = api.lastIndexOf('.');
    const method = api.slice(dot + 1);
    extra.push({
      kind: 'java',
      id: `agent.${method.toLowerCase()}`,
      category: 'lifecycle',
      className: api.slice(0, dot),
      method,
      summary: 'self-class',
      samples: [],
    });
  }
  return [...catalog, ...extra];
}

function installAll(catalog: readonly CatalogEntry[]): void {
  for (const entry of catalog) {
    const outcome = installEntry(entry);
    if (outcome.state === 'pending' && entry.kind === 'java') addPending(entry);
  }
  try {
    startLazyInstaller();
  } catch (err) {
    for (const s of allStatuses()) {
      if (s.state === 'pending') setStatus(s.hook, 'failed', `class-loader watch failed: ${errorText(err)}`);
    }
  }
  sendHookStatus();
}

export function startAgent(catalog: readonly CatalogEntry[], summarizers: SummarizerTable): void {
  setSummarizers(summarizers);
  setIdentity(Process.id, readProcessName());
  const java = Java.available;
  const hello: HelloMessage = {
    v: PROTOCOL_VERSION,
    type: 'hello',
    time: now(),
    agentVersion: AGENT_VERSION,
    pid: identity.pid,
    process: identity.process,
  };
  if (java) {
    Java.performNow(() => {
      const level = readApiLevel();
      if (level !== undefined) hello.apiLevel = level;
    });
  }
  post(hello);
  const all = withLifecycle(catalog);
  // Native hooks go in at once (the earliest instructions); Java ones once the VM is ready.
  for (const entry of all) if (entry.kind === 'native') installEntry(entry);
  const javaEntries = all.filter((e) => e.kind === 'java');
  if (java) Java.perform(() => installAll(javaEntries));
  else {
    for (const entry of javaEntries) setStatus(entry.id, 'class-missing', 'no Java runtime in this process');
    sendHookStatus();
  }
}

export function status(): AgentStatus {
  return {
    agentVersion: AGENT_VERSION,
    pid: identity.pid,
    process: identity.process,
    phase: getPhase(),
    foreground: isForeground(),
    ...counters,
    valuesKept: valuesKept(),
    sendsMatched: leakCounters.sendsMatched,
    hooks: allStatuses(),
  };
}

/** The rpc surface (camelCase names as the host sees them). */
export function buildRpc(): AgentRpc {
  return {
    ping: () => 'pong',
    status,
    setPhase(name: string) {
      if (typeof name !== 'string' || name === '') throw new Error('setPhase: expected a non-empty string');
      flush(); // events so far belong to the old phase: send them under it
      setPhaseName(name);
      postLifecycle('phase', name);
    },
    configure(config: AgentConfig) {
      if (config === null || typeof config !== 'object') throw new Error('configure: expected an object');
      if (config.matchWindowKb !== undefined) setWindowKb(config.matchWindowKb);
      applyConfig(config);
    },
    flush,
  };
}
