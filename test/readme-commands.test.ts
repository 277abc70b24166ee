// The README's two commands are what a newcomer types and what CI runs: the first sets up and
// runs the demo, the second sets up and runs the tests, and .ci/run runs that second line as is.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const commands = (): string[] => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /## Two commands[^\n]*\n+```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  return block
    .split('\n')
    .map((l) => l.split('#')[0]!.trim())
    .filter(Boolean);
};

describe('the README’s two commands', () => {
  it('are set-up + demo and set-up + tests', () => {
    expect(commands()).toEqual(['npm ci && npm run demo', 'npm ci && npm test']);
  });

  it('.ci/run runs the test command exactly as written', () => {
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    expect(ci).toContain(commands()[1]);
  });

  it('npm test installs what the tests need before running them', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.test).toMatch(/^bash scripts\/ensure-system-deps\.sh && /);
  });
});
