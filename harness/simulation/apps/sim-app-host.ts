// What a simulated app sees of the device it runs on (AppHost), what it keeps in its data
// directory, the events it reports, and the framework calls it makes on its own behalf.
import type { SampleValue } from '../../../agent/catalog/types.ts';
import type { SimClock } from '../device/clock.ts';
import type { CallContext, JavaCall } from './model-types.ts';

/** What the app learns from and tells the device it runs on. */
export interface AppHost {
  readonly clock: SimClock;
  granted(pkg: string): ReadonlySet<string>;
  /** How often the user denied this permission (2+ = "don't ask again" on Android 11+). */
  denials(pkg: string, permission: string): number;
  answerPermission(pkg: string, permission: string, granted: boolean): void;
  data(pkg: string): AppData;
  noteOp(pkg: string, op: string, allowed: boolean, process: string): void;
  /** The app opened an external link: the browser comes to the front. */
  openExternal(pkg: string, url: string): void;
  /** The app's last activity finished: the launcher comes to the front. */
  finished(pkg: string): void;
  emit(event: SimEvent): void;
  /** The mock location set on the device, if any. */
  location(): { lat: number; lon: number } | undefined;
  /** The app model says the device goes away (all devices, or those with a listed serial). */
  loseDevice(serials?: readonly string[]): void;
  /** The app's native code runs translated (native bridge): libc hooks never see its calls. */
  nativeBridged(pkg: string): boolean;
}

/** What the app keeps in its data directory (wiped by clearData). */
export interface AppData {
  consent: boolean;
  /** Check state of toggles, by "screen#element-index". */
  toggles: Map<string, boolean>;
  /** Text typed into fields, by "screen#element-index". */
  fields: Map<string, string>;
}

export type SimEvent =
  | { type: 'screen'; pkg: string; screen: string; activity: string }
  | { type: 'consent'; pkg: string; consent: boolean }
  | { type: 'dialog'; pkg: string; title: string }
  | { type: 'permission-dialog'; pkg: string; permission: string }
  | { type: 'permission-result'; pkg: string; permission: string; granted: boolean; dialog: boolean }
  | { type: 'exit-app'; pkg: string; url: string }
  | { type: 'foreground' | 'background'; pkg: string }
  | {
      type: 'call';
      pkg: string;
      process: string;
      api: string;
      context: CallContext;
      made: boolean;
      where: string;
    }
  | { type: 'detach'; pkg: string; reason: string };

/** A framework-driven call made on the app's behalf (permission checks, dialogs). */
export function frameworkCall(
  pkg: string,
  from: string,
  className: string,
  method: string,
  args: SampleValue[],
  extra: Partial<JavaCall> = {},
): JavaCall {
  return {
    kind: 'java',
    className,
    method,
    args,
    from,
    times: 1,
    thread: 'main',
    process: pkg,
    ifDenied: 'call',
    when: 'always',
    where: '(framework)',
    ...extra,
  };
}
