// YAML scenario text → Scenario, with every problem located as file:line:col. Positions come
// from the yaml package's CST ranges: each issue's path is walked down the document's nodes.
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { yamlToJs } from '../util/yaml-value.ts';
import { formatIssues, type Issue, type Path, Reporter, ScenarioInputError } from './issues.ts';
import type { Scenario } from './types.ts';
import { validateScenario } from './validate.ts';

type Range = readonly [number, number, number];

function rangeOf(node: unknown): Range | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const r = (node as Node).range;
    if (r) return r;
  }
  return undefined;
}

/** An empty value (`tap:` with nothing after it) has an empty range; point at its key instead. */
function isEmptyScalar(node: unknown): boolean {
  if (!isScalar(node)) return false;
  const r = node.range;
  return node.value === null && (!r || r[0] === r[1]);
}

/** Offset of the deepest node on `path` (the key of the last segment if `at` is 'key'). */
export function locate(doc: Document, path: Path, at: 'key' | 'value' = 'value'): number {
  let node: unknown = doc.contents;
  let best = rangeOf(node)?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair) return best;
      const keyStart = rangeOf(pair.key)?.[0];
      if (last && at === 'key' && keyStart !== undefined) return keyStart;
      if (pair.value === null || isEmptyScalar(pair.value)) return keyStart ?? best;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (item === undefined) return best;
      node = item;
    } else {
      return best;
    }
    best = rangeOf(node)?.[0] ?? best;
  }
  return best;
}

/** Parses and validates YAML text; throws one ScenarioInputError listing every problem. */
export function parseScenarioYaml(text: string, file: string): Scenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    throw new ScenarioInputError(
      doc.errors.map((e) => `${at(e.pos[0])}: YAML syntax error: ${oneLine(e.message)} (${e.code})`),
    );
  }
  const reporter = new Reporter();
  const scenario = validateScenario(yamlToJs(doc, file), reporter);
  if (scenario && reporter.issues.length === 0) return scenario;
  const where = (issue: Issue) => at(locate(doc, issue.loc ?? issue.path, issue.at));
  throw new ScenarioInputError(formatIssues(sortByPosition(reporter.issues, doc), where));
}

function sortByPosition(issues: readonly Issue[], doc: Document): Issue[] {
  const keyed = issues.map((issue, i) => ({ issue, i, pos: locate(doc, issue.loc ?? issue.path, issue.at) }));
  keyed.sort((a, b) => a.pos - b.pos || a.i - b.i);
  return keyed.map((k) => k.issue);
}

function oneLine(s: string): string {
  return s.split('\n')[0]!.trim();
}
