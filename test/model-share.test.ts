// A farm's thread hands its parse of an app model to its device workers (sim-processes.ts
// shareModels → sim-worker.ts 'models'): the worker uses it instead of parsing the file again,
// only while the file's text is the one that was parsed.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adoptAppModel, loadAppModel, parsedAppModel } from '../harness/simulation/apps/model-load.ts';
import { tempDir } from './fixtures/run/sim-run.ts';

const MODEL = join(import.meta.dirname, '..', 'scenarios/models/demo-game.yaml');

function modelCopy(): string {
  const file = join(tempDir(), 'demo-game.yaml');
  copyFileSync(MODEL, file);
  return file;
}

describe('app models shared between threads', () => {
  it('gives the text and the parse of a model file, as loadAppModel returns it', () => {
    const file = modelCopy();
    const shared = parsedAppModel(file);
    expect(shared.path).toBe(file);
    expect(shared.text).toBe(readFileSync(file, 'utf8'));
    expect(shared.model).toEqual(loadAppModel(file));
    expect(shared.model.packageName).toBe('com.starfall.puzzle');
  });

  it("uses an adopted parse instead of parsing the file, while the file's text is unchanged", () => {
    const file = modelCopy();
    const text = readFileSync(file, 'utf8');
    // A parse that differs from the file's, so a re-parse would show.
    const model = { ...structuredClone(parsedAppModel(MODEL).model), file, label: 'adopted, not parsed' };
    adoptAppModel({ path: file, text, model });
    expect(loadAppModel(file).label).toBe('adopted, not parsed');
    // Callers get copies: one caller's change does not reach the next.
    loadAppModel(file).label = 'changed by a caller';
    expect(loadAppModel(file).label).toBe('adopted, not parsed');
    // The file changed since: it is parsed again.
    writeFileSync(file, `${text}\n# edited\n`);
    expect(loadAppModel(file).label).not.toBe('adopted, not parsed');
  });

  it('keeps a model this thread parsed itself', () => {
    const file = modelCopy();
    const own = loadAppModel(file);
    adoptAppModel({ path: file, text: readFileSync(file, 'utf8'), model: { ...own, label: 'other' } });
    expect(loadAppModel(file).label).toBe(own.label);
  });
});
