// SARIF that GitHub code scanning accepts: every log validates against the SARIF 2.1.0 JSON
// schema (draft-04, vendored in test/fixtures/sarif), every result has a physical location, and
// the same finding in the next run (the next build) has the same partialFingerprints.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AjvModule from 'ajv-draft-04';
import formatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../harness/store/store.ts';
import { buildReportModel } from '../reports/model.ts';
import { buildSarif, sarifLog } from '../reports/sarif.ts';
import { createDemoRun } from './fixtures/reports/demo-run.ts';
import { tempDir } from './fixtures/run/sim-run.ts';

const SCHEMA = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'sarif', 'sarif-2.1.0-rtm.5.json'), 'utf8'),
) as object;

// CommonJS packages: under Node's ESM loader the default import is module.exports, whose
// `default` is the class / plugin.
const Ajv = AjvModule.default;
const addFormats = formatsModule.default;

function validator() {
  // unicodeRegExp off: the schema's language-tag pattern is not valid with the u flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(SCHEMA);
}

interface SarifResult {
  ruleId: string;
  partialFingerprints: Record<string, string>;
  locations: { physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string } } }[];
}

let dir: string;
let store: Store;
let runs: number[];

beforeAll(async () => {
  dir = tempDir();
  store = openStore(join(dir, 'overreach.db'));
  runs = [
    await createDemoRun(store, { tracePath: join(dir, 'a.jsonl') }),
    await createDemoRun(store, { tracePath: join(dir, 'b.jsonl') }),
    await createDemoRun(store, { tracePath: join(dir, 'c.jsonl'), hostile: true }),
  ];
});
afterAll(() => store.close());

const results = (log: Record<string, unknown>, i = 0) =>
  (log['runs'] as { results: SarifResult[] }[])[i]!.results;

describe('SARIF', () => {
  it('validates against the SARIF 2.1.0 schema, hostile strings included', () => {
    const validate = validator();
    for (const id of runs) {
      const log = buildSarif(buildReportModel(store.db, id), { baseDir: dir });
      const ok = validate(log);
      expect(ok, JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
      expect(results(log).length).toBeGreaterThan(0);
    }
    // The farm's log (one run per job) too.
    const farm = sarifLog(
      runs.map((id) => buildReportModel(store.db, id)),
      { baseDir: dir },
    );
    expect(validate(farm), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });

  it('the schema check can fail: a result without a message is refused', () => {
    const validate = validator();
    const log = buildSarif(buildReportModel(store.db, runs[0]!), { baseDir: dir });
    const broken = structuredClone(log) as { runs: { results: Record<string, unknown>[] }[] };
    delete broken.runs[0]!.results[0]!['message'];
    expect(validate(broken)).toBe(false);
  });

  it('gives every result a physical location', () => {
    for (const id of runs) {
      for (const r of results(buildSarif(buildReportModel(store.db, id), { baseDir: dir }))) {
        const uri = r.locations[0]?.physicalLocation?.artifactLocation.uri;
        expect(uri, r.ruleId).toBeTruthy();
      }
    }
  });

  it('keeps fingerprints stable from one run of the same app to the next, and distinct within a run', () => {
    const fp = (id: number) =>
      results(buildSarif(buildReportModel(store.db, id), { baseDir: dir })).map(
        (r) => `${r.ruleId} ${r.partialFingerprints['overreachFinding/v1']}`,
      );
    const a = fp(runs[0]!);
    expect(a.length).toBeGreaterThan(1);
    expect(fp(runs[1]!)).toEqual(a);
    expect(new Set(a).size).toBe(a.length);
    for (const x of a) expect(x).toMatch(/ [0-9a-f]{32}(:\d+)?$/);
  });
});
