// Every step kind runs against the simulated device: one scenario with each kind in turn, and a
// table of what each step must have done, checked on device state captured right after it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STEP_KINDS } from '../harness/scenario/types.ts';
import { rows, runOnSim, simDevice } from './fixtures/run/sim-run.ts';

const FORM = join(import.meta.dirname, 'fixtures', 'run', 'form-app.yaml');
const PKG = 'com.example.form';

interface Snapshot {
  front: string;
  activity: string;
  granted: string[];
  pid: number | undefined;
  nickname: string | undefined;
  phase: string | undefined;
  location: string;
}

interface Row {
  step: string;
  check: (s: Snapshot, prev: Snapshot) => void;
}

const TABLE: Row[] = [
  { step: `install: ${FORM}`, check: (s) => expect(s.front).toBe('com.android.launcher3') },
  { step: 'launch: { clear-data: true }', check: (s) => expect(s.front).toBe(PKG) },
  { step: 'wait: 2s', check: (s) => expect(s.activity).toBe(`${PKG}.HomeActivity`) },
  { step: 'consent: { labels: [I agree] }', check: (s) => expect(s.phase).toBe('post-consent') },
  { step: 'wait-for: { text: Next, timeout: 5s }', check: (s) => expect(s.front).toBe(PKG) },
  { step: 'type: { id: nickname, text: player1 }', check: (s) => expect(s.nickname).toBe('player1') },
  { step: 'long-press: text=Hold me', check: (s) => expect(s.activity).toBe(`${PKG}.HomeActivity`) },
  { step: 'swipe: { direction: up, until: text=Next }', check: (s) => expect(s.front).toBe(PKG) },
  { step: 'swipe: { from: ["50%", "80%"], to: ["50%", "20%"] }', check: (s) => expect(s.front).toBe(PKG) },
  { step: 'tap: text=Next', check: (s) => expect(s.activity).toBe(`${PKG}.SecondActivity`) },
  { step: 'back', check: (s) => expect(s.activity).toBe(`${PKG}.HomeActivity`) },
  { step: 'tap: text=Take photo', check: (s) => expect(s.front).toBe('com.android.permissioncontroller') },
  {
    step: 'permission-dialog: { action: allow, permission: CAMERA }',
    check: (s) => expect(s.granted).toContain('android.permission.CAMERA'),
  },
  {
    step: 'grant: READ_CONTACTS',
    check: (s) => expect(s.granted).toContain('android.permission.READ_CONTACTS'),
  },
  {
    step: 'set-location: { lat: 31.2304, lon: 121.4737 }',
    check: (s) => expect(s.location).toBe('31.2304,121.4737'),
  },
  { step: 'set-phase: tutorial', check: (s) => expect(s.phase).toBe('tutorial') },
  { step: 'home', check: (s) => expect(s.front).toBe('com.android.launcher3') },
  { step: 'background: 5s', check: (s) => expect(s.front).toBe(PKG) },
  { step: 'screenshot: after-background', check: (s) => expect(s.front).toBe(PKG) },
  { step: 'relaunch', check: (s, prev) => expect(s.pid).not.toBe(prev.pid) },
  { step: 'explore: { duration: 10s, seed: 7, max-actions: 4 }', check: (s) => expect(s.pid).toBeDefined() },
  {
    step: 'check-setting: { labels: [Personalized ads], max-depth: 3 }',
    check: (s) => expect(s.front).toBe(PKG),
  },
  {
    step: 'revoke: CAMERA',
    check: (s) => {
      expect(s.granted).not.toContain('android.permission.CAMERA');
      expect(s.pid).toBeUndefined(); // Android kills the app on revoke
    },
  },
];

describe('step executors on the simulated device', () => {
  it('covers every step kind', () => {
    const kinds = new Set(TABLE.map((r) => /^[a-z-]+/.exec(r.step)![0]));
    expect([...STEP_KINDS].filter((k) => !kinds.has(k))).toEqual([]);
  });

  it('runs each step with its effect on the device', async () => {
    const device = await simDevice();
    const snaps = new Map<number, Promise<Snapshot>>();
    const snapshot = async (): Promise<Snapshot> => {
      // Each device call reads state synchronously before its first await.
      const fg = device.foregroundActivity();
      const granted = device.grantedPermissions(PKG).catch(() => []);
      const app = device.running(PKG);
      const session = device.session(PKG);
      const phase =
        session && !session.detachReason
          ? session
              .rpc()
              .status()
              .then((st) => st.phase)
          : undefined;
      const nickname = app?.data.fields.get('home#0');
      const loc = device.location;
      return {
        front: (await fg).packageName,
        activity: (await fg).activity,
        granted: await granted,
        pid: app ? session?.pid : undefined,
        nickname,
        phase: await phase,
        location: loc ? `${loc.lat},${loc.lon}` : '',
      };
    };
    const yaml = `name: every-step\napp: { package: ${PKG}, model: ${FORM} }\non-error: stop\nphases: [tutorial]\nsteps:\n${TABLE.map((r) => `  - ${r.step}`).join('\n')}\n`;
    const { result, store, dir } = await runOnSim(yaml, {
      device,
      onProgress: (p) => {
        if (p.type === 'step-end' && !p.nested && p.index > 0) snaps.set(p.index, snapshot());
      },
    });
    expect(result.steps.filter((s) => s.outcome !== 'ok')).toEqual([]);
    expect(result.status).toBe('completed');
    expect(result.steps).toHaveLength(TABLE.length);
    for (let i = 0; i < TABLE.length; i++) {
      const s = await snaps.get(i + 1)!;
      const prev = i === 0 ? s : await snaps.get(i)!;
      TABLE[i]!.check(s, prev);
    }
    // effects recorded in the trace
    const byLabel = (label: string) =>
      rows<{ detail: string | null; started_at: number; ended_at: number }>(
        store,
        'SELECT detail, started_at, ended_at FROM steps WHERE run_id = ? AND label = ?',
        result.runId,
        label,
      )[0]!;
    const wait = byLabel('wait 2s');
    expect(wait.ended_at - wait.started_at).toBeGreaterThanOrEqual(2000);
    const shot = byLabel('screenshot after-background').detail!;
    expect(existsSync(shot) && shot.startsWith(dir)).toBe(true);
    expect(readFileSync(shot).subarray(1, 4).toString()).toBe('PNG');
    expect(byLabel('check-setting').detail).toBe(`found: Personalized ads @ ${PKG}.PrefsActivity`);
    const clip = rows<{ step: string }>(
      store,
      "SELECT step FROM v_events WHERE run = ? AND category = 'clipboard'",
      result.runId,
    );
    expect(clip.map((c) => c.step)).toEqual(['long-press text=Hold me']);
    // after set-phase, events carry the new phase, in the relaunched process too
    const phases = rows<{ phase: string; step: string }>(
      store,
      "SELECT DISTINCT phase, step FROM v_events WHERE run = ? AND time_ms >= (SELECT started_at FROM steps WHERE run_id = ? AND label = 'set-phase tutorial')",
      result.runId,
      result.runId,
    );
    expect(phases.length).toBeGreaterThan(0);
    expect(phases.filter((p) => p.phase !== 'tutorial')).toEqual([]);
    expect(phases.some((p) => p.step.startsWith('#'))).toBe(true);
    const actions = rows<{ n: number }>(
      store,
      "SELECT count(*) AS n FROM steps WHERE run_id = ? AND kind = 'explore-action'",
      result.runId,
    )[0]!;
    expect(actions.n).toBeGreaterThanOrEqual(4);
    // revoke killed the app: a detach, not a crash, and the step stayed ok
    const logs = rows<{ kind: string }>(store, 'SELECT kind FROM device_logs WHERE run_id = ?', result.runId);
    expect(logs.filter((l) => l.kind === 'crash')).toEqual([]);
  });
});
