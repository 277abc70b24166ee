// 2.1.1: at first start the user refuses a permission and the app then exits (its main process
// ends or crashes, or it leaves the foreground while no scenario step sent it there) or loops on
// the request (asks `loopRequests` more times) within `windowMs`.
import { sdkLabel } from '../context.ts';
import { launchOf, launchTimes } from '../launches.ts';
import { type PermissionEvent, readPermissionEvents, shortPermission } from '../permission-events.ts';
import type { FindingDraft, Rule } from '../types.ts';

/** Steps during which leaving the foreground is the app's own doing, not the scenario's. */
const PASSIVE_STEPS = new Set([
  'permission-dialog',
  'wait',
  'wait-for',
  'grant',
  'revoke',
  'screenshot',
  'expect',
]);

export const refusalExit: Rule = {
  id: 'refusal-exit',
  severity: 'high',
  summary: 'after a refusal at first start the app exits or loops on the request',
  run(ctx) {
    const { windowMs, loopRequests } = ctx.limits.refusal;
    const { dedupeMs } = ctx.limits.rerequest;
    const launches = launchTimes(ctx);
    const events = readPermissionEvents(ctx);
    let first = -1;
    for (let i = 0; i < events.length && first < 0; i++) {
      const e = events.info[i]!;
      if (e.kind === 'result' && [...e.granted.values()].includes(false)) first = i;
    }
    if (first < 0) return [];
    const refusal = events.at(first);
    if (launchOf(launches, refusal.time) > 0) return [];
    const end = refusal.time + windowMs;
    const denied = [...refusal.granted].filter(([, g]) => !g).map(([p]) => p);
    const out: FindingDraft[] = [];
    const base = {
      rule: this.id,
      severity: this.severity,
      category: 'permission-request' as const,
      sdk: refusal.sdk,
    };
    // Loop: the refused permission asked again and again right away.
    let last = Number.NEGATIVE_INFINITY;
    let answeredAt = refusal.time;
    const again: PermissionEvent[] = [];
    for (let i = 0; i < events.length; i++) {
      const time = events.time[i]!;
      if (time <= refusal.time || time > end) continue;
      const e = events.info[i]!;
      if (e.kind === 'result') {
        if (e.permissions.some((p) => denied.includes(p))) answeredAt = time;
        continue;
      }
      if (!e.permissions.some((p) => denied.includes(p))) continue;
      // A repeat report of one request (ActivityCompat → Activity) has no answer in between.
      if (time - last <= dedupeMs && answeredAt < last) continue;
      last = time;
      again.push(events.at(i));
    }
    if (again.length >= loopRequests)
      out.push({
        ...base,
        count: again.length,
        evidence: [refusal.id, ...again.map((a) => a.id)].slice(0, ctx.limits.evidence),
        title: `after ${denied.map(shortPermission).join(', ')} was refused at first start the app asked ${again.length}× more within ${windowMs / 1000} s`,
        detail:
          `The user refused ${denied.join(', ')} at ${ctx.at(refusal.time)} during the first launch; ` +
          `${sdkLabel(again[0]!.sdk)} requested it again at ${again.map((a) => ctx.at(a.time)).join(', ')}: a request loop ` +
          'that leaves the user no way to use the app without granting.',
      });
    // Exit: the main process ended, or the app left the foreground on its own.
    const gone = ctx.db
      .prepare<[number, string, number, number], { time: number; kind: string; detail: string }>(
        `SELECT time, kind, detail FROM device_logs WHERE run_id = ? AND process = ? AND kind IN ('detach', 'crash')
           AND time >= ? AND time <= ? ORDER BY time LIMIT 1`,
      )
      .get(ctx.run.id, ctx.run.package, refusal.time, end);
    const bg = ctx.db
      .prepare<[number, string, number, number], { time: number; step: string | null }>(
        `SELECT l.time, (SELECT s.kind FROM steps s WHERE s.run_id = l.run_id AND s.started_at <= l.time
            AND (s.ended_at IS NULL OR s.ended_at > l.time) AND s.kind != 'explore-action' ORDER BY s.started_at DESC LIMIT 1) AS step
         FROM lifecycle l JOIN processes p ON p.id = l.process_id
         WHERE l.run_id = ? AND p.name = ? AND l.kind = 'background' AND l.time >= ? AND l.time <= ? ORDER BY l.time LIMIT 1`,
      )
      .get(ctx.run.id, ctx.run.package, refusal.time, end);
    const exit = gone
      ? { time: gone.time, how: `its main process ended (${gone.kind}: ${gone.detail})` }
      : bg && (bg.step === null || PASSIVE_STEPS.has(bg.step))
        ? { time: bg.time, how: 'it left the foreground by itself (finished its activities)' }
        : null;
    if (exit)
      out.push({
        ...base,
        count: 1,
        evidence: [refusal.id],
        title: `the app exited ${((exit.time - refusal.time) / 1000).toFixed(1)} s after ${denied.map(shortPermission).join(', ')} was refused at first start`,
        detail:
          `The user refused ${denied.join(', ')} at ${ctx.at(refusal.time)} during the first launch and at ` +
          `${ctx.at(exit.time)} ${exit.how}: refusing a permission makes the app unusable.`,
      });
    return out;
  },
};
