// The timeline as inline SVG: one row per category (heat cells per time bucket), the agent's
// phases as background bands with their names on top, the scenario's steps as numbered
// markers. Every label from the trace goes through `html` (escaped).
import { html, type SafeHtml } from '../escape.ts';
import { fmtCount, fmtOffset } from '../format.ts';
import type { Timeline } from '../model-types.ts';

const W = 1000;
const LEFT = 150;
const RIGHT = 12;
const TOP = 24;
const ROW = 18;
const AXIS = 40;

const PALETTE = [
  '#2563eb',
  '#dc2626',
  '#059669',
  '#d97706',
  '#7c3aed',
  '#db2777',
  '#0891b2',
  '#65a30d',
  '#9333ea',
  '#ea580c',
];
const BANDS = ['#eef2ff', '#fef3c7', '#ecfdf5', '#fce7f3', '#e0f2fe', '#f3e8ff', '#fff7ed'];

const f1 = (n: number) => n.toFixed(1);
/** Step markers: minimum distance between two in one lane, and the lane height. */
const MARKER_GAP = 16;
const LANE = 16;

function stepLanes(t: Timeline, x: (ms: number) => number): number {
  const ends: number[] = [];
  for (const s of t.steps) {
    if (s.at < t.start || s.at > t.end) continue;
    const px = x(s.at);
    const lane = ends.findIndex((e) => px - e >= MARKER_GAP);
    ends[lane === -1 ? ends.length : lane] = px;
  }
  return Math.max(ends.length, 1);
}

function phaseColors(t: Timeline): Map<string, string> {
  const colors = new Map<string, string>();
  for (const b of t.phases) if (!colors.has(b.phase)) colors.set(b.phase, BANDS[colors.size % BANDS.length]!);
  return colors;
}

/** Phase colour key under the chart (band labels do not fit in narrow bands). */
export function phaseLegend(t: Timeline): SafeHtml {
  return html`${[...phaseColors(t)].map(([phase, color]) => html`<span class="swatch" style="background:${color}"></span>${phase} `)}`;
}

export function timelineSvg(t: Timeline): SafeHtml {
  const plotW = W - LEFT - RIGHT;
  const rows = t.categories.length;
  const laneCount = stepLanes(t, (ms) => LEFT + ((ms - t.start) / (t.end - t.start)) * (W - LEFT - RIGHT));
  const H = TOP + Math.max(rows, 1) * ROW + AXIS + (laneCount - 1) * LANE;
  const x = (ms: number) => LEFT + ((ms - t.start) / (t.end - t.start)) * plotW;
  const cellW = plotW / t.buckets;
  const logMax = Math.log1p(Math.max(t.maxCount, 1));
  const phaseColor = phaseColors(t);

  const bands = t.phases.map((b) => {
    const x0 = x(b.start);
    const w = Math.max(x(b.end) - x0, 0.5);
    return html`<g class="phase-band"><rect x="${f1(x0)}" y="0" width="${f1(w)}" height="${H - AXIS}" fill="${phaseColor.get(b.phase)!}"><title>phase ${b.phase}: ${fmtOffset(b.start, t.start)} – ${fmtOffset(b.end, t.start)}</title></rect>${
      w > 46
        ? html`<text x="${f1(x0 + 4)}" y="15" class="phase-label">${clip(b.phase, Math.floor(w / 7))}</text>`
        : ''
    }</g>`;
  });

  const rowsSvg = t.categories.map((category, i) => {
    const y = TOP + i * ROW;
    const color = PALETTE[i % PALETTE.length]!;
    const counts = t.counts[category] ?? [];
    const cells = counts.map((n, b) =>
      n === 0
        ? ''
        : html`<rect x="${f1(LEFT + b * cellW)}" y="${y + 2}" width="${f1(Math.max(cellW - 0.3, 0.8))}" height="${ROW - 4}" fill="${color}" fill-opacity="${(0.18 + (0.82 * Math.log1p(n)) / logMax).toFixed(2)}"><title>${category}: ${fmtCount(n)} at ${fmtOffset(t.start + b * t.bucketMs, t.start)}</title></rect>`,
    );
    return html`<g class="cat-row" data-category="${category}"><line x1="${LEFT}" x2="${W - RIGHT}" y1="${y + ROW}" y2="${y + ROW}" class="grid"/><text x="${LEFT - 8}" y="${y + 13}" text-anchor="end" class="cat-label">${clip(category, 20)}</text>${cells}</g>`;
  });

  const bottom = TOP + rows * ROW;
  // Markers closer than a circle's width go to the next lane down, so numbers never overlap.
  const laneEnds: number[] = [];
  const placed = t.steps
    .filter((s) => s.at >= t.start && s.at <= t.end)
    .map((s) => {
      const px = x(s.at);
      let lane = laneEnds.findIndex((e) => px - e >= MARKER_GAP);
      if (lane === -1) lane = laneEnds.length;
      laneEnds[lane] = px;
      return { s, px, lane };
    });
  const steps = placed.map(({ s, px, lane }) => {
    const sx = f1(px);
    const cy = bottom + 13 + lane * LANE;
    const cls = s.outcome === 'failed' ? 'step-marker failed' : 'step-marker';
    return html`<g class="${cls}" data-lane="${String(lane)}"><line x1="${sx}" x2="${sx}" y1="${TOP - 4}" y2="${cy - 7}"/><circle cx="${sx}" cy="${cy}" r="7"/><text x="${sx}" y="${cy + 3.5}" text-anchor="middle">${s.idx}</text><title>step ${s.idx}: ${s.label} (${s.outcome}) at ${fmtOffset(s.at, t.start)}</title></g>`;
  });
  const shade = t.background.map((b) => {
    const x0 = x(Math.max(b.start, t.start));
    const w = Math.max(x(Math.min(b.end, t.end)) - x0, 0.5);
    return html`<rect class="background-span" x="${f1(x0)}" y="${TOP}" width="${f1(w)}" height="${rows * ROW}"><title>app in the background: ${fmtOffset(b.start, t.start)} – ${fmtOffset(b.end, t.start)}</title></rect>`;
  });

  const ticks = [0, 0.25, 0.5, 0.75, 1].map((q) => {
    const tx = f1(LEFT + q * plotW);
    const anchor = q === 0 ? 'start' : q === 1 ? 'end' : 'middle';
    return html`<text x="${tx}" y="${H - 4}" text-anchor="${anchor}" class="tick">${fmtOffset(t.start + q * (t.end - t.start), t.start)}</text>`;
  });

  const empty =
    rows === 0
      ? html`<text x="${LEFT + 10}" y="${TOP + 13}" class="cat-label">no accesses recorded</text>`
      : '';
  return html`<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="Accesses per category over time">${bands}${shade}${rowsSvg}${steps}${ticks}${empty}</svg>`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, Math.max(max - 1, 1))}…` : text;
}
