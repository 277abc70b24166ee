// `send:` calls of an app model (docs/app-models.md): a request to a named host carrying values
// the app read earlier (`keep: name` on the read), plain or encoded the way trackers do, in a
// JSON, form or text body, over OkHttp, HttpURLConnection, a WebView, TLS (SSL_write) or a plain
// socket. Each becomes the calls the real library makes, so the agent's own network hooks see
// it; values come from what the app's reads RETURNED (honey values when the agent planted them).
import { createHash } from 'node:crypto';
import type { SampleValue } from '../../../agent/catalog/types.ts';
import type { SimProcessRuntime } from '../runtime/process-runtime.ts';
import type { CallScope } from './model-calls.ts';
import type { YamlCursor } from './yaml-cursor.ts';

export const SEND_VIAS = ['okhttp', 'url-connection', 'webview', 'tls', 'socket'] as const;
export type SendVia = (typeof SEND_VIAS)[number];

/** Template functions: `${md5:imei}`; `${imei}` is the value as is. */
export const TEMPLATE_FNS = [
  'plain',
  'md5',
  'sha1',
  'sha256',
  'MD5',
  'base64',
  'base64url',
  'hex',
  'url',
  'lat',
  'lng',
] as const;
type TemplateFn = (typeof TEMPLATE_FNS)[number];

export interface SendSpec {
  url: string;
  method: string;
  via: SendVia;
  body?: { type: 'json' | 'form' | 'text'; value: unknown };
}

const TEMPLATE_RE = /\$\{(?:([A-Za-z0-9]+):)?([A-Za-z_][\w-]*)\}/g;

/** Names a template string refers to, checked against the model's `keep:` names at load time. */
function templateRefs(text: string, at: YamlCursor, scope: CallScope): void {
  for (const m of text.matchAll(TEMPLATE_RE)) {
    const fn = m[1] ?? 'plain';
    if (!(TEMPLATE_FNS as readonly string[]).includes(fn))
      at.fail(`unknown template function '${fn}' (use ${TEMPLATE_FNS.join(', ')})`);
    scope.keepRefs?.push({ id: m[2] ?? '', at });
  }
}

function walkStrings(v: unknown, fn: (s: string) => void): void {
  if (typeof v === 'string') fn(v);
  else if (Array.isArray(v)) for (const x of v) walkStrings(x, fn);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) walkStrings(x, fn);
}

export function parseSend(scope: CallScope, c: YamlCursor): SendSpec {
  c.keys(['url', 'method', 'via', 'json', 'form', 'body']);
  const urlAt = c.need('url');
  const url = urlAt.str();
  if (!/^(https?|wss?):\/\/[^/?#]+/i.test(url))
    urlAt.fail(`expected an http(s) URL with a host, got '${url}'`);
  templateRefs(url, urlAt, scope);
  const via = c.get('via')?.oneOf(SEND_VIAS) ?? 'okhttp';
  if (via === 'okhttp' && !Object.values(scope.sdks).some((p) => p === 'okhttp3'))
    c.fail("via okhttp needs OkHttp in sdks (e.g. 'okhttp: okhttp3'): the app bundles it");
  const bodies = (['json', 'form', 'body'] as const).filter((k) => c.has(k));
  if (bodies.length > 1) c.fail(`a send has one body: ${bodies.join(' or ')}`);
  const spec: SendSpec = { url, via, method: c.get('method')?.str() ?? (bodies.length > 0 ? 'POST' : 'GET') };
  const kind = bodies[0];
  if (kind) {
    const at = c.need(kind);
    const value: unknown = at.node?.toJSON();
    if (kind === 'form' && !at.isMap()) at.fail('a form body is a mapping of fields');
    walkStrings(value, (s) => templateRefs(s, at, scope));
    spec.body = { type: kind === 'body' ? 'text' : kind, value };
  }
  return spec;
}

interface KeptObject {
  getLatitude?: () => unknown;
  getLongitude?: () => unknown;
  /** ClipData (getPrimaryClip): the first item's text. */
  getItemAt?: (i: number) => { getText?: () => unknown } | null;
  /** AdvertisingIdClient$Info: the id. */
  getId?: () => unknown;
}

function keptText(v: unknown): string {
  if (typeof v === 'string') return v;
  const o = v as KeptObject | null;
  if (o && typeof o.getLatitude === 'function' && typeof o.getLongitude === 'function')
    return `${Number(o.getLatitude())},${Number(o.getLongitude())}`;
  if (o && typeof o.getItemAt === 'function') return String(o.getItemAt(0)?.getText?.() ?? '');
  if (o && typeof o.getId === 'function') return String(o.getId());
  // A CharSequence (ClipboardManager.getText) is a java.lang.String wrapper: toString() is its text.
  return String(v);
}

function apply(fn: TemplateFn, value: unknown): string {
  const text = keptText(value);
  const h = (alg: string) => createHash(alg).update(text, 'utf8').digest('hex');
  switch (fn) {
    case 'plain':
      return text;
    case 'md5':
    case 'sha1':
    case 'sha256':
      return h(fn);
    case 'MD5':
      return h('md5').toUpperCase();
    case 'base64':
      return Buffer.from(text).toString('base64');
    case 'base64url':
      return Buffer.from(text).toString('base64url');
    case 'hex':
      return Buffer.from(text).toString('hex');
    case 'url':
      return encodeURIComponent(text);
    case 'lat':
    case 'lng': {
      const [lat, lng] = text.split(',').map(Number);
      return ((fn === 'lat' ? lat : lng) ?? Number.NaN).toFixed(4);
    }
  }
}

export function expand(text: string, kept: ReadonlyMap<string, unknown>): string {
  return text.replace(TEMPLATE_RE, (_, fn: string | undefined, name: string) =>
    kept.has(name) ? apply((fn ?? 'plain') as TemplateFn, kept.get(name)) : '',
  );
}

function expandAll(v: unknown, kept: ReadonlyMap<string, unknown>): unknown {
  if (typeof v === 'string') return expand(v, kept);
  if (Array.isArray(v)) return v.map((x) => expandAll(x, kept));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expandAll(x, kept)]));
  return v;
}

function bodyText(spec: SendSpec, kept: ReadonlyMap<string, unknown>): string {
  if (!spec.body) return '';
  const v = expandAll(spec.body.value, kept);
  if (spec.body.type === 'json') return JSON.stringify(v);
  if (spec.body.type === 'form')
    return new URLSearchParams(
      Object.entries(v as object).map(([k, x]): [string, string] => [k, String(x)]),
    ).toString();
  return String(v);
}

const bytes = (text: string): SampleValue => ({
  $array: [...Buffer.from(text, 'utf8')].map((b) => (b << 24) >> 24),
});

interface Site {
  stack: string[];
  thread: string;
  loader?: string;
}

let nextSsl = 0x7c00_1000;

/** Makes the library calls of one send on `runtime`. */
export function runSend(
  runtime: SimProcessRuntime,
  spec: SendSpec,
  kept: ReadonlyMap<string, unknown>,
  at: Site,
): void {
  const url = expand(spec.url, kept);
  const body = bodyText(spec, kept);
  const u = new URL(url);
  const base = { stack: at.stack, thread: at.thread };
  switch (spec.via) {
    case 'okhttp': {
      // RequestBody.create(text, mediaType): OkHttp 4 keeps the bytes in a captured field.
      const requestBody: SampleValue = spec.body
        ? {
            $class: 'okhttp3.RequestBody$Companion$toRequestBody$2',
            $fields: { $this_toRequestBody: bytes(body) },
          }
        : null;
      runtime.callJava('okhttp3.internal.connection.RealCall', 'execute', {
        ...base,
        ...(at.loader ? { loader: at.loader } : {}),
        args: [],
        result: { $class: 'okhttp3.Response' },
        self: {
          $class: 'okhttp3.internal.connection.RealCall',
          $methods: {
            request: {
              $class: 'okhttp3.Request',
              $methods: {
                url: { $class: 'okhttp3.HttpUrl', $methods: { toString: url, host: u.hostname } },
                method: spec.method,
                headers: { $class: 'okhttp3.Headers', $methods: { toString: 'User-Agent: okhttp/4.12.0\n' } },
                body: requestBody,
              },
            },
          },
        },
      });
      return;
    }
    case 'url-connection':
      runtime.callJava('com.android.okhttp.internal.huc.HttpURLConnectionImpl', 'connect', {
        ...base,
        args: [],
        self: {
          $class: 'com.android.okhttp.internal.huc.HttpURLConnectionImpl',
          $methods: { getURL: { $class: 'java.net.URL', $methods: { toString: url } } },
        },
      });
      return;
    case 'webview':
      runtime.callJava('android.webkit.WebView', body ? 'postUrl' : 'loadUrl', {
        ...base,
        args: body ? [url, bytes(body)] : [url],
        ...(body ? {} : { overload: ['java.lang.String'] }),
        self: { $class: 'android.webkit.WebView' },
      });
      return;
    case 'tls':
    case 'socket': {
      const http = `${spec.method} ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      const len = Buffer.byteLength(http);
      if (spec.via === 'socket') {
        runtime.callNative('libc.so', 'sendto', { ...base, args: [64, http, len, 0], result: len });
        return;
      }
      const ssl = nextSsl;
      nextSsl += 0x100;
      runtime.callNative('libssl.so', 'SSL_set_tlsext_host_name', {
        ...base,
        args: [ssl, u.hostname],
        result: 1,
      });
      runtime.callNative('libssl.so', 'SSL_write', { ...base, args: [ssl, http, len], result: len });
    }
  }
}
