// `npm run build:calibration`: dist/overreach-calibration.apk from smali generated out of the
// catalog (harness/calibration/), assembled with Debian's smali, packaged with aapt against
// Debian's framework-res.apk, aligned with zipalign and signed with apksigner using a throwaway
// debug key made by keytool. Needs: smali (libsmali-java + a JRE), aapt, zipalign, apksigner,
// android-framework-res (.ci/run installs them).
import { buildCalibrationApk } from '../harness/calibration/build.ts';

const out = process.argv[2] ?? 'dist/overreach-calibration.apk';
const r = buildCalibrationApk(out);
process.stdout.write(`${r.apk}: ${r.calls} calls (${r.entries} catalog entries), ${r.bytes} bytes\n`);
