// The monthly report for 50 APIs over a 30-day month, on a real Prometheus holding backfilled
// synthetic history with apimon's recording rules: store time (every query the report makes)
// apart from the time to assemble it and to render each format (HTML, Markdown, JSON, and the PDF
// printed by Chromium). The peer in the same run is the same report read from the raw series.
//
//   npx tsx bench/reports.ts [--apis 50] [--runs 3]
//
// History: the last full month and the day before it, raw series every 10 minutes (a real 15-s
// scrape holds 40 times more raw samples: the raw peer is a lower bound of a real store's cost),
// the hourly recording rules backfilled by promtool over all of it at their own interval, and
// the 1-minute recorded p95 (api:apimon_probe_duration_seconds:p95_rate5m) written directly at
// its real density, 1 sample a minute for the month: from 10-minute raw samples the 5-minute
// rule would record nothing, and it is what "time over threshold" reads. Alert history: every
// fifth API had three alerts in the month.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import {
  assembleMonthlyReport,
  collectMonthly,
  createReportProber,
  createReportStore,
  lastFullMonth,
  RECORDED,
  renderMonthlyHtml,
  renderMonthlyJson,
  renderMonthlyMarkdown,
  TransportError,
  type Transport,
} from '@apimon/core';
import { findChromium, htmlToPdf } from '../packages/prober/src/report/pdf';
import { startBackfilledStore, toolsAvailable } from '../test/helpers/store';
import { writeSyntheticOpenMetrics, type SyntheticAlert, type SyntheticApi } from '../test/helpers/synthetic';

const ROOT = join(__dirname, '..');
const WORK = join(__dirname, '.work', 'reports');
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) {
    return fallback;
  }
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1) {
    process.stderr.write(`bench/reports: --${name} must be a positive whole number\n`);
    process.exit(2);
  }
  return v;
}

const API_COUNT = flag('apis', 50);
const RUNS = flag('runs', 3);
const TARGET_MS = 10_000;
const month = lastFullMonth(Date.now());

function apis(): SyntheticApi[] {
  const criticalities = ['critical', 'standard', 'standard', 'background'] as const;
  const thresholds = {
    critical: { latency: 0.2, errorRatio: 0.01, headroom: 0.2 },
    standard: { latency: 0.5, errorRatio: 0.02, headroom: 0.15 },
    background: { latency: 2, errorRatio: 0.05, headroom: 0.1 },
  };
  return Array.from({ length: API_COUNT }, (_, i) => {
    const criticality = criticalities[i % criticalities.length];
    return {
      api: `api-${String(i).padStart(2, '0')}`,
      provider: `provider-${i % 12}`,
      criticality,
      owner: `team-${i % 5}`,
      endpoint: i % 3 === 0 ? 'read' : 'write',
      thresholds: thresholds[criticality],
      latencySeconds: [0.04, 0.09, 0.15, 0.22, 0.3, 0.45, 0.8][i % 7],
      errorRatio: [0, 0.001, 0.004, 0.01, 0.03][i % 5],
      rateLimit: i % 2 === 0 ? { limit: 1000, remaining: 200 + ((i * 37) % 800), resetSeconds: 600 } : undefined,
      // A fault window in the month for every seventh API.
      windows:
        i % 7 === 0
          ? [
              {
                fromMs: month.fromMs + (3 + i / 7) * DAY,
                toMs: month.fromMs + (3 + i / 7) * DAY + 2 * HOUR,
                errorRatio: 0.5,
              },
            ]
          : undefined,
    };
  });
}

function alerts(list: SyntheticApi[]): SyntheticAlert[] {
  return list
    .filter((_, i) => i % 5 === 0)
    .flatMap((a, i) =>
      [2, 11, 23].map((day) => ({
        alertname: 'ApimonErrorRatioHigh',
        api: a.api,
        provider: a.provider,
        severity: a.criticality === 'critical' ? 'critical' : 'warning',
        pendingFromMs: month.fromMs + day * DAY + i * HOUR,
        firingFromMs: month.fromMs + day * DAY + i * HOUR + 5 * MINUTE,
        resolvedAtMs: month.fromMs + day * DAY + i * HOUR + 50 * MINUTE,
      }))
    );
}

/** The recorded 1-minute p95 per API, as the store's 5-minute group would hold it. */
function writeRecordedP95(list: SyntheticApi[], startMs: number, endMs: number, out: (s: string) => void) {
  for (const a of list) {
    const labels = `{api="${a.api}",provider="${a.provider}"}`;
    let chunk = '';
    for (let t = startMs; t <= endMs; t += MINUTE) {
      const slow = a.windows?.some((w) => t >= w.fromMs && t < w.toMs) ? 2 : 1;
      chunk += `${RECORDED.apiP95Rate5m}${labels} ${(a.latencySeconds * 1.2 * slow).toFixed(6)} ${(t / 1000).toFixed(3)}\n`;
    }
    out(chunk);
  }
}

interface Timed {
  ms: number;
  expr: string;
}

/** The transport of the CLI, timing every store request. */
function timedTransport(url: string, log: Timed[]): Transport {
  return {
    async get(target, path, params) {
      if (target !== 'prometheus') {
        throw new TransportError('no prober in this benchmark', target);
      }
      const t = process.hrtime.bigint();
      // Queries go as POST (long PromQL); the rules API answers GET only.
      const query = path === '/api/v1/query' || path === '/api/v1/query_range';
      const res = query
        ? await fetch(`${url}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams(params).toString(),
          })
        : await fetch(`${url}${path}?${new URLSearchParams(params).toString()}`);
      const body = await res.json();
      log.push({ ms: Number(process.hrtime.bigint() - t) / 1e6, expr: params.query ?? path });
      return body;
    },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

async function main(): Promise<void> {
  if (!toolsAvailable()) {
    process.stderr.write(
      'bench/reports: needs prometheus and promtool on the PATH (Debian: apt-get install prometheus)\n'
    );
    process.exit(2);
  }
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const startMs = month.fromMs - DAY;
  const endMs = month.toMs + 10 * MINUTE;
  const list = apis();

  let t0 = Date.now();
  const file = join(WORK, 'history.om');
  const fd = openSync(file, 'w');
  let lines = 0;
  writeSyntheticOpenMetrics({ apis: list, startMs, endMs, stepMs: 10 * MINUTE, alerts: alerts(list) }, (chunk) => {
    if (chunk === '# EOF\n') {
      writeRecordedP95(list, startMs, endMs, (c) => {
        lines += c.split('\n').length - 1;
        writeSync(fd, c);
      });
    }
    for (let i = chunk.indexOf('\n'); i >= 0; i = chunk.indexOf('\n', i + 1)) {
      lines++;
    }
    writeSync(fd, chunk);
  });
  closeSync(fd);
  process.stdout.write(`history: ${API_COUNT} APIs, ${lines - 1} samples in ${Date.now() - t0} ms\n`);

  const groups = (
    parse(readFileSync(join(ROOT, 'prometheus', 'recording.yml'), 'utf8')) as { groups: Array<{ name: string }> }
  ).groups;
  const hourly = join(WORK, 'recording-1h.yml');
  writeFileSync(hourly, stringify({ groups: groups.filter((g) => g.name === 'apimon-recording-1h') }));
  const middle = Math.floor((startMs + endMs) / 2 / (2 * HOUR)) * 2 * HOUR;
  t0 = Date.now();
  const store = await startBackfilledStore({
    openMetrics: { file },
    ruleFiles: [join(ROOT, 'prometheus', 'recording.yml')],
    backfillRules: [
      { files: [hourly], startMs, endMs: middle },
      { files: [hourly], startMs: middle, endMs },
    ],
    maxBlockDuration: '720h',
    compactionWaitMs: 6 * 60_000,
  });
  rmSync(file);
  process.stdout.write(`backfill (raw + recording rules), start and compaction: ${Date.now() - t0} ms\n`);

  try {
    const before = loadavg();
    const measure = async (useRecordingRules: boolean) => {
      const runs: Array<{ store: number; assemble: number; html: number; md: number; json: number; queries: Timed[] }> =
        [];
      let last: ReturnType<typeof assembleMonthlyReport> | undefined;
      for (let i = 0; i < RUNS; i++) {
        const queries: Timed[] = [];
        const transport = timedTransport(store.url, queries);
        let t = process.hrtime.bigint();
        const inputs = await collectMonthly({
          month,
          nowMs: Date.now(),
          store: createReportStore(transport),
          prober: createReportProber(transport, false),
          useRecordingRules,
        });
        const storeMs = ms(t);
        t = process.hrtime.bigint();
        const report = assembleMonthlyReport(inputs);
        const assemble = ms(t);
        t = process.hrtime.bigint();
        const html = renderMonthlyHtml(report);
        const htmlMs = ms(t);
        t = process.hrtime.bigint();
        renderMonthlyMarkdown(report);
        const md = ms(t);
        t = process.hrtime.bigint();
        renderMonthlyJson(report);
        const json = ms(t);
        runs.push({ store: storeMs, assemble, html: htmlMs, md, json, queries });
        last = report;
        if (i === 0) {
          writeFileSync(join(WORK, `report-${useRecordingRules ? 'recorded' : 'raw'}.html`), html);
        }
      }
      return { runs, report: last! };
    };
    const recorded = await measure(true);
    const raw = await measure(false);
    // The peer must be what it says: the recording rules read in one run, raw series in the other.
    if (recorded.report.source !== 'recorded' || raw.report.source !== 'raw') {
      throw new Error(
        `expected recorded and raw reports, got ${recorded.report.source} and ${raw.report.source}: ${recorded.report.warnings.join('; ')}`
      );
    }
    const chromium = findChromium();
    const pdfTimes: number[] = [];
    let pdfBytes = 0;
    for (let i = 0; i < RUNS; i++) {
      const t = process.hrtime.bigint();
      const pdf = await htmlToPdf(renderMonthlyHtml(recorded.report), { chromiumPath: chromium });
      pdfTimes.push(ms(t));
      pdfBytes = pdf.length;
      writeFileSync(join(WORK, 'report.pdf'), pdf);
    }
    const after = loadavg();
    const m = (r: typeof recorded, k: 'store' | 'assemble' | 'html' | 'md' | 'json') => median(r.runs.map((x) => x[k]));
    const total = (r: typeof recorded) =>
      m(r, 'store') + m(r, 'assemble') + m(r, 'html') + m(r, 'md') + m(r, 'json') + median(pdfTimes);
    const slowest = [...recorded.runs[recorded.runs.length - 1].queries].sort((a, b) => b.ms - a.ms).slice(0, 5);
    const lines = [
      `## Monthly report for ${API_COUNT} APIs over 30 days: store time and rendering time`,
      '',
      `Reproduce: \`npx tsx bench/reports.ts\` (15 to 30 minutes, mostly the backfill and compaction; needs prometheus, promtool and chromium). Run ${new Date().toISOString()} on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'cpu'}, Node ${process.version}, load average before ${before.map((x) => x.toFixed(1)).join(' / ')}, after ${after.map((x) => x.toFixed(1)).join(' / ')} (the machine is shared).`,
      '',
      `The report of ${month.month} (${recorded.report.apis.length} APIs, ${recorded.report.summary.alertsFired} alerts, no prober and no real traffic) as \`apimon report monthly\` builds it: every store query (${recorded.runs[0].queries.length} of them, run side by side as the CLI runs them), then the report assembled and judged, then each format rendered. Median of ${RUNS} runs. History: raw series every 10 minutes (40 times sparser than a real 15-s scrape: the raw column is a lower bound), the hourly recording rules backfilled by promtool at their interval, the 1-minute recorded p95 at its real density, ${(recorded.report.summary.probes / 1e6).toFixed(1)} M probes counted.`,
      '',
      '| stage | with recording rules (ms) | raw series (ms) |',
      '|---|---|---|',
      `| store: every query of the report | ${m(recorded, 'store').toFixed(0)} | ${m(raw, 'store').toFixed(0)} |`,
      `| assemble and judge | ${m(recorded, 'assemble').toFixed(1)} | ${m(raw, 'assemble').toFixed(1)} |`,
      `| render HTML (inline SVG, ${recorded.report.apis.length * 2 + 1} charts) | ${m(recorded, 'html').toFixed(1)} | ${m(raw, 'html').toFixed(1)} |`,
      `| render Markdown | ${m(recorded, 'md').toFixed(1)} | ${m(raw, 'md').toFixed(1)} |`,
      `| render JSON | ${m(recorded, 'json').toFixed(1)} | ${m(raw, 'json').toFixed(1)} |`,
      `| PDF: the HTML printed by Chromium (${(pdfBytes / 1024).toFixed(0)} KiB) | ${median(pdfTimes).toFixed(0)} | |`,
      `| **all formats** | **${total(recorded).toFixed(0)}** | ${total(raw).toFixed(0)} |`,
      '',
      `Target: the monthly report for ${API_COUNT} APIs over 30 days ≤ ${TARGET_MS / 1000} s with the recording rules: ${total(recorded) <= TARGET_MS ? 'met' : 'NOT met'} (${(total(recorded) / 1000).toFixed(1)} s; raw series / recording rules on the store: ${(m(raw, 'store') / m(recorded, 'store')).toFixed(1)}×).`,
      '',
      '<details><summary>slowest store queries, with the recording rules (ms)</summary>',
      '',
      ...slowest.map((q) => `- ${q.ms.toFixed(0)}: \`${q.expr.length > 160 ? `${q.expr.slice(0, 157)}...` : q.expr}\``),
      '',
      '</details>',
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    writeFileSync(join(__dirname, '.work', 'reports-result.md'), lines.join('\n'));
  } finally {
    await store.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench/reports: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
