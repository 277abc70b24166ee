// Filter tables for the wider catalog families (see agent/hooks/summarizers-families.ts).
import type { DataCategory } from '../protocol/messages.ts';

/**
 * Services OAID / advertising-id SDKs bind to, by intent action, package or component class,
 * with the vendor recorded in the event. From the vendors' OAID client code as vendored in the
 * open-source OAID readers (e.g. gzu-liyujiang/Android_CN_OAID) and Google's AdvertisingIdClient.
 */
export const AD_ID_SERVICES: readonly { match: string; vendor: string }[] = [
  { match: 'com.google.android.gms.ads.identifier.service.START', vendor: 'google' },
  { match: 'com.uodis.opendevice.OPENIDS_SERVICE', vendor: 'huawei' },
  { match: 'com.hihonor.id.HnOaIdService', vendor: 'honor' },
  { match: 'com.samsung.android.deviceidservice', vendor: 'samsung' },
  { match: 'action.com.heytap.openid.OPEN_ID_SERVICE', vendor: 'oppo' },
  { match: 'com.heytap.openid', vendor: 'oppo' },
  { match: 'com.zui.deviceidservice', vendor: 'lenovo' },
  { match: 'com.asus.msa.action.ACCESS_DID', vendor: 'asus' },
  { match: 'com.coolpad.deviceidsupport', vendor: 'coolpad' },
  { match: 'com.mdid.msa', vendor: 'msa' },
];

/** Shell commands that read identifiers or other apps' data; first match wins. */
export const SIDE_CHANNEL_COMMANDS: readonly [RegExp, DataCategory][] = [
  [/\bgetprop\b/, 'device-id'],
  [
    /\bcat\s+\/sys\/class\/net\/[^/\s]+\/address\b|\/proc\/net\/arp\b|\bip\s+(neigh|link|addr)\b|\bifconfig\b/,
    'network-id',
  ],
  [/\bpm\s+(list\s+packages|path|dump)\b|\bcmd\s+package\s+list\b/, 'installed-apps'],
  [/\bps\b|\btop\b|\bdumpsys\s+(activity|usagestats|window)\b/, 'running-apps'],
  [
    /\bsettings\s+get\s+secure\s+android_id\b|\/sys\/devices\/soc0\/serial_number|\bcid\b.*mmcblk/,
    'device-id',
  ],
  [/\blogcat\b/, 'running-apps'],
];

/** TelephonyManager.listen event bits worth reporting (PhoneStateListener.LISTEN_*). */
export const LISTEN_EVENTS: readonly [number, string, DataCategory][] = [
  [0x1, 'SERVICE_STATE', 'location'],
  [0x10, 'CELL_LOCATION', 'location'],
  [0x400, 'CELL_INFO', 'location'],
  [0x20, 'CALL_STATE', 'call-log'],
];
