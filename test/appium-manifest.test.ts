// Appium caches absolute extension paths in node_modules/.cache/appium/extensions.yaml; a project
// moved elsewhere keeps the old paths and every session fails. The stale manifest is dropped.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dropStaleManifest } from '../harness/device/android/appium-server.ts';

function project(installRoot: (root: string) => string): { root: string; file: string } {
  const root = mkdtempSync(join(tmpdir(), 'overreach-appium-home-'));
  const dir = join(root, 'node_modules', '.cache', 'appium');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'extensions.yaml');
  const base = installRoot(root);
  writeFileSync(
    file,
    `drivers:\n  fake:\n    installPath: ${base}/node_modules/@appium/fake-driver\n    installType: npm\nschemaRev: 4\n`,
  );
  return { root, file };
}

describe('the Appium extension manifest', () => {
  it('is dropped when it names extensions of a project somewhere else', () => {
    const { root, file } = project(() => '/elsewhere/old-checkout');
    expect(dropStaleManifest(root)).toBe(true);
    expect(existsSync(file)).toBe(false);
  });

  it('is kept when its extensions are this project’s', () => {
    const { root, file } = project((r) => r);
    expect(dropStaleManifest(root)).toBe(false);
    expect(existsSync(file)).toBe(true);
  });

  it('is nothing to do when there is none', () => {
    expect(dropStaleManifest(mkdtempSync(join(tmpdir(), 'overreach-appium-none-')))).toBe(false);
  });
});
