// JSON report: the model itself, with object keys sorted at every level so the same run
// always serialises identically (diffable, cacheable).
import type { ReportModel } from './model-types.ts';

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

export function renderJson(m: ReportModel): string {
  return `${JSON.stringify(sortKeys(m), null, 2)}\n`;
}
