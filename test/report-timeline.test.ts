// The timeline: step markers never overlap (lanes), background spans are shaded, and data
// categories sit above behaviours — on the cleaner seed run (background, many quick steps).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRun } from '../harness/analysis/index.ts';
import { runScenario } from '../harness/run/run-scenario.ts';
import { loadScenario } from '../harness/scenario/load.ts';
import { SimDevice } from '../harness/simulation/device/sim-device.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { openStore, type Store } from '../harness/store/store.ts';
import { timelineSvg } from '../reports/html/chart.ts';
import { buildReportModel, type ReportModel } from '../reports/index.ts';

let dir: string;
let store: Store;
let model: ReportModel;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'overreach-timeline-'));
  const agentPath = (await buildFreshBundles()).sim;
  const scenario = await loadScenario(
    join(import.meta.dirname, '..', 'scenarios', 'cleaner', 'scenario.yaml'),
  );
  store = openStore(join(dir, 'db.sqlite'));
  const device = new SimDevice({ clock: 'virtual', agentPath });
  try {
    const r = await runScenario({
      scenario,
      device,
      store,
      outDir: join(dir, 'out'),
      log: () => undefined,
      analyze: (s, id) => void analyzeRun(s, id),
    });
    model = buildReportModel(store.db, r.runId);
  } finally {
    await device.close();
  }
}, 120_000);

afterAll(() => {
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('timeline', () => {
  it('puts data categories above behaviours', () => {
    const cats = model.timeline.categories;
    const firstBehaviour = cats.findIndex((c) =>
      ['overlay', 'dialog', 'permission-request', 'lifecycle', 'background-activity'].includes(c),
    );
    expect(firstBehaviour).toBeGreaterThan(0);
    expect(cats.slice(firstBehaviour)).not.toContain('running-apps');
    expect(cats.slice(0, firstBehaviour)).toContain('running-apps');
  });

  it('shades the background spans and keeps step markers apart', () => {
    expect(model.timeline.background.length).toBeGreaterThan(0);
    const svg = timelineSvg(model.timeline).html;
    expect(svg.match(/class="background-span"/g)?.length).toBe(model.timeline.background.length);
    // Every pair of markers in one lane is at least a circle's width apart.
    const markers = [...svg.matchAll(/data-lane="(\d+)"><line x1="([\d.]+)"/g)].map((m) => ({
      lane: Number(m[1]),
      x: Number(m[2]),
    }));
    expect(markers.length).toBe(model.timeline.steps.length);
    expect(new Set(markers.map((m) => m.lane)).size).toBeGreaterThan(1);
    for (const lane of new Set(markers.map((m) => m.lane))) {
      const xs = markers.filter((m) => m.lane === lane).map((m) => m.x);
      for (let i = 1; i < xs.length; i++) expect(xs[i]! - xs[i - 1]!).toBeGreaterThanOrEqual(15.9);
    }
  });
});
