// Optional end-of-run work, used only when this build has it: the findings engine
// (harness/analysis) before `expect`, and the HTML report (reports/) into the output folder.
// Both are loaded lazily and guarded, so a run never depends on them.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '../errors.ts';
import type { PolicyPack } from '../knowledge/policy/types.ts';
import { createLog } from '../log.ts';
import { type AppProfile, loadProfile } from '../profile/profile.ts';
import type { Store } from '../store/store.ts';

const log = createLog('run');

type Fn = (...args: unknown[]) => unknown;

async function load(relative: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(new URL(relative, import.meta.url).href)) as Record<string, unknown>;
  } catch (err) {
    log.info(`${relative} not available: ${errorMessage(err)}`);
    return undefined;
  }
}

export function profileFor(path: string | undefined): AppProfile | undefined {
  if (path === undefined) return undefined;
  return loadProfile(path);
}

/** The analysis step for runScenario, or undefined when harness/analysis is absent. */
export async function loadAnalysis(
  pkg: string,
  profile: AppProfile | undefined,
  pack?: PolicyPack,
): Promise<((store: Store, runId: number) => Promise<void>) | undefined> {
  const mod = await load('../analysis/index.ts');
  const analyzeRun = mod?.['analyzeRun'];
  if (typeof analyzeRun !== 'function') return undefined;
  const attribute = mod?.['attributeRunSdks'];
  return async (store, runId) => {
    if (typeof attribute === 'function') (attribute as Fn)(store.db, runId, pkg);
    await (analyzeRun as Fn)(store, runId, { ...(profile ? { profile } : {}), ...(pack ? { pack } : {}) });
  };
}

/** Writes `<outDir>/report.html` when reports/ is available; returns its path. */
export async function writeHtmlReport(
  store: Store,
  runId: number,
  outDir: string,
  opts: { raw?: boolean; profile?: AppProfile | undefined } = {},
): Promise<string | undefined> {
  const mod = await load('../../reports/index.ts');
  const build = mod?.['buildReportModel'];
  const render = mod?.['renderReport'];
  if (typeof build !== 'function' || typeof render !== 'function') return undefined;
  try {
    const model = (build as Fn)(store.db, runId, {
      raw: opts.raw === true,
      ...(opts.profile
        ? { policyCategories: opts.profile.privacyPolicy.declares.map((d) => d.category) }
        : {}),
    });
    const file = join(outDir, 'report.html');
    await writeFile(file, String((render as Fn)(model, 'html')));
    return file;
  } catch (err) {
    log.warn(`report: ${errorMessage(err)}`);
    return undefined;
  }
}
