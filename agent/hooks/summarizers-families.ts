// Summarisers for the wider catalog families; merged into the table in ./summarizers.ts.
import { AD_ID_SERVICES, LISTEN_EVENTS, SIDE_CHANNEL_COMMANDS } from '../catalog/filters-families.ts';
import type { DataCategory } from '../protocol/messages.ts';
import { call, call1, cap, cInt, items, str } from './java-values.ts';
import type { Summarizer } from './summarizers.ts';

/** A java.util.List, Java array or JS array → JS array. */
function listItems(value: unknown): unknown[] | null {
  const arr = items(value);
  if (arr) return arr;
  const n = call(value, 'size');
  if (typeof n !== 'number') return null;
  return Array.from({ length: Math.min(n, 64) }, (_, i) => call1(value, 'get', i));
}

export const FAMILY_SUMMARIZERS = {
  /** ProcessBuilder.start: the command line (from `this.command()`), side channels only. */
  command: ({ self }) => {
    const parts = listItems(call(self, 'command'));
    if (!parts) return null;
    const line = parts.map((p) => str(p) ?? '').join(' ');
    const hit = SIDE_CHANNEL_COMMANDS.find(([re]) => re.test(line));
    return hit ? { args: cap(line), category: hit[1] } : null;
  },
  /** Context.bindService: only advertising-id / OAID services. */
  'bind-service': ({ args }) => {
    const intent = args[0];
    const keys = [
      str(call(intent, 'getAction')),
      str(call(intent, 'getPackage')),
      str(call(call(intent, 'getComponent'), 'getClassName')),
      str(call(call(intent, 'getComponent'), 'getPackageName')),
    ].filter((k): k is string => k !== undefined);
    const hit = AD_ID_SERVICES.find((s) => keys.some((k) => k.startsWith(s.match)));
    if (!hit) return null;
    return { args: cap(`${hit.vendor} ${keys[0] ?? ''}`.trim()) };
  },
  /** TelephonyManager.listen(listener, events): cell/service-state and call-state events only. */
  'phone-state-listen': ({ args }) => {
    const events = cInt(args[1]);
    if (events === undefined) return null;
    const hits = LISTEN_EVENTS.filter(([bit]) => (events & bit) !== 0);
    if (hits.length === 0) return null;
    const category: DataCategory = hits.some(([, , c]) => c === 'location') ? 'location' : 'call-log';
    return { args: `events=${hits.map(([, name]) => name).join('|')}`, category };
  },
} satisfies Record<string, Summarizer>;
