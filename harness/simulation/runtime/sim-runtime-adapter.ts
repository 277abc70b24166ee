// Adapts the simulated Frida/Java runtime (sim-runtime.ts, which runs the agent
// bundle in a vm context) to the SimProcessRuntime seam the simulated app drives.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuntimeFactory } from './process-runtime.ts';
import { createSimRuntime, DEFAULT_AGENT } from './sim-runtime.ts';

/** Marker of a bundle built for the simulated bridge (bridge-entry.ts). */
const SIM_MARKER = '__overreachSimJava';

let sourceDir: string | undefined;

/**
 * The bundle the simulator can run for a Device.spawn `agentSource`: a path to, or the code of,
 * a simulator bundle (dist/agent-sim.js) is used as is; anything else (the real dist/agent.js
 * needs the real frida-java-bridge) falls back to `fallback`.
 */
export function simAgentPath(agentSource: string | undefined, fallback = DEFAULT_AGENT): string {
  if (!agentSource) return fallback;
  if (!agentSource.includes('\n') && existsSync(agentSource)) {
    return readFileSync(agentSource, 'utf8').includes(SIM_MARKER) ? agentSource : fallback;
  }
  if (!agentSource.includes(SIM_MARKER)) return fallback;
  sourceDir ??= mkdtempSync(join(tmpdir(), 'overreach-sim-agent-'));
  const path = join(sourceDir, `agent-${agentSource.length}-${hashOf(agentSource)}.js`);
  if (!existsSync(path)) writeFileSync(path, agentSource);
  return path;
}

function hashOf(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16);
}

/** Default factory: one simulated runtime per process with the agent bundle loaded. */
export const simRuntimeFactory: RuntimeFactory = async (o) => {
  const rt = createSimRuntime({
    packageName: o.packageName,
    processName: o.processName,
    pid: o.pid,
    clock: o.clock,
    ...(o.apiLevel ? { apiLevel: o.apiLevel } : {}),
  });
  rt.onMessage((m) => o.onMessage(m));
  rt.loadAgent(o.agentPath ?? DEFAULT_AGENT);
  return {
    pid: o.pid,
    processName: o.processName,
    callJava: (className, method, c) => rt.app.call(className, method, c),
    callNative: (module, symbol, c) => {
      rt.app.callNative(module, symbol, c.args, {
        stack: c.stack,
        thread: c.thread,
        ...(c.result !== undefined ? { result: c.result } : {}),
      });
    },
    loadClass: (cls, loader, stack, thread) => {
      rt.app.loadClass(cls.name, {
        loader,
        methods: cls.methods,
        superclass: cls.superclass ?? 'java.lang.Object',
        stack,
        thread,
      });
    },
    startApplication: (cls) => rt.app.start(cls),
    resume: (activity) => rt.app.resume(activity),
    pause: (activity) => rt.app.pause(activity),
    flush: () => {
      if (rt.isAlive) rt.rpc.flush();
    },
    rpc: () => rt.rpc,
    kill: () => rt.kill(),
  };
};
