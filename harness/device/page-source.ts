// UiAutomator2 page source (the hierarchy XML `getPageSource` returns) read into element
// snapshots: one request per poll instead of a find plus ~9 attribute requests per element
// (AppiumUiDriver.snapshot). Pure; the XML is the device's, hostile text included.
import type { Bounds, UiElement } from './types.ts';

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? '';
  });
}

/** "[0,66][1080,2337]" → [0, 66, 1080, 2337]; anything else → zeros. */
export function parseBounds(text: string): Bounds {
  const m = /^\[(-?\d+),(-?\d+)\]\[(-?\d+),(-?\d+)\]$/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] : [0, 0, 0, 0];
}

/** A node of the page source with every attribute (for matching) and its element snapshot. */
export interface PageNode {
  attrs: Record<string, string>;
  element: UiElement;
}

const TAG = /<([A-Za-z_][\w.$-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/g;
const ATTR = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** Every element node of a UiAutomator2 page source, in document order (the root excluded). */
export function parsePageSource(xml: string): PageNode[] {
  const out: PageNode[] = [];
  for (const m of xml.matchAll(TAG)) {
    const tag = m[1] ?? '';
    if (tag === 'hierarchy') continue;
    const attrs: Record<string, string> = {};
    for (const a of (m[2] ?? '').matchAll(ATTR)) attrs[a[1] ?? ''] = decode(a[2] ?? a[3] ?? '');
    out.push({
      attrs,
      element: {
        // Not a WebDriver element: act on it by its bounds (tap its centre) or a locator.
        elementId: '',
        className: attrs['class'] ?? tag,
        text: attrs['text'] ?? '',
        resourceId: attrs['resource-id'] ?? '',
        contentDesc: attrs['content-desc'] ?? '',
        packageName: attrs['package'] ?? '',
        clickable: attrs['clickable'] === 'true',
        checked: attrs['checked'] === 'true',
        enabled: attrs['enabled'] !== 'false',
        bounds: parseBounds(attrs['bounds'] ?? ''),
      },
    });
  }
  return out;
}

/** The centre of an element: where a tap on a page-source element goes. */
export function centreOf(e: UiElement): { x: number; y: number } {
  const [l, t, r, b] = e.bounds;
  return { x: Math.round((l + r) / 2), y: Math.round((t + b) / 2) };
}
