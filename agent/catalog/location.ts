// Location: LocationManager, Geocoder, and the cell / Wi-Fi scans that reveal where a device is.
import { list, location, obj } from './samples.ts';
import type { JavaHookEntry } from './types.ts';

const LM = 'android.location.LocationManager';
const TM = 'android.telephony.TelephonyManager';
const WM = 'android.net.wifi.WifiManager';
const FINE = 'android.permission.ACCESS_FINE_LOCATION';
const COARSE = 'android.permission.ACCESS_COARSE_LOCATION';
const loc = { category: 'location' } as const;
const listener = obj('android.location.LocationListener');

export const LOCATION_ENTRIES: readonly JavaHookEntry[] = [
  {
    kind: 'java',
    id: 'location.get-last-known-location',
    category: 'location',
    className: LM,
    method: 'getLastKnownLocation',
    permission: FINE,
    summary: 'location',
    personal: true,
    samples: [
      {
        args: ['gps'],
        result: location(39.9042, 116.4074),
        expect: { ...loc, hashed: true, resultIncludes: 'location' },
      },
      { args: ['network'], result: null, expect: { ...loc, argsIncludes: 'network' } },
    ],
  },
  {
    kind: 'java',
    id: 'location.request-location-updates',
    category: 'location',
    className: LM,
    method: 'requestLocationUpdates',
    permission: FINE,
    summary: 'provider',
    samples: [
      {
        overload: ['java.lang.String', 'long', 'float', 'android.location.LocationListener'],
        args: ['gps', 1000, 0, listener],
        expect: { ...loc, argsIncludes: 'provider=gps' },
      },
      {
        overload: ['long', 'float', 'android.location.Criteria', 'android.app.PendingIntent'],
        args: [1000, 0, obj('android.location.Criteria'), obj('android.app.PendingIntent')],
        expect: loc,
      },
    ],
  },
  {
    kind: 'java',
    id: 'location.request-single-update',
    category: 'location',
    className: LM,
    method: 'requestSingleUpdate',
    permission: FINE,
    summary: 'provider',
    samples: [
      {
        overload: ['java.lang.String', 'android.location.LocationListener', 'android.os.Looper'],
        args: ['network', listener, obj('android.os.Looper')],
        expect: { ...loc, argsIncludes: 'provider=network' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'location.get-current-location',
    category: 'location',
    className: LM,
    method: 'getCurrentLocation',
    permission: FINE,
    summary: 'provider',
    minApi: 30,
    samples: [
      {
        overload: [
          'java.lang.String',
          'android.os.CancellationSignal',
          'java.util.concurrent.Executor',
          'java.util.function.Consumer',
        ],
        args: ['fused', null, obj('java.util.concurrent.Executor'), obj('java.util.function.Consumer')],
        expect: { ...loc, argsIncludes: 'provider=fused' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'location.get-best-provider',
    category: 'location',
    className: LM,
    method: 'getBestProvider',
    summary: 'text',
    samples: [
      {
        args: [obj('android.location.Criteria'), true],
        result: 'gps',
        expect: { ...loc, resultIncludes: 'gps' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'location.add-gps-status-listener',
    category: 'location',
    className: LM,
    method: 'addGpsStatusListener',
    permission: FINE,
    summary: 'none',
    samples: [{ args: [obj('android.location.GpsStatus$Listener')], result: true, expect: loc }],
  },
  {
    kind: 'java',
    id: 'location.register-gnss-status-callback',
    category: 'location',
    className: LM,
    method: 'registerGnssStatusCallback',
    permission: FINE,
    summary: 'none',
    minApi: 24,
    samples: [
      {
        overload: ['android.location.GnssStatus$Callback'],
        args: [obj('android.location.GnssStatus$Callback')],
        result: true,
        expect: loc,
      },
    ],
  },
  {
    kind: 'java',
    id: 'location.add-nmea-listener',
    category: 'location',
    className: LM,
    method: 'addNmeaListener',
    permission: FINE,
    summary: 'none',
    samples: [
      {
        overload: ['android.location.OnNmeaMessageListener'],
        args: [obj('android.location.OnNmeaMessageListener')],
        result: true,
        expect: loc,
      },
    ],
  },
  {
    kind: 'java',
    id: 'location.add-proximity-alert',
    category: 'location',
    className: LM,
    method: 'addProximityAlert',
    permission: FINE,
    summary: 'location',
    personal: true,
    note: 'The watched coordinates are the personal value.',
    samples: [
      {
        args: [31.2304, 121.4737, 100, -1, obj('android.app.PendingIntent')],
        expect: { ...loc, hashed: true },
      },
    ],
  },
  {
    kind: 'java',
    id: 'geocoder.get-from-location',
    category: 'location',
    className: 'android.location.Geocoder',
    method: 'getFromLocation',
    summary: 'location',
    personal: true,
    samples: [
      {
        overload: ['double', 'double', 'int'],
        args: [39.9042, 116.4074, 1],
        result: list(obj('android.location.Address')),
        expect: { ...loc, hashed: true, resultIncludes: 'addresses=1' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'geocoder.get-from-location-name',
    category: 'location',
    className: 'android.location.Geocoder',
    method: 'getFromLocationName',
    summary: 'text',
    samples: [
      {
        overload: ['java.lang.String', 'int'],
        args: ['Tiananmen', 1],
        result: list(),
        expect: { ...loc, argsIncludes: 'Tiananmen' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'telephony.get-cell-location',
    category: 'location',
    className: TM,
    method: 'getCellLocation',
    permission: FINE,
    summary: 'result-value',
    personal: true,
    samples: [
      {
        result: obj('android.telephony.gsm.GsmCellLocation', { toString: '[4133,12345,-1]' }),
        expect: { ...loc, hashed: true },
      },
    ],
  },
  {
    kind: 'java',
    id: 'telephony.get-all-cell-info',
    category: 'location',
    className: TM,
    method: 'getAllCellInfo',
    permission: FINE,
    summary: 'list-size',
    samples: [
      {
        result: list(obj('android.telephony.CellInfoLte'), obj('android.telephony.CellInfoLte')),
        expect: { ...loc, resultIncludes: 'size=2' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'telephony.request-cell-info-update',
    category: 'location',
    className: TM,
    method: 'requestCellInfoUpdate',
    permission: FINE,
    summary: 'none',
    minApi: 29,
    samples: [
      {
        args: [
          obj('java.util.concurrent.Executor'),
          obj('android.telephony.TelephonyManager$CellInfoCallback'),
        ],
        expect: loc,
      },
    ],
  },
  {
    kind: 'java',
    id: 'telephony.get-neighboring-cell-info',
    category: 'location',
    className: TM,
    method: 'getNeighboringCellInfo',
    permission: COARSE,
    summary: 'list-size',
    maxApi: 28,
    samples: [{ result: list(), expect: { ...loc, resultIncludes: 'size=0' } }],
  },
  {
    kind: 'java',
    id: 'telephony.get-service-state',
    category: 'location',
    className: TM,
    method: 'getServiceState',
    permission: 'android.permission.READ_PHONE_STATE',
    summary: 'none',
    minApi: 26,
    note: 'Needs a location permission too from API 29 for the cell identity.',
    samples: [{ result: obj('android.telephony.ServiceState'), expect: loc }],
  },
  {
    kind: 'java',
    id: 'telephony.get-network-operator',
    category: 'location',
    className: TM,
    method: 'getNetworkOperator',
    summary: 'text',
    note: 'MCC+MNC of the serving network: the country the device is in.',
    samples: [{ result: '46000', expect: { ...loc, resultIncludes: '46000' } }],
  },
  {
    kind: 'java',
    id: 'telephony.get-sim-operator',
    category: 'location',
    className: TM,
    method: 'getSimOperator',
    summary: 'text',
    samples: [{ result: '46001', expect: { ...loc, resultIncludes: '46001' } }],
  },
  {
    kind: 'java',
    id: 'wifi-manager.get-scan-results',
    category: 'location',
    className: WM,
    method: 'getScanResults',
    permission: FINE,
    summary: 'list-size',
    samples: [
      { result: list(obj('android.net.wifi.ScanResult')), expect: { ...loc, resultIncludes: 'size=1' } },
    ],
  },
  {
    kind: 'java',
    id: 'wifi-manager.get-connection-info',
    category: 'location',
    className: WM,
    method: 'getConnectionInfo',
    permission: 'android.permission.ACCESS_WIFI_STATE',
    summary: 'none',
    note: 'Reading the returned WifiInfo is reported by the wifi-info.* hooks.',
    samples: [{ result: obj('android.net.wifi.WifiInfo'), expect: loc }],
  },
  {
    kind: 'java',
    id: 'wifi-manager.get-configured-networks',
    category: 'location',
    className: WM,
    method: 'getConfiguredNetworks',
    permission: FINE,
    summary: 'list-size',
    samples: [
      {
        result: list(obj('android.net.wifi.WifiConfiguration')),
        expect: { ...loc, resultIncludes: 'size=1' },
      },
    ],
  },
  {
    kind: 'java',
    id: 'wifi-manager.start-scan',
    category: 'location',
    className: WM,
    method: 'startScan',
    permission: 'android.permission.CHANGE_WIFI_STATE',
    summary: 'text',
    samples: [{ result: true, expect: { ...loc, resultIncludes: 'true' } }],
  },
];
