import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runCli } from '../helpers/cli.js';
import { REPO } from '../helpers/fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
// Outside CI a machine without Debian's chromium skips; in CI its absence is a failure.
const skip = !available && !process.env.CI;
if (skip) console.warn(`html-browser.test.ts skipped: ${CHROMIUM} is absent (apt-get install chromium); CI installs it and runs this test`);

const VIEWPORT = { width: 1280, height: 900 };
const DEMO_COPIES = 30;

function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

interface Layout {
  pageWidth: number;
  pageHeight: number;
  mapHeight: number;
  widestTable: number;
}

/** Where the page's parts lie, in CSS pixels: the identity map from its heading to the findings heading. (A string: the tests compile without DOM types.) */
const LAYOUT = `(() => {
  const top = (id) => document.getElementById(id).getBoundingClientRect().top + window.scrollY;
  const tables = Array.from(document.querySelectorAll('#identities table')).map((t) => t.getBoundingClientRect().right);
  return {
    pageWidth: document.documentElement.scrollWidth,
    pageHeight: document.documentElement.scrollHeight,
    mapHeight: top('findings-heading') - top('identity-map'),
    widestTable: Math.max(0, ...tables),
  };
})()`;

function layout(page: Page): Promise<Layout> {
  return page.evaluate(LAYOUT) as Promise<Layout>;
}

/**
 * Renders a scan as HTML (`args` to the CLI), opens it in Chromium and runs `check` on the page;
 * then screenshots it and checks that it raised no error and fetched nothing from the network.
 */
async function inBrowser(dir: string, args: string[], cwd: string | undefined, check: (page: Page) => Promise<void>): Promise<void> {
  const file = join(dir, 'report.html');
  const run = runCli([...args, '--format', 'html', '--fail-on', 'none'], cwd !== undefined ? { cwd } : {});
  expect(run.status).toBe(0);
  writeFileSync(file, run.stdout);
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href);
    await check(page);
    await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    expect(existsSync(join(dir, 'report.png'))).toBe(true);
    expect(problems).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
  } finally {
    await browser.close();
  }
}

const visibleIdentities = (page: Page) => page.locator('#identities tbody tr:not([hidden])').count();

describe.skipIf(skip)('the HTML report in a real browser', () => {
  it('shows the counts, filters and sorts the findings, and draws the graph without network', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-html-'));
    await inBrowser(dir, ['scan', 'fixtures/demo'], undefined, async (page) => {
      for (const [severity, count] of [['critical', '3'], ['high', '3'], ['medium', '2'], ['low', '2']]) {
        expect(await page.textContent(`#count-${severity}`)).toBe(count);
      }
      const visibleRows = () => page.locator('#findings tbody tr:not([hidden])').count();
      expect(await visibleRows()).toBe(10);

      await page.selectOption('#filter-severity', 'critical');
      expect(await visibleRows()).toBe(3);
      expect(await page.textContent('#shown-count')).toBe('3');
      await page.selectOption('#filter-severity', '');
      await page.fill('#filter-text', 'edge-sync');
      expect(await visibleRows()).toBe(2);
      await page.fill('#filter-text', '');

      await page.click('#findings thead th:nth-child(3)');
      const resources = await page.locator('#findings tbody tr td:nth-child(3)').allTextContents();
      expect(resources).toEqual([...resources].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));

      const meta = await page.textContent('#scan-meta');
      expect(meta).toMatch(/^Scanned\d{4}-\d\d-\d\d \d\d:\d\d UTCpodtrust\d+\.\d+\.\d+\S*Pathsfixtures\/demoCommit/);

      // Six of the demo's eight identities have findings; the other two wait behind the checkbox.
      expect(await page.locator('#identities tbody tr').count()).toBe(8);
      expect(await visibleIdentities(page)).toBe(6);
      await page.check('#identity-all');
      expect(await visibleIdentities(page)).toBe(8);
      await page.uncheck('#identity-all');
      await page.fill('#identity-filter', 'backup');
      expect(await visibleIdentities(page)).toBe(1);
      expect(await page.textContent('#identities tbody tr:not([hidden])')).toContain('AmazonS3FullAccess (broad)');
      expect(await page.textContent('#identity-shown')).toBe('1');
      await page.fill('#identity-filter', '');

      const clusters = await page.locator('details.cluster:not([hidden]) > summary .group-name').allTextContents();
      expect(clusters).toEqual(['shop-prod', '(no cluster)', 'shop-gke-staging']);
      await page.click('details.cluster:not([hidden]) details.graph > summary');
      expect(await page.locator('svg.graph g.node:visible').count()).toBeGreaterThan(5);

      const box = await layout(page);
      expect(box.pageWidth).toBeLessThanOrEqual(VIEWPORT.width);
      expect(box.widestTable).toBeLessThanOrEqual(VIEWPORT.width);
    });
  });

  it(`keeps the identity map of ${DEMO_COPIES} copies of the demo to one screenful of clusters`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-html-estate-'));
    const estate = join(dir, 'estate');
    for (let i = 1; i <= DEMO_COPIES; i++) {
      const copy = join(estate, `copy-${String(i).padStart(2, '0')}`);
      mkdirSync(copy, { recursive: true });
      cpSync(join(REPO, 'fixtures', 'demo'), copy, { recursive: true });
    }
    await inBrowser(dir, ['scan', '.', '--root', '.'], estate, async (page) => {
      const rows = await page.locator('#identities tbody tr').count();
      // Every copy's eight, and more: 30 roles share each ARN, so an annotation naming one by ARN cannot tell which, and those roles also stand alone.
      expect(rows).toBeGreaterThanOrEqual(DEMO_COPIES * 8);
      // Too many identities with findings to show at once: every cluster starts collapsed.
      expect(await page.locator('details.cluster[open]').count()).toBe(0);
      const box = await layout(page);
      expect(box.pageWidth).toBeLessThanOrEqual(VIEWPORT.width);
      // One summary line per cluster with findings (about 34 px each), not a row per identity.
      const groups = await page.locator('details.cluster:not([hidden])').count();
      expect(box.mapHeight).toBeLessThan(200 + groups * 50);
      expect(box.mapHeight).toBeLessThan(3 * VIEWPORT.height);
      // The findings table scrolls in its own box and long lists fold: the page is not a scroll through every finding twice.
      expect(box.pageHeight).toBeLessThan(20 * VIEWPORT.height);

      // Searching opens the clusters that match and shows only their matching rows.
      await page.fill('#identity-filter', 'copy-07/terraform');
      expect(await page.locator('details.cluster:not([hidden])').count()).toBe(1);
      expect(await page.locator('details.cluster[open]').count()).toBe(1);
      expect(await visibleIdentities(page)).toBe(2);
      const opened = await layout(page);
      expect(opened.widestTable).toBeLessThanOrEqual(VIEWPORT.width);
    });
  });
});
