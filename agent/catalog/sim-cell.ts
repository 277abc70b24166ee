// SIM and subscription identity (ICCID, number, carrier, country) and cell identity (cell id,
// LAC/TAC, base station): the serving cell locates the device to a few hundred metres.
// SubscriptionInfo, UiccCardInfo, the CellLocation subclasses and CellIdentity* are concrete
// (mostly final) classes, so their getters are hooked where the value is read.
import { list, obj } from './samples.ts';
import type { JavaHookEntry } from './types.ts';

const TM = 'android.telephony.TelephonyManager';
const SM = 'android.telephony.SubscriptionManager';
const SI = 'android.telephony.SubscriptionInfo';
const PHONE_STATE = 'android.permission.READ_PHONE_STATE';
const FINE = 'android.permission.ACCESS_FINE_LOCATION';
const COARSE = 'android.permission.ACCESS_COARSE_LOCATION';
const loc = { category: 'location' } as const;

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** A getter whose result is a personal value (hashed). */
function getter(
  prefix: string,
  className: string,
  method: string,
  category: 'location' | 'device-id' | 'phone-number',
  result: string | number,
  extra: Partial<JavaHookEntry> = {},
): JavaHookEntry {
  return {
    kind: 'java',
    id: `${prefix}.${kebab(method)}`,
    category,
    className,
    method,
    summary: 'result-value',
    personal: true,
    ...extra,
    samples: [{ result, expect: { category, hashed: true } }],
  };
}

const SUBSCRIPTION: readonly JavaHookEntry[] = [
  {
    kind: 'java',
    id: 'subscription.get-active-subscription-info-list',
    category: 'device-id',
    className: SM,
    method: 'getActiveSubscriptionInfoList',
    permission: PHONE_STATE,
    minApi: 22,
    summary: 'list-size',
    note: 'Each SubscriptionInfo carries ICCID, number and carrier; their getters are hooked too.',
    samples: [
      { result: list(obj(SI), obj(SI)), expect: { category: 'device-id', resultIncludes: 'size=2' } },
    ],
  },
  {
    kind: 'java',
    id: 'subscription.get-active-subscription-info',
    category: 'device-id',
    className: SM,
    method: 'getActiveSubscriptionInfo',
    permission: PHONE_STATE,
    minApi: 22,
    summary: 'none',
    samples: [{ args: [1], result: obj(SI), expect: { category: 'device-id' } }],
  },
  {
    kind: 'java',
    id: 'subscription.get-active-subscription-info-for-sim-slot-index',
    category: 'device-id',
    className: SM,
    method: 'getActiveSubscriptionInfoForSimSlotIndex',
    permission: PHONE_STATE,
    minApi: 22,
    summary: 'none',
    samples: [{ args: [0], result: obj(SI), expect: { category: 'device-id' } }],
  },
  {
    kind: 'java',
    id: 'subscription.get-accessible-subscription-info-list',
    category: 'device-id',
    className: SM,
    method: 'getAccessibleSubscriptionInfoList',
    summary: 'list-size',
    minApi: 28,
    note: 'Carrier-privileged apps only.',
    samples: [{ result: list(obj(SI)), expect: { category: 'device-id', resultIncludes: 'size=1' } }],
  },
  {
    kind: 'java',
    id: 'subscription.get-phone-number',
    category: 'phone-number',
    className: SM,
    method: 'getPhoneNumber',
    permission: 'android.permission.READ_PHONE_NUMBERS',
    summary: 'result-value',
    personal: true,
    minApi: 33,
    samples: [
      {
        overload: ['int'],
        args: [1],
        result: '+8613800138000',
        expect: { category: 'phone-number', hashed: true },
      },
    ],
  },
  getter('subscription-info', SI, 'getIccId', 'device-id', '89860012345678901234', {
    minApi: 22,
    note: 'ICCID; empty from API 29 without READ_PRIVILEGED_PHONE_STATE or carrier privileges.',
  }),
  getter('subscription-info', SI, 'getNumber', 'phone-number', '+8613800138000', {
    minApi: 22,
    note: 'Deprecated in API 33 for SubscriptionManager.getPhoneNumber.',
  }),
  {
    kind: 'java',
    id: 'subscription-info.get-carrier-name',
    category: 'location',
    className: SI,
    method: 'getCarrierName',
    minApi: 22,
    summary: 'text',
    samples: [{ result: 'China Mobile', expect: { ...loc, resultIncludes: 'China Mobile' } }],
  },
  {
    kind: 'java',
    id: 'subscription-info.get-country-iso',
    category: 'location',
    className: SI,
    method: 'getCountryIso',
    minApi: 22,
    summary: 'text',
    samples: [{ result: 'cn', expect: { ...loc, resultIncludes: 'cn' } }],
  },
  getter(
    'uicc-card-info',
    'android.telephony.UiccCardInfo',
    'getEid',
    'device-id',
    '89049032000001000000012345678901',
    {
      minApi: 29,
      note: 'eUICC identifier; needs READ_PRIVILEGED_PHONE_STATE to be non-empty.',
    },
  ),
  getter(
    'uicc-card-info',
    'android.telephony.UiccCardInfo',
    'getIccId',
    'device-id',
    '89860012345678901234',
    {
      minApi: 29,
    },
  ),
  ...(
    ['getSimCountryIso', 'getNetworkCountryIso', 'getSimOperatorName', 'getNetworkOperatorName'] as const
  ).map(
    (method): JavaHookEntry => ({
      kind: 'java',
      id: `telephony.${kebab(method)}`,
      category: 'location',
      className: TM,
      method,
      summary: 'text',
      note: 'Country or operator of the SIM / serving network: coarse location, no permission.',
      samples: [
        method === 'getNetworkCountryIso'
          ? { overload: [], result: 'cn', expect: { ...loc, resultIncludes: 'cn' } }
          : { result: method.endsWith('Iso') ? 'cn' : 'CMCC', expect: loc },
      ],
    }),
  ),
];

const CELL: readonly JavaHookEntry[] = [
  ...(['getCid', 'getLac', 'getPsc'] as const).map((m) =>
    getter('gsm-cell-location', 'android.telephony.gsm.GsmCellLocation', m, 'location', 12345, {
      permission: FINE,
      note: 'Returned by TelephonyManager.getCellLocation (deprecated in API 26 but still served).',
    }),
  ),
  ...(
    [
      'getBaseStationId',
      'getBaseStationLatitude',
      'getBaseStationLongitude',
      'getNetworkId',
      'getSystemId',
    ] as const
  ).map((m) =>
    getter('cdma-cell-location', 'android.telephony.cdma.CdmaCellLocation', m, 'location', 2345, {
      permission: FINE,
      ...(m.includes('Itude') ? { note: 'The base station coordinates themselves (units of 0.25 s).' } : {}),
    }),
  ),
  {
    kind: 'java',
    id: 'cell-location.request-location-update',
    category: 'location',
    className: 'android.telephony.CellLocation',
    method: 'requestLocationUpdate',
    permission: FINE,
    summary: 'none',
    samples: [{ expect: loc }],
  },
  getter('cell-identity-gsm', 'android.telephony.CellIdentityGsm', 'getCid', 'location', 12345, {
    permission: FINE,
  }),
  getter('cell-identity-gsm', 'android.telephony.CellIdentityGsm', 'getLac', 'location', 4133, {
    permission: FINE,
  }),
  getter('cell-identity-wcdma', 'android.telephony.CellIdentityWcdma', 'getCid', 'location', 12345, {
    permission: FINE,
  }),
  getter('cell-identity-wcdma', 'android.telephony.CellIdentityWcdma', 'getLac', 'location', 4133, {
    permission: FINE,
  }),
  getter('cell-identity-lte', 'android.telephony.CellIdentityLte', 'getCi', 'location', 123456789, {
    permission: FINE,
  }),
  getter('cell-identity-lte', 'android.telephony.CellIdentityLte', 'getTac', 'location', 4133, {
    permission: FINE,
  }),
  getter('cell-identity-nr', 'android.telephony.CellIdentityNr', 'getNci', 'location', 123456789012, {
    permission: FINE,
    minApi: 29,
  }),
  getter('cell-identity-nr', 'android.telephony.CellIdentityNr', 'getTac', 'location', 4133, {
    permission: FINE,
    minApi: 29,
  }),
  getter('cell-identity-cdma', 'android.telephony.CellIdentityCdma', 'getBasestationId', 'location', 2345, {
    permission: FINE,
  }),
  getter('cell-identity-cdma', 'android.telephony.CellIdentityCdma', 'getLatitude', 'location', 145000, {
    permission: FINE,
  }),
  {
    kind: 'java',
    id: 'telephony.listen',
    category: 'location',
    className: TM,
    method: 'listen',
    permission: COARSE,
    summary: 'phone-state-listen',
    note: 'Reported for cell-location / cell-info / service-state (location) and call-state (call-log) events; LISTEN_NONE and other events are not.',
    samples: [
      {
        args: [obj('android.telephony.PhoneStateListener'), 0x10 | 0x400],
        expect: { ...loc, argsIncludes: 'CELL_LOCATION' },
      },
      {
        args: [obj('android.telephony.PhoneStateListener'), 0x20],
        expect: { category: 'call-log', argsIncludes: 'CALL_STATE' },
      },
      { args: [obj('android.telephony.PhoneStateListener'), 0], expect: null },
      { args: [obj('android.telephony.PhoneStateListener'), 0x100], expect: null },
    ],
  },
  {
    kind: 'java',
    id: 'telephony.register-telephony-callback',
    category: 'location',
    className: TM,
    method: 'registerTelephonyCallback',
    permission: COARSE,
    summary: 'none',
    minApi: 31,
    note: 'Which events arrive depends on the listener interfaces the callback implements (CellInfoListener, CellLocationListener …).',
    samples: [
      {
        overload: ['java.util.concurrent.Executor', 'android.telephony.TelephonyCallback'],
        args: [obj('java.util.concurrent.Executor'), obj('android.telephony.TelephonyCallback')],
        expect: loc,
      },
    ],
  },
];

export const SIM_CELL_ENTRIES: readonly JavaHookEntry[] = [...SUBSCRIPTION, ...CELL];
