// Summarisers of the network-send and name-lookup hooks (agent/catalog/network.ts). Each sets
// `payload` (the first window of the outgoing bytes as text, searched for kept values by
// report.ts) and `net` (the destination). URLs are shown without their query: a query string
// often carries identifiers, which must not reach reports unhashed.
import { rememberSni, sniOf } from '../leaks/connections.ts';
import { windowChars } from '../leaks/leaks.ts';
import type { Destination } from '../protocol/messages.ts';
import { call, call1, cInt, cString, field, str } from './java-values.ts';
import type { Summarizer, Summary } from './summarizers.ts';

const URL_RE = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^/?#:]*)(?::(\d+))?/i;
const HOST_HEADER_RE = /\r?\nhost:[ \t]*([^\r\n:]+)(?::(\d+))?/i;
const DEFAULT_PORTS: Record<string, number> = { http: 80, https: 443, ws: 80, wss: 443 };
const HTTP_REQUEST_RE = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|CONNECT) \S+ HTTP\/1\.[01]\r?\n/;

/** The URL without query or fragment, for display. */
export function shownUrl(url: string): string {
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : `${url.slice(0, cut)}?…`;
}

export function urlDestination(url: string): Destination {
  const m = URL_RE.exec(url);
  if (!m) return {};
  const scheme = (m[1] ?? '').toLowerCase();
  const dest: Destination = { scheme };
  if (m[2]) dest.host = m[2].toLowerCase();
  const port = m[3] ? Number(m[3]) : DEFAULT_PORTS[scheme];
  if (port !== undefined) dest.port = port;
  return dest;
}

const fromCharCode = String.fromCharCode;

/** Bytes as text, one char per byte (needles for non-ASCII values are built the same way). */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096)
    s += fromCharCode.apply(null, bytes.subarray(i, i + 4096) as unknown as number[]);
  return s;
}

/** The first `len` bytes (at most the matcher's window) at a native pointer, as text. */
export function nativeBytes(ptr: unknown, len: number): string | undefined {
  const n = Math.max(0, Math.min(len, windowChars()));
  const p = ptr as { readByteArray?: (n: number) => ArrayBuffer | null };
  if (typeof p?.readByteArray === 'function') {
    const buf = p.readByteArray(n);
    return buf ? latin1(new Uint8Array(buf)) : undefined;
  }
  return cString(ptr)?.slice(0, n);
}

/** Java byte[] (array-like of signed bytes) → text, at most the window. */
function javaBytes(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined || typeof (value as { length?: unknown }).length !== 'number')
    return undefined;
  const list = value as ArrayLike<number>;
  const n = Math.min(list.length, windowChars());
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Number(list[i]) & 255;
  return latin1(out);
}

function fromHostHeader(payload: string, dest: Destination): Destination {
  const m = HOST_HEADER_RE.exec(payload.slice(0, 4096));
  if (m?.[1] && dest.host === undefined) dest.host = m[1].trim().toLowerCase();
  if (m?.[2] && dest.port === undefined) dest.port = Number(m[2]);
  return dest;
}

/** TLS records and other binary: only plaintext socket writes are worth an event. */
function looksPlain(text: string): boolean {
  const c = text.charCodeAt(0);
  return c >= 0x20 && c < 0x7f;
}

/** A NativePointer's address as a map key (undefined for stand-ins without one). */
function pointerKey(ptr: unknown): string | undefined {
  const text = String(ptr);
  return text.startsWith('0x') ? text : undefined;
}

function okhttpBody(body: unknown): string {
  if (body === null || body === undefined) return '';
  const size = call(body, 'size');
  if (typeof size === 'number' && typeof (body as { encodedName?: unknown }).encodedName === 'function') {
    const parts: string[] = [];
    for (let i = 0; i < Math.min(size, 256); i++)
      parts.push(`${str(call1(body, 'encodedName', i)) ?? ''}=${str(call1(body, 'encodedValue', i)) ?? ''}`);
    return parts.join('&');
  }
  return javaBytes(field(body, '$this_toRequestBody') ?? field(body, 'val$content')) ?? '';
}

function okhttpCall(self: unknown): Summary | null {
  const request = call(self, 'request');
  const url = call(request, 'url');
  const text = str(url) ?? '';
  // R8 may rename request()/url() while keeping the class name: nothing to say then (the TLS
  // hook still sees the bytes).
  if (!text) return null;
  const method = str(call(request, 'method')) ?? 'GET';
  const dest = urlDestination(text);
  const host = str(call(url, 'host'));
  if (host) dest.host = host.toLowerCase();
  const body = okhttpBody(call(request, 'body'));
  const headers = str(call(request, 'headers')) ?? '';
  dest.bytes = body.length;
  return {
    args: `${method} ${shownUrl(text)}`,
    payload: `${method} ${text}\n${headers}\n\n${body}`,
    net: dest,
  };
}

function urlCall(url: string | undefined, extra = ''): Summary | null {
  if (url === undefined) return null;
  const dest = urlDestination(url);
  dest.bytes = extra.length;
  return { args: shownUrl(url), payload: extra ? `${url}\n\n${extra}` : url, net: dest };
}

function socketSend(args: unknown[], scheme: string): Summary | null {
  const len = cInt(args[2]) ?? 0;
  const text = nativeBytes(args[1], len);
  if (!text || !looksPlain(text)) return null;
  const dest = fromHostHeader(text, { scheme, bytes: len });
  const summary: Summary = {
    args: `fd ${cInt(args[0]) ?? '?'}${dest.host ? ` → ${dest.host}` : ''}`,
    payload: text,
    net: dest,
  };
  // Plain HTTP is always a send worth an event; other plaintext (netd's resolver protocol, local
  // IPC over sockets) only when it carried a kept value.
  if (!HTTP_REQUEST_RE.test(text)) summary.onlyIfCarried = true;
  return summary;
}

export const NET_SUMMARIZERS = {
  'okhttp-call': ({ self }) => okhttpCall(self),
  'url-connection': ({ self }) => urlCall(str(call(self, 'getURL'))),
  'webview-url': ({ args }) => urlCall(str(args[0]), javaBytes(args[1]) ?? ''),
  'host-arg': ({ args }) => {
    const host = str(args[0]);
    return host ? { args: host, net: { host: host.toLowerCase() } } : null;
  },
  'native-host': ({ args }) => {
    const host = cString(args[0]);
    return host ? { args: host, net: { host: host.toLowerCase() } } : null;
  },
  'native-sni': ({ args }) => {
    const host = cString(args[1])?.toLowerCase();
    if (!host) return null;
    const key = pointerKey(args[0]);
    if (key) rememberSni(key, host);
    return { args: host, net: { host, sni: host, scheme: 'tls' } };
  },
  'native-ssl-write': ({ args }) => {
    const len = cInt(args[2]) ?? 0;
    const text = nativeBytes(args[1], len) ?? '';
    const key = pointerKey(args[0]);
    const sni = key ? sniOf(key) : undefined;
    const dest: Destination = { scheme: 'tls', bytes: len };
    if (sni) {
      dest.sni = sni;
      dest.host = sni;
    }
    fromHostHeader(text, dest);
    return { args: `${dest.host ?? 'unknown host'} (${len} bytes)`, payload: text, net: dest };
  },
  'native-send': ({ args }) => socketSend(args, 'tcp'),
} as const satisfies Record<string, Summarizer>;
