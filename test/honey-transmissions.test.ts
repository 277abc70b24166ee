// Honey advertising ID and clipboard text end to end: the seed game, with a Pangle read of the
// Google advertising ID and an app read of the clipboard added, runs on the simulated device
// with --honey; the planted values are what the app sends, and the stored transmissions link
// each send to the read that returned the planted value.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HONEY } from '../agent/leaks/honey.ts';
import { loadTransmissions } from '../harness/analysis/transmissions.ts';
import { runScenario } from '../harness/run/run-scenario.ts';
import { hashSaltFor } from '../harness/run/salt.ts';
import { loadScenario } from '../harness/scenario/load.ts';
import { SimDevice } from '../harness/simulation/device/sim-device.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { openStore } from '../harness/store/store.ts';

const SCENARIOS = join(import.meta.dirname, '..', 'scenarios');
const tmp = mkdtempSync(join(tmpdir(), 'overreach-honey-'));
let agentPath = '';

beforeAll(async () => {
  agentPath = (await buildFreshBundles()).sim;
}, 120_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const EXTRA = `on-start:
  - api: com.google.android.gms.ads.identifier.AdvertisingIdClient$Info.getId
    from: pangle
    result: 38400000-8cf0-11bd-b23e-10b96e40000d
    thread: csj_init
    keep: gaid
  - api: android.content.ClipboardManager.getText
    from: app
    result: my bank pin 4711
    keep: clip
  - send:
      url: https://api-access.pangolin-sdk-toutiao.com/api/ad/union/sdk/settings/
      json: { gaid_md5: "\${md5:gaid}", clip: "\${base64:clip}" }
    from: pangle
    thread: csj_init
`;

async function runGame(honey: boolean) {
  const model = readFileSync(join(SCENARIOS, 'game', 'model.yaml'), 'utf8')
    .replace(/^sdks:\n/m, 'sdks:\n  gms: com.google.android.gms\n')
    .replace(/^on-start:\n/m, EXTRA);
  const modelFile = join(tmp, `model-${honey}.yaml`);
  writeFileSync(modelFile, model);
  const scenarioFile = join(tmp, `scenario-${honey}.yaml`);
  writeFileSync(
    scenarioFile,
    [
      'name: honey',
      'app:',
      '  package: com.lehuo.fruitcrush',
      `  model: ${modelFile}`,
      'steps:',
      '  - launch: { cold: true }',
      '  - wait: 2s',
      '',
    ].join('\n'),
  );
  const scenario = await loadScenario(scenarioFile);
  const store = openStore(join(tmp, `run-${honey}.db`));
  const device = new SimDevice({ clock: 'virtual', agentPath });
  try {
    const result = await runScenario({
      scenario,
      device,
      store,
      outDir: join(tmp, `out-${honey}`),
      log: () => undefined,
      ...(honey ? { honey: true } : {}),
    });
    return { store, runId: result.runId };
  } finally {
    await device.close();
  }
}

describe('honey advertising ID and clipboard, end to end', () => {
  it('the planted values are what leaves, each linked to the read that returned it', async () => {
    for (const honey of [true, false]) {
      const { store, runId } = await runGame(honey);
      try {
        const hashOf = (v: string) =>
          createHash('sha256')
            .update(hashSaltFor(store.path) + v)
            .digest('hex')
            .slice(0, 16);
        const tx = loadTransmissions(store.db, runId).filter(
          (t) => t.host === 'api-access.pangolin-sdk-toutiao.com',
        );
        const hookOf = (id: number | null) =>
          id === null
            ? undefined
            : (store.db.prepare('SELECT hook, value_hash FROM v_events WHERE id = ?').get(id) as {
                hook: string;
                value_hash: string;
              });
        const linked = tx.map((t) => ({ encoding: t.encoding, read: hookOf(t.readEvent) }));
        const gaid = linked.find((l) => l.read?.hook === 'ad-id.google-info-get-id');
        const clip = linked.find((l) => l.read?.hook === 'clipboard.get-text');
        // Each value left in the encoding the app used, linked to its read.
        expect(gaid?.encoding).toBe('md5');
        expect(clip?.encoding).toBe('base64');
        expect(gaid?.read?.value_hash, `honey ${honey}`).toBe(
          hashOf(honey ? HONEY['advertising-id'] : '38400000-8cf0-11bd-b23e-10b96e40000d'),
        );
        expect(clip?.read?.value_hash, `honey ${honey}`).toBe(
          hashOf(honey ? HONEY.clipboard : 'my bank pin 4711'),
        );
      } finally {
        store.close();
      }
    }
  }, 120_000);
});
