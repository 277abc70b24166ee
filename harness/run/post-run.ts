// End-of-run work: the findings engine (harness/analysis) before `expect`, and the HTML report
// (reports/) into the output folder. A report that fails to render is logged, never fatal.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildReportModel, renderReport } from '../../reports/index.ts';
import { analyzeRun } from '../analysis/index.ts';
import { errorMessage } from '../errors.ts';
import type { PolicyPack } from '../knowledge/policy/types.ts';
import { createLog } from '../log.ts';
import { type AppProfile, loadProfile } from '../profile/profile.ts';
import type { Store } from '../store/store.ts';

const log = createLog('run');

export function profileFor(path: string | undefined): AppProfile | undefined {
  if (path === undefined) return undefined;
  return loadProfile(path);
}

/** The analysis step for runScenario (SDKs are already attributed as events are written). */
export function analysisStep(
  profile: AppProfile | undefined,
  pack?: PolicyPack,
): (store: Store, runId: number) => Promise<void> {
  return async (store, runId) => {
    analyzeRun(store, runId, { ...(profile ? { profile } : {}), ...(pack ? { pack } : {}) });
  };
}

/** Writes `<outDir>/report.html`; returns its path, or undefined when rendering failed. */
export async function writeHtmlReport(
  store: Store,
  runId: number,
  outDir: string,
  opts: { raw?: boolean; profile?: AppProfile | undefined; lang?: 'en' | 'zh' } = {},
): Promise<string | undefined> {
  try {
    const model = buildReportModel(store.db, runId, {
      raw: opts.raw === true,
      ...(opts.lang ? { lang: opts.lang } : {}),
      ...(opts.profile
        ? { policyCategories: opts.profile.privacyPolicy.declares.map((d) => d.category) }
        : {}),
    });
    const file = join(outDir, 'report.html');
    await writeFile(file, renderReport(model, 'html'));
    return file;
  } catch (err) {
    log.warn(`report: ${errorMessage(err)}`);
    return undefined;
  }
}
