// Regenerates harness/knowledge/data/platform-permissions.json from Debian's framework-res.apk:
//   apt-get install android-framework-res && npx tsx scripts/gen-permissions.ts [path/to/framework-res.apk]
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { FRAMEWORK_RES_APK, generatePlatformPermissions } from '../harness/knowledge/platform-source.ts';

const out = fileURLToPath(new URL('../harness/knowledge/data/platform-permissions.json', import.meta.url));
const data = generatePlatformPermissions(process.argv[2] ?? FRAMEWORK_RES_APK);
writeFileSync(out, `${JSON.stringify(data, null, 2)}\n`);
process.stdout.write(
  `wrote ${data.permissions.length} permissions (API ${data.source.apiLevel}) to ${out}\n`,
);
