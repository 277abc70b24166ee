// Honey values (`overreach run --honey`): identifier, phone-number, location, advertising-ID and
// clipboard hooks hand the app planted, distinctive values instead of the device's own, so a
// value found in outgoing traffic can only have come from that read (as in published
// privacy-label studies). frida-java-bridge accepts a JS string only where the declared return
// type is java.lang.String or Object (lib/types.js isCompatible → typeIsDefaultString), and a
// wrapper only when it is an instance of the declared class; anything else throws inside the
// bridge and the app gets null. So String results are replaced by JS strings, a returned
// Location is changed in place, and the clipboard's CharSequence / ClipData are built as real
// Java objects (java.lang.String via $new, ClipData.newPlainText).
// Not planted: a contact. Contacts reach the app as a Cursor from ContentResolver.query; the
// catalog hooks the query (its URI and row count), not Cursor.getString, so no hook sees a
// contact's name or number to replace. AdvertisingIdClient.getAdvertisingIdInfo (Google,
// Huawei, Honor) returns an Info object: the Google id is planted where the app reads it
// (Info.getId, hook ad-id.google-info-get-id); the vendor Info objects are left alone.

export const HONEY_KINDS = [
  'imei',
  'android-id',
  'phone-number',
  'location',
  'advertising-id',
  'clipboard',
] as const;
export type HoneyKind = (typeof HONEY_KINDS)[number];

/**
 * The planted values. Distinctive yet well-formed: a Luhn-valid IMEI under the GSMA test TAC
 * 35824005, a 16-hex-digit ANDROID_ID, a +86 170 (virtual operator) number, a fix in Shenzhen.
 * The contact is documented for scenario authors only (see above: not planted).
 */
export const HONEY = {
  imei: '358240051111110',
  'android-id': 'feedc0ffee0ddba1',
  'phone-number': '+8617099990123',
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
  'ad-id.google-info-get-id': 'advertising-id',
  'oaid.xiaomi-oaid': 'advertising-id',
  'clipboard.get-primary-clip': 'clipboard',
  'clipboard.get-text': 'clipboard',
};

/** A class wrapper as Java.use returns it (the installer's `use`): $new and static methods. */
export type JavaClassUse = (className: string) => {
  $new(...args: unknown[]): unknown;
  [member: string]: unknown;
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
export function plant(
  kind: HoneyKind,
  args: readonly unknown[],
  result: unknown,
  use?: JavaClassUse,
): unknown {
  if (result === null || result === undefined) return result;
  switch (kind) {
    case 'clipboard':
      return use ? plantClip(result, use) : result;
    case 'advertising-id':
      // An opted-out device returns zeros (Android 12+): keep that, do not invent an id.
      return typeof result === 'string' && !/^[0-]*$/.test(result) ? HONEY[kind] : result;
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

/**
 * The planted clip: for getText (declared CharSequence) a java.lang.String built with $new — a
 * wrapper, which the bridge passes as is, where a JS string would be rejected; for
 * getPrimaryClip a ClipData made by ClipData.newPlainText(CharSequence, CharSequence), whose
 * arguments must be String wrappers for the same reason.
 */
function plantClip(result: unknown, use: JavaClassUse): unknown {
  const JString = use('java.lang.String');
  const text = JString.$new(HONEY.clipboard);
  if (typeof (result as { getItemAt?: unknown }).getItemAt !== 'function') return text;
  const ClipData = use('android.content.ClipData');
  // Called on its class wrapper: the bridge takes the receiver from `this`.
  const newPlainText = ClipData.newPlainText as (this: unknown, a: unknown, b: unknown) => unknown;
  return newPlainText.call(ClipData, JString.$new('overreach-honey'), text);
}
