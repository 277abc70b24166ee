// Escaping for every output format. Strings from the app, device or trace are hostile: they
// only reach HTML through `html\`…\`` (interpolations escaped by default), XML through
// escapeXml, Markdown through escapeMd. How much of a long value a report shows: limits.ts.

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/**
 * Characters that change how text DISPLAYS without showing: bidi embeddings/overrides/isolates
 * (U+202A–202E, U+2066–2069, "Trojan Source", CVE-2021-42574), bidi marks (U+061C, U+200E,
 * U+200F), C0 controls but TAB and LF, DEL and C1 controls. With them `invoice\u202Egnp.exe`
 * reads as "invoiceexe.png". Reports show each as a visible `<U+XXXX>`, as code review tools do.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `<U+202E>` for each INVISIBLE character (plain text: escape it for the format after). */
export function showInvisible(text: string): string {
  return text.replace(INVISIBLE, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`);
}

/**
 * The one HTML escaping function: safe in text and in quoted attribute values; invisible
 * reordering and control characters become visible `<U+XXXX>` (see INVISIBLE).
 */
export function escapeHtml(text: string): string {
  return showInvisible(text).replace(/[&<>"'`]/g, (c) => HTML_ENTITIES[c]!);
}

/** Markup that is already safe (built by `html` or a constant of this code base). */
export class SafeHtml {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function interpolate(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.html;
  if (Array.isArray(v)) return v.map(interpolate).join('');
  return escapeHtml(String(v));
}

/**
 * Tagged template: the literal parts are trusted markup, every interpolation is escaped unless
 * it is itself SafeHtml (or an array of them). Forgetting to escape is therefore impossible.
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += interpolate(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** Marks a CONSTANT of this code base (the style sheet) as markup. Never pass trace data. */
export function trustedConstant(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Joins safe fragments. */
export function joinHtml(parts: readonly SafeHtml[], sep = ''): SafeHtml {
  return new SafeHtml(parts.map((p) => p.html).join(sep));
}

/** XML 1.0 allows TAB, LF, CR, U+0020…U+D7FF, U+E000…U+FFFD and paired surrogates. */
function xmlAllowed(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0x20) return c === 0x09 || c === 0x0a || c === 0x0d;
  if (c === 0x7f || c === 0xfffe || c === 0xffff) return false;
  if (c >= 0xd800 && c <= 0xdbff) {
    const n = text.charCodeAt(i + 1);
    return n >= 0xdc00 && n <= 0xdfff;
  }
  if (c >= 0xdc00 && c <= 0xdfff) {
    const p = text.charCodeAt(i - 1);
    return i > 0 && p >= 0xd800 && p <= 0xdbff;
  }
  return true;
}

/** Removes characters XML cannot carry (control characters, lone surrogates). */
export function stripXmlInvalid(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (xmlAllowed(text, i)) continue;
    out += text.slice(from, i);
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** XML text and attributes (JUnit): what XML cannot carry dropped, bidi characters shown. */
export function escapeXml(text: string): string {
  return showInvisible(stripXmlInvalid(text)).replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

/**
 * Markdown inline text (table cells, list items): HTML is neutralised as entities, Markdown
 * punctuation that could make links, code, emphasis or table columns is backslash-escaped,
 * and line breaks become spaces so a value cannot start a new block. GitHub-flavoured
 * Markdown also links bare `http://`, `https://`, `www.` and e-mail addresses (the autolink
 * extension, spec 0.29-gfm §6.9): escaping the `:` of `://`, the `.` after `www` and every `@`
 * stops that (a backslash-escaped character is never part of an autolink) and renders the
 * same text. Invisible reordering characters show as `<U+XXXX>`.
 */
export function escapeMd(text: string): string {
  return stripXmlInvalid(showInvisible(text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')))
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(/[\\`*_[\]#|~@]/g, (c) => `\\${c}`)
    .replace(/:(?=\/\/)/g, '\\:')
    .replace(/(www)\./gi, '$1\\.');
}
