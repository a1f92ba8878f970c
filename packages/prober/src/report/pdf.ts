// PDF: the report's HTML printed by a real Chromium through playwright-core (no browser is
// downloaded: the system's Chromium or Chrome is used). The page gets the document as it is and
// may fetch nothing: every request is refused, so a report that needed the network would show
// it. A4, the document's own @page rules, backgrounds kept, page numbers in the footer.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export const CHROMIUM_ENV = 'APIMON_CHROMIUM';
/** What the harness and the tests read too. */
const HARNESS_ENV = 'CHROMIUM_PATH';
const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome', 'chrome'];

/** Flags that let Chromium run headless in containers and CI without a sandbox or network noise. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export class ChromiumMissingError extends Error {}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** --chromium, then $APIMON_CHROMIUM, then $CHROMIUM_PATH, then the usual names on the PATH. */
export function findChromium(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const named = explicit ?? env[CHROMIUM_ENV] ?? env[HARNESS_ENV];
  if (named) {
    if (!executable(named)) {
      throw new ChromiumMissingError(
        `Chromium not found at ${named} (from ${explicit ? '--chromium' : env[CHROMIUM_ENV] ? CHROMIUM_ENV : HARNESS_ENV})`
      );
    }
    return named;
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of CANDIDATES) {
      const file = join(dir, name);
      if (executable(file)) {
        return file;
      }
    }
  }
  throw new ChromiumMissingError(
    `PDF needs Chromium or Chrome, and none is on the PATH (${CANDIDATES.join(', ')}): install one (Debian: apt-get install chromium), or name it with --chromium or ${CHROMIUM_ENV}`
  );
}

const FOOTER = `<div style="font: 8px sans-serif; color: #5b6470; width: 100%; padding: 0 12mm; display: flex; justify-content: space-between;">
<span class="title"></span><span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>`;

/** Prints `html` to a PDF (bytes). */
export async function htmlToPdf(html: string, options: { chromiumPath: string }): Promise<Buffer> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: options.chromiumPath, args: CHROMIUM_ARGS, headless: true });
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: FOOTER,
      margin: { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' },
    });
  } finally {
    await browser.close();
  }
}
