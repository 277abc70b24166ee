// Usage statistics and shell side channels. Runtime.exec(…) builds a ProcessBuilder and calls
// start() on every overload (libcore ojluni java/lang/Runtime.java, API 24+), so hooking
// ProcessBuilder.start alone reports each command once, with Runtime.exec in its stack; hooking
// both would report one exec twice. On API 21–23 Runtime.exec went to ProcessManager directly.
import { list, obj } from './samples.ts';
import type { JavaHookEntry } from './types.ts';

const USM = 'android.app.usage.UsageStatsManager';
const USAGE = 'android.permission.PACKAGE_USAGE_STATS';
const running = { category: 'running-apps' } as const;

const pb = (...command: string[]) => obj('java.lang.ProcessBuilder', { command: list(...command) });

export const USAGE_PROCESS_ENTRIES: readonly JavaHookEntry[] = [
  {
    kind: 'java',
    id: 'usage-stats.query-usage-stats',
    category: 'running-apps',
    className: USM,
    method: 'queryUsageStats',
    permission: USAGE,
    summary: 'list-size',
    note: 'Per-app foreground time: which apps the user uses, and how long.',
    samples: [
      {
        args: [0, 0, 1767225600000],
        result: list(obj('android.app.usage.UsageStats')),
        expect: { ...running, resultIncludes: 'size=1' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'usage-stats.query-events',
    category: 'running-apps',
    className: USM,
    method: 'queryEvents',
    permission: USAGE,
    summary: 'none',
    samples: [
      {
        overload: ['long', 'long'],
        args: [0, 1767225600000],
        result: obj('android.app.usage.UsageEvents'),
        expect: running,
      },
    ],
  },
  {
    kind: 'java',
    id: 'usage-stats.query-and-aggregate-usage-stats',
    category: 'running-apps',
    className: USM,
    method: 'queryAndAggregateUsageStats',
    permission: USAGE,
    summary: 'none',
    samples: [{ args: [0, 1767225600000], result: obj('java.util.Map'), expect: running }],
  },
  {
    kind: 'java',
    id: 'usage-stats.query-configurations',
    category: 'running-apps',
    className: USM,
    method: 'queryConfigurations',
    permission: USAGE,
    summary: 'list-size',
    samples: [
      { args: [0, 0, 1767225600000], result: list(), expect: { ...running, resultIncludes: 'size=0' } },
    ],
  },
  {
    kind: 'java',
    id: 'process.start',
    category: 'running-apps',
    className: 'java.lang.ProcessBuilder',
    method: 'start',
    summary: 'command',
    note: 'Reported only for side-channel commands (getprop, pm list, ps, /proc/net/arp, ip neigh, dumpsys …); the category follows the command. Runtime.exec builds a ProcessBuilder and calls start() from API 24, so it is reported here once; on API 21–23 Runtime.exec is not seen.',
    samples: [
      {
        self: pb('getprop', 'ro.serialno'),
        result: obj('java.lang.Process'),
        expect: { category: 'device-id', argsIncludes: 'getprop ro.serialno' },
      },
      {
        self: pb('sh', '-c', 'pm list packages -3'),
        result: obj('java.lang.Process'),
        expect: { category: 'installed-apps', argsIncludes: 'pm list packages' },
      },
      {
        self: pb('cat', '/proc/net/arp'),
        result: obj('java.lang.Process'),
        expect: { category: 'network-id' },
      },
      { self: pb('ps', '-A'), result: obj('java.lang.Process'), expect: running },
      { self: pb('ls', '/sdcard'), result: obj('java.lang.Process'), expect: null },
    ],
  },
];
