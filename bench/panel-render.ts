// First render of the health board with 200 and 500 APIs in Chromium (Debian's, through
// playwright-core), from the harness's recorded scenario scaled up. "First render": from
// root.render() to a laid-out DOM (flushSync + forced layout), on a fresh page (cold: emotion
// inserts every style, the JIT is cold) and as the median of remounts on that page (warm).
// Peer, same run: 200 sparklines drawn as the panel draws them (one SVG path each) against
// @grafana/ui's Sparkline (uPlot on a canvas), which is why the panel draws its own.
//   npx tsx bench/panel-render.ts        (prints a Markdown section for bench/RESULTS.md)
import { loadavg } from 'node:os';
import { launchChromium } from '../scripts/harness/browser';
import { startHarness } from '../scripts/harness/server';

const REMOUNTS = 7;
const IN_APP_PAGES = 5;
const TARGET_200_MS = 100;

const verdict = (ok: boolean) => (ok ? '**met**' : '**not met**');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number) => Math.round(x * 10) / 10;

async function main() {
  const loadBefore = loadavg()
    .map((x) => x.toFixed(2))
    .join(' / ');
  const harness = await startHarness();
  const browser = await launchChromium();
  const measure = async (query: string) => {
    const page = await browser.newPage({ viewport: { width: 1240, height: 840 } });
    await page.goto(`${harness.url}/?${query}`);
    await page.waitForFunction(() => window.__harness?.ready === true, null, { timeout: 60_000 });
    const cold = await page.evaluate(() => window.__harness.renderMs);
    const warm: number[] = [];
    for (let i = 0; i < REMOUNTS; i++) {
      warm.push(await page.evaluate(() => window.__harness.remount()));
    }
    await page.close();
    return { cold: round(cold), warm: round(median(warm)), rounds: warm.map(round) };
  };
  // The panel's first mount on a fresh page where @grafana/ui's editors rendered first, as
  // Grafana's own views have before any panel: median of a few fresh pages.
  const firstInApp = async (query: string) => {
    const runs: number[] = [];
    for (let i = 0; i < IN_APP_PAGES; i++) {
      const page = await browser.newPage({ viewport: { width: 1240, height: 840 } });
      await page.goto(`${harness.url}/?${query}&prelude=editors`);
      await page.waitForFunction(() => window.__harness?.ready === true, null, { timeout: 60_000 });
      runs.push(await page.evaluate(() => window.__harness.renderMs));
      await page.close();
    }
    return round(median(runs));
  };
  try {
    // One throw-away page so the first measured page does not pay Chromium's own warm-up.
    await measure('apis=20&width=1200&height=800');
    const rows: Array<[string, Awaited<ReturnType<typeof measure>> & { inApp: number | null }]> = [];
    for (const [label, query, panel] of [
      ['grid, 200 APIs', 'apis=200&width=1200&height=800', true],
      ['grid, 500 APIs', 'apis=500&width=1200&height=800', true],
      ['list, 500 APIs', 'apis=500&layout=list&width=1200&height=800', true],
      ['compact, 500 APIs', 'apis=500&layout=compact&width=1200&height=800', true],
      ['200 sparklines, SVG path (panel)', 'view=sparklines&impl=svg&apis=200', false],
      ['200 sparklines, @grafana/ui Sparkline', 'view=sparklines&impl=grafana&apis=200', false],
    ] as const) {
      rows.push([label, { ...(await measure(query)), inApp: panel ? await firstInApp(query) : null }]);
    }
    const grid200 = rows[0][1];
    const svg = rows[4][1];
    const uplot = rows[5][1];
    const lines = [
      '## Health-board panel: first render in Chromium',
      '',
      `Reproduce: \`npx tsx bench/panel-render.ts\`. Last run: ${new Date().toISOString()}, Chromium via playwright-core, load average before: ${loadBefore}.`,
      'The harness page renders the real panel (recorded fault scenario, scaled by repeating its 9 APIs) inside',
      "@grafana/ui's dark theme. *cold*: the page's first render (every emotion style inserted, cold JIT);",
      `*warm*: median of ${REMOUNTS} unmount/mount cycles on the same page. From \`root.render\` to a laid-out DOM, ms.`,
      '',
      `*first in app*: the panel's first mount on a fresh page after @grafana/ui's editors rendered there (as Grafana's own views have before any panel mounts), median of ${IN_APP_PAGES} pages.`,
      '',
      '| what | cold ms | first in app ms | warm ms (median) | warm rounds |',
      '|---|---|---|---|---|',
      ...rows.map(([label, r]) => `| ${label} | ${r.cold} | ${r.inApp ?? '–'} | ${r.warm} | ${r.rounds.join(', ')} |`),
      '',
      `Target: first render of 200 APIs ≤ ${TARGET_200_MS} ms: first in app ${verdict(grid200.inApp! <= TARGET_200_MS)} (${grid200.inApp} ms), warm ${verdict(grid200.warm <= TARGET_200_MS)} (${grid200.warm} ms), cold page ${verdict(grid200.cold <= TARGET_200_MS)} (${grid200.cold} ms).`,
      `Sparklines: @grafana/ui Sparkline / SVG path = **${round(uplot.warm / svg.warm)}×** warm (${uplot.warm} vs ${svg.warm} ms for 200).`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
  } finally {
    await browser.close();
    await harness.close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`panel-render bench: ${err.message}\n`);
  process.exit(1);
});
