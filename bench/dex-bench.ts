// DEX scan benchmark: `npx tsx bench/dex-bench.ts [pairs]` (or runDexBench() from run-all.ts).
// Question: how long does `overreach apk <file> --calls --json` take on a 30 MB multi-dex APK?
// Data: a synthetic APK built from the REAL dex files of the APKs in npm packages (Appium
// UiAutomator2 server, Appium Settings, ApiDemos, …) renamed classes.dex … classesN.dex, repeated
// until the dex bytes reach 30 MiB, stored uncompressed (as modern APKs store dex), with
// ApiDemos' manifest and resources. Method: paired runs, ours then the anchor, alternating, median
// of the pairs. Ours = the CLI command a user runs (node + tsx start-up included). Anchor =
// Debian's `dexdump -d` on the same file to /dev/null (native code decoding the same
// instructions). The in-process scan (no start-up, Android API index warm) is printed too.
// Target: the CLI command under 2 s. Excludes: the first-ever Android API index build (cached).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { loadAndroidApi } from '../harness/android-api/load.ts';
import { dexEntryNames } from '../harness/apk/dex.ts';
import { scanApkFile } from '../harness/apk/dex-scan.ts';
import { ZipArchive } from '../harness/apk/zip.ts';

const require = createRequire(import.meta.url);
const pkg = (name: string, file: string) => join(dirname(require.resolve(`${name}/package.json`)), file);
const SOURCES = [
  pkg('appium-uiautomator2-server', 'apks/appium-uiautomator2-server-v10.6.6.apk'),
  pkg('io.appium.settings', 'apks/settings_apk-debug.apk'),
  pkg('android-apidemos', 'apks/ApiDemos-debug.apk'),
  pkg('appium-uiautomator2-server', 'apks/appium-uiautomator2-server-debug-androidTest.apk'),
];
const BASE = SOURCES[2]!; // manifest + resources come from ApiDemos
const TARGET_DEX_BYTES = 30 * 1024 * 1024;
const ROOT = join(import.meta.dirname, '..');

/** A stored (uncompressed) ZIP of the given entries. */
export function storedZip(entries: [string, Buffer][]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const n = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt32LE(crc, 14);
    lh.writeUInt32LE(data.length, 18);
    lh.writeUInt32LE(data.length, 22);
    lh.writeUInt16LE(n.length, 26);
    parts.push(lh, n, data);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt32LE(crc, 16);
    ch.writeUInt32LE(data.length, 20);
    ch.writeUInt32LE(data.length, 24);
    ch.writeUInt16LE(n.length, 28);
    ch.writeUInt32LE(offset, 42);
    central.push(ch, n);
    offset += 30 + n.length + data.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

/** Builds the synthetic multi-dex APK; returns its path and dex count/bytes. */
export function buildBenchApk(
  dir: string,
  targetBytes = TARGET_DEX_BYTES,
): { file: string; dexes: number; dexBytes: number } {
  const dexes: Buffer[] = [];
  let bytes = 0;
  // Fill up to the target with whole dex files, skipping any that would overshoot it by > 1 MiB.
  for (let pass = 0; pass < 10 && bytes < targetBytes; pass++) {
    for (const src of SOURCES) {
      const zip = new ZipArchive(readFileSync(src));
      for (const name of dexEntryNames(zip.entries.keys())) {
        const d = zip.read(name)!;
        if (bytes >= targetBytes || bytes + d.length > targetBytes + (1 << 20)) continue;
        dexes.push(d);
        bytes += d.length;
      }
    }
  }
  const base = new ZipArchive(readFileSync(BASE));
  const entries: [string, Buffer][] = [
    ['AndroidManifest.xml', base.read('AndroidManifest.xml')!],
    ['resources.arsc', base.read('resources.arsc')!],
    ...dexes.map((d, i): [string, Buffer] => [i === 0 ? 'classes.dex' : `classes${i + 1}.dex`, d]),
  ];
  const file = join(dir, 'bench-multidex.apk');
  writeFileSync(file, storedZip(entries));
  return { file, dexes: dexes.length, dexBytes: bytes };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Wall and CPU (user + sys) ms of a child process, via GNU time (the machine's cores are shared). */
function timed(cmd: string, args: string[]): { wall: number; cpu: number } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S', cmd, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [wall, user, sys] = (r.stderr.toString().trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { wall: (wall ?? 0) * 1000, cpu: ((user ?? 0) + (sys ?? 0)) * 1000 };
}

export interface DexBenchResult {
  apkBytes: number;
  dexFiles: number;
  dexBytes: number;
  cliMs: number;
  cliCpuMs: number;
  dexdumpMs: number;
  dexdumpCpuMs: number;
  inProcessMs: number;
  callSites: number;
  targetMet: boolean;
}

export async function runDexBench(pairs = 5): Promise<DexBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'overreach-dex-bench-'));
  try {
    const { file, dexes, dexBytes } = buildBenchApk(dir);
    const apkBytes = readFileSync(file).length;
    execFileSync('dexdump', ['-f', file], { stdio: 'ignore' }); // the anchor reads it: a valid APK
    loadAndroidApi(); // warm the index cache, as every later CLI run finds it
    const ours: { wall: number; cpu: number }[] = [];
    const anchor: { wall: number; cpu: number }[] = [];
    for (let i = 0; i < pairs; i++) {
      ours.push(timed(process.execPath, ['bin/overreach.js', 'apk', file, '--calls', '--json']));
      anchor.push(timed('sh', ['-c', `dexdump -d "${file}" > /dev/null`]));
    }
    const wall = (xs: { wall: number }[]) => median(xs.map((x) => x.wall));
    const cpu = (xs: { cpu: number }[]) => median(xs.map((x) => x.cpu));
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    const scan = scanApkFile(file);
    const inProcessMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const used = process.cpuUsage(cpu0);
    const inProcessCpuMs = (used.user + used.system) / 1000;
    const r: DexBenchResult = {
      apkBytes,
      dexFiles: dexes,
      dexBytes,
      cliMs: wall(ours),
      cliCpuMs: cpu(ours),
      dexdumpMs: wall(anchor),
      dexdumpCpuMs: cpu(anchor),
      inProcessMs,
      callSites: scan.sensitiveCallSites,
      targetMet: wall(ours) < 2000,
    };
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    process.stdout.write(
      [
        `APK ${mb(apkBytes)} MiB, ${dexes} dex files, ${mb(dexBytes)} MiB of dex (real dex files from npm APKs)`,
        `overreach apk --calls --json (CLI, start-up included): median wall ${r.cliMs.toFixed(0)} ms, cpu ${r.cliCpuMs.toFixed(0)} ms of ${pairs} [${ours.map((x) => x.wall.toFixed(0)).join(', ')}]`,
        `anchor dexdump -d > /dev/null:                          median wall ${r.dexdumpMs.toFixed(0)} ms, cpu ${r.dexdumpCpuMs.toFixed(0)} ms [${anchor.map((x) => x.wall.toFixed(0)).join(', ')}]`,
        `in-process scan (no start-up, API index warm):          wall ${inProcessMs.toFixed(0)} ms, cpu ${inProcessCpuMs.toFixed(0)} ms, ${scan.sensitiveCallSites} sensitive call sites`,
        `target: CLI wall < 2000 ms … ${r.targetMet ? 'met' : 'NOT met'} (wall on shared cores; cpu shows the work)`,
        '',
      ].join('\n'),
    );
    return r;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runDexBench(Number(process.argv[2] ?? 5));
}
