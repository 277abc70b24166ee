// `overreach report <run|latest>`: renders one run as HTML, Markdown, JSON, JUnit or SARIF.
// `--fail-on <severity>` exits 3 when a finding is at or above it (after writing the report).
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { REPORT_FORMATS, type ReportFormat, renderReport } from '../../../reports/index.ts';
import { buildReportModel } from '../../../reports/model.ts';
import { resolveRun } from '../../../reports/resolve-run.ts';
import { atLeast, parseSeverity, type Severity } from '../../../reports/severity.ts';
import { analyzeStoredRun } from '../../analysis/run-analysis.ts';
import { settingsFromFlags } from '../../analysis/run-settings.ts';
import { InputError, ThresholdError } from '../../errors.ts';
import { createLog } from '../../log.ts';
import { loadProfile } from '../../profile/profile.ts';
import { loadYaml } from '../../profile/yaml-source.ts';
import { openReadOnly, openStore, type Store, storeFailure } from '../../store/store.ts';
import type { RegisterCommand } from '../registry.ts';

const log = createLog('report');

/** Exit code of `report --fail-on` when a finding reaches the threshold. */
export const FAIL_ON_EXIT_CODE = 3;

export class FindingsThresholdError extends ThresholdError {
  override readonly name = 'FindingsThresholdError';
}

interface ReportOpts {
  format: string;
  out?: string;
  db?: string;
  failOn?: string;
  raw?: boolean;
  profile?: string;
  analyze?: boolean;
  evidence?: string;
  lang?: string;
}

function parseFormat(text: string): ReportFormat {
  if (!(REPORT_FORMATS as readonly string[]).includes(text))
    throw new InputError(`--format: expected one of ${REPORT_FORMATS.join(', ')}, got "${text}"`);
  return text as ReportFormat;
}

export const registerReport: RegisterCommand = (program, deps) => {
  program
    .command('report')
    .description('render a run as a report (html, md, json, junit, sarif); see docs/reports.md')
    .argument('<run>', 'run id, or "latest"')
    .option('--format <format>', `one of ${REPORT_FORMATS.join(', ')}`, 'html')
    .option('--out <file>', 'write the report to this file instead of stdout')
    .option('--db <file>', 'database file', deps.defaultDb)
    .option('--fail-on <severity>', 'exit 3 when a finding is at or above this severity (info … critical)')
    .option('--raw', 'include raw personal values (only present if the run recorded them)')
    .option(
      '--profile <file>',
      'app profile for this report’s declared-vs-used (default: the one stored with the run)',
    )
    .option(
      '--analyze',
      'run the analysis first (with the run’s stored context) when the run has no findings yet',
    )
    .option('--evidence <n>', 'evidence events shown per finding', '20')
    .option('--lang <lang>', 'report language: en or zh (titles, checklist, section names)', 'en')
    .action(async (runSpec: string, opts: ReportOpts) => {
      await loadYaml(); // the run's stored profile, pack and rules, or --profile
      const format = parseFormat(opts.format);
      const lang = opts.lang ?? 'en';
      if (lang !== 'en' && lang !== 'zh') throw new InputError(`--lang: expected en or zh, got "${lang}"`);
      const failOn: Severity | undefined = opts.failOn === undefined ? undefined : parseSeverity(opts.failOn);
      const evidence = Number(opts.evidence ?? '20');
      if (!Number.isInteger(evidence) || evidence < 0 || evidence > 10_000)
        throw new InputError(`--evidence: expected a whole number 0…10000, got "${opts.evidence}"`);
      const profile = opts.profile ? loadProfile(resolve(deps.cwd, opts.profile), opts.profile) : undefined;
      const file = opts.db ?? deps.defaultDb;
      const path = file === ':memory:' ? file : resolve(deps.cwd, file);
      let store: Store | undefined;
      let db: Database.Database;
      if (opts.analyze) {
        if (path !== ':memory:' && !existsSync(path)) throw new InputError(`${file}: no such database`);
        store = openStore(path, { mapped: true });
        db = store.db;
      } else db = openReadOnly(path, file, { mapped: true });
      let text: string;
      let findings: { severity: string }[];
      try {
        const runId = resolveRun(db, runSpec, file);
        if (store) {
          const n = db
            .prepare<[number], number>('SELECT count(*) FROM findings WHERE run_id = ?')
            .pluck()
            .get(runId);
          if (n === 0) {
            analyzeStoredRun(store, runId, {
              command: 'report',
              ...(opts.profile ? { given: settingsFromFlags({ profile: opts.profile }, deps.cwd) } : {}),
            });
            log.info(`run ${runId}: analysed`);
          }
        }
        const model = buildReportModel(db, runId, {
          raw: opts.raw === true,
          evidence,
          lang,
          ...(profile ? { policyCategories: profile.privacyPolicy.declares.map((d) => d.category) } : {}),
        });
        // --profile replaces the stored one for this report only: the report says so.
        if (profile && opts.profile && model.context.profile !== resolve(deps.cwd, opts.profile))
          model.context = {
            ...model.context,
            profile: resolve(deps.cwd, opts.profile),
            overrides: [...model.context.overrides, { at: Date.now(), command: 'report', keys: ['profile'] }],
          };
        text = renderReport(model, format, failOn ? { failOn } : {});
        findings = model.findings;
      } catch (err) {
        throw storeFailure(file, err);
      } finally {
        if (store) store.close();
        else db.close();
      }
      if (opts.out) {
        const out = resolve(deps.cwd, opts.out);
        writeFileSync(out, text);
        deps.stdout(
          `${opts.out}: ${format} report, ${Buffer.byteLength(text)} bytes, ${findings.length} findings\n`,
        );
      } else deps.stdout(text);
      if (failOn) {
        const hits = findings.filter((f) => atLeast(f.severity, failOn)).length;
        if (hits > 0)
          throw new FindingsThresholdError(
            `${hits} finding${hits === 1 ? '' : 's'} at or above ${failOn} (--fail-on ${failOn})`,
          );
      }
    });
};
