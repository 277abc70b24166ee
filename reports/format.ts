// Plain-text formatting shared by the renderers (times in UTC, counts with separators).

export function fmtTime(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

export function fmtCount(n: number): string {
  return n.toLocaleString('en-US');
}

export function fmtDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 2 : 1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Offset from the start of the run, e.g. "+12.3 s". */
export function fmtOffset(ms: number, start: number): string {
  const d = (ms - start) / 1000;
  return `${d < 0 ? '−' : '+'}${Math.abs(d).toFixed(Math.abs(d) < 100 ? 1 : 0)} s`;
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${fmtCount(n)} ${n === 1 ? word : many}`;
}

/** Top entries of a count record, busiest first. */
export function topCounts(rec: Readonly<Record<string, number>>, limit = Infinity): [string, number][] {
  return Object.entries(rec)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit);
}

/** The analysis context stored with the run, one line ("profile a.yaml · pack cn-necessary-2021"). */
export function fmtContext(c: {
  profile: string | null;
  pack: string | null;
  rules: string | null;
  apk: string | null;
  overrides: unknown[];
}): string {
  const base = (f: string) => f.split(/[\\/]/).pop() ?? f;
  const parts = [
    c.profile ? `profile ${base(c.profile)}` : 'no profile',
    `pack ${c.pack ? base(c.pack) : 'default'}`,
    ...(c.rules ? [`rules ${base(c.rules)}`] : []),
    ...(c.apk ? [`apk ${base(c.apk)}`] : []),
  ];
  const n = c.overrides.length;
  return `${parts.join(' · ')}${n > 0 ? ` (${n} later override${n === 1 ? '' : 's'})` : ''}`;
}
