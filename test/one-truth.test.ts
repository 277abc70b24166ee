// "One truth per run": a seed scenario is run once, then analyze, report (every format), diff and
// the farm are asked about it WITHOUT repeating any flag, and every one of them gives the same
// findings — rule, SDK, category, count, title and evidence — as the run stored.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli/program.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { escapeHtml, escapeMd } from '../reports/escape.ts';
import { fmtCount } from '../reports/format.ts';
import { tempDir } from './fixtures/run/sim-run.ts';
import { type CapturedDeps, captureDeps } from './helpers/cli.ts';

const SCENARIO = join(import.meta.dirname, '..', 'scenarios', 'cleaner', 'scenario.yaml');

interface F {
  rule: string;
  severity: string;
  category: string | null;
  sdk: string | null;
  title: string;
  detail: string;
  count: number;
  evidence: number[];
}

const key = (f: Pick<F, 'rule' | 'category' | 'sdk' | 'title'>) =>
  `${f.rule}|${f.category ?? '-'}|${f.sdk ?? '-'}|${f.title}`;
const facts = (fs: F[]) =>
  fs
    .map((f) => ({ key: key(f), severity: f.severity, count: f.count, evidence: f.evidence }))
    .sort((a, b) => a.key.localeCompare(b.key));

let dir: string;
let deps: CapturedDeps;
let stored: F[];

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  deps.reset();
  const code = await runCli(args, deps);
  return { code, out: deps.out(), err: deps.err() };
}

beforeAll(async () => {
  const agent = (await buildFreshBundles()).sim;
  dir = tempDir();
  deps = captureDeps(dir, { env: { OVERREACH_SIM_AGENT: agent } });
  // Run 1: an empty ingested trace (the "before" side of the diff); run 2: the cleaner seed.
  writeFileSync(join(dir, 'empty.jsonl'), '');
  expect((await cli(['ingest', 'empty.jsonl', '--db', 'one.db'])).code).toBe(0);
  const run = await cli(['run', SCENARIO, '--speed', 'max', '--db', 'one.db', '--out', 'out', '--json']);
  // Failed expectations: exit 3 (the exit-code table).
  expect(run.code, run.err).toBe(3);
  const json = JSON.parse(run.out) as { run: number; findings: F[] };
  expect(json.run).toBe(2);
  stored = json.findings;
  expect(stored.length).toBeGreaterThan(10);
}, 180_000);

describe('one run, one truth', () => {
  it('analyze without flags reuses the stored profile and gives the run’s findings exactly', async () => {
    const r = await cli(['analyze', 'latest', '--db', 'one.db', '--json']);
    expect(r.code, r.err).toBe(0);
    const a = JSON.parse(r.out) as { findings: F[]; skipped: unknown[]; context: string };
    expect(a.context).toContain('scenarios/cleaner/profile.yaml');
    // Profile-dependent rules ran (they are skipped without a profile); the only rule skipped
    // needs a relaunch the cleaner's scenario does not make.
    expect((a.skipped as { rule: string }[]).map((s) => s.rule)).toEqual(['rerequest-next-start']);
    expect(a.findings.some((f) => f.rule === 'undeclared-collection')).toBe(true);
    expect(facts(a.findings)).toEqual(facts(stored));
    // Umeng's native MAC reads run on a Java thread, so they carry its Java stack: the same SDK
    // from run and analyze (the issue's case: run said Umeng, analyze said the app itself).
    const mac = a.findings.filter((f) => f.rule === 'permission-bypass' && f.category === 'network-id');
    expect(mac.length).toBeGreaterThan(0);
    expect(mac.every((f) => f.sdk === 'umeng-common')).toBe(true);
    expect(
      stored.filter((f) => f.rule === 'permission-bypass' && f.category === 'network-id').map((f) => f.sdk),
    ).toEqual(mac.map((f) => f.sdk));
  });

  it('every report format shows the same findings, counts and evidence, with one time origin', async () => {
    const out = (fmt: string) => join(dir, `r.${fmt}`);
    for (const fmt of ['json', 'md', 'html', 'junit', 'sarif'])
      expect(
        (await cli(['report', 'latest', '--db', 'one.db', '--format', fmt, '--out', out(fmt)])).code,
      ).toBe(0);
    const model = JSON.parse(readFileSync(out('json'), 'utf8')) as {
      origin: number;
      context: { profile: string | null };
      findings: (Omit<F, 'evidence'> & { evidence: { id: number; time: number }[] })[];
      declaredVsUsed: { rows: { category: string; verdict: string }[] };
    };
    expect(model.context.profile).toContain('scenarios/cleaner/profile.yaml');
    const fromModel = model.findings.map((f) => ({ ...f, evidence: f.evidence.map((e) => e.id) }));
    expect(facts(fromModel)).toEqual(facts(stored));
    // "+x s" in a finding's text counts from the report's origin.
    for (const f of model.findings) {
      const m = /first at \+(\d+\.\d{3}) s/.exec(f.detail);
      if (!m || !f.evidence[0]) continue;
      expect(m[1]).toBe(((f.evidence[0].time - model.origin) / 1000).toFixed(3));
    }
    // Declared vs used agrees with undeclared-collection: never green for those categories.
    for (const f of stored.filter((x) => x.rule === 'undeclared-collection'))
      expect(model.declaredVsUsed.rows.find((r) => r.category === f.category)?.verdict).toBe(
        'used-undeclared',
      );

    const sarif = JSON.parse(readFileSync(out('sarif'), 'utf8')) as {
      runs: {
        results: {
          ruleId: string;
          message: { text: string };
          properties: {
            category: string | null;
            sdk: string | null;
            events: number;
            evidenceEventIds: number[];
          };
          locations: {
            physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
          }[];
        }[];
      }[];
    };
    const fromSarif = sarif.runs[0]!.results.map((r) => {
      const f = stored.find((s) => r.message.text.startsWith(`${s.title}: `) && s.rule === r.ruleId)!;
      return {
        rule: r.ruleId,
        severity: f.severity,
        category: r.properties.category,
        sdk: r.properties.sdk,
        title: f.title,
        detail: '',
        count: r.properties.events,
        evidence: r.properties.evidenceEventIds,
      };
    });
    expect(facts(fromSarif)).toEqual(facts(stored));
    // A failed expectation points at its line in the scenario.
    const scenarioLines = readFileSync(SCENARIO, 'utf8').split('\n');
    const exp = sarif.runs[0]!.results.find((r) => r.message.text.includes('no-access contacts'))!;
    const loc = exp.locations[0]!.physicalLocation;
    expect(loc.artifactLocation.uri).toMatch(/scenarios\/cleaner\/scenario\.yaml$/);
    expect(scenarioLines[loc.region!.startLine - 1]).toContain('no-access: contacts');

    const md = readFileSync(out('md'), 'utf8');
    const html = readFileSync(out('html'), 'utf8');
    const junit = readFileSync(out('junit'), 'utf8');
    for (const f of stored) {
      expect(md).toContain(`${escapeMd(f.title)}\n\nRule \`${f.rule}\``);
      expect(md).toContain(`${fmtCount(f.count)} events`);
      expect(html).toContain(escapeHtml(f.title));
    }
    for (const f of stored.filter(
      (x) => !['failed-expectation', 'missing-privacy-switch'].includes(x.rule),
    )) {
      const scope = `${f.category ? ` · ${f.category}` : ''}${f.sdk ? ` · ${f.sdk}` : ''}`;
      expect(junit).toContain(`${f.title}${scope} (${fmtCount(f.count)} events)`.replace(/&/g, '&amp;'));
    }
    // One failing test case per failed expectation.
    const failedExpectations = stored.filter(
      (f) => f.rule === 'failed-expectation' || f.rule === 'missing-privacy-switch',
    );
    expect(junit.match(/<failure [^>]*type="expectation"/g)).toHaveLength(failedExpectations.length);
  });

  it('diff counts each finding’s events as analyze does', async () => {
    const r = await cli(['diff', '1', 'latest', '--db', 'one.db', '--json']);
    expect(r.code, r.err).toBe(0);
    const d = JSON.parse(r.out) as { findings: { added: { key: string; after: number }[] } };
    const sums = new Map<string, number>();
    for (const f of stored) {
      const k = [f.rule, f.category ?? '-', f.sdk ?? '-'].join(' · ');
      sums.set(k, (sums.get(k) ?? 0) + f.count);
    }
    expect(new Map(d.findings.added.map((e) => [e.key, e.after]))).toEqual(sums);
  });

  it('the farm on the same scenario reports the same findings and fails on its expectations', async () => {
    writeFileSync(
      join(dir, 'plan.yaml'),
      `scenarios: [${SCENARIO}]\ndevices:\n  - sim: 1\ndb: farm.db\nout: farm-out\n`,
    );
    const r = await cli(['farm', 'plan.yaml', '--speed', 'max', '--json']);
    // No fail-on in the plan, yet failed expectations fail the farm.
    expect(r.code, r.err).toBe(3);
    const farm = JSON.parse(r.out) as {
      exitCode: number;
      jobs: {
        runId: number;
        findings: Omit<F, 'detail' | 'evidence'>[];
        expectations: { outcome: string }[];
      }[];
      files: { junit: string; sarif: string };
    };
    expect(farm.exitCode).toBe(3);
    const job = farm.jobs[0]!;
    const strip = (
      fs: {
        rule: string;
        category: string | null;
        sdk: string | null;
        title: string;
        count: number;
        severity: string;
      }[],
    ) =>
      fs
        .map((f) => ({ key: key(f), count: f.count, severity: f.severity }))
        .sort((a, b) => a.key.localeCompare(b.key));
    expect(strip(job.findings)).toEqual(strip(stored));
    expect(job.expectations.filter((e) => e.outcome === 'failed')).toHaveLength(7);
    // analyze on the farm's database, no flags: the same again (the plan's context was stored).
    const a = await cli(['analyze', 'latest', '--db', join(dir, 'farm-out', '..', 'farm.db'), '--json']);
    expect(a.code, a.err).toBe(0);
    expect(strip((JSON.parse(a.out) as { findings: F[] }).findings)).toEqual(strip(stored));
    const junit = readFileSync(farm.files.junit, 'utf8');
    expect(junit.match(/<failure [^>]*type="expectation"/g)).toHaveLength(7);
    expect(junit).toContain('expect: no-access contacts');
    const sarif = JSON.parse(readFileSync(farm.files.sarif, 'utf8')) as {
      runs: { results: { ruleId: string }[] }[];
    };
    expect(sarif.runs[0]!.results.filter((x) => x.ruleId === 'failed-expectation')).toHaveLength(6);
    expect(sarif.runs[0]!.results.filter((x) => x.ruleId === 'missing-privacy-switch')).toHaveLength(1);
  }, 120_000);
});
