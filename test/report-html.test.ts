// The HTML report in headless Chromium: it renders, has no console errors, loads nothing
// external, and a run full of markup and script (ingested through the real path) executes none.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../harness/cli/program.ts';
import { openStore } from '../harness/store/store.ts';
import { createDemoRun, HOSTILE } from './fixtures/reports/demo-run.ts';
import { captureDeps } from './helpers/cli.ts';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let dir: string;
let browser: Browser;
let categories: { plain: number; hostile: number };

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  dir = mkdtempSync(join(tmpdir(), 'overreach-report-html-'));
  const store = openStore(join(dir, 'overreach.db'));
  const plain = await createDemoRun(store, { tracePath: join(dir, 'plain.jsonl') });
  const hostile = await createDemoRun(store, { tracePath: join(dir, 'hostile.jsonl'), hostile: true });
  const count = (run: number) =>
    store.db
      .prepare<[number], number>('SELECT count(DISTINCT category_id) FROM events WHERE run_id = ?')
      .pluck()
      .get(run)!;
  categories = { plain: count(plain), hostile: count(hostile) };
  store.close();
  for (const [run, file] of [
    [String(plain), 'plain.html'],
    ['latest', 'hostile.html'],
  ] as const) {
    const d = captureDeps(dir);
    expect(await runCli(['report', run, '--format', 'html', '--out', file], d)).toBe(0);
    expect(d.err()).toBe('');
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function open(file: string) {
  const page = await browser.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  const url = pathToFileURL(join(dir, file)).href;
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors, requests, url };
}

describe('HTML report in Chromium', () => {
  it('renders title, findings count and one timeline row per accessed category, without console errors', async () => {
    const { page, errors, requests, url } = await open('plain.html');
    expect(await page.title()).toBe('Overreach report: Example Shop (run 1)');
    expect(await page.locator('#findings-count').isVisible()).toBe(true);
    expect(await page.locator('#findings-count').textContent()).toBe('5');
    expect(await page.locator('details.finding').count()).toBe(5);
    expect(await page.locator('svg.timeline').count()).toBe(1);
    expect(await page.locator('svg.timeline g.cat-row').count()).toBe(categories.plain);
    expect(await page.locator('svg.timeline g.step-marker').count()).toBe(5);
    expect(await page.locator('svg.timeline g.phase-band').count()).toBeGreaterThanOrEqual(3);
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toBe("default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    // Stacks are collapsed until opened; opening one shows its frames.
    const stack = page.locator('details.stack').first();
    expect(await stack.locator('pre').isVisible()).toBe(false);
    await stack.locator('summary').click();
    expect(await stack.locator('pre').isVisible()).toBe(true);
    expect(await stack.locator('pre').textContent()).toContain('com.umeng.commonsdk');
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    await page.close();
  });

  it('executes none of the markup and script an app put into its strings, and shows it literally', async () => {
    const { page, errors, requests, url } = await open('hostile.html');
    expect(
      await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();
    expect(await page.locator('script, iframe, img, object, embed').count()).toBe(0);
    expect(await page.locator('[onerror], [onload], [src], [href]').count()).toBe(0);
    expect(await page.locator('svg').count()).toBe(1);
    expect(await page.locator('style').count()).toBe(1);
    expect(await page.locator('svg.timeline g.cat-row').count()).toBe(categories.hostile);
    // Visible text: app label in the heading, step labels in the Steps table.
    expect(await page.locator('h1').isVisible()).toBe(true);
    expect(await page.locator('h1').textContent()).toBe(`Shop ${HOSTILE[0]} ${HOSTILE[3]}`);
    expect(await page.locator('#steps table').isVisible()).toBe(true);
    const steps = (await page.locator('#steps').textContent()) ?? '';
    for (const s of HOSTILE.slice(0, 5)) expect(steps).toContain(s);
    // Arguments, results, thread names, stack frames, details: present as text in the document.
    const text = (await page.locator('body').textContent()) ?? '';
    for (const s of HOSTILE) expect(text).toContain(s);
    expect(text).toContain(`App.onCreate(App.java:27) ${HOSTILE[1]}`);
    expect(text).toContain(`main ${HOSTILE[2]}`);
    expect(text).toContain(`{"slot":0} ${HOSTILE[0]}`);
    await page.locator('details.stack').first().locator('summary').click();
    expect(
      await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned),
    ).toBeUndefined();
    expect(errors).toEqual([]);
    expect(requests).toEqual([url]);
    await page.close();
  });
});
