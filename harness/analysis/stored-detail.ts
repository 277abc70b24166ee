// Findings written before schema v4 had no title or event-count columns: the analysis packed
// `title\ndetail\nevidence: K of N events` into `findings.detail`. One reader for both the
// analysis (readFindings) and the report model.

/** Splits a packed detail; a plain one-line detail (other writers) is kept whole, untitled. */
export function splitStoredDetail(text: string): { title?: string; detail: string; count?: number } {
  const lines = text.split('\n');
  const m = /^evidence: \d+ of (\d+) events$/.exec(lines[lines.length - 1] ?? '');
  const count = m ? Number(m[1]) : undefined;
  if (m) lines.pop();
  if (lines.length < 2) return { detail: lines.join('\n'), ...(count === undefined ? {} : { count }) };
  return { title: lines[0]!, detail: lines.slice(1).join('\n'), ...(count === undefined ? {} : { count }) };
}
