// What was on screen when the runner acted: the focused window's texts, buttons and checkbox
// states, read from the UiAutomator2 page source (one request, the same on the simulator and
// on Appium). App strings only: the text of editable fields (what the scenario typed, possibly
// personal) is never kept. Stored in `ui_snapshots` (docs/schema.md, migration 5).

import { redactPersonal } from '../../agent/hooks/redact.ts';
import type { Locator, Point, TapTarget, UiElement } from '../device/types.ts';
import type { Store } from '../store/store.ts';

export interface UiText {
  /** Short class name ("Button", "CheckBox"). */
  cls: string;
  text: string;
  id: string;
  desc: string;
  clickable: boolean;
  checkable: boolean;
  checked: boolean;
  /** [left, top, right, bottom] */
  bounds: [number, number, number, number];
}

export interface UiTarget {
  text: string;
  id: string;
  desc: string;
  cls: string;
}

export const UI_SNAPSHOT_KINDS = ['consent', 'tap', 'screen'] as const;
export type UiSnapshotKind = (typeof UI_SNAPSHOT_KINDS)[number];

/** Limits: a hostile app can put any number of nodes and any length of text on screen. */
const MAX_NODES = 80;
const MAX_TEXT = 200;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
      return Number.isFinite(n) && n >= 0 && n <= 0x10ffff ? String.fromCodePoint(n) : '';
    }
    return ENTITIES[e.toLowerCase()] ?? '';
  });
}

const cap = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT - 1)}…` : s);

/**
 * Screens can show personal values too (a profile page with the phone number, an ID number being
 * verified): runs of 7+ digits and e-mail addresses become `[redacted]` unless raw values were
 * asked for. Names in a contact list cannot be told from app strings: keep that in mind when
 * sharing a report. One rule for every UI text: the agent redacts the texts of notifications,
 * toasts and dialogs with the same function.
 */
export { redactPersonal };

/** Nodes with something to say (text, description, or a clickable/checkable control), in document order. */
export function parsePageSource(xml: string, opts: { raw?: boolean } = {}): UiText[] {
  const clean = (s: string) => cap(opts.raw ? s : redactPersonal(s));
  const out: UiText[] = [];
  const tag = /<([A-Za-z_][\w.$-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*\/?>/g;
  const attr = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  for (let m = tag.exec(xml); m && out.length < MAX_NODES; m = tag.exec(xml)) {
    if (m[1] === 'hierarchy' || m[1] === 'xml') continue;
    const a: Record<string, string> = {};
    for (let x = attr.exec(m[2] ?? ''); x; x = attr.exec(m[2] ?? ''))
      a[x[1]!] = unescapeXml(x[2] ?? x[3] ?? '');
    const cls = a['class'] ?? m[1]!;
    const editable = /EditText|AutoCompleteTextView/.test(cls) || a['password'] === 'true';
    const text = editable ? '' : clean(a['text'] ?? '');
    const node: UiText = {
      cls: cls.slice(cls.lastIndexOf('.') + 1),
      text,
      id: cap(a['resource-id'] ?? ''),
      desc: clean(a['content-desc'] ?? ''),
      clickable: a['clickable'] === 'true',
      checkable: a['checkable'] === 'true',
      checked: a['checked'] === 'true',
      bounds: parseBounds(a['bounds']),
    };
    if (node.text || node.desc || node.clickable || node.checkable) out.push(node);
  }
  return out;
}

function parseBounds(b: string | undefined): [number, number, number, number] {
  const m = /^\[(-?\d+),(-?\d+)\]\[(-?\d+),(-?\d+)\]$/.exec(b ?? '');
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] : [0, 0, 0, 0];
}

function isPoint(t: TapTarget): t is Point {
  return 'x' in t && 'y' in t;
}

function isLocator(t: TapTarget): t is Locator {
  return 'by' in t && 'value' in t;
}

/** The node a tap target designates, as far as the snapshot tells: element, locator or point. */
export function targetOf(
  t: TapTarget,
  nodes: readonly UiText[],
  opts: { raw?: boolean } = {},
): UiTarget | null {
  const clean = (s: string) => cap(opts.raw ? s : redactPersonal(s));
  const short = (c: string) => c.slice(c.lastIndexOf('.') + 1);
  if (isPoint(t)) {
    // The innermost (smallest) clickable node containing the point.
    const hits = nodes.filter(
      (n) =>
        n.clickable && t.x >= n.bounds[0] && t.x < n.bounds[2] && t.y >= n.bounds[1] && t.y < n.bounds[3],
    );
    const area = (n: UiText) => (n.bounds[2] - n.bounds[0]) * (n.bounds[3] - n.bounds[1]);
    const n = hits.sort((a, b) => area(a) - area(b))[0];
    return n ? { text: n.text, id: n.id, desc: n.desc, cls: n.cls } : null;
  }
  if (isLocator(t)) {
    const v = t.value;
    const n = nodes.find((x) =>
      t.by === 'text'
        ? x.text === v
        : t.by === 'id'
          ? x.id === v || x.id.endsWith(`:id/${v}`)
          : t.by === 'accessibility-id'
            ? x.desc === v
            : false,
    );
    return n
      ? { text: n.text, id: n.id, desc: n.desc, cls: n.cls }
      : { text: '', id: '', desc: '', cls: `${t.by}=${clean(v)}` };
  }
  const e: UiElement = t;
  const editable = /EditText/.test(e.className);
  return {
    text: editable ? '' : clean(e.text),
    id: cap(e.resourceId),
    desc: clean(e.contentDesc),
    cls: short(e.className),
  };
}

export interface UiSnapshotRow {
  time: number;
  stepId: number | null;
  kind: UiSnapshotKind;
  package: string | null;
  target: UiTarget | null;
  nodes: UiText[];
}

export function writeUiSnapshot(store: Store, runId: number, s: UiSnapshotRow): void {
  store.db
    .prepare(
      'INSERT INTO ui_snapshots (run_id, time, step_id, kind, package, target, nodes) VALUES (?, ?, ?, ?, ?, ?, ?)',
    )
    .run(
      runId,
      s.time,
      s.stepId,
      s.kind,
      s.package,
      s.target ? JSON.stringify(s.target) : null,
      JSON.stringify(s.nodes),
    );
}
