// Builds the platform permission table from a real framework-res.apk (Debian's
// android-framework-res) using our own APK reader. scripts/gen-permissions.ts writes the result
// to data/platform-permissions.json; the test regenerates it and compares.
import { readApk } from '../apk/read-apk.ts';
import { decodeProtectionLevel, formatProtectionLevel } from './protection-level.ts';

export const FRAMEWORK_RES_APK = '/usr/share/android-framework-res/framework-res.apk';

export interface PlatformPermissionRecord {
  name: string;
  /** Manifest spelling, e.g. "dangerous|instant". */
  protectionLevel: string;
  /** Raw android:protectionLevel bits. */
  bits: number;
  /** android:permissionGroup as declared (Android 10 declares UNDEFINED for runtime ones). */
  manifestGroup: string | null;
}

export interface PlatformPermissionData {
  source: {
    package: string;
    file: string;
    sha256: string;
    apiLevel: number;
    versionName: string | null;
  };
  permissions: PlatformPermissionRecord[];
}

export function generatePlatformPermissions(apkPath = FRAMEWORK_RES_APK): PlatformPermissionData {
  const apk = readApk(apkPath);
  const permissions = apk.definedPermissions
    .map((p) => ({
      name: p.name,
      protectionLevel: formatProtectionLevel(decodeProtectionLevel(p.protectionLevel)),
      bits: p.protectionLevel,
      manifestGroup: p.permissionGroup,
    }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    source: {
      package: 'android-framework-res (Debian)',
      file: 'framework-res.apk',
      sha256: apk.sha256,
      apiLevel: apk.versionCode ?? apk.targetSdk,
      versionName: apk.versionName,
    },
    permissions,
  };
}
