// The calibration APK's manifest.
/** The manifest: every permission the catalog names, one launcher activity. */
export function manifestXml(permissions: readonly string[]): string {
  const perms = [...new Set(permissions)].sort().map((p) => `  <uses-permission android:name="${p}"/>`);
  return `<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android" package="com.overreach.calibration" android:versionCode="1" android:versionName="1.0">
  <uses-sdk android:minSdkVersion="23" android:targetSdkVersion="28"/>
${perms.join('\n')}
  <application android:label="Overreach calibration" android:debuggable="true">
    <activity android:name=".MainActivity" android:exported="true">
      <intent-filter>
        <action android:name="android.intent.action.MAIN"/>
        <category android:name="android.intent.category.LAUNCHER"/>
      </intent-filter>
    </activity>
  </application>
</manifest>
`;
}
