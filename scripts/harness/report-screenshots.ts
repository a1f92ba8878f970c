// `npx tsx scripts/harness/report-screenshots.ts`: the report pictures of docs/reports.md and the
// README, from the month of known history the report tests use (test/helpers/report-month.ts,
// backfilled into a real Prometheus with the recording rules; a few minutes):
// - report-monthly-pdf.png: page 1 of the monthly report's PDF, printed by Chromium (pdftoppm);
// - reports-page.png, reports-incident.png: the app's Reports page in the harness (Grafana 13);
// - snapshot-monthly.png: the monthly dashboard's panels drawn from snapshot frames only.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import {
  buildMonthlyReport,
  createReportProber,
  createReportStore,
  parseIncidentRecord,
  renderMonthlyHtml,
} from '@apimon/core';
import { createFetchTransport } from '../../packages/prober/src/query/transport';
import { findChromium, htmlToPdf } from '../../packages/prober/src/report/pdf';
import {
  DENSE_RANGES,
  HOURLY_RANGES,
  REPORT_MONTH,
  reportMonthOpenMetrics,
  startFakeProber,
  WINDOWS,
} from '../../test/helpers/report-month';
import { startBackfilledStore } from '../../test/helpers/store';
import { launchChromium } from './browser';
import { startHarness } from './server';

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, 'docs', 'img');

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'apimon-report-shots-'));
  const history = join(work, 'history.om');
  const fd = openSync(history, 'w');
  reportMonthOpenMetrics((chunk) => writeSync(fd, chunk));
  closeSync(fd);
  const groups = (
    parse(readFileSync(join(ROOT, 'prometheus', 'recording.yml'), 'utf8')) as { groups: Array<{ name: string }> }
  ).groups;
  const fast = join(work, 'recording-5m.yml');
  const hourly = join(work, 'recording-1h.yml');
  writeFileSync(fast, stringify({ groups: groups.filter((g) => g.name === 'apimon-recording-5m') }));
  // The hourly group and the long one (the dashboard's daily error ratio) over the whole month.
  writeFileSync(hourly, stringify({ groups: groups.filter((g) => g.name !== 'apimon-recording-5m') }));
  const store = await startBackfilledStore({
    openMetrics: { file: history },
    ruleFiles: [join(ROOT, 'prometheus', 'recording.yml')],
    backfillRules: [
      ...DENSE_RANGES.map((r) => ({ files: [fast], ...r })),
      ...HOURLY_RANGES.map((r) => ({ files: [hourly], ...r })),
    ],
    maxBlockDuration: '720h',
  });
  const prober = await startFakeProber();
  const harness = await startHarness({ prometheusUrl: store.url, proberUrl: prober.url });
  const browser = await launchChromium();
  const now = REPORT_MONTH.toMs + 2 * 3_600_000;
  try {
    // The PDF's first page, with one incident's record written (its root cause closes it).
    const transport = createFetchTransport({ prometheusUrl: store.url, proberUrl: prober.url, timeoutMs: 60_000 });
    const record = parseIncidentRecord(
      `api: payments\nfrom: ${new Date(WINDOWS.paymentsErrors.fromMs).toISOString()}\nto: ${new Date(WINDOWS.paymentsErrors.toMs).toISOString()}\nsummary: Card payments failed.\nrootCause: A bad deploy at the provider.\n`,
      'incidents/payments-errors.yaml'
    );
    const report = await buildMonthlyReport({
      month: REPORT_MONTH,
      nowMs: now,
      store: createReportStore(transport),
      prober: createReportProber(transport, true),
      records: record.ok ? [record.record] : [],
    });
    const pdf = join(work, 'report.pdf');
    writeFileSync(pdf, await htmlToPdf(renderMonthlyHtml(report), { chromiumPath: findChromium() }));
    const ppm = spawnSync('pdftoppm', [
      '-png',
      '-r',
      '80',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      pdf,
      join(OUT, 'report-monthly-pdf'),
    ]);
    if (ppm.status !== 0) {
      throw new Error(`pdftoppm: ${ppm.stderr.toString()}`);
    }
    process.stdout.write('report-monthly-pdf.png\n');

    const shot = async (
      file: string,
      query: string,
      prepare?: (page: import('playwright-core').Page) => Promise<void>
    ) => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 960 }, deviceScaleFactor: 1 });
      await page.goto(`${harness.url}/?${query}`);
      await page.waitForFunction(() => window.__harness?.ready === true, null, { timeout: 60_000 });
      await prepare?.(page);
      await page.waitForTimeout(500);
      await page.screenshot({ path: join(OUT, file) });
      await page.close();
      process.stdout.write(`${file}\n`);
    };
    const loaded = async (page: import('playwright-core').Page, title: string) => {
      const frame = await (
        await page.waitForSelector(`iframe[title^="${title}"]`, { timeout: 120_000 })
      ).contentFrame();
      await frame!.waitForSelector('h1');
    };
    await shot('reports-page.png', `view=reports&width=1240&now=${now}&month=${REPORT_MONTH.month}`, (page) =>
      loaded(page, 'Monthly report')
    );
    await shot(
      'reports-incident.png',
      `view=reports&width=1240&now=${now}&kind=incident&month=${REPORT_MONTH.month}`,
      async (page) => {
        await page.getByLabel('Incident', { exact: true }).click({ timeout: 120_000 });
        await page.getByRole('option', { name: /^payments · critical · .* 14:02 UTC/ }).click();
        await loaded(page, 'Incident payments-');
      }
    );
    await shot(
      'snapshot-monthly.png',
      `view=snapshot&width=1240&from=${REPORT_MONTH.fromMs}&to=${REPORT_MONTH.toMs}`,
      async (page) => {
        await page.waitForSelector('[aria-label="Monthly report snapshot"]', { timeout: 60_000 });
      }
    );
  } finally {
    await browser.close();
    await harness.close();
    await prober.stop();
    await store.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`report-screenshots: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
