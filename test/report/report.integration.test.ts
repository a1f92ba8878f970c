// The reports against a real Prometheus holding a month of known history (test/helpers/
// report-month.ts, backfilled with promtool, recording rules included), a fake prober API and the
// real CLI: availability, percentiles, time over threshold, alert counts and incident durations
// match the synthetic truth, over the recording rules and over the raw series alike; the PDF is
// printed by real Chromium and its text read back with pdftotext.
import { execFile, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import {
  buildIncidentReport,
  buildMonthlyReport,
  createReportProber,
  createReportStore,
  detectIncidents,
  lastForecast,
  MONTHLY_API_FIELDS,
  RECORDED,
  recordingPasses,
  trafficRecordingGroups,
  type MonthlyReport,
  type RecordingGroup,
} from '@apimon/core';
import { createFetchTransport } from '../../packages/prober/src/query/transport';
import { SYNTHETIC_BUCKETS } from '../helpers/synthetic';
import { startBackfilledStore, toolsAvailable, type BackfilledStore, type PassSet } from '../helpers/store';
import {
  ALERT_TRUTH,
  DENSE_RANGES,
  HISTORY,
  HOURLY_RANGES,
  REPORT_APIS,
  REPORT_MONTH,
  reportMonthOpenMetrics,
  startFakeProber,
  TRAFFIC,
  WINDOWS,
  type FakeProber,
} from '../helpers/report-month';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'packages', 'prober', 'bin', 'apimon.js');
const MINUTE = 60_000;
const DAY = 86_400_000;
const execFileAsync = promisify(execFile);

const pdftotextAvailable = spawnSync('pdftotext', ['-v'], { stdio: 'ignore' }).status === 0;
const describeStore = toolsAvailable() ? describe : describe.skip;

/** Prometheus' histogram_quantile over cumulative bucket counts (linear within a bucket). */
function bucketQuantile(q: number, latencies: Array<{ seconds: number; probes: number }>): number {
  const bounds = [...SYNTHETIC_BUCKETS, Infinity];
  const cumulative = bounds.map((le) => latencies.filter((l) => l.seconds <= le).reduce((n, l) => n + l.probes, 0));
  const total = cumulative[cumulative.length - 1];
  const rank = q * total;
  const i = cumulative.findIndex((c) => c >= rank);
  const start = i === 0 ? 0 : bounds[i - 1];
  const below = i === 0 ? 0 : cumulative[i - 1];
  return start + (bounds[i] - start) * ((rank - below) / (cumulative[i] - below));
}

/**
 * The capacity-forecast chain of the real-traffic rules (the attribution, the per-API rate, the
 * usage, the weekly peak, the forecast), as prometheus/recording.yml has them, in the passes a
 * backfill needs; the other real-traffic rules are left out (nothing here reads them). As if
 * the rules had run for the last 12 days of the month: the usage over those days, the weekly
 * peak and its trend over the last 5 (a month of 1-minute rules in 2-hour blocks, pass after
 * pass, would take minutes to backfill).
 */
const FORECAST_CHAIN: readonly string[] = [
  RECORDED.trafficAttribution,
  RECORDED.trafficRequestsRate5m,
  RECORDED.trafficUsageRate5m,
  RECORDED.trafficUsageMax1w,
  RECORDED.trafficUsageForecast,
  RECORDED.trafficDaysToLimit,
];
const forecastPasses = (): RecordingGroup[][] =>
  recordingPasses(
    trafficRecordingGroups()
      .map((g) => ({ ...g, rules: g.rules.filter((r) => FORECAST_CHAIN.includes(r.record)) }))
      .filter((g) => g.rules.length > 0)
  );

const WEEKLY_PEAK_RULES: readonly string[] = [RECORDED.trafficUsageMax1w, RECORDED.trafficUsageForecast, RECORDED.trafficDaysToLimit];
const forecastPassSets = (): PassSet[] => {
  const passes = forecastPasses();
  const trend = (pass: RecordingGroup[]) => pass.every((g) => g.rules.every((r) => WEEKLY_PEAK_RULES.includes(r.record)));
  return [
    { passes: passes.filter((p) => !trend(p)), startMs: REPORT_MONTH.toMs - 12 * DAY, endMs: HISTORY.endMs },
    { passes: passes.filter(trend), startMs: REPORT_MONTH.toMs - 5 * DAY, endMs: HISTORY.endMs },
  ];
};

/** Probes every API made in the month: 2 per 15 s. */
const PROBES = ((REPORT_MONTH.toMs - REPORT_MONTH.fromMs) / 15_000) * 2;
const windowProbes = (w: { fromMs: number; toMs: number }) => ((w.toMs - w.fromMs) / 15_000) * 2;

/** What each API's month was, from the scenario. */
const TRUTH: Record<
  string,
  {
    failed: number;
    latencies: Array<{ seconds: number; probes: number }>;
    minHeadroom: number | null;
    secondsOver: [number, number];
  }
> = Object.fromEntries(
  REPORT_APIS.map((a) => {
    const slow = a.windows?.filter((w) => w.latencySeconds !== undefined) ?? [];
    const slowProbes = slow.reduce((n, w) => n + windowProbes(w), 0);
    const failing = (a.windows ?? []).reduce((n, w) => n + (w.errorRatio ?? 0) * windowProbes(w), 0);
    const failingProbes = (a.windows ?? []).reduce((n, w) => n + (w.errorRatio !== undefined ? windowProbes(w) : 0), 0);
    const slowSeconds = slow.reduce((n, w) => n + (w.toMs - w.fromMs) / 1000, 0);
    return [
      a.api,
      {
        failed: failing + a.errorRatio * (PROBES - failingProbes),
        latencies: [
          { seconds: a.latencySeconds, probes: PROBES - slowProbes },
          ...slow.map((w) => ({ seconds: w.latencySeconds!, probes: windowProbes(w) })),
        ],
        minHeadroom: a.rateLimit ? a.rateLimit.remaining / a.rateLimit.limit : null,
        // The p95 of the last 5 minutes stays above the threshold up to 5 minutes after the fault.
        secondsOver: slowSeconds > 0 ? [slowSeconds, slowSeconds + 6 * 60] : [0, 0],
      },
    ];
  })
);

describeStore('reports on a real Prometheus with a backfilled month of known history', () => {
  let store: BackfilledStore;
  let prober: FakeProber;
  let work: string;
  const reports: Partial<Record<'recorded' | 'raw', MonthlyReport>> = {};

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'apimon-report-test-'));
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
    writeFileSync(hourly, stringify({ groups: groups.filter((g) => g.name === 'apimon-recording-1h') }));
    store = await startBackfilledStore({
      openMetrics: { file: history },
      ruleFiles: [join(ROOT, 'prometheus', 'recording.yml')],
      backfillRules: [
        ...DENSE_RANGES.map((r) => ({ files: [fast], ...r })),
        ...HOURLY_RANGES.map((r) => ({ files: [hourly], ...r })),
      ],
      backfillPasses: forecastPassSets(),
      maxBlockDuration: '720h',
    });
    rmSync(history);
    prober = await startFakeProber();
  }, 600_000);

  afterAll(async () => {
    await prober?.stop();
    await store?.stop();
    if (work) {
      rmSync(work, { recursive: true, force: true });
    }
  });

  const transport = () => createFetchTransport({ prometheusUrl: store.url, proberUrl: prober.url, timeoutMs: 60_000 });
  const build = async (mode: 'recorded' | 'raw') => {
    reports[mode] ??= await buildMonthlyReport({
      month: REPORT_MONTH,
      nowMs: Date.now(),
      store: createReportStore(transport()),
      prober: createReportProber(transport(), true),
      useRecordingRules: mode === 'recorded',
    });
    return reports[mode]!;
  };

  describe.each(['recorded', 'raw'] as const)('the monthly report read from %s series', (mode) => {
    it('reads the series it says it reads, with nothing left unexplained', async () => {
      const r = await build(mode);
      expect(r.source).toBe(mode);
      expect(r.warnings).toEqual([]);
      // Critical first, then by provider.
      expect(r.apis.map((a) => a.api)).toEqual(['payments', 'crm', 'geocoding', 'sms', 'ads', 'email']);
    });

    // Raw series give the exact counts. The hourly rules are rate(...[1h]) per hour, and rate()
    // extrapolates inside each hour: where this history changes sample density (10 minutes to
    // 15 s around the payments faults) or a fault starts between two coarse samples, an hour is
    // off by a few minutes of probes. A real store scraping every 15 s is off by seconds.
    const counts = mode === 'raw' ? { probes: 0, failed: 0, ratio: 9 } : { probes: 0.001, failed: 0.01, ratio: 3 };

    it.each(REPORT_APIS.map((a) => [a.api]))(
      '%s: probes, failures, availability and error ratio are the truth',
      async (api) => {
        const row = (await build(mode)).apis.find((a) => a.api === api)!;
        const truth = TRUTH[api];
        expect(Math.abs(row.probes - PROBES)).toBeLessThanOrEqual(counts.probes * PROBES);
        expect(Math.abs(row.failedProbes - Math.round(truth.failed))).toBeLessThanOrEqual(
          Math.ceil(counts.failed * truth.failed)
        );
        expect(row.availabilityRatio).toBeCloseTo(1 - truth.failed / PROBES, counts.ratio);
        expect(row.errorRatio).toBeCloseTo(truth.failed / PROBES, counts.ratio);
      }
    );

    it.each(REPORT_APIS.map((a) => [a.api]))(
      '%s: p50, p95 and p99 are the histogram of every probe of the month',
      async (api) => {
        const row = (await build(mode)).apis.find((a) => a.api === api)!;
        const truth = TRUTH[api];
        const digits = mode === 'raw' ? 9 : 6;
        expect(row.latencyP50Seconds).toBeCloseTo(bucketQuantile(0.5, truth.latencies), digits);
        expect(row.latencyP95Seconds).toBeCloseTo(bucketQuantile(0.95, truth.latencies), digits);
        expect(row.latencyP99Seconds).toBeCloseTo(bucketQuantile(0.99, truth.latencies), digits);
        expect(row.latencyThresholdSeconds).toBe(REPORT_APIS.find((a) => a.api === api)!.thresholds.latency);
      }
    );

    it.each(REPORT_APIS.map((a) => [a.api]))(
      '%s: time over the latency threshold and the lowest headroom',
      async (api) => {
        const row = (await build(mode)).apis.find((a) => a.api === api)!;
        const [min, max] = TRUTH[api].secondsOver;
        expect(row.secondsOverLatencyThreshold).toBeGreaterThanOrEqual(min);
        expect(row.secondsOverLatencyThreshold).toBeLessThanOrEqual(max);
        expect(row.minHeadroomRatio === null ? null : Number(row.minHeadroomRatio.toFixed(9))).toBe(
          TRUTH[api].minHeadroom
        );
      }
    );

    it('alerts: how many fired, how long they fired, and how long detection took', async () => {
      const r = await build(mode);
      for (const [api, truth] of Object.entries(ALERT_TRUTH)) {
        const row = r.apis.find((a) => a.api === api)!;
        expect({ api, fired: row.alertsFired, seconds: row.alertFiringSeconds }).toEqual({
          api,
          fired: truth.fired,
          seconds: truth.firingSeconds,
        });
        const detail = r.details.find((d) => d.api === api)!;
        const meanDetect = truth.detectSeconds.length
          ? truth.detectSeconds.reduce((a, b) => a + b, 0) / truth.detectSeconds.length
          : null;
        expect(detail.meanSecondsToDetect).toBe(meanDetect);
      }
    });

    it("provider incidents of each API's components, with their durations; open postmortems; verdicts", async () => {
      const r = await build(mode);
      const pay = r.apis.find((a) => a.api === 'payments')!;
      expect(pay.providerIncidents.map((i) => [i.id, i.durationSeconds])).toEqual([['acme-inc-1', 100 * 60]]);
      const sms = r.apis.find((a) => a.api === 'sms')!;
      expect(sms.providerIncidents.map((i) => [i.id, i.durationSeconds])).toEqual([['textly-1', 22.5 * 3600]]);
      expect(r.openItems.postmortems.map((p) => [p.api, p.alerts.join(), p.missing])).toEqual([
        ['sms', 'ApimonApiDown', 'record'],
        ['payments', 'ApimonErrorRatioHigh', 'record'],
        ['payments', 'ApimonLatencyHigh', 'record'],
      ]);
      // sms lost a day of 30: 96.7 % against a 98 % objective.
      expect(r.summary.objectivesMissed.map((m) => m.api)).toEqual(['sms']);
      expect(r.details.find((d) => d.api === 'sms')!.state).toBe('critical');
      expect(r.details.find((d) => d.api === 'email')!.state).toBe('critical');
      expect(r.details.find((d) => d.api === 'crm')!.state).toBe('ok');
    });

    it("open items list the scheduled audit's findings as the prober exports them, not its inventory", async () => {
      // The history holds apimon_audit_finding as the prober's scheduled audit exports it
      // (test/helpers/synthetic.ts): an auth_method inventory line (info) per API and a
      // plain_http finding per endpoint (the probes went over http).
      const { auditFindings } = (await build(mode)).openItems;
      expect(auditFindings).toEqual(
        REPORT_APIS.map((a) => ({ api: a.api, endpoint: a.endpoint, kind: 'plain_http', severity: 'medium' })).sort(
          (x, y) => x.api.localeCompare(y.api)
        )
      );
    });

    it('scalability: real traffic volume, growth against last month, peak use of the limit and the forecast', async () => {
      const s = (await build(mode)).scalability;
      expect(s.trafficAvailable).toBe(true);
      const pay = s.apis.find((a) => a.api === TRAFFIC.api)!;
      const days = (REPORT_MONTH.toMs - REPORT_MONTH.fromMs) / DAY;
      // Sum over the days of (base + growth * day) requests per second, a day each.
      const requests = 86_400 * (days * TRAFFIC.baseRps + (TRAFFIC.growthRpsPerDay * ((days - 1) * days)) / 2);
      expect(pay.requests / requests).toBeCloseTo(1, 3);
      expect(pay.growthRatio!).toBeCloseTo(requests / days / (TRAFFIC.baseRps * 86_400) - 1, 2);
      const lastDayUsage =
        ((TRAFFIC.baseRps + TRAFFIC.growthRpsPerDay * (days - 1)) * TRAFFIC.windowSeconds) / TRAFFIC.limit;
      expect(pay.peakUsageRatio!).toBeCloseTo(lastDayUsage, 2);
      // Usage grows by 0.01 a day: 1.0 about 51 days after the last day of the month, whichever
      // way the trend is drawn (the recorded weekly peak's, or the line through the daily peaks).
      const usagePerDay = (TRAFFIC.growthRpsPerDay * TRAFFIC.windowSeconds) / TRAFFIC.limit;
      const expected = REPORT_MONTH.toMs - DAY + ((1 - lastDayUsage) / usagePerDay) * DAY;
      const f = pay.forecast!;
      // The traffic steps up once a day. The fitted line runs through the month's daily peaks;
      // the recorded trend through the 5 days of hourly weekly peaks this store has, where the
      // steps tilt a short line's slope a few percent: some days later at 50 days out.
      expect(Math.abs(Date.parse(f.reachesLimitAt!) - expected)).toBeLessThan((mode === 'raw' ? 1.5 : 3.5) * DAY);
      expect(f.predictedUsageRatio).toBeCloseTo(lastDayUsage + 30 * usagePerDay, 1);
      expect(f.daysToLimit! * DAY).toBeCloseTo(Date.parse(f.reachesLimitAt!) - REPORT_MONTH.toMs, -3);
      if (mode === 'recorded') {
        // One forecast: the report's numbers are the recorded series at the month's end, read
        // as the rate-limits dashboard's Capacity forecast panel reads them.
        const panel = async (record: string) => {
          const { result } = await store.instant(lastForecast(record), REPORT_MONTH.toMs / 1000);
          return Number(result.find((x) => x.metric.api === TRAFFIC.api)!.value![1]);
        };
        expect(f.method).toBe('recorded');
        expect(f.predictedUsageRatio).toBe(await panel(RECORDED.trafficUsageForecast));
        expect(f.daysToLimit).toBe(await panel(RECORDED.trafficDaysToLimit));
        expect(f.peakUsageRatio).toBe(await panel(RECORDED.trafficUsageMax1w));
        expect(f.slopePerDay).toBeNull();
      } else {
        // --raw reads no recording rule: the report's own line through the daily peaks.
        expect(f.method).toBe('fitted');
        expect(f.slopePerDay!).toBeCloseTo(usagePerDay, 6);
      }
      expect(s.headroomBelowMinimum.map((h) => h.api)).toEqual(['email']);
    });
  });

  it("recording rules and raw series give the same report (within the hourly rules' extrapolation)", async () => {
    const [rec, raw] = [await build('recorded'), await build('raw')];
    for (const a of rec.apis) {
      const b = raw.apis.find((x) => x.api === a.api)!;
      for (const key of MONTHLY_API_FIELDS) {
        const [x, y] = [a[key], b[key]];
        if (typeof x === 'number' && typeof y === 'number') {
          // Time over the threshold: the recorded p95 is evaluated at its own offset in the minute.
          const close =
            key === 'secondsOverLatencyThreshold'
              ? Math.abs(x - y) <= 120
              : Math.abs(x - y) <= 0.01 * Math.max(Math.abs(y), 1e-3);
          expect({ api: a.api, key, value: x, close }).toEqual({ api: a.api, key, value: x, close: true });
        } else if (key !== 'topCodes') {
          expect({ api: a.api, key, value: x }).toEqual({ api: a.api, key, value: y });
        }
      }
    }
  });

  it('an incident report: timeline, detection against the provider, duration and impact', async () => {
    const w = WINDOWS.paymentsErrors;
    const r = await buildIncidentReport({
      api: 'payments',
      fromMs: w.fromMs - 30 * MINUTE,
      toMs: w.toMs + 60 * MINUTE,
      nowMs: Date.now(),
      store: createReportStore(transport()),
      prober: createReportProber(transport(), true),
    });
    const iso = (ms: number) => new Date(ms).toISOString();
    expect(r).toMatchObject({
      api: 'payments',
      provider: 'acme-pay',
      criticality: 'critical',
      detectedAt: iso(w.fromMs + 7 * MINUTE),
      providerPostedAt: iso(w.fromMs + 20 * MINUTE),
      resolvedAt: iso(w.toMs + 4 * MINUTE),
      detectionLagSeconds: 13 * 60,
      impact: { failedProbes: 0.3 * windowProbes(w) },
      rootCause: null,
    });
    // The probes' first failing minute holds the fault's first sample.
    expect(Math.abs(Date.parse(r.startedAt!) - w.fromMs)).toBeLessThanOrEqual(MINUTE);
    expect(Math.abs(r.durationSeconds! - (w.toMs + 4 * MINUTE - w.fromMs) / 1000)).toBeLessThanOrEqual(60);
    // Real requests: 0.5 % fail all month (under the API's 1 % threshold: not failing), 20 % during the fault.
    const perMinute = (TRAFFIC.baseRps + TRAFFIC.growthRpsPerDay * 9) * 60;
    // The window's minutes outside the fault (13:31-13:59, 16:00-17:00) and in it (14:00-15:59).
    const [outside, inside] = [29 + 61, 120];
    expect(r.impact.failedRequests).toBe(
      Math.round(perMinute * (outside * TRAFFIC.errorRatio + inside * TRAFFIC.incidentErrorRatio))
    );
    const hm = (ms: number) => iso(ms).slice(11, 16);
    expect(r.timeline.map((t) => [t.at.slice(11, 16), t.source, t.kind])).toEqual([
      [hm(w.fromMs - MINUTE), 'probes', 'failing'],
      [hm(w.fromMs - MINUTE), 'traffic', 'failing'],
      [hm(w.fromMs + 2 * MINUTE), 'alert', 'pending'],
      [hm(w.fromMs + 7 * MINUTE), 'alert', 'firing'],
      [hm(w.fromMs + 20 * MINUTE), 'provider', 'investigating'],
      [hm(w.fromMs + 40 * MINUTE), 'provider', 'identified'],
      [hm(w.toMs - MINUTE), 'traffic', 'recovered'],
      [hm(w.toMs), 'probes', 'recovered'],
      [hm(w.toMs), 'provider', 'resolved'],
      [hm(w.toMs + 4 * MINUTE), 'alert', 'resolved'],
    ]);
  });

  it('--detect finds the incidents of the month: the windows where critical and warning alerts fired', async () => {
    const windows = await detectIncidents(createReportStore(transport()), {
      fromMs: REPORT_MONTH.fromMs,
      toMs: REPORT_MONTH.toMs,
      minFiringMs: 5 * MINUTE,
    });
    expect(windows.map((w) => [w.api, w.severity, w.firingSeconds])).toEqual([
      ['sms', 'warning', ALERT_TRUTH.sms.firingSeconds],
      [
        'payments',
        'critical',
        (WINDOWS.paymentsErrors.toMs + 4 * MINUTE - (WINDOWS.paymentsErrors.fromMs + 7 * MINUTE)) / 1000,
      ],
      [
        'payments',
        'critical',
        (WINDOWS.paymentsSlow.toMs + 4 * MINUTE - (WINDOWS.paymentsSlow.fromMs + 8 * MINUTE)) / 1000,
      ],
    ]);
  });

  describe('the CLI', () => {
    const cli = async (args: string[]) => {
      try {
        const { stdout, stderr } = await execFileAsync(process.execPath, [CLI, ...args], {
          cwd: work,
          timeout: 180_000,
          maxBuffer: 32 << 20,
        });
        return { code: 0, stdout, stderr };
      } catch (err) {
        const e = err as { code?: number; stdout?: string; stderr?: string };
        return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
      }
    };

    it('writes the monthly report in every format; the PDF is printed by Chromium and reads back right', async () => {
      const out = join(work, 'monthly');
      const { code, stdout, stderr } = await cli([
        'report',
        'monthly',
        '--month',
        REPORT_MONTH.month,
        '--prometheus',
        store.url,
        '--prober',
        prober.url,
        '--out',
        out,
      ]);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      const base = `apimon-report-${REPORT_MONTH.month}`;
      expect(readdirSync(out).sort()).toEqual([`${base}.html`, `${base}.json`, `${base}.md`, `${base}.pdf`]);
      expect(stdout.trim().split('\n')).toHaveLength(4);
      const json = JSON.parse(readFileSync(join(out, `${base}.json`), 'utf8')) as MonthlyReport;
      expect(json.apis.find((a) => a.api === 'sms')!.failedProbes / TRUTH.sms.failed).toBeCloseTo(1, 1);
      expect(json.source).toBe('recorded');
      const pdf = join(out, `${base}.pdf`);
      expect(readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
      if (!pdftotextAvailable) {
        return;
      }
      const text = (first?: number, last?: number) =>
        spawnSync('pdftotext', [...(first ? ['-f', String(first), '-l', String(last)] : []), '-layout', pdf, '-'], {
          encoding: 'utf8',
        }).stdout;
      const pageOne = text(1, 1);
      expect(pageOne).toContain('Executive summary');
      expect(pageOne).toContain('5/6');
      expect(pageOne).toContain('sms: availability 96.7%, objective 98.0%.');
      expect(pageOne).not.toContain('APIs by criticality and provider');
      const all = text();
      expect(all).toContain('APIs by criticality and provider');
      expect(all).toContain('Elevated <b>error</b> rates on the Charges API');
      expect(all).toMatch(/Optimisation and security findings[\s\S]*payments\s+charges\s+plain_http\s+medium/);
      const pages = (spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout.match(/Pages:\s+(\d+)/) ?? [])[1];
      expect(Number(pages)).toBeGreaterThanOrEqual(4);
    }, 240_000);

    it('an incident report with its record; --detect as JSON lines; mistakes exit 2 naming the flag', async () => {
      const records = join(work, 'incidents');
      const recordFile = join(work, 'pay.yaml');
      writeFileSync(
        recordFile,
        `api: payments\nfrom: ${new Date(WINDOWS.paymentsErrors.fromMs - 30 * MINUTE).toISOString()}\nto: ${new Date(WINDOWS.paymentsErrors.toMs + 60 * MINUTE).toISOString()}\nsummary: Card payments failed.\nrootCause: A bad deploy at the provider.\ncorrectiveActions:\n  - { action: Retry 5xx with backoff, owner: payments-team, due: 2027-01-15 }\n`
      );
      const out = join(work, 'incident');
      const r = await cli([
        'report',
        'incident',
        '--record',
        recordFile,
        '--prometheus',
        store.url,
        '--prober',
        prober.url,
        '--out',
        out,
        '--format',
        'json,md',
        '--incidents',
        records,
      ]);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      const json = JSON.parse(readFileSync(join(out, 'incident-pay.json'), 'utf8'));
      expect(json).toMatchObject({
        api: 'payments',
        rootCause: 'A bad deploy at the provider.',
        correctiveActions: [{ owner: 'payments-team', due: '2027-01-15', status: 'open' }],
      });
      expect(readFileSync(join(out, 'incident-pay.md'), 'utf8')).toContain(
        '## Root cause\n\nA bad deploy at the provider.'
      );

      const detect = await cli([
        'report',
        'incident',
        '--detect',
        '--prometheus',
        store.url,
        '--from',
        REPORT_MONTH.month + '-01',
        '--to',
        new Date(REPORT_MONTH.toMs).toISOString(),
        '--json',
      ]);
      expect(detect.code).toBe(0);
      expect(
        detect.stdout
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).api)
      ).toEqual(['sms', 'payments', 'payments']);

      const bad = await cli([
        'report',
        'incident',
        '--api',
        'payments',
        '--from',
        'yesterday',
        '--to',
        '2026-11-10',
        '--prometheus',
        store.url,
        '--out',
        out,
      ]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/^apimon report: --from: "yesterday" is not a time/);
      writeFileSync(join(work, 'broken.yaml'), 'api: payments\nfrom: 2026-11-10\nto: 2026-11-11\nsumary: typo\n');
      const broken = await cli([
        'report',
        'incident',
        '--record',
        join(work, 'broken.yaml'),
        '--prometheus',
        store.url,
        '--out',
        out,
      ]);
      expect(broken.code).toBe(2);
      expect(broken.stderr).toContain('broken.yaml:4:1: sumary: unknown field "sumary"; did you mean "summary"?');
    }, 240_000);
  });
});
