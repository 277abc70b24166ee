// loadAppModel parses a file's text once per process (a farm job reads its model three times):
// each caller still gets its own model, and a changed file is parsed again.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAppModel } from '../harness/simulation/apps/model-load.ts';
import { tempDir } from './fixtures/run/sim-run.ts';

const MODEL = join(import.meta.dirname, '..', 'scenarios/models/demo-game.yaml');

describe('loadAppModel cache', () => {
  it('gives every caller its own copy and re-reads a changed file', () => {
    const file = join(tempDir(), 'm.yaml');
    copyFileSync(MODEL, file);
    const a = loadAppModel(file);
    a.permissions.push('android.permission.CAMERA');
    a.label = 'changed by a caller';
    const b = loadAppModel(file);
    expect(b).not.toBe(a);
    expect(b.permissions).not.toContain('android.permission.CAMERA');
    expect(b.label).not.toBe('changed by a caller');
    writeFileSync(file, readFileSync(MODEL, 'utf8').replace(/^package: .*$/m, 'package: com.example.other'));
    expect(loadAppModel(file).packageName).toBe('com.example.other');
  });
});
