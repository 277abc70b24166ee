// Outgoing traffic (category network-send) and name resolution (name-lookup). Each send event
// names its destination and which kept values it carried (agent/leaks/value-match.ts).
// Class names checked against the libraries' sources: OkHttp 3.x keeps the call in
// okhttp3.RealCall, OkHttp 4/5 in okhttp3.internal.connection.RealCall (both: execute(),
// enqueue(Callback), request()). Bodies from RequestBody.create keep their bytes in a captured
// field: `val$content` (3.x RequestBody$2), `$this_toRequestBody` (4.x
// RequestBody$Companion$toRequestBody$2); FormBody exposes encodedName/encodedValue.
// Android's HttpURLConnection is AOSP's repackaged OkHttp 2
// (com.android.okhttp.internal.huc.HttpURLConnectionImpl; HTTPS delegates to it).
// Conscrypt writes through BoringSSL's SSL_write in libssl.so and names the server with
// SSL_set_tlsext_host_name (a function in BoringSSL, a macro only in OpenSSL).
import { obj } from './samples.ts';
import type { CatalogEntry, JavaHookEntry, SampleValue } from './types.ts';

const send = { category: 'network-send' } as const;
const lookup = { category: 'name-lookup' } as const;

function request(url: string, method: string, body: SampleValue): SampleValue {
  return obj('okhttp3.Request', {
    url: obj('okhttp3.HttpUrl', { toString: url }),
    method,
    headers: obj('okhttp3.Headers', { toString: 'User-Agent: okhttp/4.12.0\n' }),
    body,
  });
}

const FORM = obj('okhttp3.FormBody', { size: 1, encodedName: 'os', encodedValue: 'android' });
const JSON_BODY = obj('okhttp3.RequestBody$Companion$toRequestBody$2', undefined, {
  $this_toRequestBody: { $array: [123, 125] },
});

function okhttpCall(version: 3 | 4, method: 'execute' | 'enqueue'): JavaHookEntry {
  const className = version === 3 ? 'okhttp3.RealCall' : 'okhttp3.internal.connection.RealCall';
  const overload = method === 'execute' ? [] : ['okhttp3.Callback'];
  return {
    kind: 'java',
    id: `okhttp${version}.real-call-${method}`,
    category: 'network-send',
    className,
    method,
    summary: 'okhttp-call',
    lazy: true,
    hidden: true,
    note: `OkHttp ${version === 3 ? '3.x' : '4.x/5.x'} (bundled by the app or an SDK). Apps minified with R8 often rename OkHttp's classes or methods: then this hook is missing or silent and SSL_write sees the bytes.`,
    samples: [
      {
        overload,
        args: method === 'execute' ? [] : [obj('okhttp3.Callback')],
        self: obj(className, { request: request('https://api.example.com/v1/init?id=1', 'POST', FORM) }),
        result: method === 'execute' ? obj('okhttp3.Response') : null,
        expect: { ...send, argsIncludes: 'POST https://api.example.com/v1/init?…' },
      },
      {
        overload,
        args: method === 'execute' ? [] : [obj('okhttp3.Callback')],
        self: obj(className, { request: request('https://log.example.com/json', 'POST', JSON_BODY) }),
        result: method === 'execute' ? obj('okhttp3.Response') : null,
        expect: { ...send, argsIncludes: 'https://log.example.com/json' },
      },
    ],
  };
}

const JAVA: readonly JavaHookEntry[] = [
  okhttpCall(4, 'execute'),
  okhttpCall(4, 'enqueue'),
  okhttpCall(3, 'execute'),
  okhttpCall(3, 'enqueue'),
  ...(['connect', 'getOutputStream'] as const).map(
    (method): JavaHookEntry => ({
      kind: 'java',
      id: `url-connection.${method === 'connect' ? 'connect' : 'get-output-stream'}`,
      category: 'network-send',
      className: 'com.android.okhttp.internal.huc.HttpURLConnectionImpl',
      method,
      summary: 'url-connection',
      hidden: true,
      note: 'Platform HttpURLConnection/HttpsURLConnection (boot class path on a device). The URL (with its query) is searched; the body written to the stream is seen by the TLS hook.',
      samples: [
        {
          overload: [],
          self: obj('com.android.okhttp.internal.huc.HttpURLConnectionImpl', {
            getURL: obj('java.net.URL', { toString: 'http://log.example.cn/report?imei=1' }),
          }),
          result: method === 'connect' ? null : obj('java.io.OutputStream'),
          expect: { ...send, argsIncludes: 'http://log.example.cn/report?…' },
        },
      ],
    }),
  ),
  {
    kind: 'java',
    id: 'webview.load-url',
    category: 'network-send',
    className: 'android.webkit.WebView',
    method: 'loadUrl',
    summary: 'webview-url',
    samples: [
      { overload: ['java.lang.String'], args: ['https://h5.example.com/game?uid=7'], expect: send },
      {
        overload: ['java.lang.String', 'java.util.Map'],
        args: ['https://h5.example.com/pay', obj('java.util.HashMap')],
        expect: { ...send, argsIncludes: 'h5.example.com/pay' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'webview.post-url',
    category: 'network-send',
    className: 'android.webkit.WebView',
    method: 'postUrl',
    summary: 'webview-url',
    samples: [
      {
        args: ['https://h5.example.com/login', { $array: [97, 61, 49] }],
        expect: { ...send, argsIncludes: 'https://h5.example.com/login' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'inet-address.get-all-by-name',
    category: 'name-lookup',
    className: 'java.net.InetAddress',
    method: 'getAllByName',
    summary: 'host-arg',
    samples: [
      {
        args: ['pangolin.snssdk.com'],
        result: { $array: [] },
        expect: { ...lookup, argsIncludes: 'snssdk' },
      },
    ],
  },
];

const NATIVE: readonly CatalogEntry[] = [
  {
    kind: 'native',
    id: 'native.getaddrinfo',
    category: 'name-lookup',
    module: 'libc.so',
    symbol: 'getaddrinfo',
    summary: 'native-host',
    samples: [
      { args: ['ulogs.umeng.com', '443', 0, 0], result: 0, expect: { ...lookup, argsIncludes: 'umeng' } },
    ],
  },
  {
    kind: 'native',
    id: 'native.ssl-set-sni',
    category: 'name-lookup',
    module: 'libssl.so',
    symbol: 'SSL_set_tlsext_host_name',
    summary: 'native-sni',
    note: 'The TLS server name (SNI) of a connection; remembered per SSL* for SSL_write.',
    samples: [
      { args: [0x5a10, 'sdk.e.qq.com'], result: 1, expect: { ...lookup, argsIncludes: 'sdk.e.qq.com' } },
    ],
  },
  {
    kind: 'native',
    id: 'native.ssl-write',
    category: 'network-send',
    module: 'libssl.so',
    symbol: 'SSL_write',
    summary: 'native-ssl-write',
    note: 'Plaintext before encryption, in the app process (Conscrypt/BoringSSL). Apps with a statically linked TLS stack (Cronet, Flutter) are not covered.',
    samples: [
      {
        args: [0x5a20, 'POST /v1 HTTP/1.1\r\nHost: api.example.com\r\n\r\n{}', 44],
        result: 44,
        expect: { ...send, argsIncludes: 'api.example.com' },
      },
    ],
  },
  ...(['send', 'sendto'] as const).map(
    (symbol): CatalogEntry => ({
      kind: 'native',
      id: `native.${symbol}`,
      category: 'network-send',
      module: 'libc.so',
      symbol,
      summary: 'native-send',
      note: 'Plaintext socket writes only (a TLS record or other binary first byte is skipped); non-HTTP plaintext only when it carried a kept value. Plain write() on sockets is not hooked: it is every file write too.',
      samples: [
        {
          args: [42, 'GET /t?a=1 HTTP/1.1\r\nHost: t.example.org\r\n\r\n', 40, 0],
          result: 40,
          expect: { ...send, argsIncludes: 't.example.org' },
        },
        { args: [43, '\u0017\u0003\u0003binary', 11, 0], result: 11, expect: null },
      ],
    }),
  ),
];

export const NETWORK_ENTRIES: readonly CatalogEntry[] = [...JAVA, ...NATIVE];
