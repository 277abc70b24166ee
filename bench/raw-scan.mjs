// The analysis/report benchmarks' anchor: ONE raw scan of the events table — a plain
// better-sqlite3 script that opens the database and counts a run's events per category while
// reading every row of the table (NOT INDEXED: the table itself, not the smaller index). Since
// schema v10 the stored rows are `event_rows` (`events` is a view over it).
// `node bench/raw-scan.mjs db run` (start-up included, like the CLI it is compared with).
import Database from 'better-sqlite3';

const [path, run] = process.argv.slice(2);
const db = new Database(path, { readonly: true });
const rows = db
  .prepare(
    'SELECT category_id, count(*) AS n FROM event_rows NOT INDEXED WHERE run_id = ? GROUP BY category_id',
  )
  .all(Number(run));
process.stdout.write(`${rows.length} categories\n`);
db.close();
