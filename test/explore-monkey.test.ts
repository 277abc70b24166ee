// `explore` with the monkey strategy on a device with a shell: the package name reaches
// `adb shell monkey -p <package>`, so it gets the same check as every other device command.
import { describe, expect, it } from 'vitest';
import { deviceCaps } from '../harness/run/device-caps.ts';
import type { StepContext } from '../harness/run/steps/context.ts';
import { explore } from '../harness/run/steps/explore.ts';
import type { ExploreStep } from '../harness/scenario/types.ts';

const STEP: ExploreStep = {
  kind: 'explore',
  onError: 'continue',
  durationMs: 5000,
  seed: 7,
  strategy: 'monkey',
  stayInApp: true,
};

function shellContext(pkg: string, commands: string[]): StepContext {
  const shell = async (command: string) => {
    commands.push(command);
    return 'Events injected: 10\n';
  };
  // Only what the monkey strategy reads: the package and the device shell.
  return { pkg, caps: { shell } } as unknown as StepContext;
}

describe('explore: monkey strategy', () => {
  it('runs adb shell monkey for a plain package name', async () => {
    const commands: string[] = [];
    expect(await explore(STEP, shellContext('com.example.app', commands))).toBe(
      'monkey -s 7: 10 events injected',
    );
    expect(commands).toEqual([
      'monkey -p com.example.app -s 7 --throttle 500 --pct-syskeys 0 --ignore-crashes -v 10',
    ]);
  });

  it.each([
    'com.x;reboot',
    'com.x $(reboot)',
    'com.x`id`',
    "com.x' || reboot '",
    '-p com.x',
    'com.x\nreboot',
  ])('refuses %j before anything reaches the shell', async (pkg) => {
    const commands: string[] = [];
    await expect(explore(STEP, shellContext(pkg, commands))).rejects.toThrow(/not a valid package name/);
    expect(commands).toEqual([]);
  });

  it('the launcher-intent activate of a shell-only device uses the same check', async () => {
    const commands: string[] = [];
    const device = {
      shell: async (c: string) => {
        commands.push(c);
        return '';
      },
    };
    const caps = deviceCaps(device as unknown as Parameters<typeof deviceCaps>[0]);
    await expect(caps.activate!('com.x;reboot')).rejects.toThrow(/not a valid package name/);
    await caps.activate!('com.example.app');
    expect(commands).toEqual(['monkey -p com.example.app -c android.intent.category.LAUNCHER 1']);
  });
});
