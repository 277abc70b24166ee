// The simulated UI tree: nodes with uiautomator2 attributes, serialised as the page source XML
// Appium's UiAutomator2 driver returns, and rendered to a small real PNG for screenshots.
import { deflateSync } from 'node:zlib';
import type { XNode } from './xpath.ts';

export type Bounds = [number, number, number, number];

export interface UiNode extends XNode {
  tag: string;
  attrs: Record<string, string>;
  children: UiNode[];
  bounds: Bounds;
  onTap?: () => void;
  onLongPress?: () => void;
  onType?: (text: string) => void;
}

/** One window on screen: the app's activity, a dialog over it, the launcher, the browser … */
export interface UiWindow {
  packageName: string;
  activity: string;
  root: UiNode;
  /** Back key handler; returns false when the window does not consume it. */
  onBack?: () => boolean;
}

export interface NodeProps {
  text?: string;
  resourceId?: string;
  contentDesc?: string;
  clickable?: boolean;
  longClickable?: boolean;
  checkable?: boolean;
  checked?: boolean;
  enabled?: boolean;
  focusable?: boolean;
  password?: boolean;
  scrollable?: boolean;
  bounds: Bounds;
  onTap?: () => void;
  onLongPress?: () => void;
  onType?: (text: string) => void;
}

/** Builds a node with the attributes in uiautomator2's order. */
export function uiNode(
  className: string,
  packageName: string,
  props: NodeProps,
  children: UiNode[] = [],
): UiNode {
  const b = props.bounds;
  const attrs: Record<string, string> = {
    index: '0',
    package: packageName,
    class: className,
    text: props.text ?? '',
    'resource-id': props.resourceId ?? '',
    'content-desc': props.contentDesc ?? '',
    checkable: String(props.checkable ?? false),
    checked: String(props.checked ?? false),
    clickable: String(props.clickable ?? false),
    enabled: String(props.enabled ?? true),
    focusable: String(props.focusable ?? props.clickable ?? false),
    focused: 'false',
    'long-clickable': String(props.longClickable ?? false),
    password: String(props.password ?? false),
    scrollable: String(props.scrollable ?? false),
    selected: 'false',
    bounds: `[${b[0]},${b[1]}][${b[2]},${b[3]}]`,
    displayed: 'true',
  };
  children.forEach((c, i) => {
    c.attrs['index'] = String(i);
  });
  const node: UiNode = { tag: className, attrs, children, bounds: b };
  if (props.onTap) node.onTap = props.onTap;
  if (props.onLongPress) node.onLongPress = props.onLongPress;
  if (props.onType) node.onType = props.onType;
  return node;
}

// XML 1.0 forbids most control characters even escaped: drop them (the app's strings are hostile).
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
const INVALID_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

export function escapeXml(s: string): string {
  return s
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

function writeNode(node: UiNode, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const attrs = Object.entries(node.attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  if (node.children.length === 0) {
    out.push(`${pad}<${node.tag}${attrs} />`);
    return;
  }
  out.push(`${pad}<${node.tag}${attrs}>`);
  for (const c of node.children) writeNode(c, depth + 1, out);
  out.push(`${pad}</${node.tag}>`);
}

/** The `hierarchy` root Appium returns around a window. */
export function hierarchyOf(window: UiWindow, width: number, height: number): UiNode {
  const root: UiNode = {
    tag: 'hierarchy',
    attrs: { index: '0', class: 'hierarchy', rotation: '0', width: String(width), height: String(height) },
    children: [window.root],
    bounds: [0, 0, width, height],
  };
  window.root.attrs['index'] = '0';
  return root;
}

/** Appium page source (UiAutomator2 format). */
export function pageSourceXml(hierarchy: UiNode): string {
  const out = ["<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>"];
  const attrs = Object.entries(hierarchy.attrs)
    .map(([k, v]) => ` ${k}="${escapeXml(v)}"`)
    .join('');
  out.push(`<hierarchy${attrs}>`);
  for (const c of hierarchy.children) writeNode(c, 1, out);
  out.push('</hierarchy>');
  return out.join('\n');
}

/** Every node, parents before children (paint order). */
export function allNodes(root: UiNode): UiNode[] {
  const out: UiNode[] = [];
  const walk = (n: UiNode) => {
    out.push(n);
    for (const c of n.children) walk(c);
  };
  walk(root);
  return out;
}

// ---- screenshots: a real PNG (RGB, 8 bit) of element boxes at 1/4 scale -----------------------

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

export function encodePng(width: number, height: number, rgb: Uint8Array): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // colour type: RGB
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 3 + 1)] = 0; // filter: none
    Buffer.from(rgb.buffer, rgb.byteOffset + y * width * 3, width * 3).copy(raw, y * (width * 3 + 1) + 1);
  }
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    sig,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

type Rgb = [number, number, number];

function colourOf(n: UiNode): Rgb {
  if (n.attrs['package'] === 'com.android.permissioncontroller' && n.attrs['clickable'] === 'true')
    return [26, 115, 232];
  if (n.attrs['checkable'] === 'true') return n.attrs['checked'] === 'true' ? [52, 168, 83] : [189, 193, 198];
  if (n.tag.endsWith('EditText')) return [241, 243, 244];
  if (n.attrs['clickable'] === 'true') return [66, 133, 244];
  if (n.attrs['text'] !== '') return [95, 99, 104];
  return [255, 255, 255];
}

/** Renders the window's element boxes (no text: there is no font) at 1/`scale` size. */
export function renderPng(hierarchy: UiNode, width: number, height: number, scale = 4): Buffer {
  const w = Math.max(1, Math.round(width / scale));
  const h = Math.max(1, Math.round(height / scale));
  const px = new Uint8Array(w * h * 3).fill(250);
  const fill = (b: Bounds, c: Rgb, border: boolean) => {
    const [l, t, r, btm] = b.map((v) => Math.round(v / scale)) as Bounds;
    for (let y = Math.max(0, t); y < Math.min(h, btm); y++) {
      for (let x = Math.max(0, l); x < Math.min(w, r); x++) {
        const edge = border && (y === t || y === btm - 1 || x === l || x === r - 1);
        const col: Rgb = edge ? [60, 64, 67] : c;
        px.set(col, (y * w + x) * 3);
      }
    }
  };
  for (const n of allNodes(hierarchy)) {
    if (n.tag === 'hierarchy') continue;
    const isContainer = n.children.length > 0;
    fill(
      n.bounds,
      isContainer ? [255, 255, 255] : colourOf(n),
      !isContainer || n.attrs['resource-id'] !== '',
    );
  }
  return encodePng(w, h, px);
}
