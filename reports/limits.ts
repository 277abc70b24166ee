// What a report shows of app-controlled text: the one place for the caps (docs/reports.md
// "Limits"). The database always keeps the full value; a cut value ends with a marker that says
// how much is missing and which event holds it.

export const REPORT_LIMITS = {
  /** Characters shown of one value (an argument or result summary, a raw value, a detail). */
  valueChars: 2_000,
  /** Characters of evidence values shown per finding; later values show only the marker. */
  findingChars: 40_000,
  /** Frames shown per stack, and characters per frame. */
  stackFrames: 64,
  frameChars: 500,
  /** Longest marker appended to a cut value. */
  markerChars: 120,
} as const;

/** `text` cut to `limit` characters (never inside a surrogate pair) with a marker naming `where`. */
export function capValue(text: string, limit: number, where: string): string {
  if (text.length <= limit) return text;
  let cut = Math.max(0, limit);
  const last = text.charCodeAt(cut - 1);
  if (cut > 0 && last >= 0xd800 && last <= 0xdbff) cut--;
  const more = (text.length - cut).toLocaleString('en-US');
  return `${text.slice(0, cut)}…[${more} more characters not shown; full value in the database, ${where}]`;
}

/** The characters one finding may still show; each value takes from it (capValue). */
export class FindingBudget {
  private left: number = REPORT_LIMITS.findingChars;

  take(text: string | null, where: string): string | null {
    if (text === null) return null;
    const shown = capValue(text, Math.min(REPORT_LIMITS.valueChars, this.left), where);
    this.left = Math.max(0, this.left - Math.min(text.length, REPORT_LIMITS.valueChars));
    return shown;
  }
}

/** A stack's frames as a report shows them: at most stackFrames frames of frameChars each. */
export function capFrames(frames: readonly string[], where: string): string[] {
  const shown = frames
    .slice(0, REPORT_LIMITS.stackFrames)
    .map((f) => capValue(f, REPORT_LIMITS.frameChars, where));
  if (frames.length > REPORT_LIMITS.stackFrames)
    shown.push(
      `…[${frames.length - REPORT_LIMITS.stackFrames} more frames not shown; full stack in the database, ${where}]`,
    );
  return shown;
}
