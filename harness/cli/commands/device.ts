// `overreach device list [--json]` and `overreach device prepare --frida-server <file>
// [--device serial]`: the real-device side (adb + frida-server).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Adb, adbBinary, createAdbExec, listAdbDevices } from '../../device/android/adb.ts';
import { chooseDevice } from '../../device/android/android-device.ts';
import { installedFridaVersion, pinnedFridaVersion } from '../../device/android/frida-load.ts';
import { prepareFridaServer } from '../../device/android/frida-server.ts';
import { InputError } from '../../errors.ts';
import { createLog } from '../../log.ts';
import type { RegisterCommand } from '../registry.ts';

const log = createLog('cli-device');

interface ListOpts {
  json?: boolean;
}

interface PrepareOpts {
  fridaServer: string;
  device?: string;
}

export const registerDevice: RegisterCommand = (program, deps) => {
  const device = program
    .command('device')
    .description('real Android devices: list them, prepare frida-server');

  device
    .command('list')
    .description('devices adb sees, with model, API level and ABI')
    .option('--json', 'machine-readable output')
    .action(async (o: ListOpts) => {
      const exec = createAdbExec(adbBinary(deps.env));
      const rows = [];
      for (const e of await listAdbDevices(exec)) {
        let api = '';
        let abi = '';
        if (e.state === 'device') {
          const props = await new Adb(exec, e.serial).getprops().catch(() => new Map<string, string>());
          api = props.get('ro.build.version.sdk') ?? '';
          abi = props.get('ro.product.cpu.abi') ?? '';
        }
        rows.push({
          serial: e.serial,
          state: e.state,
          model: e.model ?? '',
          apiLevel: api ? Number(api) : null,
          abi,
        });
      }
      if (o.json) {
        deps.stdout(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      if (!rows.length) deps.stdout('no devices\n');
      for (const r of rows) {
        deps.stdout(
          `${r.serial}\t${r.state}\t${r.model}\t${r.apiLevel === null ? '' : `API ${r.apiLevel}`}\t${r.abi}\n`,
        );
      }
    });

  device
    .command('prepare')
    .description(
      'push frida-server, start it as root on loopback, check its version against the frida package',
    )
    .requiredOption(
      '--frida-server <file>',
      'frida-server binary for the device ABI (unpacked from the .xz release)',
    )
    .option('--device <serial>', 'device serial (default: the only one attached)')
    .action(async (o: PrepareOpts) => {
      const file = resolve(deps.cwd, o.fridaServer);
      if (!existsSync(file)) throw new InputError(`--frida-server: ${o.fridaServer}: no such file`);
      if (file.endsWith('.xz'))
        throw new InputError(`--frida-server: ${o.fridaServer}: unpack it first (xz -d)`);
      const exec = createAdbExec(adbBinary(deps.env));
      const entry = chooseDevice(await listAdbDevices(exec), o.device);
      const expected = installedFridaVersion() ?? pinnedFridaVersion();
      if (!installedFridaVersion())
        log.warn(`frida package not installed: checking against the pinned ${expected}`);
      const r = await prepareFridaServer(new Adb(exec, entry.serial), file, { expectedVersion: expected });
      deps.stdout(
        `frida-server ${r.version} running on ${r.serial} (${r.abi}, root via ${r.root}, 127.0.0.1:${r.port})\n`,
      );
    });
};
