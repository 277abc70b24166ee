// The runtime-permission flow of a simulated app: checkSelfPermission, the request call, the
// system dialog one permission at a time while the app is in front, "don't ask again" after two
// denials (Android 11+), onRequestPermissionsResult, on-grant / on-deny and re-requests.
import type { PermissionRequest } from '../apps/model-types.ts';
import type { SimApp } from '../apps/sim-app.ts';
import { frameworkCall } from '../apps/sim-app-host.ts';

export interface PendingAsk {
  request: PermissionRequest;
  code: number;
  attempt: number;
  /** Permissions still to show a dialog for, in order. */
  queue: string[];
  answers: Map<string, boolean>;
}

export class PermissionFlow {
  private readonly asks: PendingAsk[] = [];
  private nextCode = 100;

  constructor(private readonly app: SimApp) {}

  /** The request whose system dialog is on screen (only while the app is in front). */
  current(): PendingAsk | undefined {
    const ask = this.asks[0];
    return ask && this.app.foreground && ask.queue.length > 0 ? ask : undefined;
  }

  request(id: string, attempt = 0): void {
    const request = this.app.model.permissionRequests.find((r) => r.id === id);
    if (!request || !this.app.alive) return;
    const granted = this.app.host.granted(this.app.pkg);
    for (const p of request.permissions) {
      const check = frameworkCall(
        this.app.pkg,
        request.from,
        'android.content.ContextWrapper',
        'checkSelfPermission',
        [p],
        {
          result: granted.has(p) ? 0 : -1,
        },
      );
      this.app.runCall(check, 'activity');
    }
    const missing = request.permissions.filter((p) => !granted.has(p));
    if (missing.length === 0) {
      this.app.runCalls(request.onGrant, 'permission-result');
      return;
    }
    const dot = request.api.lastIndexOf('.');
    const className = request.api.slice(0, dot);
    const code = this.nextCode++;
    const perms = { $array: missing };
    const args = className.startsWith('androidx.')
      ? [{ $class: this.app.activity }, perms, code]
      : [perms, code];
    this.app.runCall(
      frameworkCall(this.app.pkg, request.from, className, request.api.slice(dot + 1), args),
      'activity',
    );
    const ask: PendingAsk = { request, code, attempt, queue: [], answers: new Map() };
    for (const p of missing) {
      // Android 11+: after two denials the system answers "denied" without a dialog.
      if (this.app.host.denials(this.app.pkg, p) >= 2) ask.answers.set(p, false);
      else ask.queue.push(p);
    }
    this.asks.push(ask);
    if (ask.queue.length === 0) {
      this.complete();
      return;
    }
    const shown = this.current();
    if (shown === ask)
      this.app.host.emit({ type: 'permission-dialog', pkg: this.app.pkg, permission: ask.queue[0] ?? '' });
  }

  /** The user's answer in the system dialog on screen. */
  answer(allow: boolean): void {
    const ask = this.current();
    const perm = ask?.queue.shift();
    if (!ask || perm === undefined) return;
    ask.answers.set(perm, allow);
    this.app.host.answerPermission(this.app.pkg, perm, allow);
    this.app.host.emit({
      type: 'permission-result',
      pkg: this.app.pkg,
      permission: perm,
      granted: allow,
      dialog: true,
    });
    if (ask.queue.length > 0)
      this.app.host.emit({ type: 'permission-dialog', pkg: this.app.pkg, permission: ask.queue[0] ?? '' });
    else this.complete();
  }

  private complete(): void {
    const ask = this.asks.shift();
    if (!ask) return;
    const perms = [...ask.answers.keys()];
    const results = perms.map((p) => (ask.answers.get(p) ? 0 : -1));
    const self = { $class: this.app.activity || `${this.app.pkg}.MainActivity` };
    const args = [ask.code, { $array: perms }, { $array: results }];
    this.app.runCall(
      frameworkCall(this.app.pkg, this.app.pkg, 'android.app.Activity', 'onRequestPermissionsResult', args, {
        self,
      }),
      'permission-result',
    );
    const allGranted = results.every((r) => r === 0);
    this.app.runCalls(allGranted ? ask.request.onGrant : ask.request.onDeny, 'permission-result');
    if (!allGranted && ask.request.finishOnDeny)
      this.app.perform({ calls: [], requestPermissions: [], finish: true }, 'permission-result');
    const { retryAfterMs, maxRetries } = ask.request;
    if (!allGranted && retryAfterMs !== undefined && ask.attempt < maxRetries) {
      this.app.every(retryAfterMs, true, () => this.request(ask.request.id, ask.attempt + 1));
    }
    const next = this.current();
    if (next)
      this.app.host.emit({ type: 'permission-dialog', pkg: this.app.pkg, permission: next.queue[0] ?? '' });
  }
}
