// Advertising and vendor device ids beyond Google's client: the services OAID SDKs bind to,
// vendor advertising clients, and App Set ID. ContextWrapper.bindService is what an Activity,
// Service or Application runs (Context.bindService is abstract); calls on the hidden ContextImpl
// directly (getApplicationContext().getBaseContext()) are not seen.
import { context, intent, obj } from './samples.ts';
import type { JavaHookEntry } from './types.ts';

const CW = 'android.content.ContextWrapper';
const CONN = 'android.content.ServiceConnection';
const hashed = { category: 'device-id', hashed: true } as const;

function vendorClient(id: string, className: string, note: string): JavaHookEntry {
  return {
    kind: 'java',
    id,
    category: 'device-id',
    className,
    method: 'getAdvertisingIdInfo',
    overloads: [['android.content.Context']],
    summary: 'advertising-id',
    personal: true,
    lazy: true,
    hidden: true,
    note,
    samples: [
      {
        overload: ['android.content.Context'],
        args: [context()],
        result: obj(`${className}$Info`, { getId: '1c1b2c6e-7f3a-4d2b-9e8f-0a1b2c3d4e5f' }),
        expect: hashed,
      },
    ],
  };
}

export const AD_ID_ENTRIES: readonly JavaHookEntry[] = [
  {
    kind: 'java',
    id: 'ad-id.bind-service',
    category: 'device-id',
    className: CW,
    method: 'bindService',
    summary: 'bind-service',
    note: 'Reported only for advertising-id / OAID services (Google, Huawei, Honor, Samsung, OPPO/HeyTap, Lenovo, ASUS, Coolpad …); other bindings are not.',
    samples: [
      {
        overload: ['android.content.Intent', CONN, 'int'],
        args: [intent('com.google.android.gms.ads.identifier.service.START'), obj(CONN), 1],
        result: true,
        expect: { category: 'device-id', argsIncludes: 'google' },
      },
      {
        overload: ['android.content.Intent', CONN, 'int'],
        args: [intent('com.uodis.opendevice.OPENIDS_SERVICE'), obj(CONN), 1],
        result: true,
        expect: { category: 'device-id', argsIncludes: 'huawei' },
      },
      {
        overload: ['android.content.Intent', CONN, 'int'],
        args: [
          intent(null, { component: 'com.samsung.android.deviceidservice.DeviceIdService' }),
          obj(CONN),
          1,
        ],
        result: true,
        expect: { category: 'device-id', argsIncludes: 'samsung' },
      },
      {
        overload: ['android.content.Intent', CONN, 'int'],
        args: [intent('com.example.app.SYNC'), obj(CONN), 1],
        result: true,
        expect: null,
      },
    ],
  },
  {
    kind: 'java',
    id: 'ad-id.google-info-get-id',
    category: 'device-id',
    className: 'com.google.android.gms.ads.identifier.AdvertisingIdClient$Info',
    method: 'getId',
    overloads: [[]],
    summary: 'result-value',
    personal: true,
    lazy: true,
    hidden: true,
    note: 'Where the app reads the id out of the Info that getAdvertisingIdInfo returned (play-services-ads-identifier); with --honey the planted advertising ID is returned here.',
    samples: [{ overload: [], result: '38400000-8cf0-11bd-b23e-10b96e40000d', expect: hashed }],
  },
  vendorClient(
    'ad-id.huawei-get-advertising-id-info',
    'com.huawei.hms.ads.identifier.AdvertisingIdClient',
    'Huawei HMS ads-identifier SDK (OAID), bundled by the app.',
  ),
  vendorClient(
    'ad-id.honor-get-advertising-id-info',
    'com.hihonor.ads.identifier.AdvertisingIdClient',
    'Honor ads-identifier SDK (OAID), bundled by the app.',
  ),
  {
    kind: 'java',
    id: 'ad-id.app-set-get-client',
    category: 'device-id',
    className: 'com.google.android.gms.appset.AppSet',
    method: 'getClient',
    overloads: [['android.content.Context']],
    summary: 'none',
    lazy: true,
    hidden: true,
    note: 'App Set ID (play-services-appset). The id arrives through AppSetIdClient, an interface with an obfuscated implementation, so getting the client is the hook point.',
    samples: [
      {
        overload: ['android.content.Context'],
        args: [context()],
        result: obj('com.google.android.gms.appset.AppSetIdClient'),
        expect: { category: 'device-id' },
      },
    ],
  },
];
