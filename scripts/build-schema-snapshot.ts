// `npm run build:schema-snapshot`: regenerates harness/store/schema-snapshot.ts (the final schema
// a fresh database gets in one step) by replaying every migration in harness/store/schema.ts.
// Run it after adding or changing a migration; test/schema-snapshot.test.ts fails until then.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderSnapshot, replayedSnapshot } from '../harness/store/schema-snapshot-build.ts';

const file = fileURLToPath(new URL('../harness/store/schema-snapshot.ts', import.meta.url));
const snapshot = replayedSnapshot();
writeFileSync(file, renderSnapshot(snapshot));
const biome = fileURLToPath(new URL('../node_modules/.bin/biome', import.meta.url));
const fmt = spawnSync(biome, ['format', '--write', file], { encoding: 'utf8' });
if (fmt.status !== 0) process.stderr.write(`warning: biome format failed: ${fmt.stderr || fmt.error}\n`);
process.stdout.write(
  `${file}: schema version ${snapshot.version}, ${snapshot.sql.length} statements (migrations ${snapshot.migrations.slice(0, 12)})\n`,
);
