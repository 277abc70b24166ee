// The agent's one value matcher (process-wide): reads remember their values here, sends are
// searched here. report.ts is the only caller; rpc `configure` sets the window, `status` reads
// the counters.
import type { DataCategory, SentValue } from '../protocol/messages.ts';
import { DEFAULT_LIMITS, ValueMatcher } from './value-match.ts';

let matcher = new ValueMatcher(DEFAULT_LIMITS);
export const leakCounters = { sendsMatched: 0 };

/** The read's ref when its value is kept (EventRecord.ref), else undefined. */
export function rememberRead(value: string, category: DataCategory): number | undefined {
  return matcher.remember(value, category);
}

/** Kept values carried by an outgoing message (its first window of characters). */
export function matchSend(payload: string): SentValue[] {
  const found = matcher.match(payload);
  if (found.length > 0) leakCounters.sendsMatched++;
  return found;
}

/** Characters of an outgoing message the matcher searches (hooks read no more than this). */
export function windowChars(): number {
  return matcher.limits.windowChars;
}

export function valuesKept(): number {
  return matcher.size;
}

/** Changes the searched window; kept values are kept. */
export function setWindowKb(kb: number): void {
  if (!Number.isFinite(kb) || kb <= 0 || kb > 1024)
    throw new Error('configure: matchWindowKb must be in (0, 1024]');
  const chars = Math.round(kb * 1024);
  if (chars !== matcher.limits.windowChars)
    matcher = matcher.withLimits({ ...matcher.limits, windowChars: chars });
}
