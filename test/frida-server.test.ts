// frida-server preparation: pure parts (ABI → asset, version check, /proc/net/tcp) and the
// adb-calling part against a fake adb executor; plus the lazy frida loader.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Adb, type AdbExec } from '../harness/device/android/adb.ts';
import { fridaMissingMessage, loadFrida, pinnedFridaVersion } from '../harness/device/android/frida-load.ts';
import {
  asRoot,
  checkFridaServerVersion,
  fridaServerAsset,
  listenerInode,
  parseSocketOwners,
  prepareFridaServer,
  socketOwnersCommand,
  tcpListening,
} from '../harness/device/android/frida-server.ts';
import { DeviceError, EnvironmentError } from '../harness/errors.ts';

const GETPROP = readFileSync(
  new URL('./fixtures/device/getprop-api34-emulator.txt', import.meta.url),
  'utf8',
);
const LISTENING =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n' +
  '   0: 0100007F:69A2 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 81234 1 0000000000000000 100 0 0 10 0\n';

describe('pure parts', () => {
  it('names the release asset for each ABI', () => {
    expect(fridaServerAsset('17.2.1', 'x86_64')).toBe('frida-server-17.2.1-android-x86_64.xz');
    expect(fridaServerAsset('17.2.1', 'arm64-v8a')).toBe('frida-server-17.2.1-android-arm64.xz');
    expect(fridaServerAsset('17.2.1', 'armeabi-v7a')).toBe('frida-server-17.2.1-android-arm.xz');
    expect(() => fridaServerAsset('17.2.1', 'mips')).toThrow(DeviceError);
  });

  it('accepts identical versions and explains a mismatch', () => {
    expect(() => checkFridaServerVersion('17.2.1', '17.2.1', 'emulator-5554', 'x86_64')).not.toThrow();
    expect(() => checkFridaServerVersion('16.5.2', '17.2.1', 'emulator-5554', 'x86_64')).toThrow(
      'frida-server 16.5.2 on emulator-5554 does not match the frida package 17.2.1: push frida-server 17.2.1 for x86_64 (frida-server-17.2.1-android-x86_64.xz)',
    );
  });

  it('sees a LISTEN socket on 27042 only', () => {
    expect(tcpListening(LISTENING, 27042)).toBe(true);
    expect(tcpListening(LISTENING.replace(' 0A ', ' 01 '), 27042)).toBe(false);
    expect(tcpListening(LISTENING, 27043)).toBe(false);
  });

  it('wraps commands for each root method', () => {
    expect(asRoot('adbd-root', 'id')).toBe('id');
    expect(asRoot('su-0', 'id')).toBe('su 0 id');
    expect(asRoot('su-c', "echo 'x'")).toBe(`su -c 'echo '\\''x'\\'''`);
  });
});

/** A fake adb: answers by the shell command (or adb verb), records every call. */
function fakeAdb(answers: Record<string, string | ((n: number) => string)>) {
  const calls: string[] = [];
  const counts = new Map<string, number>();
  const exec: AdbExec = async (args) => {
    const key = args[2] === 'shell' ? (args[3] ?? '') : args.slice(2).join(' ');
    calls.push(key);
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    const a = answers[key];
    if (a === undefined) throw new DeviceError(`adb ${args.join(' ')}: exit code 1`);
    return { stdout: typeof a === 'function' ? a(n) : a, stderr: '' };
  };
  return { adb: new Adb(exec, 'emulator-5554'), calls };
}

describe('prepareFridaServer with a fake adb', () => {
  const base = {
    getprop: GETPROP,
    id: 'uid=2000(shell) gid=2000(shell)',
    root: 'restarting adbd as root',
    'wait-for-device': '',
    'push ./frida-server /data/local/tmp/frida-server': '1 file pushed',
    'chmod 755 /data/local/tmp/frida-server': '',
    'pkill frida-server': '',
    '/data/local/tmp/frida-server -D -l 127.0.0.1:27042': '',
    [socketOwnersCommand('81234')]: '4242 /data/local/tmp/frida-server\n',
  };

  it('emulator: adb root, push, chmod, version check, start, wait for the socket', async () => {
    const { adb, calls } = fakeAdb({
      ...base,
      id: (n) => (n === 1 ? 'uid=2000(shell)' : 'uid=0(root) gid=0(root)'),
      '/data/local/tmp/frida-server --version': '17.2.1\n',
      'cat /proc/net/tcp /proc/net/tcp6': (n) => (n < 3 ? '' : LISTENING),
    });
    const res = await prepareFridaServer(adb, './frida-server', {
      expectedVersion: '17.2.1',
      sleep: async () => {},
    });
    expect(res).toEqual({
      serial: 'emulator-5554',
      abi: 'x86_64',
      version: '17.2.1',
      root: 'adbd-root',
      port: 27042,
      pid: 4242,
    });
    expect(calls).toEqual([
      'getprop',
      'id',
      'root',
      'wait-for-device',
      'id',
      'push ./frida-server /data/local/tmp/frida-server',
      'chmod 755 /data/local/tmp/frida-server',
      '/data/local/tmp/frida-server --version',
      'pkill frida-server',
      // the port is free: no old server holds it
      'cat /proc/net/tcp /proc/net/tcp6',
      '/data/local/tmp/frida-server -D -l 127.0.0.1:27042',
      'cat /proc/net/tcp /proc/net/tcp6',
      'cat /proc/net/tcp /proc/net/tcp6',
      socketOwnersCommand('81234'),
    ]);
  });

  it('a version mismatch stops before starting the server', async () => {
    const { adb, calls } = fakeAdb({
      ...base,
      id: 'uid=0(root)',
      '/data/local/tmp/frida-server --version': '16.5.2\n',
    });
    await expect(
      prepareFridaServer(adb, './frida-server', { expectedVersion: '17.2.1', sleep: async () => {} }),
    ).rejects.toThrow(/^frida-server 16.5.2 on emulator-5554 does not match the frida package 17.2.1/);
    expect(calls).not.toContain('/data/local/tmp/frida-server -D -l 127.0.0.1:27042');
  });

  it('rooted phone: su -c wraps the root commands', async () => {
    let started = false;
    const props = GETPROP.replace('[ro.debuggable]: [1]', '[ro.debuggable]: [0]');
    const { adb, calls } = fakeAdb({
      ...base,
      getprop: props,
      "su -c 'id'": 'uid=0(root) gid=0(root) context=u:r:magisk:s0',
      "su -c 'chmod 755 /data/local/tmp/frida-server'": '',
      '/data/local/tmp/frida-server --version': '17.2.1',
      "su -c 'pkill frida-server'": '',
      "su -c '/data/local/tmp/frida-server -D -l 127.0.0.1:27042'": () => {
        started = true;
        return '';
      },
      "su -c 'cat /proc/net/tcp /proc/net/tcp6'": () => (started ? LISTENING : ''),
      [asRoot('su-c', socketOwnersCommand('81234'))]: '4242 /data/local/tmp/frida-server',
    });
    const res = await prepareFridaServer(adb, './frida-server', { expectedVersion: '17.2.1' });
    expect(res.root).toBe('su-c');
    expect(calls).not.toContain('root');
    expect(calls).toContain("su -c '/data/local/tmp/frida-server -D -l 127.0.0.1:27042'");
  });

  it('no root at all is a DeviceError before anything is pushed', async () => {
    const props = GETPROP.replace('[ro.debuggable]: [1]', '[ro.debuggable]: [0]');
    const { adb, calls } = fakeAdb({ ...base, getprop: props });
    await expect(prepareFridaServer(adb, './frida-server', { expectedVersion: '17.2.1' })).rejects.toThrow(
      /no root/,
    );
    expect(calls.some((c) => c.startsWith('push'))).toBe(false);
  });

  it('gives up when the server never listens', async () => {
    const { adb } = fakeAdb({
      ...base,
      id: 'uid=0(root)',
      '/data/local/tmp/frida-server --version': '17.2.1',
      'cat /proc/net/tcp /proc/net/tcp6': '',
    });
    await expect(
      prepareFridaServer(adb, './frida-server', {
        expectedVersion: '17.2.1',
        waitMs: 0,
        sleep: async () => {},
      }),
    ).rejects.toThrow(/did not listen on 127.0.0.1:27042/);
  });
});

describe('the listener on 27042 must be the frida-server we started', () => {
  const OWNERS = socketOwnersCommand('81234');
  const answers = (owners: string) => {
    // The port is free until the server is started (prepare waits for an old one to let go).
    let started = false;
    return {
      getprop: GETPROP,
      id: 'uid=0(root)',
      'push ./frida-server /data/local/tmp/frida-server': '1 file pushed',
      'chmod 755 /data/local/tmp/frida-server': '',
      '/data/local/tmp/frida-server --version': '17.2.1',
      'pkill frida-server': '',
      '/data/local/tmp/frida-server -D -l 127.0.0.1:27042': () => {
        started = true;
        return '';
      },
      'cat /proc/net/tcp /proc/net/tcp6': () => (started ? LISTENING : ''),
      [OWNERS]: owners,
    };
  };

  it('finds the owner of the listening socket through its inode', () => {
    expect(listenerInode(LISTENING, 27042)).toBe('81234');
    expect(listenerInode(LISTENING, 27043)).toBeUndefined();
    expect(OWNERS).toContain('grep -qF "socket:[81234]"');
    expect(parseSocketOwners('4242 /data/local/tmp/frida-server\n77 \n')).toEqual([
      { pid: 4242, exe: '/data/local/tmp/frida-server' },
      { pid: 77, exe: '' },
    ]);
  });

  it('accepts our server and reports its pid', async () => {
    const { adb, calls } = fakeAdb(answers('4242 /data/local/tmp/frida-server\n'));
    const res = await prepareFridaServer(adb, './frida-server', {
      expectedVersion: '17.2.1',
      sleep: async () => {},
    });
    expect(res.pid).toBe(4242);
    expect(calls.at(-1)).toBe(OWNERS);
  });

  it.each([
    [
      'another program',
      '3131 /data/app/com.evil.app-1/lib/arm64/libproxy.so\n',
      /held by pid 3131 \/data\/app\/com\.evil/,
    ],
    [
      'a renamed or old server elsewhere',
      '555 /data/local/tmp/hluda-server\n',
      /held by pid 555 \/data\/local\/tmp\/hluda-server/,
    ],
    ['an owner that cannot be found', '', /held by a process that could not be identified/],
  ])('refuses a listener owned by %s', async (_what, owners, message) => {
    const { adb } = fakeAdb(answers(owners));
    const err = await prepareFridaServer(adb, './frida-server', {
      expectedVersion: '17.2.1',
      sleep: async () => {},
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeviceError);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).toMatch(/not the frida-server overreach started/);
  });
});

describe('loadFrida', () => {
  it('a missing package is an EnvironmentError with the install command', async () => {
    const err = await loadFrida(async () => {
      throw Object.assign(new Error("Cannot find package 'frida' imported from x.ts"), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect((err as Error).message).toBe(fridaMissingMessage());
    expect((err as Error).message).toContain(`npm install frida@${pinnedFridaVersion()}`);
  });

  it('a package whose native binding failed is reported with the cause', async () => {
    await expect(
      loadFrida(async () => {
        throw new Error('Could not locate the bindings file frida_binding.node');
      }),
    ).rejects.toThrow(/not installed.*loading it failed: Could not locate the bindings file/);
  });

  it('returns the API from a default export', async () => {
    const api = { getDevice: async () => ({}) };
    expect(await loadFrida(async () => ({ default: api }))).toBe(api);
  });

  it('the real import fails cleanly on this machine (frida cannot install offline)', async () => {
    await expect(loadFrida()).rejects.toBeInstanceOf(EnvironmentError);
  });

  it('the pinned version matches the vendored typings', () => {
    const readme = readFileSync(new URL('../types/frida/README.md', import.meta.url), 'utf8');
    expect(readme).toContain(`frida ${pinnedFridaVersion()}`);
  });
});

describe('an old frida-server still holding the port', () => {
  /**
   * A device where `pkill` only asks the old server to exit: it keeps 127.0.0.1:27042 for two
   * more polls. A server started meanwhile cannot bind and exits at once (-D hides that).
   */
  function slowExitDevice() {
    const state = { old: true, killed: false, pollsAfterKill: 0, fresh: false };
    const { adb, calls } = fakeAdb({
      getprop: GETPROP,
      id: 'uid=0(root)',
      'push ./frida-server /data/local/tmp/frida-server': '1 file pushed',
      'chmod 755 /data/local/tmp/frida-server': '',
      '/data/local/tmp/frida-server --version': '17.2.1\n',
      'pkill frida-server': () => {
        state.killed = true;
        return '';
      },
      '/data/local/tmp/frida-server -D -l 127.0.0.1:27042': () => {
        if (!state.old) state.fresh = true;
        return '';
      },
      'cat /proc/net/tcp /proc/net/tcp6': () => {
        if (state.killed && state.old && ++state.pollsAfterKill >= 2) state.old = false;
        return state.old || state.fresh ? LISTENING : '';
      },
      [socketOwnersCommand('81234')]: '4242 /data/local/tmp/frida-server\n',
    });
    return { adb, calls, state };
  }

  it('waits until the old server released the port, then starts the new one', async () => {
    const { adb, calls, state } = slowExitDevice();
    await prepareFridaServer(adb, './frida-server', { expectedVersion: '17.2.1', sleep: async () => {} });
    expect(state.fresh).toBe(true);
    const start = calls.indexOf('/data/local/tmp/frida-server -D -l 127.0.0.1:27042');
    expect(calls.slice(calls.indexOf('pkill frida-server'), start)).toEqual([
      'pkill frida-server',
      'cat /proc/net/tcp /proc/net/tcp6',
      'cat /proc/net/tcp /proc/net/tcp6',
    ]);
  });

  it('gives up with a clear error when the old server never lets go', async () => {
    const { adb } = fakeAdb({
      getprop: GETPROP,
      id: 'uid=0(root)',
      'push ./frida-server /data/local/tmp/frida-server': '1 file pushed',
      'chmod 755 /data/local/tmp/frida-server': '',
      '/data/local/tmp/frida-server --version': '17.2.1\n',
      'pkill frida-server': '',
      'cat /proc/net/tcp /proc/net/tcp6': LISTENING,
    });
    await expect(
      prepareFridaServer(adb, './frida-server', {
        expectedVersion: '17.2.1',
        waitMs: 0,
        sleep: async () => {},
      }),
    ).rejects.toThrow(/still listening on 127.0.0.1:27042 after pkill/);
  });
});
