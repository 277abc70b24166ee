// Validation problems are collected (never thrown one at a time) so an analyst sees every
// mistake in a file at once; the loader turns each into "file:line:col: path: message".
import { InputError } from '../errors.ts';

export type PathSeg = string | number;
export type Path = readonly PathSeg[];

export interface Issue {
  /** Where the problem is, as shown: steps[3].wait.duration. */
  path: Path;
  message: string;
  /** The node to point at when it differs from `path` (e.g. the unknown key itself). */
  loc?: Path;
  /** Point at the key of the last `loc` segment rather than its value. */
  at?: 'key' | 'value';
}

export class Reporter {
  readonly issues: Issue[] = [];
  add(path: Path, message: string, extra?: { loc?: Path; at?: 'key' | 'value' }): undefined {
    this.issues.push({ path, message, ...extra });
    return undefined;
  }
}

/** `['steps', 3, 'wait']` → `steps[3].wait`. */
export function formatPath(path: Path): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out === '' ? seg : `.${seg}`;
  }
  return out;
}

/** One InputError for a whole file: `message` is the first problem, `errors` all of them. */
export class ScenarioInputError extends InputError {
  readonly errors: string[];
  constructor(errors: string[], options?: { cause?: unknown }) {
    super(errors[0] ?? 'invalid scenario', options);
    this.errors = errors;
  }
}

/** Formats issues with a locator (file:line:col for YAML, a label for the DSL). */
export function formatIssues(issues: readonly Issue[], where: (issue: Issue) => string): string[] {
  return issues.map((issue) => {
    const path = formatPath(issue.path);
    return path === '' ? `${where(issue)}: ${issue.message}` : `${where(issue)}: ${path}: ${issue.message}`;
  });
}

/** Optimal-string-alignment distance: a swapped pair ("stpes") counts as one typo. */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate within a typo's reach, for "(did you mean …?)". */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  let best: string | undefined;
  let bestDist = Math.max(1, Math.floor(w.length / 3)) + 1;
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDist) {
      best = c;
      bestDist = d;
    }
  }
  return best;
}

export function didYouMean(word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : ` (did you mean "${c}"?)`;
}

/** How a value is named in "expected X, got Y". */
export function describeType(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'mapping';
  return typeof v;
}

/** A value shown in a message: strings quoted, long ones cut. */
export function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return describeType(v);
}
