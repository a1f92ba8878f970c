// The app's Reports page in real Chromium, from the harness bundled with each Grafana package
// set, reading a real Prometheus (the end of last month, with an incident) and a prober API
// through the harness's proxy: the monthly report and an incident report render in their frame
// with their charts, print with the executive summary alone on the first page, and the page logs
// no errors.
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/harness/browser';
import { startHarness, type Harness } from '../../scripts/harness/server';
import { GRAFANA_PACKAGE_SETS, describeSet } from '../helpers/grafana-packages';
import { SMALL_MONTH, startSmallReportStore, type SmallReportStore } from '../helpers/report-small';
import { toolsAvailable } from '../helpers/store';

const NOW = SMALL_MONTH.toMs + 2 * 3_600_000;
const describeStore = toolsAvailable() ? describe : describe.skip;

describeStore('the Reports page in Chromium', () => {
  let browser: Browser;
  let store: SmallReportStore;

  beforeAll(async () => {
    [browser, store] = await Promise.all([launchChromium(), startSmallReportStore()]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await store?.stop();
  });

  describe.each(GRAFANA_PACKAGE_SETS.map((set) => [describeSet(set), set] as const))('%s', (_name, packages) => {
    let harness: Harness;
    const problems: string[] = [];

    beforeAll(async () => {
      harness = await startHarness({ packages, prometheusUrl: store.storeUrl, proberUrl: store.proberUrl });
    }, 120_000);

    afterAll(async () => {
      await harness?.close();
      expect(problems).toEqual([]);
    });

    async function open(query: string): Promise<Page> {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      // Failed requests are recorded with their URL below (the console only says "Failed to load resource").
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
          problems.push(`console.error: ${m.text()}`);
        }
      });
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('response', (r) => {
        const path = new URL(r.url()).pathname;
        // The loading spinner's icon is Grafana's own (public/build/img/icons/unicons/spinner.svg):
        // @grafana/ui does not ship it, so the harness cannot serve it; Grafana does.
        if (r.status() >= 400 && !path.endsWith('/unicons/spinner.svg')) {
          problems.push(`HTTP ${r.status()} ${path}`);
        }
      });
      await page.goto(`${harness.url}/?view=reports&width=1240&now=${NOW}&${query}`);
      await page.waitForFunction(() => window.__harness?.ready === true, null, { timeout: 30_000 });
      return page;
    }

    /** The report's document inside its sandboxed frame, once it has loaded. */
    async function reportFrame(page: Page, title: string): Promise<Frame> {
      const handle = await page.waitForSelector(`iframe[title^="${title}"]`, { timeout: 60_000 });
      const frame = (await handle.contentFrame())!;
      await frame.waitForSelector('h1', { timeout: 30_000 });
      return frame;
    }

    it('shows the monthly report with its charts, and prints the executive summary alone on page one', async () => {
      const page = await open(`month=${SMALL_MONTH.month}`);
      const frame = await reportFrame(page, `Monthly report ${SMALL_MONTH.month}`);
      expect(await frame.textContent('h1')).toMatch(/^Third-party API report: /);
      expect(await frame.locator('svg.chart').count()).toBeGreaterThanOrEqual(5);
      expect(await frame.locator('#api-payments').textContent()).toContain('90.0%');
      // The frame grows to its document: no scrollbar inside the page.
      const [frameHeight, docHeight] = await Promise.all([
        page.$eval(`iframe[title^="Monthly report"]`, (f) => f.getBoundingClientRect().height),
        frame.evaluate(() => document.documentElement.scrollHeight),
      ]);
      expect(frameHeight).toBeGreaterThanOrEqual(docHeight);
      await page.emulateMedia({ media: 'print' });
      const breaks = await frame.evaluate(() => ({
        summary: getComputedStyle(document.querySelector('.summary')!).breakAfter,
        section: getComputedStyle(document.querySelector('section.page')!).breakBefore,
        card: getComputedStyle(document.querySelector('.card')!).breakInside,
      }));
      expect(breaks).toEqual({ summary: 'page', section: 'page', card: 'avoid' });
      await page.close();
    }, 120_000);

    it("lists the month's incident and shows its report", async () => {
      const page = await open(`kind=incident&month=${SMALL_MONTH.month}`);
      await page.getByLabel('Incident', { exact: true }).click({ timeout: 60_000 });
      await page.getByRole('option', { name: /^payments · critical · / }).click();
      const frame = await reportFrame(page, 'Incident payments-');
      expect(await frame.textContent('h1')).toBe('Incident report: payments');
      expect(await frame.locator('table').first().textContent()).toContain('detected (our first alert firing)');
      expect(await frame.locator('svg.chart').count()).toBe(1);
      await page.close();
    }, 120_000);
  });
});
