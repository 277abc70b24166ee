// Reports: build the model of a run (SQL), render it in one of the formats.
import { renderHtml } from './html/render.ts';
import { renderJson } from './json.ts';
import { renderJunit } from './junit.ts';
import { renderMarkdown } from './markdown.ts';
import type { ReportModel } from './model-types.ts';
import { renderSarif } from './sarif.ts';
import type { Severity } from './severity.ts';

export { buildDiff, type RunDiff, renderDiffText } from './diff.ts';
export { buildReportModel } from './model.ts';
export type { BuildOptions, ReportModel } from './model-types.ts';
export { resolveRun } from './resolve-run.ts';
export { atLeast, parseSeverity, type Severity } from './severity.ts';

export const REPORT_FORMATS = ['html', 'md', 'json', 'junit', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(m: ReportModel, format: ReportFormat, opts: { failOn?: Severity } = {}): string {
  switch (format) {
    case 'html':
      return renderHtml(m);
    case 'md':
      return renderMarkdown(m);
    case 'json':
      return renderJson(m);
    case 'junit':
      return renderJunit(m, opts.failOn);
    case 'sarif':
      return renderSarif(m);
  }
}
