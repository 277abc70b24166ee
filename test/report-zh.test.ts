// The Chinese report in headless Chromium: `report --lang zh` of a seed run (the game on the
// simulated device) shows the checklist and section names in Chinese, and the CJK text is really
// drawn — a CJK character renders differently from a character no font has (.notdef "tofu"),
// which fails when no CJK font is installed (CI installs fonts-noto-cjk in .ci/run).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRun } from '../harness/analysis/index.ts';
import { runCli } from '../harness/cli/program.ts';
import { loadProfile } from '../harness/profile/profile.ts';
import { runScenario } from '../harness/run/run-scenario.ts';
import { loadScenario } from '../harness/scenario/load.ts';
import { SimDevice } from '../harness/simulation/device/sim-device.ts';
import { buildFreshBundles } from '../harness/simulation/runtime/bundle.ts';
import { openStore } from '../harness/store/store.ts';
import { captureDeps } from './helpers/cli.ts';

const CHROMIUM = '/usr/bin/chromium';
const SEED = join(import.meta.dirname, '..', 'scenarios', 'game');
let dir: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  dir = mkdtempSync(join(tmpdir(), 'overreach-report-zh-'));
  const agentPath = (await buildFreshBundles()).sim;
  const scenario = await loadScenario(join(SEED, 'scenario.yaml'));
  const profile = loadProfile(join(SEED, 'profile.yaml'));
  const store = openStore(join(dir, 'overreach.db'));
  const device = new SimDevice({ clock: 'virtual', agentPath });
  try {
    await runScenario({
      scenario,
      device,
      store,
      outDir: join(dir, 'out'),
      log: () => undefined,
      analyze: (s, runId) => void analyzeRun(s, runId, { profile }),
    });
  } finally {
    store.close();
    await device.close();
  }
  for (const lang of ['zh', 'en']) {
    const d = captureDeps(dir);
    expect(await runCli(['report', 'latest', '--lang', lang, '--out', `${lang}.html`], d)).toBe(0);
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
    headless: true,
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('zh report in Chromium', () => {
  it('shows the checklist and headings in Chinese, with CJK glyphs drawn (no tofu)', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(dir, 'zh.html')).href, { waitUntil: 'load' });
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('#checklist h2').textContent()).toBe('工信部 164 号文检测项');
    expect(await page.locator('#findings h2').textContent()).toMatch(/^发现的问题 \(\d+\)$/);
    // 3.1.3: violated, with the pop-up's own text as evidence.
    const row = page.locator('#miit-3\\.1\\.3');
    expect(await row.locator('.badge').textContent()).toBe('违规');
    expect(await page.locator('#findings').textContent()).toContain('下载即领 888 元宝');
    // Draw with the page's own font stack: a CJK glyph, another one, and a code point no font has.
    // A string: the test's TypeScript has no DOM types; this runs in the page.
    const glyphs = (await page.evaluate(`(() => {
      const font = '32px ' + getComputedStyle(document.body).fontFamily;
      const draw = (ch) => {
        const c = document.createElement('canvas');
        c.width = 48;
        c.height = 48;
        const g = c.getContext('2d');
        g.font = font;
        g.fillText(ch, 4, 36);
        return Array.from(g.getImageData(0, 0, 48, 48).data).join(',');
      };
      return { gong: draw('工'), jian: draw('检'), none: draw('\\u{10FFFD}') };
    })()`)) as { gong: string; jian: string; none: string };
    expect(glyphs.gong).not.toBe(glyphs.none);
    expect(glyphs.jian).not.toBe(glyphs.none);
    expect(glyphs.gong).not.toBe(glyphs.jian);
    const png = await page.locator('#checklist').screenshot();
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    writeFileSync(join(dir, 'checklist-zh.png'), png);
    await page.close();
  }, 60_000);

  it('keeps English headings in the en report', async () => {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(dir, 'en.html')).href, { waitUntil: 'load' });
    expect(await page.locator('#checklist h2').textContent()).toBe('MIIT 164 checklist');
    expect(await page.locator('#miit-3\\.1\\.3 .badge').textContent()).toBe('violated');
    expect(await page.locator('#miit-1\\.2\\.1 .badge').textContent()).toBe('needs a person');
    await page.close();
  }, 60_000);
});
