// End-of-run work: the findings engine (harness/analysis) before `expect`, and the HTML report
// (reports/) into the output folder. A report that fails to render is logged, never fatal.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildReportModel, renderReport } from '../../reports/index.ts';
import { analyzeStoredRun } from '../analysis/run-analysis.ts';
import { errorMessage } from '../errors.ts';
import { createLog } from '../log.ts';
import type { Store } from '../store/store.ts';

const log = createLog('run');

/**
 * The analysis step for runScenario: the run's stored context (profile, pack, rules, APK),
 * SDKs already attributed as events were written, the expectations as findings.
 */
export function analysisStep(command: string): (store: Store, runId: number) => Promise<void> {
  return async (store, runId) => {
    analyzeStoredRun(store, runId, { command });
  };
}

/** Writes `<outDir>/report.html`; returns its path, or undefined when rendering failed. */
export async function writeHtmlReport(
  store: Store,
  runId: number,
  outDir: string,
  opts: { raw?: boolean; lang?: 'en' | 'zh' } = {},
): Promise<string | undefined> {
  try {
    // The declared-vs-used section reads the run's stored profile (reports/model.ts).
    const model = buildReportModel(store.db, runId, {
      raw: opts.raw === true,
      ...(opts.lang ? { lang: opts.lang } : {}),
    });
    const file = join(outDir, 'report.html');
    await writeFile(file, renderReport(model, 'html'));
    return file;
  } catch (err) {
    log.warn(`report: ${errorMessage(err)}`);
    return undefined;
  }
}
