// `overreach analyze <run|latest>`: runs the findings rules over a stored run, stores the
// findings (replacing the run's previous ones) and prints them. docs/findings.md.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolveRun } from '../../../reports/resolve-run.ts';
import { analyzeStoredRun } from '../../analysis/run-analysis.ts';
import { describeSettings, settingsFromFlags } from '../../analysis/run-settings.ts';
import { type Finding, RULE_IDS, type RuleId } from '../../analysis/types.ts';
import { InputError, ThresholdError } from '../../errors.ts';
import { loadYaml } from '../../profile/yaml-source.ts';
import { SEVERITIES, type Severity } from '../../scenario/types.ts';
import { printable } from '../../store/query.ts';
import { openStore, storeFailure } from '../../store/store.ts';
import type { RegisterCommand } from '../registry.ts';

interface AnalyzeOpts {
  db?: string;
  profile?: string;
  pack?: string;
  rules?: string;
  only?: string;
  json?: boolean;
  failOn?: string;
  apk?: string;
  reattribute?: boolean;
  timings?: boolean;
}

function table(findings: readonly Finding[]): string {
  const head = ['rule', 'severity', 'category', 'sdk', 'count', 'title'];
  const rows = findings.map((f) =>
    [f.rule, f.severity, f.category ?? '', f.sdk ?? '(app)', String(f.count), f.title].map(printable),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((t, i) => (i === 4 ? t.padStart(widths[i]!) : i === 5 ? t : t.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const out = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  out.push(`(${findings.length} finding${findings.length === 1 ? '' : 's'})`);
  return `${out.join('\n')}\n`;
}

export const registerAnalyze: RegisterCommand = (program, deps) => {
  program
    .command('analyze')
    .description(
      'find privacy problems in a stored run (rules in docs/findings.md) and store them; the run’s own profile, pack, rules and APK are used unless a flag overrides them',
    )
    .argument('<run>', 'run id, or "latest"')
    .option('--db <file>', 'database file', deps.defaultDb)
    .option('--profile <file>', 'app profile YAML (overrides the run’s; recorded with the run)')
    .option(
      '--pack <id|file>',
      'policy pack: a built-in id (cn-necessary-2021) or a YAML file (overrides the run’s)',
    )
    .option('--rules <file>', 'rule thresholds YAML, docs/findings.md (overrides the run’s)')
    .option('--apk <file>', 'the APK whose manifest is the app’s (overrides the run’s)')
    .option('--only <rules>', 'comma-separated rule ids to run')
    .option('--fail-on <severity>', 'exit 3 when a finding has this severity or higher')
    .option('--reattribute', 'attribute the run’s stacks to SDKs again (normally done once, when written)')
    .option('--json', 'print the findings as JSON')
    .option('--timings', 'print each rule’s time in ms on stderr (which rule a run’s analysis spends on)')
    .action(async (runArg: string, opts: AnalyzeOpts) => {
      await loadYaml(); // profiles, packs and rules files (the run's stored ones too)
      const rel = (f: string) => resolve(deps.cwd, f);
      let only: RuleId[] | undefined;
      if (opts.only) {
        const ids = opts.only.split(',').map((s) => s.trim());
        for (const id of ids)
          if (!(RULE_IDS as readonly string[]).includes(id))
            throw new InputError(`--only: unknown rule "${id}" (expected ${RULE_IDS.join(', ')})`);
        only = ids as RuleId[];
      }
      let failOn: Severity | undefined;
      if (opts.failOn !== undefined) {
        if (!(SEVERITIES as readonly string[]).includes(opts.failOn))
          throw new InputError(`--fail-on: expected one of ${SEVERITIES.join(', ')}, got "${opts.failOn}"`);
        failOn = opts.failOn as Severity;
      }
      const given = settingsFromFlags(
        {
          ...(opts.profile ? { profile: opts.profile } : {}),
          ...(opts.pack ? { pack: opts.pack } : {}),
          ...(opts.rules ? { rules: opts.rules } : {}),
          ...(opts.apk ? { apk: opts.apk } : {}),
        },
        deps.cwd,
      );
      const dbFile = opts.db ?? deps.defaultDb;
      if (dbFile !== ':memory:' && !existsSync(rel(dbFile)))
        throw new InputError(`${dbFile}: no such database`);
      const store = openStore(dbFile === ':memory:' ? dbFile : rel(dbFile), { label: dbFile, mapped: true });
      // Waits on a busy database (another process ingesting) up to BUSY_TIMEOUT_MS; see store.ts.
      try {
        const runId = resolveRun(store.db, runArg, dbFile);
        const run = store.getRun(runId)!;
        const result = analyzeStoredRun(store, runId, {
          given,
          command: 'analyze',
          ...(only ? { only } : {}),
          ...(opts.reattribute ? { reattribute: true } : {}),
          note: (line) => deps.stderr(`${printable(line)}\n`),
        });
        if (opts.json) {
          deps.stdout(
            `${JSON.stringify({ run: runId, context: describeSettings(result.settings), findings: result.findings, skipped: result.skipped }, null, 2)}\n`,
          );
        } else {
          deps.stdout(`run ${runId} (${printable(run.package)}, ${printable(run.scenario)}):\n`);
          deps.stderr(`context: ${printable(describeSettings(result.settings))}\n`);
          if (result.changed.length > 0)
            deps.stderr(`overridden and recorded with the run: ${result.changed.join(', ')}\n`);
          deps.stdout(table(result.findings));
          for (const s of result.skipped) deps.stderr(`skipped ${s.rule}: ${s.reason}\n`);
        }
        if (opts.timings)
          deps.stderr(
            `timings (ms): ${Object.entries(result.timings)
              .map(([k, v]) => `${k} ${v.toFixed(1)}`)
              .join(', ')}\n`,
          );
        const threshold = failOn ? SEVERITIES.indexOf(failOn) : -1;
        const hits =
          threshold < 0
            ? 0
            : result.findings.filter((f) => SEVERITIES.indexOf(f.severity) >= threshold).length;
        if (hits > 0)
          throw new ThresholdError(
            `${hits} finding${hits === 1 ? '' : 's'} at or above ${failOn} (--fail-on ${failOn})`,
          );
      } catch (err) {
        throw storeFailure(dbFile, err);
      } finally {
        store.close();
      }
    });
};
