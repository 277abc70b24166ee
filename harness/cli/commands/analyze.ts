// `overreach analyze <run|latest>`: runs the findings rules over a stored run, stores the
// findings (replacing the run's previous ones) and prints them. docs/findings.md.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadRulesConfig } from '../../analysis/config.ts';
import { analyzeRunDetailed } from '../../analysis/engine.ts';
import { attributeRunSdks } from '../../analysis/sdk-attribution.ts';
import { type AnalyzeOptions, type Finding, RULE_IDS, type RuleId } from '../../analysis/types.ts';
import { readApk } from '../../apk/read-apk.ts';
import { InputError } from '../../errors.ts';
import { BUILT_IN_PACKS, loadPolicyPack } from '../../knowledge/policy/pack.ts';
import { loadProfile } from '../../profile/profile.ts';
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
  attribute?: boolean;
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
    .description('find privacy problems in a stored run (rules in docs/findings.md) and store them')
    .argument('<run>', 'run id, or "latest"')
    .option('--db <file>', 'database file', deps.defaultDb)
    .option('--profile <file>', 'app profile YAML (category, privacy-policy declarations, apk)')
    .option('--pack <id|file>', 'policy pack: a built-in id (cn-necessary-2021) or a YAML file')
    .option('--rules <file>', 'rule thresholds YAML (docs/findings.md)')
    .option('--only <rules>', 'comma-separated rule ids to run')
    .option('--fail-on <severity>', 'exit 1 when a finding has this severity or higher')
    .option('--no-attribute', 'do not (re)attribute SDKs of the run’s stacks first')
    .option('--json', 'print the findings as JSON')
    .action((runArg: string, opts: AnalyzeOpts) => {
      const rel = (f: string) => resolve(deps.cwd, f);
      const options: AnalyzeOptions = {};
      if (opts.profile) options.profile = loadProfile(rel(opts.profile), opts.profile);
      if (opts.pack) options.pack = BUILT_IN_PACKS[opts.pack] ?? loadPolicyPack(rel(opts.pack), opts.pack);
      if (opts.rules) options.limits = loadRulesConfig(rel(opts.rules), opts.rules);
      if (opts.only) {
        const ids = opts.only.split(',').map((s) => s.trim());
        for (const id of ids)
          if (!(RULE_IDS as readonly string[]).includes(id))
            throw new InputError(`--only: unknown rule "${id}" (expected ${RULE_IDS.join(', ')})`);
        options.only = ids as RuleId[];
      }
      let failOn: Severity | undefined;
      if (opts.failOn !== undefined) {
        if (!(SEVERITIES as readonly string[]).includes(opts.failOn))
          throw new InputError(`--fail-on: expected one of ${SEVERITIES.join(', ')}, got "${opts.failOn}"`);
        failOn = opts.failOn as Severity;
      }
      const dbFile = opts.db ?? deps.defaultDb;
      if (dbFile !== ':memory:' && !existsSync(rel(dbFile)))
        throw new InputError(`${dbFile}: no such database`);
      const store = openStore(dbFile === ':memory:' ? dbFile : rel(dbFile), { label: dbFile });
      // Waits on a busy database (another process ingesting) up to BUSY_TIMEOUT_MS; see store.ts.
      try {
        const runId =
          runArg === 'latest'
            ? (store.db.prepare('SELECT max(id) FROM runs').pluck().get() as number | null)
            : Number(runArg);
        if (runId === null) throw new InputError(`${dbFile}: no runs to analyze`);
        if (!Number.isInteger(runId) || runId < 1)
          throw new InputError(`<run>: expected a run id or "latest", got "${runArg}"`);
        const run = store.getRun(runId);
        if (!run) throw new InputError(`<run>: no run ${runId} in ${dbFile}`);
        const appId = store.db.prepare('SELECT app_id FROM runs WHERE id = ?').pluck().get(runId);
        if (appId === null && options.profile?.apk && existsSync(options.profile.apk))
          options.permissions = readApk(options.profile.apk).permissions;
        if (opts.attribute !== false) {
          // The run's own package decides what "the app itself" is; a bare ingest has none.
          const pkg = run.package !== 'unknown' ? run.package : (options.profile?.package ?? '');
          if (options.profile && options.profile.package !== pkg)
            deps.stderr(
              `note: profile package ${options.profile.package} differs from run ${runId}'s package ${printable(run.package)}\n`,
            );
          attributeRunSdks(store.db, runId, pkg);
        }
        const result = analyzeRunDetailed(store, runId, options);
        if (opts.json) {
          deps.stdout(
            `${JSON.stringify({ run: runId, findings: result.findings, skipped: result.skipped }, null, 2)}\n`,
          );
        } else {
          deps.stdout(`run ${runId} (${printable(run.package)}, ${printable(run.scenario)}):\n`);
          deps.stdout(table(result.findings));
          for (const s of result.skipped) deps.stderr(`skipped ${s.rule}: ${s.reason}\n`);
        }
        const threshold = failOn ? SEVERITIES.indexOf(failOn) : -1;
        if (threshold >= 0 && result.findings.some((f) => SEVERITIES.indexOf(f.severity) >= threshold))
          process.exitCode = 1;
      } catch (err) {
        throw storeFailure(dbFile, err);
      } finally {
        store.close();
      }
    });
};
