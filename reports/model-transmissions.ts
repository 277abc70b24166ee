// The report's "what left the device" section: every kept value a send carried (value → host →
// organisation → SDK → phase) with its evidence chain from the read to the send, the hosts all
// sends went to, and whether the run planted honey values (runs.config.honey).
import type Database from 'better-sqlite3';

export interface TransmissionInfo {
  category: string | null;
  /** Salted hash of the value (never the value itself unless raw values are on). */
  valueHash: string | null;
  raw: string | null;
  encoding: string;
  host: string | null;
  port: number | null;
  scheme: string | null;
  /** The organisation behind the host, or the host itself when the endpoint map lacks it. */
  organisation: string | null;
  /** True when the endpoint map knows the host. */
  knownEndpoint: boolean;
  /** SDK that sent it (stack attribution) and the one that read it. */
  sdk: string | null;
  readSdk: string | null;
  phase: string;
  readPhase: string | null;
  /** How many sends carried this value to this host this way. */
  count: number;
  /** The evidence chain of the first send: the read, then the send. */
  read: { event: number; time: number; hook: string; api: string; args: string | null } | null;
  send: { event: number; time: number; hook: string; api: string; args: string | null };
}

export interface DestinationInfo {
  host: string;
  organisation: string | null;
  sends: number;
  bytes: number;
  carrying: number;
}

export interface TransmissionsSection {
  /** The agent returned planted honey values in this run. */
  honey: boolean;
  rows: TransmissionInfo[];
  destinations: DestinationInfo[];
}

interface Row {
  category: string | null;
  value_hash: string | null;
  raw: string | null;
  encoding: string;
  host: string | null;
  port: number | null;
  scheme: string | null;
  organisation: string | null;
  known: number;
  sdk: string | null;
  read_sdk: string | null;
  phase: string;
  read_phase: string | null;
  read_event: number | null;
  send_event: number;
  n: number;
  r_time: number | null;
  r_hook: string | null;
  r_api: string | null;
  r_args: string | null;
  s_time: number;
  s_hook: string;
  s_api: string;
  s_args: string | null;
}

export function transmissionsSection(
  db: Database.Database,
  runId: number,
  raw: boolean,
  limit = 200,
): TransmissionsSection {
  const config = db
    .prepare<[number], { honey: number | null }>(
      "SELECT json_extract(config, '$.honey') AS honey FROM runs WHERE id = ?",
    )
    .get(runId);
  const rows = db
    .prepare<[number, number], Row>(
      `SELECT g.*, re.time AS r_time, ra.hook AS r_hook, ra.signature AS r_api, rs.text AS r_args,
         se.time AS s_time, sa.hook AS s_hook, sa.signature AS s_api, ss.text AS s_args
       FROM (SELECT v.category, v.value_hash, r.raw, v.encoding, v.host, v.port, v.scheme, v.organisation,
               (s.organisation IS NOT NULL) AS known, v.sdk, v.read_sdk, v.phase, v.read_phase,
               min(v.read_event) AS read_event, min(v.send_event) AS send_event, count(*) AS n, min(v.sent_ms) AS first
             FROM v_transmissions v LEFT JOIN sends s ON s.event_id = v.send_event
             LEFT JOIN events r ON r.id = v.read_event
             WHERE v.run = ?
             GROUP BY v.category, v.value_hash, v.encoding, v.host, v.sdk, v.phase) g
       JOIN events se ON se.id = g.send_event JOIN apis sa ON sa.id = se.api_id
       LEFT JOIN summaries ss ON ss.id = se.args_id
       LEFT JOIN events re ON re.id = g.read_event LEFT JOIN apis ra ON ra.id = re.api_id
       LEFT JOIN summaries rs ON rs.id = re.args_id
       ORDER BY g.first LIMIT ?`,
    )
    .all(runId, limit);
  const destinations = db
    .prepare<[number], DestinationInfo>(
      `SELECT coalesce(host, '(unknown host)') AS host, organisation, count(*) AS sends,
         coalesce(sum(bytes), 0) AS bytes, sum(carrying) AS carrying
       FROM (SELECT s.host, s.organisation, s.bytes,
               EXISTS (SELECT 1 FROM transmissions t WHERE t.send_event_id = s.event_id) AS carrying
             FROM sends s WHERE s.run_id = ?)
       GROUP BY host, organisation ORDER BY sends DESC, host`,
    )
    .all(runId);
  return {
    honey: config?.honey === 1,
    rows: rows.map((r) => ({
      category: r.category,
      valueHash: r.value_hash,
      raw: raw ? r.raw : null,
      encoding: r.encoding,
      host: r.host,
      port: r.port,
      scheme: r.scheme,
      organisation: r.organisation,
      knownEndpoint: r.known === 1,
      sdk: r.sdk,
      readSdk: r.read_sdk,
      phase: r.phase,
      readPhase: r.read_phase,
      count: r.n,
      read:
        r.read_event === null || r.r_time === null
          ? null
          : { event: r.read_event, time: r.r_time, hook: r.r_hook ?? '', api: r.r_api ?? '', args: r.r_args },
      send: { event: r.send_event, time: r.s_time, hook: r.s_hook, api: r.s_api, args: r.s_args },
    })),
    destinations,
  };
}
