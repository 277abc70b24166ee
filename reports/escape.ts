// Escaping for every output format. Strings from the app, device or trace are hostile: they
// only reach HTML through `html\`…\`` (interpolations escaped by default), XML through
// escapeXml, Markdown through escapeMd.

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** The one HTML escaping function: safe in text and in quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => HTML_ENTITIES[c]!);
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

export function escapeXml(text: string): string {
  return stripXmlInvalid(text).replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

/**
 * Markdown inline text (table cells, list items): HTML is neutralised as entities, Markdown
 * punctuation that could make links, code, emphasis or table columns is backslash-escaped,
 * and line breaks become spaces so a value cannot start a new block.
 */
export function escapeMd(text: string): string {
  return stripXmlInvalid(text)
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
    .replace(/[\\`*_[\]#|~]/g, (c) => `\\${c}`);
}
