// Builds the calibration APK (see scripts/build-calibration.ts): plan → smali → classes.dex →
// aapt package → zipalign → apksigner. Every tool failure is an EnvironmentError naming the tool.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CATALOG } from '../../agent/catalog/index.ts';
import { loadAndroidApi } from '../android-api/load.ts';
import { EnvironmentError } from '../errors.ts';
import { FRAMEWORK_RES_APK } from '../knowledge/platform-source.ts';
import { manifestXml } from './manifest.ts';
import { buildPlan } from './plan.ts';
import { smaliSources } from './smali.ts';

function run(tool: string, args: string[], cwd: string): void {
  try {
    execFileSync(tool, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 16 << 20 });
  } catch (err) {
    const e = err as { stderr?: Buffer; code?: string };
    const why =
      e.code === 'ENOENT'
        ? 'not installed'
        : (e.stderr?.toString().trim().split('\n').slice(0, 5).join(' | ') ?? String(err));
    throw new EnvironmentError(`build:calibration: ${tool} failed: ${why}`, { cause: err });
  }
}

export interface CalibrationBuild {
  apk: string;
  calls: number;
  entries: number;
  bytes: number;
}

/** Every permission the catalog names (so each hooked API can pass its permission check). */
export function catalogPermissions(): string[] {
  const out = new Set<string>();
  for (const e of CATALOG) {
    if (e.permission) out.add(e.permission);
    if (e.kind === 'java') for (const p of Object.values(e.permissionByCategory ?? {})) if (p) out.add(p);
  }
  return [...out];
}

export function buildCalibrationApk(outPath: string): CalibrationBuild {
  const api = loadAndroidApi();
  const plan = buildPlan(api);
  const work = mkdtempSync(join(tmpdir(), 'overreach-calibration-'));
  try {
    for (const f of smaliSources(plan, api)) {
      const file = join(work, 'smali', f.path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, f.text);
    }
    writeFileSync(join(work, 'AndroidManifest.xml'), manifestXml(catalogPermissions()));
    run('smali', ['assemble', '--api', '23', '-o', 'classes.dex', 'smali'], work);
    run(
      'aapt',
      ['package', '-f', '-M', 'AndroidManifest.xml', '-I', FRAMEWORK_RES_APK, '-F', 'unsigned.apk'],
      work,
    );
    run('aapt', ['add', 'unsigned.apk', 'classes.dex'], work);
    run('zipalign', ['-f', '4', 'unsigned.apk', 'aligned.apk'], work);
    // A throwaway debug key, made fresh for each build: the APK proves nothing about its author.
    run(
      'keytool',
      [
        '-genkeypair',
        '-keystore',
        'debug.jks',
        '-storepass',
        'android',
        '-keypass',
        'android',
        '-alias',
        'calibration',
        '-keyalg',
        'RSA',
        '-keysize',
        '2048',
        '-validity',
        '3650',
        '-dname',
        'CN=Overreach calibration (debug)',
      ],
      work,
    );
    const out = resolve(outPath);
    mkdirSync(dirname(out), { recursive: true });
    run(
      'apksigner',
      [
        'sign',
        '--v4-signing-enabled',
        'false',
        '--ks',
        'debug.jks',
        '--ks-pass',
        'pass:android',
        '--key-pass',
        'pass:android',
        '--out',
        out,
        'aligned.apk',
      ],
      work,
    );
    return {
      apk: out,
      calls: plan.length,
      entries: new Set(plan.map((c) => c.hook)).size,
      bytes: readFileSync(out).length,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
