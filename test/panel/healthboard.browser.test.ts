// The health board in real Chromium (Debian's, through playwright-core), served by the
// harness with the recorded fault scenario: tile count and order, tile colours taken from the
// theme's status colours (dark and light), keyboard focus order, 500 APIs, no console errors.
import type { Browser, Page } from 'playwright-core';
import { createTheme } from '@grafana/data';
import { launchChromium } from '../../scripts/harness/browser';
import { startHarness, type Harness } from '../../scripts/harness/server';

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

let harness: Harness;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  [harness, browser] = await Promise.all([startHarness(), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
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
    const theme = createTheme({ colors: { mode } });
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
      critical: await rgb(page, theme.colors.error.main),
      warning: await rgb(page, theme.colors.warning.main),
      ok: await rgb(page, theme.colors.success.main),
    };
    for (const t of tiles) {
      expect([t.api, t.border]).toEqual([t.api, expected[t.severity as keyof typeof expected]]);
    }
    const background = await page.$eval(tileSelector, (el) => getComputedStyle(el).backgroundColor);
    expect(background).toBe(await rgb(page, theme.colors.background.secondary));
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
  await page.close();
});

it('shows the tooltip of the hovered tile next to it, and only one', async () => {
  const page = await openBoard('theme=dark');
  for (const api of ['crm-down', 'search']) {
    const tile = page.locator(`[data-api="${api}"]`);
    await tile.hover();
    await page.waitForFunction((name) => document.querySelector('[role="tooltip"]')?.textContent?.startsWith(name), api, { timeout: 10_000 });
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

it('logged no console errors or warnings on any page', () => {
  expect(problems).toEqual([]);
});
