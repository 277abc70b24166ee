// What every command's --help ends with: two or three examples and the one exit-code table
// (README.md "Exit codes" repeats it; test/cli-help.test.ts keeps them in step).
import type { Command } from 'commander';

export const EXIT_CODES = [
  { code: 0, meaning: 'ok' },
  { code: 1, meaning: 'internal error, or a run / farm job failed (device, app, environment)' },
  { code: 2, meaning: 'bad input or usage (flags, scenario, plan, profile, APK, trace, database)' },
  { code: 3, meaning: 'a --fail-on threshold was reached, or an expect assertion failed' },
  { code: 130, meaning: 'interrupted (Ctrl-C); what was captured is kept' },
] as const;

export type ExitCode = (typeof EXIT_CODES)[number]['code'];

export function exitCodesText(): string {
  return `Exit codes:\n${EXIT_CODES.map((e) => `  ${String(e.code).padEnd(4)} ${e.meaning}`).join('\n')}`;
}

/** Examples per command path ("device prepare"); every registered command has some. */
export const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  analyze: [
    'overreach analyze latest                      # with the profile, pack and rules stored with the run',
    'overreach analyze 3 --profile app.yaml        # override the profile (recorded with the run)',
    'overreach analyze latest --json --fail-on high',
  ],
  apk: [
    'overreach apk app.apk',
    'overreach apk app.apk --json | jq .permissions',
    'overreach apk app.apk --calls   # sensitive call sites per SDK',
  ],
  calibrate: [
    'overreach calibrate --device sim',
    'overreach calibrate --device emulator-5554 --json',
    'overreach calibrate --device emulator-5554 --apk my-build/overreach-calibration.apk',
  ],
  demo: ['overreach demo', 'overreach demo --out demo-out'],
  device: ['overreach device list', 'overreach device prepare --frida-server ./frida-server'],
  'device list': ['overreach device list', 'overreach device list --json'],
  'device prepare': [
    'overreach device prepare --frida-server ./frida-server-17.18.0-android-x86_64',
    'overreach device prepare --device emulator-5554 --frida-server ./frida-server',
  ],
  diff: ['overreach diff 1 2', 'overreach diff 4 latest --json'],
  doctor: ['overreach doctor', 'overreach doctor --json'],
  farm: [
    'overreach farm plan.yaml',
    'overreach farm plan.yaml --speed max --fail-on high',
    'overreach farm plan.yaml --json > farm.json',
  ],
  hooks: ['overreach hooks', 'overreach hooks --category device-id', 'overreach hooks --json | head'],
  ingest: [
    'overreach ingest trace.jsonl --package com.example.shop',
    'overreach ingest trace.jsonl --profile shop.yaml --permissions READ_CONTACTS,ACCESS_FINE_LOCATION',
    'overreach ingest trace.jsonl --apk shop.apk',
  ],
  merge: ['overreach merge host1.db host2.db -o all.db', 'overreach merge a.db b.db -o all.db --json'],
  query: [
    'overreach query "SELECT category, phase, accesses FROM v_category_phase WHERE run = 1"',
    'overreach query --json "SELECT * FROM v_first_access"',
  ],
  report: [
    'overreach report latest --format md',
    'overreach report 3 --format sarif --out overreach.sarif',
    'overreach report latest --format junit --out junit.xml --fail-on high',
  ],
  run: [
    'overreach run scenarios/game/scenario.yaml --speed max',
    'overreach run my-scenario.yaml --device emulator-5554 --pack cn-necessary-2021',
    'overreach run scenario.yaml --json > run.json',
  ],
  runs: ['overreach runs', 'overreach runs --json', 'overreach runs --app com.example.shop --limit 5'],
  scenario: [
    'overreach scenario check my-scenario.yaml',
    'overreach scenario check scenarios/game/scenario.yaml --json',
  ],
  'scenario check': [
    'overreach scenario check my-scenario.yaml',
    'overreach scenario check my-scenario.yaml --json',
  ],
};

function pathOf(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Adds the examples and the exit-code table to every command (recursively) and the program. */
export function addHelpFooters(program: Command): void {
  const visit = (cmd: Command) => {
    const examples = EXAMPLES[pathOf(cmd)] ?? [];
    const parts = [];
    if (examples.length > 0) parts.push(`Examples:\n${examples.map((e) => `  $ ${e}`).join('\n')}`);
    parts.push(exitCodesText());
    cmd.addHelpText('after', `\n${parts.join('\n\n')}\n`);
    for (const sub of cmd.commands) visit(sub);
  };
  for (const cmd of program.commands) visit(cmd);
  program.addHelpText('after', `\n${exitCodesText()}\n`);
}

/** Every command path the program has, for tests. */
export function commandPaths(program: Command): string[] {
  const out: string[] = [];
  const visit = (cmd: Command) => {
    out.push(pathOf(cmd));
    for (const sub of cmd.commands) visit(sub);
  };
  for (const cmd of program.commands) visit(cmd);
  return out;
}
