// `npm run screenshots`: the harness in Debian's Chromium, one PNG per view the docs show,
// written to docs/img/. Each shot waits for the panel (or editors) to be ready.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness } from './server';
import { launchChromium } from './browser';

const OUT = join(__dirname, '..', '..', 'docs', 'img');

interface Shot {
  file: string;
  query: string;
  viewport: { width: number; height: number };
  /** Hover this API's tile and wait for the tooltip before the shot. */
  hover?: string;
}

export const SHOTS: Shot[] = [
  { file: 'panel-dark.png', query: 'theme=dark&width=1100&height=640', viewport: { width: 1132, height: 672 } },
  { file: 'panel-light.png', query: 'theme=light&width=1100&height=640', viewport: { width: 1132, height: 672 } },
  {
    file: 'panel-tooltip.png',
    query: 'theme=dark&width=1100&height=640',
    viewport: { width: 1132, height: 672 },
    hover: 'pay-slow',
  },
  { file: 'panel-narrow.png', query: 'theme=dark&width=320&height=720', viewport: { width: 352, height: 752 } },
  {
    file: 'panel-list.png',
    query: 'theme=dark&layout=list&width=1240&height=520',
    viewport: { width: 1272, height: 552 },
  },
  {
    file: 'panel-compact.png',
    query: 'theme=dark&layout=compact&apis=60&width=1100&height=420',
    viewport: { width: 1132, height: 452 },
  },
  {
    file: 'panel-partial.png',
    query: 'theme=light&fixture=partial&width=1100&height=420',
    viewport: { width: 1132, height: 452 },
  },
  {
    file: 'panel-empty.png',
    query: 'theme=dark&fixture=empty&width=600&height=260',
    viewport: { width: 632, height: 292 },
  },
  {
    file: 'panel-missing-fields.png',
    query: 'theme=dark&fixture=foreign&width=600&height=260',
    viewport: { width: 632, height: 292 },
  },
  {
    file: 'panel-error.png',
    query: 'theme=dark&fixture=error&width=600&height=260',
    viewport: { width: 632, height: 292 },
  },
  {
    file: 'datasource-editors.png',
    query: 'theme=dark&view=editors&width=1000',
    viewport: { width: 1032, height: 1400 },
  },
];

async function main() {
  mkdirSync(OUT, { recursive: true });
  const harness = await startHarness();
  const browser = await launchChromium();
  try {
    // `npm run screenshots -- panel-list` redoes only the named shots.
    const only = process.argv.slice(2);
    for (const shot of SHOTS.filter((s) => only.length === 0 || only.some((name) => s.file.startsWith(name)))) {
      const page = await browser.newPage({ viewport: shot.viewport, deviceScaleFactor: 1 });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${harness.url}/?${shot.query}`);
      await page.waitForFunction(() => window.__harness?.ready === true, null, { timeout: 30_000 });
      if (shot.hover) {
        await page.hover(`[data-api="${shot.hover}"]`);
        await page.waitForSelector('[role="tooltip"]', { timeout: 10_000 });
      }
      // Let pickers and fonts settle.
      await page.waitForTimeout(shot.file.startsWith('datasource') ? 1500 : 300);
      const fullPage = shot.file.startsWith('datasource');
      await page.screenshot({ path: join(OUT, shot.file), fullPage });
      await page.close();
      process.stdout.write(`${shot.file}${errors.length ? `  (page errors: ${errors.join('; ')})` : ''}\n`);
    }
  } finally {
    await browser.close();
    await harness.close();
  }
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`screenshots: ${err.message}\n`);
    process.exit(1);
  });
}
