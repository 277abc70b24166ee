// `overreach hooks [--json] [--category c]`: the hook catalog the agent installs.

import { CATALOG } from '../../../agent/catalog/index.ts';
import type { CatalogEntry } from '../../../agent/catalog/types.ts';
import { DATA_CATEGORIES, type DataCategory } from '../../../agent/protocol/messages.ts';
import { mappingRows, mappingText } from '../../analysis/miit/mapping-table.ts';
import { InputError } from '../../errors.ts';
import type { RegisterCommand } from '../registry.ts';

interface HooksOpts {
  json?: boolean;
  category?: string;
}

export interface HookRow {
  id: string;
  kind: 'java' | 'native';
  category: DataCategory;
  /** "class.method" for Java, "module!symbol" for native. */
  api: string;
  permission: string | null;
  /** For entries whose summariser picks the category: permission per category. */
  permissionByCategory: Partial<Record<DataCategory, string>> | null;
  summary: string;
  personal: boolean;
  lazy: boolean;
  hidden: boolean;
  minApi: number | null;
  maxApi: number | null;
}

export function hookRow(e: CatalogEntry): HookRow {
  const java = e.kind === 'java' ? e : undefined;
  return {
    id: e.id,
    kind: e.kind,
    category: e.category,
    api: e.kind === 'java' ? `${e.className}.${e.method}` : `${e.module ?? '*'}!${e.symbol}`,
    permission: e.permission ?? null,
    permissionByCategory: java?.permissionByCategory ?? null,
    summary: e.summary ?? 'none',
    personal: e.personal === true,
    lazy: java?.lazy === true,
    hidden: java?.hidden === true,
    minApi: java?.minApi ?? null,
    maxApi: java?.maxApi ?? null,
  };
}

function flags(r: HookRow): string {
  const out: string[] = [];
  if (r.lazy) out.push('lazy');
  if (r.hidden) out.push('hidden');
  if (r.kind === 'native') out.push('native');
  if (r.minApi !== null) out.push(`api>=${r.minApi}`);
  if (r.maxApi !== null) out.push(`api<=${r.maxApi}`);
  return out.join(',');
}

export function formatHooksTable(rows: readonly HookRow[]): string {
  const header = ['id', 'category', 'api', 'permission', 'flags'];
  const cells = rows.map((r) => [
    r.id,
    r.category,
    r.api,
    r.permission?.replace(/^android\.permission\./, '') ?? (r.permissionByCategory ? 'by category' : '-'),
    flags(r) || '-',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const line = (c: string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return `${[line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')}\n(${rows.length} hooks)\n`;
}

export const registerHooks: RegisterCommand = (program, deps) => {
  program
    .command('hooks')
    .description('list the hook catalog: id, category, API, guarding permission, flags')
    .option('--json', 'print an array of JSON objects')
    .option('--category <category>', `only this data category (${DATA_CATEGORIES.join(', ')})`)
    .option('--miit', 'print the MIIT 164 checklist mapping instead: scenario → rule → evidence')
    .action((opts: HooksOpts & { miit?: boolean }) => {
      if (opts.miit) {
        deps.stdout(opts.json ? `${JSON.stringify(mappingRows(), null, 2)}\n` : mappingText());
        return;
      }
      const category = opts.category;
      if (category !== undefined && !(DATA_CATEGORIES as readonly string[]).includes(category)) {
        throw new InputError(
          `hooks: --category: unknown category '${category}' (expected one of ${DATA_CATEGORIES.join(', ')})`,
        );
      }
      const rows = CATALOG.filter((e) => category === undefined || e.category === category).map(hookRow);
      deps.stdout(opts.json ? `${JSON.stringify(rows, null, 2)}\n` : formatHooksTable(rows));
    });
};
