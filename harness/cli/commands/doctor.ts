// `overreach doctor [--json] [--real-device] [--device serial]`: checks this machine and any
// attached device; one fix line per failed check; non-zero exit when a required check fails.
import { fileURLToPath } from 'node:url';
import { adbBinary, createAdbExec } from '../../device/android/adb.ts';
import { installedFridaVersion, loadFrida, pinnedFridaVersion } from '../../device/android/frida-load.ts';
import {
  type DoctorProbes,
  doctorFailed,
  formatDoctor,
  packageVersion,
  runDoctor,
} from '../../device/doctor.ts';
import { EnvironmentError } from '../../errors.ts';
import type { CliDeps } from '../deps.ts';
import type { RegisterCommand } from '../registry.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export function defaultDoctorProbes(env: NodeJS.ProcessEnv): DoctorProbes {
  return {
    nodeVersion: () => process.version,
    sqlite: async () => {
      const { default: Database } = await import('better-sqlite3');
      const db = new Database(':memory:');
      try {
        return String(db.prepare('select sqlite_version() as v').pluck().get());
      } finally {
        db.close();
      }
    },
    fridaInstalled: () => installedFridaVersion(ROOT),
    fridaLoads: async () => {
      await loadFrida();
    },
    fridaPinned: () => pinnedFridaVersion(ROOT),
    adb: createAdbExec(adbBinary(env)),
    appium: () => ({
      appium: packageVersion(ROOT, 'appium'),
      uiautomator2: packageVersion(ROOT, 'appium-uiautomator2-driver'),
    }),
  };
}

export interface DoctorCommandOptions {
  json?: boolean;
  realDevice?: boolean;
  device?: string;
}

export async function doctorCommand(
  deps: CliDeps,
  o: DoctorCommandOptions,
  probes: DoctorProbes,
): Promise<void> {
  const results = await runDoctor(probes, {
    ...(o.realDevice ? { realDevice: true } : {}),
    ...(o.device ? { serial: o.device } : {}),
  });
  const failed = doctorFailed(results);
  if (o.json) deps.stdout(`${JSON.stringify({ ok: failed.length === 0, checks: results }, null, 2)}\n`);
  else deps.stdout(formatDoctor(results));
  if (failed.length) {
    throw new EnvironmentError(`doctor: required check(s) failed: ${failed.map((f) => f.id).join(', ')}`);
  }
}

export const registerDoctor: RegisterCommand = (program, deps) => {
  program
    .command('doctor')
    .description(
      'check Node, SQLite, frida, adb, devices, root, frida-server and Appium; print one fix per problem',
    )
    .option('--json', 'machine-readable report')
    .option('--real-device', 'treat the real-device checks as required (non-zero exit when one fails)')
    .option('--device <serial>', 'check only this device')
    .action(async (o: DoctorCommandOptions) => {
      await doctorCommand(deps, o, defaultDoctorProbes(deps.env));
    });
};
