// 2.2.1–2.2.3: self-start and associated start, from the auto-start.* hooks
// (agent/catalog/auto-start.ts): services started or bound and broadcasts sent to OTHER
// packages (the summariser drops the app's own), and alarms that wake the app.
//  - any of them before consent: 2.2.2 (high);
//  - starts of other packages more than `max` per sliding `windowMs`: 2.2.1 + 2.2.3 (medium);
//  - a repeating alarm at an interval within `windowMs`: frequent self-start, 2.2.1 (medium).
//  - receivers in the manifest (app_components) that start the app by itself at boot, on
//    unlock or on network changes: self-start without the user (2.2.1, low; the manifest is
//    the evidence). CONNECTIVITY_CHANGE reaches manifest receivers only for targetSdk < 24
//    (Android 7 background optimisations), so it counts only then or when the target is unknown.
import { type AnalysisContext, sdkLabel, sdkShort } from '../context.ts';
import type { FindingDraft, Rule } from '../types.ts';

interface StartEvent {
  id: number;
  time: number;
  hook: string;
  phase: string;
  sdk: string | null;
  args: string | null;
}

/** Broadcasts that start an app nobody opened. */
export const SELF_START_ACTIONS: Readonly<Record<string, string>> = {
  'android.intent.action.BOOT_COMPLETED': 'boot',
  'android.intent.action.LOCKED_BOOT_COMPLETED': 'boot',
  'android.intent.action.QUICKBOOT_POWERON': 'boot',
  'com.htc.intent.action.QUICKBOOT_POWERON': 'boot',
  'android.intent.action.USER_PRESENT': 'unlock',
  'android.net.conn.CONNECTIVITY_CHANGE': 'network change',
};
const CONNECTIVITY = 'android.net.conn.CONNECTIVITY_CHANGE';

function manifestFinding(ctx: AnalysisContext): FindingDraft | null {
  if (ctx.run.appId === null) return null;
  const has = ctx.db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'app_components'")
    .get();
  if (!has) return null;
  const app = ctx.db
    .prepare<[number], { target: number | null }>('SELECT target_sdk AS target FROM apps WHERE id = ?')
    .get(ctx.run.appId);
  const rows = ctx.db
    .prepare<[number], { name: string; actions: string }>(
      "SELECT name, actions FROM app_components WHERE app_id = ? AND kind = 'receiver' ORDER BY name",
    )
    .all(ctx.run.appId);
  const hits: string[] = [];
  for (const r of rows) {
    const acts = (JSON.parse(r.actions) as string[]).filter(
      (a) => a in SELF_START_ACTIONS && (a !== CONNECTIVITY || app?.target == null || app.target < 24),
    );
    if (acts.length) hits.push(`${r.name} (${acts.map((a) => a.slice(a.lastIndexOf('.') + 1)).join(', ')})`);
  }
  if (hits.length === 0) return null;
  return {
    rule: 'associated-start',
    severity: 'low',
    category: 'background-activity',
    sdk: null,
    count: 0,
    evidence: [],
    scenarios: ['2.2.1'],
    title: `the manifest lets the app start itself: ${hits.length} receiver(s) for boot, unlock or network changes`,
    detail:
      `The app's manifest declares broadcast receivers that the system starts without the user opening the ` +
      `app: ${hits.join('; ')}. This is self-start; whether it happens before consent or how often needs a ` +
      'device that reboots or changes network during the run.',
  };
}

const target = (e: StartEvent) => /package=(\S+)/.exec(e.args ?? '')?.[1] ?? null;
const isAlarm = (e: StartEvent) => e.hook.startsWith('auto-start.alarm-');

export const associatedStart: Rule = {
  id: 'associated-start',
  severity: 'high',
  summary: "the app starts other packages' components or sets wake-up alarms, before consent or frequently",
  run(ctx) {
    const { max, windowMs } = ctx.limits.autoStart;
    const pre = new Set(ctx.limits.preConsentPhases);
    const manifest = manifestFinding(ctx);
    // The run's one-pass aggregate says whether any auto-start hook fired at all.
    if (!ctx.groups.some((g) => g.hook.startsWith('auto-start.'))) return manifest ? [manifest] : [];
    const events = ctx.db
      .prepare<[number, number], StartEvent>(
        `SELECT e.id, e.time, a.hook, ph.name AS phase, sd.name AS sdk, sa.text AS args
         FROM events e JOIN apis a ON a.id = e.api_id JOIN phases ph ON ph.id = e.phase_id
         LEFT JOIN sdks sd ON sd.id = e.sdk_id LEFT JOIN summaries sa ON sa.id = e.args_id
         WHERE e.run_id = ? AND e.category_id = ?
           AND e.api_id IN (SELECT id FROM apis WHERE hook LIKE 'auto-start.%') ORDER BY e.time, e.id`,
      )
      .all(ctx.run.id, ctx.groups.find((g) => g.category === 'background-activity')?.categoryId ?? -1);
    const out: FindingDraft[] = manifest ? [manifest] : [];
    const bySdk = new Map<string | null, StartEvent[]>();
    for (const e of events) {
      const list = bySdk.get(e.sdk);
      if (list) list.push(e);
      else bySdk.set(e.sdk, [e]);
    }
    for (const [sdk, list] of bySdk) {
      const who = sdkLabel(sdk);
      const early = list.filter((e) => pre.has(e.phase));
      if (early.length > 0) {
        const targets = [...new Set(early.map((e) => (isAlarm(e) ? 'alarm' : target(e))))].join(', ');
        out.push({
          rule: this.id,
          severity: 'high',
          category: 'background-activity',
          sdk,
          count: early.length,
          evidence: early.map((e) => e.id).slice(0, ctx.limits.evidence),
          scenarios: ['2.2.2'],
          title: `${sdkShort(sdk)} started other apps or set alarms ${early.length}× before consent (${targets})`,
          detail:
            `${who} made ${early.length} self-start / associated-start call(s) before the user agreed to the privacy ` +
            `policy: ${early
              .map((e) => `${e.args ?? e.hook} at ${ctx.at(e.time)}`)
              .slice(0, 5)
              .join('; ')}. ` +
            ctx.firstAccess(early[0]!.id),
        });
      }
      const foreign = list.filter((e) => !isAlarm(e));
      let hit: StartEvent[] | null = null;
      for (let i = 0, j = 0; i < foreign.length && !hit; i++) {
        while (j < foreign.length && foreign[j]!.time < foreign[i]!.time + windowMs) j++;
        if (j - i > max) hit = foreign.slice(i, j);
      }
      if (hit) {
        const pkgs = [...new Set(hit.map(target))].join(', ');
        out.push({
          rule: this.id,
          severity: 'medium',
          category: 'background-activity',
          sdk,
          count: foreign.length,
          evidence: hit.map((e) => e.id).slice(0, ctx.limits.evidence),
          scenarios: ['2.2.1', '2.2.3'],
          title: `${sdkShort(sdk)} started other apps ${hit.length}× within ${windowMs / 1000} s (${pkgs})`,
          detail:
            `${who} started, bound or broadcast to ${pkgs} ${hit.length} times within ${windowMs / 1000} s from ` +
            `${ctx.at(hit[0]!.time)} (limit ${max}); ${foreign.length} such calls in the run. Frequent associated start ` +
            `of other apps is not needed for the service. ${ctx.firstAccess(hit[0]!.id)}`,
        });
      }
      const frequent = list.filter((e) => {
        const m = /every ([\d.]+) s/.exec(e.args ?? '');
        // A persisted job survives reboots: the system starts the app for it after every boot.
        const persisted = e.hook === 'auto-start.job-schedule' && /\bpersisted\b/.test(e.args ?? '');
        return persisted || (isAlarm(e) && m !== null && Number(m[1]) * 1000 <= windowMs);
      });
      if (frequent.length > 0) {
        const e = frequent[0]!;
        out.push({
          rule: this.id,
          severity: 'medium',
          category: 'background-activity',
          sdk,
          count: frequent.length,
          evidence: frequent.map((x) => x.id).slice(0, ctx.limits.evidence),
          scenarios: ['2.2.1'],
          title: `${sdkShort(sdk)} ${isAlarm(e) ? 'set a repeating wake-up alarm' : 'scheduled a job that survives reboots'} (${e.args})`,
          detail:
            `${who} set ${frequent.length} repeating alarm(s) at an interval of at most ${windowMs / 1000} s or ` +
            `persisted job(s) (${e.args} at ${ctx.at(e.time)}): the app starts itself without the user. ` +
            ctx.firstAccess(e.id),
        });
      }
    }
    return out;
  },
};
