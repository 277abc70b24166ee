// scripts/ensure-system-deps.sh (called by `npm test` and .ci/run): installs exactly the missing
// Debian packages through apt-get, and does nothing when everything is there. apt-get and sudo
// are stand-ins on PATH that record how they were called.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './fixtures/run/sim-run.ts';

const SCRIPT = join(import.meta.dirname, '..', 'scripts', 'ensure-system-deps.sh');
const FRAMEWORK = '/usr/share/android-framework-res/framework-res.apk';

function sandbox(present: string[]): { bin: string; log: string } {
  const dir = tempDir();
  const bin = join(dir, 'bin');
  const log = join(dir, 'calls.log');
  execFileSync('mkdir', ['-p', bin]);
  symlinkSync(execFileSync('bash', ['-c', 'command -v id']).toString().trim(), join(bin, 'id'));
  const fake = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  fake('apt-get', `echo "apt-get $*" >> ${log}`);
  fake('sudo', `echo "sudo $1 $2" >> ${log}; shift; [ "$1" = "-n" ] && shift; "$@"`);
  for (const p of present)
    fake(p, p === 'fc-list' ? 'echo "/usr/share/fonts/NotoSansCJK-Regular.ttc: Noto Sans CJK SC"' : 'exit 0');
  return { bin, log };
}

const run = (bin: string) =>
  execFileSync('/bin/bash', [SCRIPT], { env: { PATH: bin }, stdio: ['ignore', 'pipe', 'pipe'] });

describe('ensure-system-deps.sh', () => {
  it('installs the missing packages with apt-get', () => {
    const { bin, log } = sandbox([]);
    run(bin);
    const calls = readFileSync(log, 'utf8');
    expect(calls).toMatch(/apt-get update/);
    const install = calls.split('\n').find((l) => l.startsWith('apt-get install'))!;
    expect(install).toContain('aapt');
    expect(install).toContain('chromium');
    for (const p of [
      'dexdump',
      'libsmali-java',
      'default-jre-headless',
      'apksigner',
      'zipalign',
      'fonts-noto-cjk',
    ])
      expect(install).toContain(p);
    expect(install.includes('android-framework-res')).toBe(!existsSync(FRAMEWORK));
  });

  it('does nothing when every tool is there', () => {
    const { bin, log } = sandbox([
      'aapt',
      'chromium',
      'dexdump',
      'smali',
      'java',
      'keytool',
      'apksigner',
      'zipalign',
      'fc-list',
    ]);
    run(bin);
    if (existsSync(FRAMEWORK)) expect(existsSync(log)).toBe(false);
  });
});
