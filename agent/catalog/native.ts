// Native side channels in libc: identifier files, SIOCGIFHWADDR, interface lists, properties.
import type { NativeHookEntry } from './types.ts';

const net = { category: 'network-id' } as const;
const PATH_NOTE =
  'Reported only for /proc/net/arp, /sys/class/net/*/address and serial files; everything else (/proc/self/maps …) is filtered.';

export const NATIVE_ENTRIES: readonly NativeHookEntry[] = [
  {
    kind: 'native',
    id: 'native.open',
    category: 'network-id',
    module: 'libc.so',
    symbol: 'open',
    summary: 'native-path',
    note: PATH_NOTE,
    samples: [
      { args: ['/proc/net/arp', 0], result: 5, expect: { ...net, argsIncludes: '/proc/net/arp' } },
      { args: ['/sys/class/net/wlan0/address', 0], result: 6, expect: { ...net, argsIncludes: 'wlan0' } },
      { args: ['/proc/self/maps', 0], result: 7, expect: null },
    ],
  },
  {
    kind: 'native',
    id: 'native.open-2',
    category: 'network-id',
    module: 'libc.so',
    symbol: '__open_2',
    summary: 'native-path',
    note: `FORTIFY variant of open. ${PATH_NOTE}`,
    samples: [
      { args: ['/sys/class/net/eth0/address', 0], result: 5, expect: net },
      { args: ['/proc/self/status', 0], result: 5, expect: null },
    ],
  },
  {
    kind: 'native',
    id: 'native.openat',
    category: 'network-id',
    module: 'libc.so',
    symbol: 'openat',
    summary: 'native-path-at',
    note: PATH_NOTE,
    samples: [
      { args: [-100, '/proc/net/arp', 0], result: 5, expect: { ...net, argsIncludes: 'arp' } },
      { args: [-100, '/sys/devices/soc0/serial_number', 0], result: 5, expect: { category: 'device-id' } },
      { args: [-100, '/proc/self/maps', 0], result: 5, expect: null },
    ],
  },
  {
    kind: 'native',
    id: 'native.fopen',
    category: 'network-id',
    module: 'libc.so',
    symbol: 'fopen',
    summary: 'native-path',
    note: PATH_NOTE,
    samples: [
      { args: ['/proc/net/arp', 'r'], result: 1, expect: net },
      { args: ['/proc/self/maps', 'r'], result: 1, expect: null },
    ],
  },
  {
    kind: 'native',
    id: 'native.ioctl-hwaddr',
    category: 'network-id',
    module: 'libc.so',
    symbol: 'ioctl',
    summary: 'native-ioctl',
    note: 'Reported only for SIOCGIFHWADDR (0x8927), the MAC of an interface; the interface name is read from struct ifreq.',
    samples: [
      { args: [3, 0x8927, 'wlan0'], result: 0, expect: { ...net, argsIncludes: 'SIOCGIFHWADDR wlan0' } },
      { args: [3, 0x5401, 'x'], result: 0, expect: null },
    ],
  },
  {
    kind: 'native',
    id: 'native.getifaddrs',
    category: 'network-id',
    module: 'libc.so',
    symbol: 'getifaddrs',
    summary: 'native-ifaddrs',
    note: 'Lists interfaces with their addresses (AF_PACKET entries carry MACs).',
    samples: [{ args: ['ifap'], result: 0, expect: { ...net, resultIncludes: 'ok' } }],
  },
  {
    kind: 'native',
    id: 'native.system-property-get',
    category: 'device-id',
    module: 'libc.so',
    symbol: '__system_property_get',
    summary: 'native-property',
    personal: true,
    note: 'Reported only for serial/IMEI-bearing keys; the value buffer is read after the call.',
    samples: [
      {
        args: ['ro.serialno', 'R58M123ABCD'],
        result: 11,
        expect: { category: 'device-id', argsIncludes: 'ro.serialno', hashed: true },
      },
      {
        args: ['gsm.sim.operator.numeric', '46000'],
        result: 5,
        expect: { category: 'device-id', hashed: true },
      },
      { args: ['ro.build.version.sdk', '30'], result: 2, expect: null },
    ],
  },
  {
    kind: 'native',
    id: 'native.system-property-read-callback',
    category: 'device-id',
    module: 'libc.so',
    symbol: '__system_property_read_callback',
    summary: 'native-property-info',
    note: 'The key is read from the prop_info (name at offset 96); the value goes to the callback and is not captured.',
    samples: [
      {
        args: ['ro.boot.serialno', 0, 0],
        expect: { category: 'device-id', argsIncludes: 'ro.boot.serialno' },
      },
      { args: ['ro.product.model', 0, 0], expect: null },
    ],
  },
];
