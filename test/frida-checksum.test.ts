// Frida's Checksum.compute as the simulated runtimes model it (gumquickchecksum.c): a string is a C
// string (UTF-8 up to its first NUL), an ArrayBuffer or byte array is hashed whole, other types
// throw. The agent's value matcher digests through it, so a model that hashed strings whole
// would hide an agent passing a string that carries a NUL.
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAndroidApi } from '../harness/android-api/load.ts';
import { apiSubset, QuickJsProcess } from '../harness/simulation/runtime/quickjs-process.ts';
import { createSimRuntime } from '../harness/simulation/runtime/sim-runtime.ts';

const md5 = (b: Uint8Array | string) => createHash('md5').update(b).digest('hex');
const SCRIPT = `(function () {
  var out = {};
  out.text = Checksum.compute('md5', 'ab\\u0000cd');
  out.utf8 = Checksum.compute('sha256', '张三');
  var bytes = new Uint8Array([97, 98, 0, 99, 100]);
  out.buffer = Checksum.compute('md5', bytes.buffer);
  out.array = Checksum.compute('md5', [97, 98, 0, 99, 100]);
  try { Checksum.compute('crc32', 'x'); out.bad = 'no error'; } catch (e) { out.bad = String(e.message); }
  send(out);
})();`;

function script(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'overreach-checksum-')), 'agent.js');
  writeFileSync(file, SCRIPT);
  return file;
}

const expected = {
  text: md5('ab'),
  utf8: createHash('sha256').update('张三', 'utf8').digest('hex'),
  buffer: md5(Uint8Array.from([97, 98, 0, 99, 100])),
  array: md5(Uint8Array.from([97, 98, 0, 99, 100])),
  bad: 'unsupported checksum type',
};

describe('simulated Checksum.compute', () => {
  it('V8: strings stop at NUL, bytes are whole, unknown types throw', () => {
    const rt = createSimRuntime({ packageName: 'com.example.app' });
    rt.loadAgent(script());
    expect(rt.messages.at(-1)).toEqual(expected);
  });

  it('QuickJS: the same', async () => {
    const proc = await QuickJsProcess.create({
      packageName: 'com.example.app',
      classes: apiSubset(loadAndroidApi(), ['java.lang.String']),
    });
    try {
      proc.loadAgent(script());
      expect(proc.messages.at(-1)).toEqual(expected);
    } finally {
      proc.dispose();
    }
  });
});
