// Location objects: fixes reach an app from LocationManager, from Play services (delivered from
// another process as a LocationResult) or from an SDK's cache. android.location.Location is a
// concrete class, so reading a coordinate off any fix, wherever it came from, is seen here.
import { list, location } from './samples.ts';
import type { JavaHookEntry } from './types.ts';

const L = 'android.location.Location';
const LR = 'com.google.android.gms.location.LocationResult';
const FINE = 'android.permission.ACCESS_FINE_LOCATION';
const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const GETTERS: readonly [string, number, boolean][] = [
  // [method, sample, personal]: coordinates and altitude are the position; the rest is context.
  ['getLatitude', 39.9042, true],
  ['getLongitude', 116.4074, true],
  ['getAltitude', 43.5, true],
  ['getAccuracy', 12.5, false],
  ['getTime', 1767225600000, false],
  ['getSpeed', 1.2, false],
  ['getBearing', 270, false],
  ['getElapsedRealtimeNanos', 123456789000, false],
];

export const LOCATION_OBJECT_ENTRIES: readonly JavaHookEntry[] = [
  ...GETTERS.map(
    ([method, value, personal]): JavaHookEntry => ({
      kind: 'java',
      id: `location-object.${kebab(method)}`,
      category: 'location',
      className: L,
      method,
      permission: FINE,
      summary: 'result-value',
      personal,
      note: 'Fires for every read of a fix the app holds, whoever produced it; the agent’s own reads are not reported.',
      samples: [
        {
          self: location(39.9042, 116.4074),
          result: value,
          expect: { category: 'location', hashed: personal },
        },
      ],
    }),
  ),
  {
    kind: 'java',
    id: 'location-result.get-last-location',
    category: 'location',
    className: LR,
    method: 'getLastLocation',
    overloads: [[]],
    permission: FINE,
    summary: 'location',
    personal: true,
    lazy: true,
    hidden: true,
    note: 'Play services location SDK: fused fixes arrive from the Play services process as a LocationResult.',
    samples: [
      {
        overload: [],
        result: location(39.9042, 116.4074, 'fused'),
        expect: { category: 'location', hashed: true },
      },
    ],
  },
  {
    kind: 'java',
    id: 'location-result.get-locations',
    category: 'location',
    className: LR,
    method: 'getLocations',
    overloads: [[]],
    permission: FINE,
    summary: 'list-size',
    lazy: true,
    hidden: true,
    samples: [
      {
        overload: [],
        result: list(location(39.9042, 116.4074, 'fused')),
        expect: { category: 'location', resultIncludes: 'size=1' },
      },
    ],
  },
];
