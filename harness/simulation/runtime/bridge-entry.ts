// Stands in for 'frida-java-bridge' in dist/agent-sim.js: the simulated runtime (java-world.ts)
// places its bridge object in the script's global scope before the bundle runs.
const g = globalThis as unknown as { __overreachSimJava?: unknown };
if (!g.__overreachSimJava) throw new Error('agent-sim: the simulated Java bridge is missing');
export default g.__overreachSimJava;
