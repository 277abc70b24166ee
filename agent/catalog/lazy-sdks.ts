// Classes that exist only when the app bundles an SDK or runs on a vendor ROM: installed when
// their class loader loads them (lazy) and validated by hand, not against the platform API.
import { context, obj } from './samples.ts';
import type { JavaHookEntry } from './types.ts';

const XIAOMI = 'com.android.id.impl.IdProviderImpl';
const FUSED = 'com.google.android.gms.location.FusedLocationProviderClient';
const FUSED_NOTE =
  'A class up to play-services-location 20; from 21 an interface whose implementation is obfuscated, so the hook reports method-missing there.';

function xiaomi(method: 'getOAID' | 'getVAID' | 'getAAID' | 'getUDID'): JavaHookEntry {
  return {
    kind: 'java',
    id: `oaid.xiaomi-${method.slice(3).toLowerCase()}`,
    category: 'device-id',
    className: XIAOMI,
    method,
    overloads: [['android.content.Context']],
    summary: 'result-value',
    personal: true,
    lazy: true,
    hidden: true,
    note: 'Xiaomi MIUI identifier provider, reached by reflection from OAID SDKs.',
    samples: [
      {
        overload: ['android.content.Context'],
        args: [context()],
        result: 'a1b2c3d4e5f60718',
        expect: { category: 'device-id', hashed: true },
      },
    ],
  };
}

export const LAZY_SDK_ENTRIES: readonly JavaHookEntry[] = [
  xiaomi('getOAID'),
  xiaomi('getVAID'),
  xiaomi('getAAID'),
  xiaomi('getUDID'),
  {
    kind: 'java',
    id: 'oaid.msa-init-sdk',
    category: 'device-id',
    className: 'com.bun.miitmdid.core.MdidSdkHelper',
    method: 'InitSdk',
    summary: 'none',
    lazy: true,
    hidden: true,
    note: 'MSA (China Mobile Security Alliance) OAID SDK entry point; the ids arrive in an IdSupplier callback (an interface with per-vendor implementations, not hookable by name).',
    samples: [
      {
        overload: ['android.content.Context', 'boolean', 'com.bun.miitmdid.interfaces.IIdentifierListener'],
        args: [context(), true, obj('com.bun.miitmdid.interfaces.IIdentifierListener')],
        result: 0,
        expect: { category: 'device-id' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'fused-location.get-last-location',
    category: 'location',
    className: FUSED,
    method: 'getLastLocation',
    permission: 'android.permission.ACCESS_FINE_LOCATION',
    summary: 'none',
    lazy: true,
    hidden: true,
    note: FUSED_NOTE,
    samples: [
      { overload: [], result: obj('com.google.android.gms.tasks.Task'), expect: { category: 'location' } },
    ],
  },
  {
    kind: 'java',
    id: 'fused-location.request-location-updates',
    category: 'location',
    className: FUSED,
    method: 'requestLocationUpdates',
    permission: 'android.permission.ACCESS_FINE_LOCATION',
    summary: 'none',
    lazy: true,
    hidden: true,
    note: FUSED_NOTE,
    samples: [
      {
        overload: [
          'com.google.android.gms.location.LocationRequest',
          'com.google.android.gms.location.LocationCallback',
          'android.os.Looper',
        ],
        args: [
          obj('com.google.android.gms.location.LocationRequest'),
          obj('com.google.android.gms.location.LocationCallback'),
          obj('android.os.Looper'),
        ],
        result: obj('com.google.android.gms.tasks.Task'),
        expect: { category: 'location' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'fused-location.get-current-location',
    category: 'location',
    className: FUSED,
    method: 'getCurrentLocation',
    permission: 'android.permission.ACCESS_FINE_LOCATION',
    summary: 'none',
    lazy: true,
    hidden: true,
    note: FUSED_NOTE,
    samples: [
      {
        overload: ['int', 'com.google.android.gms.tasks.CancellationToken'],
        args: [100, obj('com.google.android.gms.tasks.CancellationToken')],
        result: obj('com.google.android.gms.tasks.Task'),
        expect: { category: 'location' },
      },
    ],
  },
];
