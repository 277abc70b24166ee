// `overreach ingest <file.jsonl>`: imports a recorded agent trace (one protocol message per line).
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import {
  applyApkManifest,
  loadSettings,
  mergeSettings,
  readRunSettings,
  settingsFromFlags,
  writeRunSettings,
} from '../../analysis/run-settings.ts';
import { storeAttributor } from '../../analysis/sdk-attribution.ts';
import { InputError, InterruptedError } from '../../errors.ts';
import { ingestFile } from '../../store/ingest.ts';
import { openStore, storeFailure } from '../../store/store.ts';
import { TOOL_VERSION } from '../../version.ts';
import type { CliDeps } from '../deps.ts';
import type { RegisterCommand } from '../registry.ts';

/** A live "events committed" line on a terminal (stderr), at most 4 times a second. */
function progressLine(deps: CliDeps, file: string): { update: (events: number) => void; clear: () => void } {
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    update: (events) => {
      const now = Date.now();
      if (shown && now - last < 250) return;
      last = now;
      shown = true;
      const rate = Math.round((events * 1000) / Math.max(1, now - started));
      deps.stderr(
        `\ringesting ${file}: ${events.toLocaleString('en-US')} events committed (${rate.toLocaleString('en-US')}/s)\x1b[K`,
      );
    },
    clear: () => {
      if (shown) deps.stderr('\r\x1b[K');
      shown = false;
    },
  };
}

/** Options that describe the run `ingest` creates (refused with --run). */
const NEW_RUN_FLAGS = ['package', 'device', 'scenario'] as const;

interface IngestOpts {
  db?: string;
  run?: string;
  package: string;
  device: string;
  scenario: string;
  profile?: string;
  pack?: string;
  rules?: string;
  apk?: string;
  permissions?: string;
}

/** `--permissions A,B@28`: manifest permissions stated without an APK (`@N`: maxSdkVersion). */
export function parseStatedPermissions(text: string): { name: string; maxSdk: number | null }[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const m = /^([A-Za-z_][\w.]*)(?:@(\d{1,3}))?$/.exec(s);
      if (!m) throw new InputError(`--permissions: "${s}" is not a permission name (NAME or NAME@maxSdk)`);
      const name = m[1]!.includes('.') ? m[1]! : `android.permission.${m[1]}`;
      return { name, maxSdk: m[2] === undefined ? null : Number(m[2]) };
    });
}

/**
 * The app row for stated permissions: its identity includes the list (`apk_sha256` is
 * `stated:<hash>`), so another ingest stating other permissions never rewrites this run's manifest.
 */
function statedApp(pkg: string, permissions: { name: string; maxSdk: number | null }[]) {
  const key = permissions
    .map((p) => `${p.name}@${p.maxSdk ?? ''}`)
    .sort()
    .join('\n');
  return {
    package: pkg,
    apkSha256: `stated:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`,
    permissions,
  };
}

export const registerIngest: RegisterCommand = (program, deps) => {
  program
    .command('ingest')
    .description('import a recorded agent trace (JSONL, one protocol v1 message per line) into the database')
    .argument('<file>', 'trace file (.jsonl)')
    .option('--db <file>', 'database file', deps.defaultDb)
    .option(
      '--run <id>',
      'append to this existing run instead of creating one (context flags given with it are recorded on that run)',
    )
    .option('--package <name>', 'package name recorded on the new run', 'unknown')
    .option('--device <name>', 'device recorded on the new run', 'unknown')
    .option('--scenario <name>', 'scenario recorded on the new run', 'ingest')
    .option('--profile <file>', 'app profile stored with the run (analyze/report use it)')
    .option('--pack <id|file>', 'policy pack stored with the run')
    .option('--rules <file>', 'rule thresholds YAML stored with the run')
    .option('--apk <file>', 'the APK whose manifest is the app’s (declared permissions, maxSdkVersion)')
    .option(
      '--permissions <list>',
      'the manifest’s permissions without an APK: NAME[@maxSdk],… (READ_CONTACTS or android.permission.CAMERA@28)',
    )
    .action(async (file: string, opts: IngestOpts, cmd: Command) => {
      const path = resolve(deps.cwd, file);
      if (!existsSync(path)) throw new InputError(`${file}: no such file`);
      const settings = settingsFromFlags(
        {
          ...(opts.profile ? { profile: opts.profile } : {}),
          ...(opts.pack ? { pack: opts.pack } : {}),
          ...(opts.rules ? { rules: opts.rules } : {}),
          ...(opts.apk ? { apk: opts.apk } : {}),
        },
        deps.cwd,
      );
      const stated = opts.permissions === undefined ? undefined : parseStatedPermissions(opts.permissions);
      const profilePkg = settings.profile ? loadSettings(settings).profile?.package : undefined;
      const pkgName = opts.package !== 'unknown' ? opts.package : (profilePkg ?? 'unknown');
      let appendTo: number | undefined;
      if (opts.run !== undefined) {
        appendTo = Number(opts.run);
        if (!Number.isInteger(appendTo) || appendTo < 1)
          throw new InputError(`--run: expected a run id, got "${opts.run}"`);
        // These describe a new run; an appended trace belongs to a run that already has them.
        const given = NEW_RUN_FLAGS.filter((f) => cmd.getOptionValueSource(f) === 'cli');
        if (given.length > 0)
          throw new InputError(
            `${given.map((f) => `--${f}`).join(', ')}: describe a new run; leave out with --run (run ${appendTo} keeps its own)`,
          );
      }
      const dbFile = opts.db ?? deps.defaultDb;
      const store = openStore(resolve(deps.cwd, dbFile), { label: dbFile });
      // Ctrl-C: stop reading, commit what was read, end the run `interrupted` (exit 130).
      const ac = new AbortController();
      const onSigint = () => ac.abort('SIGINT');
      process.once('SIGINT', onSigint);
      const progress = deps.isTty ? progressLine(deps, file) : undefined;
      try {
        if (appendTo !== undefined && !store.getRun(appendTo))
          throw new InputError(`--run: no run ${appendTo} in ${dbFile}`);
        const runId =
          appendTo ??
          store.createRun({
            package: pkgName,
            device: opts.device,
            scenario: opts.scenario,
            toolVersion: TOOL_VERSION,
            ...(stated ? { appId: store.upsertApp(statedApp(pkgName, stated)) } : {}),
            config: { ingestedFrom: file, analysis: settings },
          });
        if (settings.apk) applyApkManifest(store, runId, settings.apk);
        // Attribute each distinct stack to its SDK as it lands, once (analyze reads the result).
        const appPackage = store.getRun(runId)?.package ?? pkgName;
        if (appendTo === undefined)
          writeRunSettings(store.db, runId, {
            ...settings,
            ...(settings.apk ? { apkApplied: settings.apk } : {}),
            ...(appPackage !== 'unknown' ? { sdkPackage: appPackage } : {}),
          });
        else {
          // Context flags on an appended trace change what the run is analysed with: recorded as
          // an override, as analyze does, not silently dropped.
          const { settings: merged, changed } = mergeSettings(
            readRunSettings(store.db, runId),
            settings,
            'ingest',
          );
          if (changed.length > 0) {
            writeRunSettings(store.db, runId, {
              ...merged,
              ...(settings.apk ? { apkApplied: settings.apk } : {}),
            });
            deps.stderr(`overridden and recorded with run ${runId}: ${changed.join(', ')}\n`);
          }
          // As for a new run, an APK's manifest wins over stated permissions.
          if (stated && !settings.apk)
            store.db
              .prepare('UPDATE runs SET app_id = ? WHERE id = ?')
              .run(store.upsertApp(statedApp(appPackage, stated)), runId);
        }
        const writer = store.traceWriter(runId, {
          ...(appPackage !== 'unknown' ? { attributeSdk: storeAttributor(appPackage) } : {}),
          ...(progress ? { onCommit: (s) => progress.update(s.committedEvents) } : {}),
        });
        let result: Awaited<ReturnType<typeof ingestFile>>;
        try {
          result = await ingestFile(path, writer, { label: file, signal: ac.signal });
        } catch (err) {
          progress?.clear();
          if (appendTo === undefined) store.endRun(runId, 'failed', (err as Error).message);
          throw err;
        }
        progress?.clear();
        if (appendTo === undefined)
          store.endRun(
            runId,
            result.interrupted ? 'interrupted' : 'completed',
            result.interrupted ? 'interrupted (SIGINT)' : undefined,
          );
        for (const w of result.warnings) deps.stderr(`warning: ${w.message}\n`);
        if (result.invalidUtf8 > result.warnings.length)
          deps.stderr(`… and ${result.invalidUtf8 - result.warnings.length} more lines with invalid UTF-8\n`);
        for (const e of result.errors) deps.stderr(`${e.message}\n`);
        if (result.malformed > result.errors.length)
          deps.stderr(`… and ${result.malformed - result.errors.length} more\n`);
        const s = writer.stats;
        if (result.interrupted)
          throw new InterruptedError(
            `run ${runId} interrupted: ${s.committedEvents.toLocaleString('en-US')} events committed (line ${result.lines} of ${file})`,
          );
        deps.stdout(
          `run ${runId}: ${result.messages} messages, ${result.events} events, ${s.stacks} new stacks, ${result.malformed} malformed lines` +
            (s.dropped || s.lostBatches
              ? `, ${s.dropped} events dropped by the agent, ${s.lostBatches} batches lost`
              : '') +
            '\n',
        );
        if (result.malformed > 0) {
          throw new InputError(
            `${file}: ${result.malformed} malformed line${result.malformed === 1 ? '' : 's'} skipped`,
          );
        }
      } catch (err) {
        throw storeFailure(dbFile, err);
      } finally {
        process.off('SIGINT', onSigint);
        store.close();
      }
    });
};
