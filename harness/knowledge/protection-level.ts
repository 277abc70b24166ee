// android:protectionLevel decoding. Base levels and flag bits up to API 29 are the ones
// framework-res.apk (android-framework-res, Android 10) itself declares for attr/protectionLevel;
// later flags come from PermissionInfo.PROTECTION_FLAG_* (API level noted).

export const PROTECTION_BASES = [
  'normal',
  'dangerous',
  'signature',
  'signatureOrSystem',
  'internal',
] as const;
export type ProtectionBase = (typeof PROTECTION_BASES)[number];

const BASE_MASK = 0xf;

/** Flag name → bit, in bit order. */
export const PROTECTION_FLAGS: readonly (readonly [string, number])[] = [
  ['privileged', 0x10],
  ['development', 0x20],
  ['appop', 0x40],
  ['pre23', 0x80],
  ['installer', 0x100],
  ['verifier', 0x200],
  ['preinstalled', 0x400],
  ['setup', 0x800],
  ['instant', 0x1000],
  ['runtime', 0x2000],
  ['oem', 0x4000],
  ['vendorPrivileged', 0x8000],
  ['textClassifier', 0x10000],
  ['wellbeing', 0x20000],
  ['documenter', 0x40000],
  ['configurator', 0x80000],
  ['incidentReportApprover', 0x100000],
  ['appPredictor', 0x200000],
  ['module', 0x400000], // API 30
  ['companion', 0x800000], // API 30
  ['retailDemo', 0x1000000], // API 30
  ['recents', 0x2000000], // API 31
  ['role', 0x4000000], // API 31
  ['knownSigner', 0x8000000], // API 31
];

export interface ProtectionLevel {
  base: ProtectionBase;
  flags: string[];
}

export function decodeProtectionLevel(bits: number): ProtectionLevel {
  const base = PROTECTION_BASES[bits & BASE_MASK] ?? 'normal';
  const flags = PROTECTION_FLAGS.filter(([, bit]) => (bits & bit) !== 0).map(([name]) => name);
  return { base, flags };
}

/** "signature|privileged|appop", the manifest spelling. */
export function formatProtectionLevel(level: ProtectionLevel): string {
  return [level.base, ...level.flags].join('|');
}

/** Parses the manifest spelling back to bits; undefined if a word is unknown. */
export function parseProtectionLevel(text: string): number | undefined {
  let bits = 0;
  for (const word of text.split('|').map((w) => w.trim())) {
    const base = PROTECTION_BASES.indexOf(word as ProtectionBase);
    if (base >= 0) {
      bits |= base;
      continue;
    }
    // 'system' is the pre-API-23 name of 'privileged'.
    const flag = PROTECTION_FLAGS.find(([name]) => name === (word === 'system' ? 'privileged' : word));
    if (!flag) return undefined;
    bits |= flag[1];
  }
  return bits;
}
