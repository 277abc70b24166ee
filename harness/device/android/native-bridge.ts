// An ARM-only app on an x86(_64) image runs its native code through the native bridge
// (ro.dalvik.vm.native.bridge: libndk_translation.so on Google's images, libhoudini.so on
// Intel's). Frida's Interceptor hooks the x86 libc; the app's translated ARM code calls the
// bridge's ARM libc, which nothing hooks: native coverage (open/ioctl/property reads by native
// SDK code) is blind for it. Android's choice for an installed app is dumpsys' primaryCpuAbi.
const FAMILY: Readonly<Record<string, 'x86' | 'arm'>> = {
  x86: 'x86',
  x86_64: 'x86',
  'arm64-v8a': 'arm',
  'armeabi-v7a': 'arm',
  armeabi: 'arm',
};

/** `primaryCpuAbi=arm64-v8a` of `dumpsys package <pkg>`; undefined for none ("null": no native code). */
export function parsePrimaryCpuAbi(dumpsys: string): string | undefined {
  const v = /^\s*primaryCpuAbi=(\S+)/m.exec(dumpsys)?.[1];
  return v && v !== 'null' ? v : undefined;
}

/**
 * Why native coverage is degraded for an app whose native code is `appAbi` on a device of
 * `deviceAbi` (ro.product.cpu.abi) with native bridge `bridge` (ro.dalvik.vm.native.bridge,
 * "0" when none); undefined when the app's native code runs natively (or it has none).
 */
export function nativeCoverageNote(
  deviceAbi: string,
  bridge: string | undefined,
  appAbi: string | undefined,
): string | undefined {
  if (!appAbi) return undefined;
  const device = FAMILY[deviceAbi];
  const app = FAMILY[appAbi];
  if (!device || !app || device === app) return undefined;
  const via = bridge && bridge !== '0' ? ` through the native bridge (${bridge})` : '';
  return `native code is ${appAbi} only, translated on this ${deviceAbi} device${via}: native hooks do not see it`;
}

/** The ABI Android picks among an APK's native ABIs: one of the device's family first. */
export function primaryAbiOf(abis: readonly string[], deviceAbi: string): string | undefined {
  return abis.find((a) => FAMILY[a] !== undefined && FAMILY[a] === FAMILY[deviceAbi]) ?? abis[0];
}
