// `overreach ingest <file.jsonl>`: imports a recorded agent trace (one protocol message per line).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { storeAttributor } from '../../analysis/sdk-attribution.ts';
import { InputError } from '../../errors.ts';
import { ingestFile } from '../../store/ingest.ts';
import { openStore } from '../../store/store.ts';
import { TOOL_VERSION } from '../../version.ts';
import type { RegisterCommand } from '../registry.ts';

interface IngestOpts {
  db?: string;
  run?: string;
  package: string;
  device: string;
  scenario: string;
}

export const registerIngest: RegisterCommand = (program, deps) => {
  program
    .command('ingest')
    .description('import a recorded agent trace (JSONL, one protocol v1 message per line) into the database')
    .argument('<file>', 'trace file (.jsonl)')
    .option('--db <file>', 'database file', deps.defaultDb)
    .option('--run <id>', 'append to this existing run instead of creating one')
    .option('--package <name>', 'package name recorded on the new run', 'unknown')
    .option('--device <name>', 'device recorded on the new run', 'unknown')
    .option('--scenario <name>', 'scenario recorded on the new run', 'ingest')
    .action(async (file: string, opts: IngestOpts) => {
      const path = resolve(deps.cwd, file);
      if (!existsSync(path)) throw new InputError(`${file}: no such file`);
      let appendTo: number | undefined;
      if (opts.run !== undefined) {
        appendTo = Number(opts.run);
        if (!Number.isInteger(appendTo) || appendTo < 1)
          throw new InputError(`--run: expected a run id, got "${opts.run}"`);
      }
      const store = openStore(resolve(deps.cwd, opts.db ?? deps.defaultDb));
      try {
        if (appendTo !== undefined && !store.getRun(appendTo))
          throw new InputError(`--run: no run ${appendTo} in ${opts.db}`);
        const runId =
          appendTo ??
          store.createRun({
            package: opts.package,
            device: opts.device,
            scenario: opts.scenario,
            toolVersion: TOOL_VERSION,
            config: { ingestedFrom: file },
          });
        // Attribute each distinct stack to its SDK as it lands (analyze would otherwise do it later).
        const appPackage = store.getRun(runId)?.package ?? opts.package;
        const writer = store.traceWriter(
          runId,
          appPackage !== 'unknown' ? { attributeSdk: storeAttributor(appPackage) } : {},
        );
        let result: Awaited<ReturnType<typeof ingestFile>>;
        try {
          result = await ingestFile(path, writer, { label: file });
        } catch (err) {
          if (appendTo === undefined) store.endRun(runId, 'failed', (err as Error).message);
          throw err;
        }
        if (appendTo === undefined) store.endRun(runId, 'completed');
        for (const e of result.errors) deps.stderr(`${e.message}\n`);
        if (result.malformed > result.errors.length)
          deps.stderr(`… and ${result.malformed - result.errors.length} more\n`);
        const s = writer.stats;
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
      } finally {
        store.close();
      }
    });
};
