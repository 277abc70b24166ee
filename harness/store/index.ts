// The trace store's public API (see store.ts for the writer API overview, docs/schema.md for SQL).
export { type IngestOptions, type IngestResult, ingestFile, readLines } from './ingest.ts';
export { formatResult, type QueryFormat, type QueryResult, runQuery } from './query.ts';
export { MIGRATIONS, migrate, SCHEMA_VERSION } from './schema.ts';
export { STEP_OUTCOMES, type StepInput, type StepOutcome } from './step-spans.ts';
export {
  type AppInfo,
  type NewRun,
  type OpenStoreOptions,
  openReadOnly,
  openStore,
  RUN_STATUSES,
  type RunRow,
  type RunStatus,
  Store,
} from './store.ts';
export { TraceWriter, type TraceWriterOptions, type WriterStats } from './trace-writer.ts';
