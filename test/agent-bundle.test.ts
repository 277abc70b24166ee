// The agent bundle is reproducible (same source → identical bytes) and each variant bundles the
// right Java bridge: the real frida-java-bridge (with the `buffer` polyfill) or the simulated one.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLES, buildAgent } from '../scripts/build-agent.mjs';

describe('agent bundle', () => {
  it('is byte-identical across two builds and names no absolute path', async () => {
    const a = mkdtempSync(join(tmpdir(), 'agent-a-'));
    const b = mkdtempSync(join(tmpdir(), 'agent-b-'));
    const first = await buildAgent(a);
    const second = await buildAgent(b);
    expect(first.map((f) => f.slice(a.length))).toEqual(BUNDLES.map((x) => x.out.replace(/^dist/, '')));
    for (const [i, file] of first.entries()) {
      const one = readFileSync(file);
      const two = readFileSync(second[i] as string);
      expect(one.length).toBeGreaterThan(10_000);
      expect(one.equals(two), file).toBe(true);
      expect(one.toString('utf8')).not.toContain(process.cwd());
    }
    const real = readFileSync(join(a, 'agent.js'), 'utf8');
    const sim = readFileSync(join(a, 'agent-sim.js'), 'utf8');
    expect(real).toContain('node_modules/frida-java-bridge/lib/android.js');
    expect(real).toContain('node_modules/buffer/index.js');
    expect(real).not.toContain('__overreachSimJava');
    expect(sim).not.toContain('node_modules/frida-java-bridge');
    expect(sim).toContain('__overreachSimJava');
    // Same agent source in both: the installer's messages appear in each.
    for (const text of [real, sim]) expect(text).toContain('hook body threw: ');
  });
});
