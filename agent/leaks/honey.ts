// Honey values (`overreach run --honey`): identifier, phone-number and location hooks
// hand the app planted, distinctive values instead of the device's own, so a value found in
// outgoing traffic can only have come from that read (as in published privacy-label studies).
// Only results a hook can replace without building new Java objects are planted: methods
// declared to return java.lang.String, and the coordinates of a returned Location (set in
// place). frida-java-bridge accepts a JS string only where the declared type is String
// (types.js: isCompatible → typeIsDefaultString); anything else would throw into the app. So
// ClipboardManager.getText (CharSequence), the advertising ID (AdvertisingIdClient$Info) and
// contact rows (a Cursor) are not planted yet.

export const HONEY_KINDS = ['imei', 'android-id', 'phone-number', 'location'] as const;
export type HoneyKind = (typeof HONEY_KINDS)[number];

/**
 * The planted values. Distinctive yet well-formed: a Luhn-valid IMEI under the GSMA test TAC
 * 35824005, a 16-hex-digit ANDROID_ID, a +86 170 (virtual operator) number, a fix in Shenzhen.
 * The advertising ID and contact are documented for scenario authors (docs/protocol.md).
 */
export const HONEY = {
  imei: '358240051111110',
  'android-id': 'feedc0ffee0ddba1',
  'phone-number': '+8617099990123',
  // Planned, not planted yet (see above).
  clipboard: 'overreach-honey-clip-7f3a9c',
  location: { latitude: 22.54321, longitude: 114.05678 },
  'advertising-id': '0ddba115-c0ff-4ee5-8bad-f00dcafe1e55',
  contact: { name: 'Honey Overreach', phone: '+8617099990456' },
} as const;

/** Which hooks plant which value (hook ids of agent/catalog, kept here so the catalog stays as is). */
export const HONEY_BY_HOOK: Readonly<Record<string, HoneyKind>> = {
  'telephony.get-device-id': 'imei',
  'telephony.get-imei': 'imei',
  'settings.secure-get-string': 'android-id',
  'settings.secure-get-string-for-user': 'android-id',
  'telephony.get-line1-number': 'phone-number',
  'location.get-last-known-location': 'location',
};

type Setter = (this: unknown, v: number) => unknown;

function setOn(obj: unknown, method: string, value: number): void {
  const fn = (obj as Record<string, unknown>)[method];
  if (typeof fn === 'function') (fn as Setter).call(obj, value);
}

/**
 * The value the app receives instead of `result`. A null/absent result (no permission, no fix)
 * stays absent: planting must not invent data the device would not have given.
 */
export function plant(kind: HoneyKind, args: readonly unknown[], result: unknown): unknown {
  if (result === null || result === undefined) return result;
  switch (kind) {
    case 'android-id':
      return args[1] === 'android_id' ? HONEY['android-id'] : result;
    case 'location':
      setOn(result, 'setLatitude', HONEY.location.latitude);
      setOn(result, 'setLongitude', HONEY.location.longitude);
      return result;
    default:
      // Only over a String result: the declared type is String, so the bridge converts it back.
      return typeof result === 'string' ? HONEY[kind] : result;
  }
}
