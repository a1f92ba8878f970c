// The health board in real Chromium (Debian's, through playwright-core), served by the
// harness with the recorded fault scenario: tile count and order, tile colours taken from the
// theme's status colours (dark and light), keyboard focus order, 500 APIs, no console errors.
// All of it once per Grafana package set: the page bundled with @grafana/* 13 and React 19, and
// with @grafana/* 12 and React 18 (test/grafana-12).
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../scripts/harness/browser';
import { startHarness, type Harness } from '../../scripts/harness/server';
import { GRAFANA_PACKAGE_SETS, describeSet, packageVersion } from '../helpers/grafana-packages';

const WORST_FIRST = [
  'ad-feed',
  'crm-down',
  'geo-errors',
  'pay-slow',
  'sms-quota',
  'mail-burn',
  'maps',
  'tls-soon',
  'search',
];
const SEVERITIES = ['critical', 'critical', 'critical', 'critical', 'critical', 'warning', 'warning', 'warning', 'ok'];

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe.each(GRAFANA_PACKAGE_SETS.map((set) => [describeSet(set), set] as const))('%s', (_name, packages) => {
  let harness: Harness;
  const problems: string[] = [];

  beforeAll(async () => {
    harness = await startHarness({ packages });
  }, 120_000);

  afterAll(async () => {
    await harness?.close();
  });

  async function openBoard(query: string, viewport = { width: 1240, height: 800 }): Promise<Page> {
    const page = await browser.newPage({ viewport });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') {
        problems.push(`${query}: console.${m.type()}: ${m.text()}`);
      }
    });
    page.on('pageerror', (e) => problems.push(`${query}: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) {
        problems.push(`${query}: HTTP ${r.status()} ${new URL(r.url()).pathname}`);
      }
    });
    await page.goto(`${harness.url}/?${query}`);
    await page.waitForFunction(() => window.__harness?.ready === true, null, { timeout: 30_000 });
    return page;
  }

  const tileSelector = 'ul[aria-label^="API health"] > li > [data-api]';

  /** The browser's own rgb() for a CSS colour, to compare with computed styles. */
  const rgb = (page: Page, color: string) =>
    page.evaluate((c) => {
      const probe = document.createElement('div');
      probe.style.color = c;
      document.body.appendChild(probe);
      const out = getComputedStyle(probe).color;
      probe.remove();
      return out;
    }, color);

  describe.each(['dark', 'light'] as const)('health board, %s theme', (mode) => {
    it('shows every API worst first, each tile bordered in the theme status colour', async () => {
      const page = await openBoard(`theme=${mode}`);
      // The theme the page renders in (createTheme of the set's @grafana/data, which needs a window).
      const colors = await page.evaluate(() => {
        const c = window.__harness.theme.colors;
        return {
          error: c.error.main,
          warning: c.warning.main,
          success: c.success.main,
          tile: c.background.secondary,
          mode: c.mode,
        };
      });
      expect(colors.mode).toBe(mode);
      const tiles = await page.$$eval(tileSelector, (els) =>
        els.map((el) => ({
          api: el.getAttribute('data-api'),
          severity: el.getAttribute('data-severity'),
          border: getComputedStyle(el).borderLeftColor,
        }))
      );
      expect(tiles.map((t) => t.api)).toEqual(WORST_FIRST);
      expect(tiles.map((t) => t.severity)).toEqual(SEVERITIES);
      const expected = {
        critical: await rgb(page, colors.error),
        warning: await rgb(page, colors.warning),
        ok: await rgb(page, colors.success),
      };
      for (const t of tiles) {
        expect([t.api, t.border]).toEqual([t.api, expected[t.severity as keyof typeof expected]]);
      }
      const background = await page.$eval(tileSelector, (el) => getComputedStyle(el).backgroundColor);
      expect(background).toBe(await rgb(page, colors.tile));
      await page.close();
    });
  });

  it('moves keyboard focus through the tiles in board order, with a visible tooltip', async () => {
    const page = await openBoard('theme=dark');
    const focused: Array<string | null> = [];
    for (let i = 0; i < WORST_FIRST.length; i++) {
      await page.keyboard.press('Tab');
      focused.push(await page.evaluate(() => document.activeElement?.getAttribute('data-api') ?? null));
    }
    expect(focused).toEqual(WORST_FIRST);
    await page.waitForSelector('[role="tooltip"]', { timeout: 10_000 });
    expect(await page.textContent('[role="tooltip"]')).toContain('search');
    // Its trigger is an invisible box over the tile, inert with React 18 as with 19.
    expect(
      await page.$eval('ul[aria-label^="API health"] ~ [aria-hidden="true"]', (el) => el.hasAttribute('inert'))
    ).toBe(true);
    await page.close();
  });

  it('shows the tooltip of the hovered tile next to it, and only one', async () => {
    const page = await openBoard('theme=dark');
    for (const api of ['crm-down', 'search']) {
      const tile = page.locator(`[data-api="${api}"]`);
      await tile.hover();
      await page.waitForFunction(
        (name) => document.querySelector('[role="tooltip"]')?.textContent?.startsWith(name),
        api,
        { timeout: 10_000 }
      );
      expect(await page.locator('[role="tooltip"]').count()).toBe(1);
      const t = (await tile.boundingBox())!;
      const tip = (await page.locator('[role="tooltip"]').boundingBox())!;
      // Above or below the tile (8 px away plus the arrow), overlapping it horizontally.
      const gap = Math.min(Math.abs(tip.y + tip.height - t.y), Math.abs(t.y + t.height - tip.y));
      expect(gap).toBeLessThan(20);
      expect(tip.x < t.x + t.width && tip.x + tip.width > t.x).toBe(true);
    }
    await page.mouse.move(5, 5);
    await page.waitForFunction(() => document.querySelector('[role="tooltip"]') === null, null, { timeout: 10_000 });
    await page.close();
  });

  it('renders 500 APIs by the rows in view, and scrolls to the last one', async () => {
    const page = await openBoard('theme=dark&apis=500&height=700');
    const rendered = await page.$$eval(tileSelector, (els) => els.length);
    expect(rendered).toBeGreaterThan(8);
    expect(rendered).toBeLessThan(80);
    expect(await page.getAttribute('ul[aria-label^="API health"] > li', 'aria-setsize')).toBe('500');
    // Scroll the board's own scroller to the end, as a user would.
    await page.$eval('ul[aria-label^="API health"]', (ul) => {
      const scroller = ul.parentElement!;
      scroller.scrollTop = scroller.scrollHeight;
    });
    const last = page.locator('ul[aria-label^="API health"] > li[data-index="499"] > [data-api]');
    await last.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await last.getAttribute('data-severity')).toBe('ok');
    await page.close();
  });

  it('fits a 320 px wide panel without horizontal scrolling', async () => {
    const page = await openBoard('theme=light&width=320', { width: 360, height: 700 });
    const overflow = await page.$eval('ul[aria-label^="API health"]', (el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('renders the query and data source editors', async () => {
    const page = await openBoard('view=editors');
    // Grafana 13's Combobox takes aria-label ("Query kind"); 12's is named by its field label.
    await page.getByRole('combobox', { name: /kind/i }).waitFor({ timeout: 10_000 });
    expect(await page.getByLabel('Generated PromQL').textContent()).toContain('apimon_');
    expect(await page.getByLabel('Prober URL').inputValue()).toBe('http://apimon-prober:9464');
    await page.close();
  });

  it("renders with the set's React", async () => {
    const page = await openBoard('theme=dark');
    expect(await page.evaluate(() => window.__harness.reactVersion)).toBe(packageVersion(packages, 'react'));
    await page.close();
  });

  it('logged no console errors or warnings on any page', () => {
    expect(problems).toEqual([]);
  });
});
