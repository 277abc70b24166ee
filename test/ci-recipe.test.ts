// The emulator CI recipe in docs/ci.md, run as written: the step that reads frida's version (its
// package.json "exports" allows only ".", so require('frida/package.json') throws) and
// scripts/ci-farm.sh with stub adb/npx on PATH (order of commands, stop at the first failure).
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const DOC = readFileSync(join(import.meta.dirname, '..', 'docs', 'ci.md'), 'utf8');

/** A project dir with frida installed as npm lays it out (17.18.0's real package.json fields). */
function projectWithFrida(): string {
  const dir = mkdtempSync(join(tmpdir(), 'overreach-ci-'));
  mkdirSync(join(dir, 'node_modules', 'frida', 'build', 'src'), { recursive: true });
  writeFileSync(
    join(dir, 'node_modules', 'frida', 'package.json'),
    JSON.stringify({
      name: 'frida',
      version: '17.18.0',
      type: 'module',
      main: 'build/src/frida.js',
      exports: { '.': './build/src/frida.js' },
    }),
  );
  writeFileSync(join(dir, 'node_modules', 'frida', 'build', 'src', 'frida.js'), 'export default {};\n');
  return dir;
}

/** The shell lines of the workflow step that fetches frida-server, up to the download. */
function versionStep(): string {
  const lines = DOC.split('\n');
  const start = lines.findIndex((l) => l.includes('V=$(node -p'));
  expect(start).toBeGreaterThan(0);
  const body: string[] = [];
  for (const l of lines.slice(start)) {
    if (l.includes('curl ')) break;
    body.push(l.trim());
  }
  return `${body.join('\n')}\necho "$V"`;
}

describe('docs/ci.md recipe', () => {
  it('reads the installed frida version without require(frida/package.json)', () => {
    const dir = projectWithFrida();
    const out = execFileSync('sh', ['-eu', '-c', versionStep()], { cwd: dir, encoding: 'utf8' });
    expect(out.trim()).toBe('17.18.0');
    // What the recipe used to do fails on frida's exports, as in CI.
    const old = spawnSync('node', ['-p', "require('frida/package.json').version"], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(old.status).not.toBe(0);
    expect(old.stderr).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
  });

  it('the step fails (not an empty version) when frida is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'overreach-ci-'));
    const r = spawnSync('sh', ['-eu', '-c', versionStep()], { cwd: dir, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
  });

  const script = (() => {
    const m = /`scripts\/ci-farm\.sh`[\s\S]*?```sh\n([\s\S]*?)```/.exec(DOC);
    return m?.[1] ?? '';
  })();

  function runFarmScript(failOn?: string) {
    const dir = mkdtempSync(join(tmpdir(), 'overreach-ci-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const log = join(dir, 'calls.log');
    for (const tool of ['adb', 'npx']) {
      const fail = failOn ? `case "$*" in *"${failOn}"*) exit 7;; esac\n` : '';
      writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> "${log}"\n${fail}exit 0\n`);
      chmodSync(join(bin, tool), 0o755);
    }
    writeFileSync(join(dir, 'ci-farm.sh'), script);
    chmodSync(join(dir, 'ci-farm.sh'), 0o755);
    const r = spawnSync('./ci-farm.sh', [], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}` },
    });
    let calls: string[] = [];
    try {
      calls = readFileSync(log, 'utf8').trim().split('\n');
    } catch {
      calls = [];
    }
    return { status: r.status, calls };
  }

  it('scripts/ci-farm.sh prepares the device, checks it, then runs the farm', () => {
    expect(script).toMatch(/^#!\/bin\/sh\nset -eu\n/);
    const r = runFarmScript();
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([
      'adb wait-for-device',
      'npx overreach device prepare --frida-server ./frida-server',
      'npx overreach doctor --real-device',
      'npx overreach farm ci/farm.yaml',
    ]);
  });

  it('a failed device prepare stops the script before the farm', () => {
    const r = runFarmScript('device prepare');
    expect(r.status).toBe(7);
    expect(r.calls.at(-1)).toBe('npx overreach device prepare --frida-server ./frida-server');
  });
});
