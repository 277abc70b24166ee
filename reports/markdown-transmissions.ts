// Markdown of "what left the device" (see reports/html/transmissions.ts); escaped by escapeMd.
import { escapeMd as e } from './escape.ts';
import { fmtCount, fmtOffset } from './format.ts';
import type { ReportModel } from './model-types.ts';

export function transmissionsMarkdown(
  m: ReportModel,
  table: (head: string[], rows: string[][]) => string,
): string {
  const t = m.transmissions;
  const start = m.timeline.start;
  const out = ['## What left the device\n'];
  if (t.honey)
    out.push(
      '_This run used honey values: identifier, phone-number, location, advertising-ID and clipboard hooks returned planted values._\n',
    );
  out.push(
    table(
      ['value', 'encoding', 'host', 'organisation', 'SDK', 'phase', 'sends', 'evidence (read → send)'],
      t.rows.map((r) => [
        `${e(r.category ?? '—')}${r.valueHash ? ` #${e(r.valueHash)}` : ''}${m.raw && r.raw !== null ? ` raw: ${e(r.raw)}` : ''}`,
        e(r.encoding),
        `${e(r.host ?? '—')}${r.port !== null ? `:${r.port}` : ''} (${e(r.scheme ?? '')})`,
        `${e(r.organisation ?? '—')}${r.knownEndpoint ? '' : ' (unknown host)'}`,
        e(r.sdk ?? 'app / unattributed'),
        e(r.phase),
        fmtCount(r.count),
        `${r.read ? `${fmtOffset(r.read.time, start)} read by ${e(r.read.api)} [event ${r.read.event}] → ` : ''}${fmtOffset(r.send.time, start)} sent by ${e(r.send.api)}${r.send.args ? ` (${e(r.send.args)})` : ''} [event ${r.send.event}]`,
      ]),
    ),
  );
  if (t.destinations.length > 0) {
    out.push('### Destinations\n');
    out.push(
      table(
        ['host', 'organisation', 'sends', 'carrying a value', 'bytes'],
        t.destinations.map((d) => [
          e(d.host),
          e(d.organisation ?? '—'),
          fmtCount(d.sends),
          fmtCount(d.carrying),
          fmtCount(d.bytes),
        ]),
      ),
    );
  }
  return out.join('\n');
}
