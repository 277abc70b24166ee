// Honey values beyond identifiers (agent/leaks/honey.ts), through the real agent bundle in the
// simulated runtime: the advertising ID (Google's Info.getId, Xiaomi's OAID) and the clipboard
// (getText's CharSequence, getPrimaryClip's ClipData, built as Java objects), each matched when
// sent; and the simulated bridge's return-type check, which rejects a plain JS string where the
// declared type is not String, as frida-java-bridge does.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { HONEY } from '../agent/leaks/honey.ts';
import type { EventRecord } from '../agent/protocol/messages.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { createSimRuntime, ManualClock, type SimRuntime } from '../harness/simulation/runtime/sim-runtime.ts';

const STACK = ['com.bytedance.sdk.openadsdk.core.a.b(Unknown Source:3)'];
const CM = 'android.content.ClipboardManager';
const INFO = 'com.google.android.gms.ads.identifier.AdvertisingIdClient$Info';
const XIAOMI = 'com.android.id.impl.IdProviderImpl';
const REAL_AD_ID = '38400000-8cf0-11bd-b23e-10b96e40000d';

let agentPath = '';
beforeAll(async () => {
  agentPath = (await buildFreshBundles()).sim;
});

function start(config: Record<string, unknown> = {}): SimRuntime {
  const rt = createSimRuntime({ packageName: 'com.example.app', pid: 4242, clock: new ManualClock() });
  rt.loadAgent(agentPath);
  rt.rpc.configure({ hashSalt: 's', ...config });
  return rt;
}

function events(rt: SimRuntime, hook?: string): EventRecord[] {
  rt.rpc.flush();
  return rt.ofType('events').flatMap((m) => m.events.filter((e) => !hook || e.hook === hook));
}

/** The app sends `text` over TLS; returns what the agent found in it. */
function send(rt: SimRuntime, ssl: number, text: string): EventRecord['carried'] {
  const len = Buffer.byteLength(text);
  rt.app.callNative('libssl.so', 'SSL_write', [ssl, text, len], { result: len, stack: STACK });
  return events(rt, 'native.ssl-write').at(-1)?.carried;
}

function loadSdk(rt: SimRuntime, className: string, loader: string, name: string, params: string[]): void {
  rt.app.loadClass(className, {
    loader,
    methods: [{ name, params, returns: 'java.lang.String', isStatic: false }],
    stack: STACK,
  });
}

describe('honey advertising ID', () => {
  it("Google's Info.getId returns the planted id; its MD5 sent is matched to that read", () => {
    const rt = start({ honey: true });
    loadSdk(rt, INFO, 'gms', 'getId', []);
    const seen = rt.app.call(INFO, 'getId', {
      loader: 'gms',
      result: REAL_AD_ID,
      stack: STACK,
      overload: [],
    });
    expect(seen).toBe(HONEY['advertising-id']);
    const [read] = events(rt, 'ad-id.google-info-get-id');
    expect(read?.ref).toBeDefined();
    const md5 = createHash('md5').update(HONEY['advertising-id']).digest('hex');
    expect(send(rt, 0x7300, `POST /ads HTTP/1.1\r\n\r\n{"gaid_md5":"${md5}"}`)).toEqual([
      { ref: read?.ref, encoding: 'md5' },
    ]);
    // Without --honey the device's id is what the app gets.
    const off = start();
    loadSdk(off, INFO, 'gms', 'getId', []);
    expect(
      off.app.call(INFO, 'getId', { loader: 'gms', result: REAL_AD_ID, stack: STACK, overload: [] }),
    ).toBe(REAL_AD_ID);
  });

  it("Xiaomi's OAID is planted; an opted-out (zero) id is left as it is", () => {
    const rt = start({ honey: true });
    loadSdk(rt, XIAOMI, 'miui', 'getOAID', ['android.content.Context']);
    const args = [{ $class: 'android.app.Application' }];
    const call = (result: string) =>
      rt.app.call(XIAOMI, 'getOAID', { loader: 'miui', args, result, stack: STACK });
    expect(call('a1b2c3d4e5f60718')).toBe(HONEY['advertising-id']);
    expect(call('00000000-0000-0000-0000-000000000000')).toBe('00000000-0000-0000-0000-000000000000');
  });
});

describe('honey clipboard text', () => {
  it('getText returns a java.lang.String wrapper holding the planted text, matched when sent', () => {
    const rt = start({ honey: true });
    const seen = rt.app.call(CM, 'getText', { result: 'my bank pin 4711', stack: STACK });
    // A Java object, not a JS string: the declared type is CharSequence.
    expect(seen).toMatchObject({ $className: 'java.lang.String' });
    expect(String(seen)).toBe(HONEY.clipboard);
    expect(rt.console.filter((l) => l.startsWith('error'))).toEqual([]);
    const [read] = events(rt, 'clipboard.get-text');
    expect(read?.ref).toBeDefined();
    const b64 = Buffer.from(HONEY.clipboard).toString('base64');
    expect(send(rt, 0x7400, `POST /c HTTP/1.1\r\n\r\nclip=${b64}`)).toEqual([
      { ref: read?.ref, encoding: 'base64' },
    ]);
  });

  it('getPrimaryClip returns a ClipData built by newPlainText whose item holds the planted text', () => {
    const rt = start({ honey: true });
    const clip = rt.app.call(CM, 'getPrimaryClip', {
      result: {
        $class: 'android.content.ClipData',
        $methods: {
          getItemCount: 1,
          getItemAt: { $class: 'android.content.ClipData$Item', $methods: { getText: 'my password' } },
        },
      },
      stack: STACK,
    }) as { $className: string; getItemAt(i: number): { getText(): unknown } };
    expect(clip.$className).toBe('android.content.ClipData');
    expect(String(clip.getItemAt(0).getText())).toBe(HONEY.clipboard);
    const [read] = events(rt, 'clipboard.get-primary-clip');
    expect(read?.result).toBe(`text(${HONEY.clipboard.length})`);
    expect(send(rt, 0x7500, `GET /p?c=${HONEY.clipboard} HTTP/1.1\r\n\r\n`)).toEqual([
      { ref: read?.ref, encoding: 'plain' },
    ]);
    // An empty clipboard stays empty.
    expect(rt.app.call(CM, 'getPrimaryClip', { result: null, stack: STACK })).toBeNull();
  });
});

describe('the simulated bridge checks a replacement’s return value like frida-java-bridge', () => {
  interface Method {
    implementation: unknown;
    overload(...types: string[]): { implementation: unknown };
  }
  type Wrapper = { $new(...a: unknown[]): unknown } & Record<string, Method>;
  // No agent: the replacements are set directly, as a script would with Java.use.
  const bare = () =>
    createSimRuntime({ packageName: 'com.example.app', pid: 4243, clock: new ManualClock() });
  const use = (rt: SimRuntime, name: string) => rt.world.use(rt.world.appLoader, name) as Wrapper;

  it('a plain JS string for a CharSequence return is rejected: the app gets null, the script an error', () => {
    const rt = bare();
    (use(rt, CM).getText as Method).implementation = () => 'plain js string';
    expect(rt.app.call(CM, 'getText', { result: 'copied', stack: STACK })).toBeNull();
    expect(rt.console).toContainEqual(
      'error: Error: Implementation for getText expected return value compatible with java.lang.CharSequence',
    );
  });

  it('accepts a String wrapper there, a JS string for a String return, and rejects a wrong class', () => {
    const rt = bare();
    const S = use(rt, 'java.lang.String');
    (use(rt, CM).getText as Method).implementation = () => S.$new('ok');
    (use(rt, CM).getPrimaryClip as Method).implementation = () => S.$new('no');
    const TM = 'android.telephony.TelephonyManager';
    (use(rt, TM).getLine1Number as Method).overload().implementation = () => 'js';
    expect(String(rt.app.call(CM, 'getText', { result: 'copied', stack: STACK }))).toBe('ok');
    expect(rt.app.call(TM, 'getLine1Number', { overload: [], result: '+100', stack: STACK })).toBe('js');
    expect(rt.app.call(CM, 'getPrimaryClip', { result: null, stack: STACK })).toBeNull();
    expect(rt.console.filter((l) => l.startsWith('error'))).toEqual([
      'error: Error: Implementation for getPrimaryClip expected return value compatible with android.content.ClipData',
    ]);
  });
});
