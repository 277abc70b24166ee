// Severity order shared by every renderer and by `--fail-on`.
import { InputError } from '../harness/errors.ts';
import { SEVERITIES, type Severity } from '../harness/scenario/types.ts';

export { SEVERITIES, type Severity };

/** 0 (info) … 4 (critical); unknown severities (a newer analysis) rank as info. */
export function severityRank(s: string): number {
  return Math.max((SEVERITIES as readonly string[]).indexOf(s), 0);
}

export function atLeast(s: string, threshold: Severity): boolean {
  return severityRank(s) >= severityRank(threshold);
}

export function parseSeverity(text: string, option = '--fail-on'): Severity {
  const s = text.trim().toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(s))
    throw new InputError(`${option}: expected one of ${SEVERITIES.join(', ')}, got "${text}"`);
  return s as Severity;
}

/** SARIF result level for a severity. */
export function sarifLevel(s: string): 'error' | 'warning' | 'note' {
  const r = severityRank(s);
  return r >= 3 ? 'error' : r === 2 ? 'warning' : 'note';
}
