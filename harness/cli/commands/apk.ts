// `overreach apk <file.apk>`: what an APK says about itself (manifest facts, permissions with
// their protection levels, components), read with our own ZIP/AXML/ARSC parsers.
import { resolve } from 'node:path';
import { type ApkInfo, readApk } from '../../apk/read-apk.ts';
import { permissionInfo } from '../../knowledge/permissions.ts';
import type { RegisterCommand } from '../registry.ts';
import { runApkCalls } from './apk-calls.ts';

interface ApkOpts {
  json?: boolean;
  components?: boolean;
  calls?: boolean;
  run?: string;
  db?: string;
}

export const registerApk: RegisterCommand = (program, deps) => {
  program
    .command('apk')
    .description("show an APK's package, versions, SDK levels, permissions and components")
    .argument('<file>', 'APK file')
    .option('--json', 'print one JSON object')
    .option('--components', 'list every component in the text output')
    .option('--calls', "list the sensitive call sites in the APK's code (or an app model's calls), per SDK")
    .option('--run <id>', 'with --calls: store the scan against this run (bundled vs ran in its report)')
    .option('--db <file>', 'with --run: database file', deps.defaultDb)
    .action((file: string, opts: ApkOpts) => {
      if (opts.calls) {
        runApkCalls(file, opts, deps);
        return;
      }
      const info = readApk(resolve(deps.cwd, file), file);
      deps.stdout(
        opts.json ? `${JSON.stringify(info, null, 2)}\n` : formatApk(info, opts.components ?? false),
      );
    });
};

/** App-controlled strings are escaped: no control characters reach the terminal. */
export function clean(s: string): string {
  let out = '';
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    out += code < 0x20 || (code >= 0x7f && code < 0xa0) ? `\\x${code.toString(16).padStart(2, '0')}` : ch;
  }
  return out;
}

export function formatApk(info: ApkInfo, allComponents: boolean): string {
  const lines = [
    `package       ${clean(info.package)}`,
    `version       ${clean(info.versionName ?? '-')} (${info.versionCode ?? '-'})`,
    `sdk           min ${info.minSdk}, target ${info.targetSdk}`,
    `label         ${clean(info.label ?? info.labelRef ?? '-')}`,
    `sha256        ${info.sha256}`,
    `permissions   ${info.usesPermissions.length}`,
  ];
  for (const p of info.usesPermissions) {
    const known = permissionInfo(p.name);
    const notes = [
      known ? known.protectionLevel : 'unknown',
      p.maxSdkVersion !== null ? `maxSdk ${p.maxSdkVersion}` : '',
      p.sdk23 ? 'sdk-23' : '',
    ].filter(Boolean);
    lines.push(`  ${clean(p.name)}  [${notes.join(', ')}]`);
  }
  if (info.definedPermissions.length > 0) {
    lines.push(`defines       ${info.definedPermissions.length}`);
    for (const p of info.definedPermissions) lines.push(`  ${clean(p.name)}`);
  }
  const exported = info.components.filter((c) => c.exportedEffective);
  lines.push(`components    ${info.components.length} (${exported.length} exported)`);
  for (const c of allComponents ? info.components : exported) {
    const actions = c.actions.length > 0 ? ` actions=${clean(c.actions.join(','))}` : '';
    lines.push(`  ${c.kind} ${clean(c.name)}${c.exportedEffective ? ' exported' : ''}${actions}`);
  }
  return `${lines.join('\n')}\n`;
}
