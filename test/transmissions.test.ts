// What left the device, end to end: the seed game and logistics apps run on the simulated
// device with the real agent; their sends are caught by the agent's network hooks, matched
// against the values their reads returned, stored as transmissions and judged by the rules.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { HONEY } from '../agent/leaks/honey.ts';
import { analyzeRun, attributeRunSdks, readFindings } from '../harness/analysis/index.ts';
import { loadTransmissions } from '../harness/analysis/transmissions.ts';
import { BUILT_IN_PACKS } from '../harness/knowledge/policy/pack.ts';
import { mergeDatabases } from '../harness/merge/merge.ts';
import { loadProfile } from '../harness/profile/profile.ts';
import { runScenario } from '../harness/run/run-scenario.ts';
import { hashSaltFor } from '../harness/run/salt.ts';
import { transmissionLine } from '../harness/run/summary.ts';
import { loadScenario } from '../harness/scenario/load.ts';
import { SimDevice } from '../harness/simulation/device/sim-device.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { runQuery } from '../harness/store/query.ts';
import { openStore, type Store } from '../harness/store/store.ts';
import { buildDiff, buildReportModel, renderReport } from '../reports/index.ts';

const SCENARIOS = join(import.meta.dirname, '..', 'scenarios');
const tmp = mkdtempSync(join(tmpdir(), 'overreach-tx-'));
let agentPath = '';

beforeAll(async () => {
  agentPath = (await buildFreshBundles()).sim;
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function run(
  seed: string,
  honey = false,
  opts: { scenarioFile?: string; grantAll?: boolean; tag?: string } = {},
): Promise<{ store: Store; runId: number }> {
  const scenario = await loadScenario(opts.scenarioFile ?? join(SCENARIOS, seed, 'scenario.yaml'));
  const profile = loadProfile(join(SCENARIOS, seed, 'profile.yaml'));
  const store = openStore(join(tmp, `${seed}-${honey}-${opts.grantAll === true}${opts.tag ?? ''}.db`));
  const device = new SimDevice({ clock: 'virtual', agentPath });
  if (opts.grantAll) await device.install(join(SCENARIOS, seed, 'model.yaml'), { grantAll: true });
  try {
    const result = await runScenario({
      scenario,
      device,
      store,
      outDir: join(tmp, `${seed}-${honey}`),
      log: () => undefined,
      ...(honey ? { honey: true } : {}),
      analyze: (s, runId) => {
        attributeRunSdks(s.db, runId, scenario.app.package);
        analyzeRun(s, runId, { profile, pack: BUILT_IN_PACKS['cn-necessary-2021']! });
      },
    });
    return { store, runId: result.runId };
  } finally {
    await device.close();
  }
}

function hookOf(store: Store, eventId: number): string {
  return store.db.prepare('SELECT hook FROM v_events WHERE id = ?').pluck().get(eventId) as string;
}

describe('transmissions on the seed apps', () => {
  it('game: the Android ID and the IMEI leave before consent, MD5-hashed, to ByteDance, sent by Pangle', async () => {
    const { store, runId } = await run('game');
    try {
      const tx = loadTransmissions(store.db, runId);
      const pangle = tx.filter((t) => t.host === 'api-access.pangolin-sdk-toutiao.com');
      expect(pangle.length).toBeGreaterThan(0);
      const t = pangle[0]!;
      expect(t).toMatchObject({
        category: 'device-id',
        encoding: 'md5',
        organisation: 'ByteDance (Pangle/穿山甲)',
        known: true,
        endpointSdk: 'pangle',
        sdk: 'pangle',
        readSdk: 'pangle',
        phase: 'pre-consent',
        scheme: 'https',
        port: 443,
      });
      // The link points at the read that returned the value: Settings.Secure android_id.
      const read = store.db
        .prepare<[number], { hook: string; args: string }>('SELECT hook, args FROM v_events WHERE id = ?')
        .get(t.readEvent!);
      expect(read).toEqual({
        hook: 'settings.secure-get-string',
        args: expect.stringContaining('android_id'),
      });
      // The phone permission is allowed at launch (asked over the policy dialog): the next ad
      // request, still before consent, carries the IMEI's MD5.
      const imei = pangle.find(
        (x) => x.readEvent !== null && hookOf(store, x.readEvent) === 'telephony.get-imei',
      );
      expect(imei).toMatchObject({
        category: 'device-id',
        encoding: 'md5',
        phase: 'pre-consent',
        sdk: 'pangle',
      });
      // Android ID and IMEI (one value each), sent twice + once … to one organisation.
      expect(transmissionLine(store, runId)[0]).toMatch(
        /^left the device: 2 value\(s\) in \d send\(s\) to ByteDance \(Pangle\/穿山甲\)$/,
      );
      const model0 = buildReportModel(store.db, runId);
      expect(
        model0.transmissions.rows.some(
          (r) =>
            r.read?.hook === 'telephony.get-imei' &&
            r.organisation === 'ByteDance (Pangle/穿山甲)' &&
            r.phase === 'pre-consent',
        ),
      ).toBe(true);
      // No raw identifier reached the store: the URL query is cut and values are hashed.
      const texts = store.db.prepare('SELECT text FROM summaries').pluck().all() as string[];
      expect(texts.join('\n')).not.toContain('3f9a1c27d84be605');
      const findings = readFindings(store, runId);
      const before = findings.find((f) => f.rule === 'transmission-before-consent' && f.sdk === 'pangle');
      expect(before?.severity).toBe('high');
      expect(before?.evidence).toContain(t.sendEvent);
      const raised = findings.find((f) => f.rule === 'finding-transmitted' && f.category === 'device-id');
      expect(raised?.severity).toBe('critical');
      expect(findings.filter((f) => f.rule === 'undisclosed-recipient')).toEqual([]);
      // The same run judged against a policy that does not name Pangle: ByteDance is undisclosed.
      const profile = loadProfile(join(SCENARIOS, 'game', 'profile.yaml'));
      const silent = {
        ...profile,
        privacyPolicy: {
          ...profile.privacyPolicy,
          sdks: profile.privacyPolicy.sdks.filter((x) => x !== 'pangle'),
        },
      };
      const again = analyzeRun(store, runId, { profile: silent, pack: BUILT_IN_PACKS['cn-necessary-2021']! });
      const undisclosed = again.filter((f) => f.rule === 'undisclosed-recipient');
      expect(undisclosed.map((f) => [f.category, f.sdk, f.severity])).toEqual([
        ['device-id', 'pangle', 'medium'],
      ]);
      expect(undisclosed[0]?.title).toContain('ByteDance (Pangle/穿山甲)');
      analyzeRun(store, runId, { profile, pack: BUILT_IN_PACKS['cn-necessary-2021']! });

      // The report's "what left the device" section, in every format, with the evidence chain.
      const model = buildReportModel(store.db, runId);
      const row = model.transmissions.rows.find((r) => r.host === t.host);
      expect(row).toMatchObject({
        organisation: 'ByteDance (Pangle/穿山甲)',
        sdk: 'pangle',
        phase: 'pre-consent',
      });
      expect(row?.read?.event).toBe(t.readEvent);
      expect(row?.send.event).toBe(t.sendEvent);
      expect(model.transmissions.honey).toBe(false);
      const dest = model.transmissions.destinations.find((d) => d.host === t.host);
      const sends = store.db
        .prepare('SELECT count(*) FROM sends WHERE run_id = ? AND host = ?')
        .pluck()
        .get(runId, t.host);
      const carrying = store.db
        .prepare(
          'SELECT count(DISTINCT t.send_event_id) FROM transmissions t JOIN sends s ON s.event_id = t.send_event_id WHERE s.run_id = ? AND s.host = ?',
        )
        .pluck()
        .get(runId, t.host);
      expect(carrying).toBeGreaterThanOrEqual(2);
      expect(dest).toMatchObject({ sends, carrying, organisation: 'ByteDance (Pangle/穿山甲)' });
      const html = renderReport(model, 'html');
      expect(html).toContain('What left the device');
      expect(html).toContain('ByteDance (Pangle/穿山甲)');
      expect(html).not.toContain('honey values</b>');
      const md = renderReport(model, 'md');
      expect(md).toMatch(/## What left the device[\s\S]*api-access\.pangolin-sdk-toutiao\.com:443/);
      expect(JSON.parse(renderReport(model, 'json')).transmissions.rows.length).toBeGreaterThan(0);

      // docs/schema.md's transmission queries answer on this run.
      const doc = readFileSync(join(import.meta.dirname, '..', 'docs', 'schema.md'), 'utf8');
      const section = doc.slice(doc.indexOf('## What left the device'));
      const blocks = [...section.matchAll(/```sql\n([\s\S]*?)```/g)].map((b) => b[1]!.trim());
      expect(blocks.length).toBe(3);
      for (const sql of blocks) {
        const r = runQuery(store.db, sql.replace(/;\s*$/, ''));
        expect(r.rows.length, sql).toBeGreaterThan(0);
      }
      const first = runQuery(store.db, blocks[0]!.replace(/;\s*$/, ''));
      expect(JSON.stringify(first.rows)).toContain('ByteDance');
    } finally {
      store.close();
    }
  }, 60_000);

  it('game with honey values: the planted Android ID is the one that leaves', async () => {
    const { store, runId } = await run('game', true);
    try {
      const tx = loadTransmissions(store.db, runId);
      const t = tx.find((x) => x.host === 'api-access.pangolin-sdk-toutiao.com' && x.encoding === 'md5');
      expect(t).toBeDefined();
      // The read the send carried returned the planted value, not the model's own Android ID.
      const hashOf = (v: string) =>
        createHash('sha256')
          .update(hashSaltFor(store.path) + v)
          .digest('hex')
          .slice(0, 16);
      const read = store.db
        .prepare<[number], { value_hash: string }>('SELECT value_hash FROM events WHERE id = ?')
        .get(t!.readEvent!);
      expect(read?.value_hash).toBe(hashOf(HONEY['android-id']));
      expect(read?.value_hash).not.toBe(hashOf('3f9a1c27d84be605'));
      const config = JSON.parse(
        store.db.prepare<[number], { config: string }>('SELECT config FROM runs WHERE id = ?').get(runId)!
          .config,
      ) as { honey?: boolean };
      expect(config.honey).toBe(true);
      const model = buildReportModel(store.db, runId);
      expect(model.transmissions.honey).toBe(true);
      expect(renderReport(model, 'html')).toContain('This run used honey values');
      expect(renderReport(model, 'md')).toContain('This run used honey values');
    } finally {
      store.close();
    }
  }, 60_000);

  it('game installed with every permission granted (adb install -g): the IMEI MD5 leaves before consent', async () => {
    const file = join(tmp, 'game-granted.yaml');
    writeFileSync(
      file,
      [
        'name: game-granted',
        'app:',
        '  package: com.lehuo.fruitcrush',
        `  model: ${join(SCENARIOS, 'game', 'model.yaml')}`,
        'steps:',
        '  - launch: { cold: true }',
        '  - wait: 2s',
        '',
      ].join('\n'),
    );
    for (const honey of [false, true]) {
      const { store, runId } = await run('game', honey, { scenarioFile: file, grantAll: true });
      try {
        const tx = loadTransmissions(store.db, runId).filter((t) => t.sdk === 'pangle');
        const imei = tx.find(
          (t) =>
            t.sendHook === 'okhttp4.real-call-execute' &&
            t.readEvent !== null &&
            t.encoding === 'md5' &&
            hookOf(store, t.readEvent) === 'telephony.get-imei',
        );
        expect(imei, `honey ${honey}`).toMatchObject({
          category: 'device-id',
          organisation: 'ByteDance (Pangle/穿山甲)',
          phase: 'pre-consent',
        });
        const hash = store.db
          .prepare('SELECT value_hash FROM events WHERE id = ?')
          .pluck()
          .get(imei!.readEvent) as string;
        const expected = createHash('sha256')
          .update(hashSaltFor(store.path) + (honey ? HONEY.imei : '867530912345678'))
          .digest('hex')
          .slice(0, 16);
        expect(hash).toBe(expected);
      } finally {
        store.close();
      }
    }
  }, 60_000);

  it('logistics with honey values: the planted location is what reaches the company server', async () => {
    const { store, runId } = await run('logistics', true);
    try {
      const [t] = loadTransmissions(store.db, runId);
      expect(t).toMatchObject({
        category: 'location',
        encoding: 'location',
        host: 'api.kdgj-express.example',
      });
      const hash = store.db
        .prepare('SELECT value_hash FROM events WHERE id = ?')
        .pluck()
        .get(t!.readEvent) as string;
      const planted = `${HONEY.location.latitude},${HONEY.location.longitude}`;
      expect(hash).toBe(
        createHash('sha256')
          .update(hashSaltFor(store.path) + planted)
          .digest('hex')
          .slice(0, 16),
      );
    } finally {
      store.close();
    }
  }, 60_000);

  it('merge keeps sends and transmissions linked to the right events', async () => {
    // Two hosts' databases merge only with one lab-wide salt (merge refuses to mix salts).
    process.env.OVERREACH_HASH_SALT = '00112233445566778899aabbccddeeff';
    onTestFinished(() => {
      delete process.env.OVERREACH_HASH_SALT;
    });
    const a = await run('logistics', false, { tag: '-merge' });
    const aPath = a.store.path;
    const aRows = loadTransmissions(a.store.db, a.runId);
    a.store.close();
    const b = await run('game', false, { tag: '-merge' });
    const bPath = b.store.path;
    const bRows = loadTransmissions(b.store.db, b.runId);
    b.store.close();
    const out = join(tmp, 'merged.db');
    const merged = mergeDatabases(out, [aPath, bPath]);
    const store = openStore(out);
    try {
      const ids = [merged.inputs[0]!.runIds.get(a.runId), merged.inputs[1]!.runIds.get(b.runId)];
      const key = (rows: ReturnType<typeof loadTransmissions>) =>
        rows.map(
          (r) =>
            `${r.category}|${r.encoding}|${r.host}|${r.organisation}|${r.sdk}|${r.phase}|${r.readEvent === null}`,
        );
      expect(key(loadTransmissions(store.db, ids[0]!))).toEqual(key(aRows));
      expect(key(loadTransmissions(store.db, ids[1]!))).toEqual(key(bRows));
      // Every link points at an event of the same run.
      const bad = store.db
        .prepare(
          `SELECT count(*) FROM transmissions t JOIN events s ON s.id = t.send_event_id
           LEFT JOIN events r ON r.id = t.read_event_id
           WHERE s.run_id != t.run_id OR (r.id IS NOT NULL AND r.run_id != t.run_id)`,
        )
        .pluck()
        .get();
      expect(bad).toBe(0);
    } finally {
      store.close();
    }
  }, 60_000);

  it('logistics: the pickup location reaches the company server after consent, no third party', async () => {
    const { store, runId } = await run('logistics');
    try {
      const tx = loadTransmissions(store.db, runId);
      expect(tx).toHaveLength(1);
      expect(tx[0]).toMatchObject({
        category: 'location',
        encoding: 'location',
        host: 'api.kdgj-express.example',
        organisation: 'api.kdgj-express.example',
        known: false,
        scheme: 'tls',
        phase: 'post-consent',
      });
      const rules = readFindings(store, runId).map((f) => f.rule);
      expect(rules).not.toContain('transmission-before-consent');
      expect(rules).not.toContain('undisclosed-recipient');
      // A destination appears in `diff` once, as new: against a run of the same database without sends.
      const before = store.createRun({
        package: 'com.kdgj.express',
        device: 'sim',
        scenario: 'empty',
        toolVersion: 'test',
        startedAt: 0,
      });
      const d = buildDiff(store.db, before, runId);
      expect(d.destinations.added.map((x) => x.key)).toEqual(['api.kdgj-express.example']);
    } finally {
      store.close();
    }
  }, 60_000);
});
