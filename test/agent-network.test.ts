// The network hooks through the real agent bundle in the simulated runtime: destinations, the
// kept-value link (ref → carried), what stays out of events, honey planting, and the filters
// that keep chatty plaintext sockets quiet.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { HONEY, plant } from '../agent/leaks/honey.ts';
import type { EventRecord } from '../agent/protocol/messages.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { createSimRuntime, ManualClock, type SimRuntime } from '../harness/simulation/runtime/sim-runtime.ts';

const IMEI = '867530912345678';
const TM = 'android.telephony.TelephonyManager';
const STACK = ['com.bytedance.sdk.openadsdk.core.a.b(Unknown Source:3)'];

let agentPath = '';
beforeAll(async () => {
  agentPath = (await buildFreshBundles()).sim;
});

function start(config: Record<string, unknown> = {}): { rt: SimRuntime; clock: ManualClock } {
  const clock = new ManualClock();
  const rt = createSimRuntime({ packageName: 'com.example.app', pid: 4242, clock });
  rt.loadAgent(agentPath);
  rt.rpc.configure({ hashSalt: 's', ...config });
  return { rt, clock };
}

function events(rt: SimRuntime, hook?: string): EventRecord[] {
  rt.rpc.flush();
  return rt.ofType('events').flatMap((m) => m.events.filter((e) => !hook || e.hook === hook));
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

function sslWrite(rt: SimRuntime, ssl: number, host: string | null, text: string): void {
  if (host)
    rt.app.callNative('libssl.so', 'SSL_set_tlsext_host_name', [ssl, host], { result: 1, stack: STACK });
  const len = Buffer.byteLength(text);
  rt.app.callNative('libssl.so', 'SSL_write', [ssl, text, len], { result: len, stack: STACK });
}

describe('network sends through the agent', () => {
  it('links a TLS write to the IMEI read it carried, with the server name as host', () => {
    const { rt } = start();
    rt.app.call(TM, 'getImei', { result: IMEI, stack: STACK, thread: 'main' });
    sslWrite(
      rt,
      0x7100,
      'api-access.pangolin-sdk-toutiao.com',
      `POST /ads HTTP/1.1\r\n\r\n{"m":"${md5(IMEI)}"}`,
    );
    const [read] = events(rt, 'telephony.get-imei');
    const [send] = events(rt, 'native.ssl-write');
    expect(read?.ref).toBe(1);
    expect(send).toMatchObject({
      category: 'network-send',
      net: {
        host: 'api-access.pangolin-sdk-toutiao.com',
        sni: 'api-access.pangolin-sdk-toutiao.com',
        scheme: 'tls',
      },
      carried: [{ ref: 1, encoding: 'md5' }],
    });
    expect(events(rt, 'native.ssl-set-sni')[0]).toMatchObject({ category: 'name-lookup' });
    // Neither the value nor its hash nor the body reaches the wire format.
    const wire = JSON.stringify(rt.messages);
    expect(wire).not.toContain(IMEI);
    expect(wire).not.toContain(md5(IMEI));
  });

  it('reads an OkHttp 4 body from its captured byte[] and cuts the query from the shown URL', () => {
    const { rt } = start();
    rt.app.call(TM, 'getImei', { result: IMEI, stack: STACK, thread: 'main' });
    rt.app.loadClass('okhttp3.internal.connection.RealCall', {
      loader: 'okhttp3',
      methods: [{ name: 'execute', params: [], returns: 'okhttp3.Response', isStatic: false }],
      stack: STACK,
    });
    const body = [...Buffer.from(`{"imei_b64":"${Buffer.from(IMEI).toString('base64')}"}`)];
    rt.app.call('okhttp3.internal.connection.RealCall', 'execute', {
      self: {
        $class: 'okhttp3.internal.connection.RealCall',
        $methods: {
          request: {
            $class: 'okhttp3.Request',
            $methods: {
              url: {
                $class: 'okhttp3.HttpUrl',
                $methods: { toString: 'https://t.example.cn/c?aid=secret', host: 't.example.cn' },
              },
              method: 'POST',
              body: {
                $class: 'okhttp3.RequestBody$Companion$toRequestBody$2',
                $fields: { $this_toRequestBody: { $array: body } },
              },
            },
          },
        },
      },
      result: { $class: 'okhttp3.Response' },
      stack: STACK,
      loader: 'okhttp3',
    });
    const [send] = events(rt, 'okhttp4.real-call-execute');
    expect(send).toMatchObject({
      args: 'POST https://t.example.cn/c?…',
      net: { host: 't.example.cn', scheme: 'https', port: 443 },
      carried: [{ ref: 1, encoding: 'base64' }],
    });
    expect(JSON.stringify(send)).not.toContain('secret');
  });

  it('reports a non-HTTP plaintext socket write only when it carried a kept value', () => {
    const { rt } = start();
    const send = (text: string) =>
      rt.app.callNative('libc.so', 'sendto', [55, text, text.length, 0], {
        result: text.length,
        stack: STACK,
      });
    send('resnsend 0 ulogs.umeng.com\0');
    send('GET /t HTTP/1.1\r\nHost: log.example.org\r\n\r\n');
    expect(events(rt, 'native.sendto').map((e) => e.net?.host)).toEqual(['log.example.org']);
    rt.app.call(TM, 'getImei', { result: IMEI, stack: STACK, thread: 'main' });
    send(`hb|${IMEI}|1`);
    const sent = events(rt, 'native.sendto');
    expect(sent).toHaveLength(2);
    expect(sent[1]?.carried).toEqual([{ ref: 1, encoding: 'plain' }]);
  });

  it('with honey values on, the app receives the planted IMEI and a send of it matches that read', () => {
    const { rt } = start({ honey: true });
    const seen = rt.app.call(TM, 'getImei', { result: IMEI, stack: STACK, thread: 'main' });
    expect(seen).toBe(HONEY.imei);
    // A refused read stays refused: nothing is planted over null.
    expect(rt.app.call(TM, 'getImei', { result: null, stack: STACK, thread: 'main' })).toBeNull();
    sslWrite(rt, 0x7200, 'x.example', `POST / HTTP/1.1\r\n\r\nimei=${seen as string}`);
    expect(events(rt, 'native.ssl-write')[0]?.carried).toEqual([{ ref: 1, encoding: 'plain' }]);
    const off = start();
    expect(off.rt.app.call(TM, 'getImei', { result: IMEI, stack: STACK, thread: 'main' })).toBe(IMEI);
  });
});

describe('honey planting rules', () => {
  it('sets a returned Location in place, replaces only String results, never invents a value', () => {
    const fix = {
      lat: 31.2,
      lon: 121.5,
      setLatitude(v: number) {
        this.lat = v;
      },
      setLongitude(v: number) {
        this.lon = v;
      },
    };
    expect(plant('location', ['gps'], fix)).toBe(fix);
    expect([fix.lat, fix.lon]).toEqual([HONEY.location.latitude, HONEY.location.longitude]);
    expect(plant('android-id', [null, 'android_id'], '3f9a1c27d84be605')).toBe(HONEY['android-id']);
    expect(plant('android-id', [null, 'bluetooth_name'], 'Pixel')).toBe('Pixel');
    expect(plant('imei', [], null)).toBeNull();
    // A non-String result (a CharSequence wrapper) is left alone: the bridge would reject a JS string.
    const wrapper = { $className: 'android.text.SpannableString' };
    expect(plant('phone-number', [], wrapper)).toBe(wrapper);
  });
});

describe('hostile network strings in the store and the reports', () => {
  it('escapes a hostile host, URL and organisation-less destination in html and md', async () => {
    const { openStore } = await import('../harness/store/store.ts');
    const { parseAgentMessage } = await import('../harness/protocol/validate.ts');
    const { buildReportModel, renderReport } = await import('../reports/index.ts');
    const store = openStore(':memory:');
    const runId = store.createRun({ package: 'p', device: 'd', scenario: 's', toolVersion: 't' });
    const writer = store.traceWriter(runId);
    const host = '<script>alert(1)</script>|`x`.example';
    const base = { thread: 'main', foreground: true, phase: 'pre-consent' };
    writer.handle(
      parseAgentMessage({
        v: 1,
        type: 'events',
        pid: 7,
        process: 'p',
        seq: 1,
        dropped: 0,
        stacks: [],
        events: [
          {
            ...base,
            time: 1,
            hook: 'telephony.get-imei',
            category: 'device-id',
            api: 'a',
            valueHash: 'ab',
            ref: 1,
          },
          {
            ...base,
            time: 2,
            hook: 'native.ssl-write',
            category: 'network-send',
            api: 'libssl.so!SSL_write',
            args: `${host} (9 bytes)`,
            net: { host, scheme: 'tls', bytes: 9 },
            carried: [{ ref: 1, encoding: 'md5' }],
          },
        ],
      }),
    );
    writer.flush();
    const model = buildReportModel(store.db, runId);
    expect(model.transmissions.rows[0]?.host).toBe(host);
    const html = renderReport(model, 'html');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;');
    const md = renderReport(model, 'md');
    const section = md.slice(md.indexOf('## What left the device'), md.indexOf('## Declared'));
    expect(section).not.toContain('<script>');
    // Every row of the transmissions table keeps its 8 columns despite the `|` in the host.
    const row = section.split('\n').find((l) => l.includes('md5'));
    expect(row?.split(/(?<!\\)\|/).length).toBe(10);
    // Bad traffic fields are refused with the field named.
    expect(() =>
      parseAgentMessage({
        v: 1,
        type: 'events',
        pid: 7,
        process: 'p',
        seq: 2,
        dropped: 0,
        stacks: [],
        events: [
          {
            ...base,
            time: 3,
            hook: 'h',
            category: 'network-send',
            api: 'a',
            carried: [{ ref: 0, encoding: 'rot13' }],
          },
        ],
      }),
    ).toThrow(/events\[0\]\.carried\[0\]\.ref/);
    store.close();
  });
});
