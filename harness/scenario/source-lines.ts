// Where each step and expectation of a YAML scenario is written (1-based lines), stored with the
// run so a finding can point at the scenario line that produced it (SARIF physical locations).
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { isSeq, LineCounter, parseDocument } from 'yaml';

export interface ScenarioLines {
  steps: (number | null)[];
  expect: (number | null)[];
}

/** Lines of `steps[i]` and `expect[i]`; undefined for a scenario that is not YAML or not readable. */
export function scenarioLines(file: string): ScenarioLines | undefined {
  if (!/^\.ya?ml$/i.test(extname(file))) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const linesOf = (key: string): (number | null)[] => {
    const seq = doc.get(key, true);
    if (!isSeq(seq)) return [];
    return seq.items.map((n) => {
      const r = (n as { range?: [number, number, number] }).range;
      return r ? lc.linePos(r[0]).line : null;
    });
  };
  return { steps: linesOf('steps'), expect: linesOf('expect') };
}
