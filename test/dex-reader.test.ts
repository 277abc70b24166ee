// The DEX reader against Debian's dexdump on the real APKs in npm packages (same classes, same
// invoked method references per method), its errors on broken input, and the static scan
// (`overreach apk --calls`) on top of it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dexEntryNames, readDex } from '../harness/apk/dex.ts';
import { scanApkCalls } from '../harness/apk/dex-scan.ts';
import { ZipArchive } from '../harness/apk/zip.ts';
import { runCli } from '../harness/cli/program.ts';
import { captureDeps } from './helpers/cli.ts';
import { runDexdump } from './helpers/dexdump.ts';

const require = createRequire(import.meta.url);
const pkgDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
const SETTINGS = join(pkgDir('io.appium.settings'), 'apks/settings_apk-debug.apk');
const APKS = [
  join(pkgDir('android-apidemos'), 'apks/ApiDemos-debug.apk'),
  SETTINGS,
  join(pkgDir('appium-uiautomator2-server'), 'apks/appium-uiautomator2-server-v10.6.6.apk'),
  join(pkgDir('appium-uiautomator2-server'), 'apks/appium-uiautomator2-server-debug-androidTest.apk'),
];

function ours(apk: string) {
  const zip = new ZipArchive(readFileSync(apk));
  const classes: string[] = [];
  const invokes = new Map<string, string[]>();
  let count = 0;
  for (const name of dexEntryNames(zip.entries.keys())) {
    const dex = readDex(zip.read(name)!, name);
    for (const c of dex.classes()) {
      classes.push(c.descriptor);
      for (const m of c.methods) {
        const called = dex.invokes(m);
        if (called.length === 0) continue;
        const key = `${dex.methodClass(m.methodIdx)}.${dex.methodName(m.methodIdx)}:${dex.methodProto(m.methodIdx)}`;
        invokes.set(
          key,
          called.map((i) => dex.methodRef(i)),
        );
        count += called.length;
      }
    }
  }
  return { classes, invokes, count };
}

describe('DEX reader against dexdump', () => {
  it.each(APKS)(
    '%s: same classes, same invoked references per method',
    async (apk) => {
      // No skip: CI installs dexdump (Debian package `dexdump`); a missing oracle is a failure.
      const [mine, theirs] = [ours(apk), await runDexdump(apk)];
      expect(theirs.classes.length).toBeGreaterThan(100);
      expect(mine.classes).toEqual(theirs.classes);
      expect(mine.count).toBe(theirs.invokeCount);
      expect(mine.invokes.size).toBe(theirs.invokes.size);
      const differing = [...theirs.invokes].filter(
        ([k, v]) => mine.invokes.get(k)?.join('|') !== v.join('|'),
      );
      expect(differing.slice(0, 3)).toEqual([]);
    },
    120_000,
  );
});

describe('DEX reader on broken input', () => {
  const good = new ZipArchive(readFileSync(APKS[3]!)).read('classes.dex')!;

  it('rejects a bad magic and a truncated file in one line', () => {
    expect(() => readDex(Buffer.from('not a dex file at all, not at all, no; '.repeat(4)), 'x.dex')).toThrow(
      /^x\.dex: bad DEX magic$/,
    );
    expect(() => readDex(good.subarray(0, 50), 'y.dex')).toThrow(/^y\.dex: too short/);
    const cut = readDex(good.subarray(0, good.length >> 2), 'z.dex');
    expect(() => {
      for (const c of cut.classes()) for (const m of c.methods) cut.invokes(m);
    }).toThrow(/runs past the end|out of range|truncated/);
  });

  it('an APK whose classes.dex is broken is a one-line error naming the file and entry', () => {
    const buf = readFileSync(APKS[3]!);
    const zip = new ZipArchive(buf);
    const entry = zip.entries.get('classes.dex')!;
    const broken = Buffer.from(buf);
    // Stored or deflated, the local data starts after the local header: smash the dex magic there.
    const start =
      entry.localOffset +
      30 +
      broken.readUInt16LE(entry.localOffset + 26) +
      broken.readUInt16LE(entry.localOffset + 28);
    if (entry.method === 0) broken.write('xxxx', start, 'latin1');
    else broken.fill(0, start, start + 16);
    expect(() => scanApkCalls(broken, 'bad.apk')).toThrow(/^bad\.apk: .*classes\.dex/);
  });
});

describe('static scan: apk --calls', () => {
  it('finds the settings app reading Location objects and attributes library code by prefix', () => {
    const scan = scanApkCalls(readFileSync(SETTINGS), 'settings.apk');
    expect(scan.package).toBe('io.appium.settings');
    expect(scan.dexFiles[0]).toBe('classes.dex');
    const hit = (sdk: string, hook: string) => scan.calls.find((c) => c.sdk === sdk && c.hook === hook);
    const lat = hit('app', 'location-object.get-latitude');
    expect(lat?.callers.some((c) => c.startsWith('io.appium.settings.'))).toBe(true);
    // io.appium.settings calls Play services' LocationResult.getLastLocation (a lazy SDK hook).
    expect(hit('app', 'location-result.get-last-location')?.callSites).toBeGreaterThan(0);
    // Method.invoke in Apache Commons is attributed to that library, not to the app.
    expect(hit('apache-commons', 'reflection.method-invoke')?.callSites).toBeGreaterThan(0);
    // PackageManager / Context references reach hooks on their concrete classes.
    expect(scan.calls.some((c) => c.hook === 'bluetooth-adapter.get-bonded-devices')).toBe(true);
    expect(scan.sensitiveCallSites).toBe(scan.calls.reduce((n, c) => n + c.callSites, 0));
    // SDKs found by class prefix, with or without sensitive calls.
    const sdk = (id: string) => scan.sdks.find((x) => x.sdk === id);
    expect(sdk('apache-commons')?.sensitiveCallSites).toBeGreaterThan(0);
    expect(sdk('google-signin')?.classes).toBeGreaterThan(0);
    expect(sdk('google-signin')?.sensitiveCallSites).toBe(0);
    // Lifecycle markers are not sensitive call sites.
    expect(scan.calls.some((c) => c.category === 'lifecycle')).toBe(false);
  });

  it('prints text and JSON', async () => {
    const deps = captureDeps(process.cwd());
    await runCli(['apk', SETTINGS, '--calls', '--json'], deps);
    const json = JSON.parse(deps.out()) as { package: string; calls: { sdk: string; hook: string }[] };
    expect(json.package).toBe('io.appium.settings');
    expect(json.calls.length).toBeGreaterThan(10);
    deps.reset();
    await runCli(['apk', SETTINGS, '--calls'], deps);
    expect(deps.out()).toMatch(/^package {7}io\.appium\.settings$/m);
    expect(deps.out()).toMatch(/^ {2}location-object\.get-latitude +location +\d+ +io\.appium\.settings\./m);
  });
});
