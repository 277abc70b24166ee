// Findings rows for the demo run, written as the analysis writes them (rule, severity,
// category, sdk, detail, evidence event ids), for tests that must not depend on the rules.
import type { Store } from '../harness/store/store.ts';
import { DEMO_T0, h } from './demo-constants.ts';

/** Findings rows as the analysis would write them (rule, severity, category, sdk, evidence). */
export function insertDemoFindings(store: Store, runId: number, hostile = false): void {
  const db = store.db;
  const add = db.prepare(
    'INSERT INTO findings (run_id, rule, severity, category, sdk, detail, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const link = db.prepare('INSERT INTO finding_events (finding_id, event_id) VALUES (?, ?)');
  const ids = (where: string) =>
    db
      .prepare<[number], number>(
        `SELECT e.id FROM events e JOIN categories c ON c.id = e.category_id JOIN phases ph ON ph.id = e.phase_id
         LEFT JOIN sdks s ON s.id = e.sdk_id WHERE e.run_id = ? AND ${where} ORDER BY e.time`,
      )
      .pluck()
      .all(runId);
  const defs: [string, string, string | null, string | null, string, string][] = [
    [
      'access-before-consent',
      'high',
      'device-id',
      'umeng-common',
      'The IMEI was read by Umeng before the user agreed to the privacy policy',
      "c.name = 'device-id' AND s.name = 'umeng-common'",
    ],
    [
      'access-before-consent',
      'medium',
      'installed-apps',
      'tencent-bugly',
      'Tencent Bugly listed installed apps before consent',
      "c.name = 'installed-apps'",
    ],
    [
      'background-access',
      'high',
      'location',
      'amap-location',
      'Location read 25 times while the app was in the background',
      "c.name = 'location' AND e.foreground = 0",
    ],
    [
      'undeclared-collection',
      'medium',
      'contacts',
      'app',
      'Contacts are read but neither the manifest nor the privacy policy declares them',
      "c.name = 'contacts'",
    ],
    [
      'undeclared-collection',
      'medium',
      'clipboard',
      'app',
      'The clipboard is read; the privacy policy does not declare it',
      "c.name = 'clipboard'",
    ],
    [
      'unused-dangerous-permission',
      'low',
      null,
      null,
      'android.permission.CAMERA is declared but the camera was never used',
      '0',
    ],
  ];
  db.transaction(() => {
    for (const [rule, severity, category, sdk, detail, where] of defs) {
      const ev = ids(where);
      if (ev.length === 0 && where !== '0') continue;
      const id = Number(
        add.run(runId, rule, severity, category, sdk, detail + h(rule.length, hostile), DEMO_T0 + 30_000)
          .lastInsertRowid,
      );
      for (const e of ev) link.run(id, e);
    }
  })();
}
