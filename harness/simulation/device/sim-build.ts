// What the simulated device reports of itself, as getprop does on an x86_64 emulator image:
// model, the Android release for its API level, its ABI, and whether native code is translated.

import { nativeCoverageNote, primaryAbiOf } from '../../device/android/native-bridge.ts';
import type { DeviceDescription } from '../../device/types.ts';

const ABI = 'x86_64';

const RELEASES: Readonly<Record<number, string>> = {
  29: '10',
  30: '11',
  31: '12',
  32: '12L',
  33: '13',
  34: '14',
  35: '15',
  36: '16',
};

export function simDescription(serial: string, apiLevel: number): DeviceDescription {
  return {
    serial,
    model: 'Overreach simulated device',
    manufacturer: 'Overreach',
    apiLevel,
    release: RELEASES[apiLevel] ?? String(apiLevel),
    abi: ABI,
    emulator: true,
  };
}

/**
 * Why native hooks miss an app with these ABIs, undefined when they see its code.
 * `nativeBridge` is ro.dalvik.vm.native.bridge: Google's images translate ARM code by default.
 */
export function simNativeNote(
  abis: readonly string[],
  nativeBridge = 'libndk_translation.so',
): string | undefined {
  return nativeCoverageNote(ABI, nativeBridge, primaryAbiOf(abis, ABI));
}
