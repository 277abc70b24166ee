// Fresh agent bundles for tests and benchmarks: built once per process into a private temporary
// directory, so parallel test workers never read a half-written dist/ file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAgent } from '../../../scripts/build-agent.mjs';

export interface AgentBundles {
  dir: string;
  /** dist/agent.js equivalent (real frida-java-bridge). */
  agent: string;
  /** dist/agent-sim.js equivalent (simulated bridge, real catalog). */
  sim: string;
  /** dist/agent-sim-test.js equivalent (simulated bridge, host-supplied catalog). */
  simTest: string;
}

let built: Promise<AgentBundles> | undefined;

export function buildFreshBundles(): Promise<AgentBundles> {
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'overreach-agent-'));
    // One bundle directory per process, gone with it (tests and benches build one each).
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    const files = await buildAgent(dir);
    if (files.length === 0) throw new Error('esbuild is not installed: cannot build the agent');
    return {
      dir,
      agent: join(dir, 'agent.js'),
      sim: join(dir, 'agent-sim.js'),
      simTest: join(dir, 'agent-sim-test.js'),
    };
  })();
  return built;
}
