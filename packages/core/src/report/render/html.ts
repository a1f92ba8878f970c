// The reports as one self-contained HTML document each: inline CSS and SVG, no scripts, nothing
// fetched, every value from data escaped. The CLI writes it to a file and prints it to PDF in
// Chromium; the Grafana Reports page shows the very same document in a sandboxed frame and
// prints it from there. Print rules: A4, the executive summary alone on the first page, each
// section on a new page, tables repeat their header and never split a row, API cards never split.
import type { ApiState } from '../../verdict';
import { change, count, dateTime, duration, latency, monthTitle, percent, pointsChange } from '../format';
import type { IncidentReport, MonthlyApi, MonthlyApiDetail, MonthlyReport } from '../types';
import { escapeHtml as e, safeUrl } from './escape';
import { barChart, CHART_COLORS, lineChart, outcomeChart } from './svg';

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.45 "Inter", "Helvetica Neue", Arial, sans-serif; color: #24292e; background: #fff; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 28px 40px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #e4e7eb; }
h3 { font-size: 15px; margin: 18px 0 8px; }
h4 { font-size: 13px; margin: 0 0 6px; }
p { margin: 6px 0; }
.sub { color: #5b6470; margin: 0 0 14px; }
.kpis { display: grid; grid-template-columns: repeat(6, minmax(0, 1fr)); gap: 8px; margin: 14px 0; }
.kpi { border: 1px solid #e4e7eb; border-radius: 6px; padding: 8px 10px; }
.kpi b { display: block; font-size: 20px; }
.kpi span { color: #5b6470; font-size: 11px; }
.states span { display: inline-block; margin-right: 8px; }
.chip { display: inline-block; padding: 0 7px; border-radius: 9px; color: #fff; font-size: 11px; font-weight: 600; text-transform: uppercase; }
.chip.ok { background: ${CHART_COLORS.ok}; } .chip.warning { background: ${CHART_COLORS.warning}; }
.chip.critical { background: ${CHART_COLORS.critical}; } .chip.unknown { background: ${CHART_COLORS.unknown}; }
ul.highlights { padding-left: 18px; margin: 8px 0 12px; }
table { width: 100%; border-collapse: collapse; margin: 6px 0 12px; font-size: 11px; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid #e4e7eb; vertical-align: top; }
th { background: #f4f5f7; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.bad { color: ${CHART_COLORS.critical}; font-weight: 600; } .warn { color: ${CHART_COLORS.warning}; }
.card { border: 1px solid #e4e7eb; border-radius: 6px; padding: 10px 12px; margin: 10px 0; }
.card .charts { display: flex; gap: 12px; }
.card .charts svg.chart { width: calc(50% - 6px); height: auto; }
.card dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 6px 0; }
.card dt { color: #5b6470; } .card dd { margin: 0; }
.note { background: #fff8e5; border: 1px solid #f2d58a; border-radius: 6px; padding: 8px 12px; margin: 10px 0; }
.todo { background: #fdecee; border: 1px solid #f3b3bb; border-radius: 6px; padding: 8px 12px; }
svg.chart { max-width: 100%; height: auto; }
svg .ct { font: 600 11px sans-serif; fill: #24292e; }
svg .cl { font: 10px sans-serif; fill: #5b6470; }
.method { color: #5b6470; font-size: 12px; }
a { color: #1f60c4; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  main { max-width: none; padding: 0; }
  .summary { break-after: page; }
  section.page { break-before: page; }
  h2, h3, h4 { break-after: avoid; }
  tr, .card, .kpi, svg.chart, .note, .todo { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
`;

function doc(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="apimon">
<title>${e(title)}</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>
`;
}

const chip = (state: ApiState | string) => `<span class="chip ${e(state)}">${e(state)}</span>`;

function table(headers: Array<string | [string, 'n']>, rows: string[][]): string {
  const th = headers.map((h) => (Array.isArray(h) ? `<th class="n">${e(h[0])}</th>` : `<th>${e(h)}</th>`)).join('');
  const numeric = headers.map((h) => Array.isArray(h));
  const body = rows
    .map((r) => `<tr>${r.map((c, i) => `<td${numeric[i] ? ' class="n"' : ''}>${c}</td>`).join('')}</tr>`)
    .join('');
  return `<table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table>`;
}

/** Most APIs an overview chart draws (the worst first). */
const CHART_ROWS = 30;

function availabilityChart(report: MonthlyReport): string {
  const rows = report.apis
    .map((a) => ({ a, d: report.details.find((x) => x.api === a.api)! }))
    .filter(({ a }) => a.availabilityRatio !== null)
    .sort(
      (x, y) =>
        x.a.availabilityRatio! -
        (x.d.availabilityObjective ?? 0) -
        (y.a.availabilityRatio! - (y.d.availabilityObjective ?? 0))
    )
    .slice(0, CHART_ROWS);
  if (rows.length === 0) {
    return '';
  }
  const lowest = Math.min(...rows.map(({ a, d }) => Math.min(a.availabilityRatio!, d.availabilityObjective ?? 1)));
  const min = Math.max(0, Math.floor((lowest - 0.005) * 100) / 100);
  return barChart({
    title: `Availability against each API's objective (red mark)${report.apis.length > CHART_ROWS ? `, the ${CHART_ROWS} furthest below` : ''}`,
    min,
    rows: rows.map(({ a, d }) => ({
      label: a.api,
      value: a.availabilityRatio,
      marker: d.availabilityObjective,
      // Green where the month met the objective: the bar says availability, the state says more.
      color: a.availabilityRatio! >= (d.availabilityObjective ?? 0) ? CHART_COLORS.ok : CHART_COLORS.critical,
      text: percent(a.availabilityRatio),
    })),
  });
}

function summarySection(r: MonthlyReport): string {
  const s = r.summary;
  const kpi = (value: string, label: string) => `<div class="kpi"><b>${e(value)}</b><span>${e(label)}</span></div>`;
  const measured = r.apis.filter((a) => a.availabilityRatio !== null).length;
  const warnings = r.warnings.length
    ? `<div class="note"><b>Notes on this report</b><ul>${r.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul></div>`
    : '';
  return `<section class="summary">
<h1>Third-party API report: ${e(monthTitle(r.month))}</h1>
<p class="sub">${e(dateTime(r.from))} to ${e(dateTime(r.to))} · generated ${e(dateTime(r.generatedAt))} · ${r.source === 'recorded' ? 'from the recording rules' : 'from the raw series'} · ${s.apis} APIs</p>
<h2>Executive summary</h2>
<div class="kpis">
${kpi(`${s.objectivesMet}/${measured}`, 'met their availability objective')}
${kpi(String(s.latencyBreaches.length), 'over their p95 latency threshold')}
${kpi(count(s.failedProbes), `failed of ${count(s.probes)} probes`)}
${kpi(String(s.alertsFired), `alerts fired (${duration(s.alertFiringSeconds)})`)}
${kpi(String(s.providerIncidents), 'provider incidents')}
${kpi(String(s.openPostmortems), 'incidents without a root cause')}
</div>
<p class="states">State over the month: ${(['critical', 'warning', 'ok', 'unknown'] as const).map((st) => `<span>${chip(st)} ${s.byState[st]}</span>`).join('')}</p>
<ul class="highlights">${s.highlights.map((h) => `<li>${e(h)}</li>`).join('')}</ul>
${availabilityChart(r)}
${warnings}
</section>`;
}

function cell(value: string, cls?: 'bad' | 'warn'): string {
  return cls ? `<span class="${cls}">${e(value)}</span>` : e(value);
}

function overviewRow(a: MonthlyApi, d: MonthlyApiDetail): string[] {
  const availBad =
    a.availabilityRatio !== null && d.availabilityObjective !== null && a.availabilityRatio < d.availabilityObjective;
  const p95Bad =
    a.latencyP95Seconds !== null &&
    a.latencyThresholdSeconds !== null &&
    a.latencyP95Seconds > a.latencyThresholdSeconds;
  const hrBad = a.minHeadroomRatio !== null && d.headroomThreshold !== null && a.minHeadroomRatio < d.headroomThreshold;
  return [
    `<a href="#api-${e(a.api)}">${e(a.api)}</a> ${chip(d.state)}`,
    `${cell(percent(a.availabilityRatio), availBad ? 'bad' : undefined)} / ${e(percent(d.availabilityObjective))}`,
    `${cell(latency(a.latencyP95Seconds), p95Bad ? 'bad' : undefined)} / ${e(latency(a.latencyThresholdSeconds))}`,
    cell(duration(a.secondsOverLatencyThreshold), a.secondsOverLatencyThreshold ? 'warn' : undefined),
    e(percent(a.errorRatio)),
    cell(percent(a.minHeadroomRatio), hrBad ? 'bad' : undefined),
    `${a.alertsFired}${a.alertFiringSeconds > 0 ? ` (${e(duration(a.alertFiringSeconds))})` : ''}`,
    String(a.providerIncidents.length),
    d.previous ? e(pointsChange(a.availabilityRatio, d.previous.availabilityRatio)) : '–',
  ];
}

const OVERVIEW_HEADERS: Array<string | [string, 'n']> = [
  'API and state',
  ['availability / objective', 'n'],
  ['p95 / threshold', 'n'],
  ['time over', 'n'],
  ['errors', 'n'],
  ['lowest headroom', 'n'],
  ['alerts', 'n'],
  ['incidents', 'n'],
  ['vs last month', 'n'],
];

function groups(
  r: MonthlyReport
): Array<{ criticality: string; providers: Array<{ provider: string; apis: MonthlyApi[] }> }> {
  const out: Array<{ criticality: string; providers: Array<{ provider: string; apis: MonthlyApi[] }> }> = [];
  for (const a of r.apis) {
    let g = out.find((x) => x.criticality === a.criticality);
    if (!g) {
      g = { criticality: a.criticality, providers: [] };
      out.push(g);
    }
    let p = g.providers.find((x) => x.provider === a.provider);
    if (!p) {
      p = { provider: a.provider, apis: [] };
      g.providers.push(p);
    }
    p.apis.push(a);
  }
  return out;
}

function apisSection(r: MonthlyReport): string {
  const detail = (api: string) => r.details.find((d) => d.api === api)!;
  const parts = ['<section class="page"><h2>APIs by criticality and provider</h2>'];
  for (const g of groups(r)) {
    parts.push(`<h3>${e(g.criticality || 'no criticality')} APIs</h3>`);
    const rows: string[][] = [];
    for (const p of g.providers) {
      rows.push([`<b>${e(p.provider || 'no provider')}</b>`, ...OVERVIEW_HEADERS.slice(1).map(() => '')]);
      for (const a of p.apis) {
        rows.push(overviewRow(a, detail(a.api)));
      }
    }
    parts.push(table(OVERVIEW_HEADERS, rows));
  }
  parts.push('</section><section class="page"><h2>Each API in detail</h2>');
  for (const g of groups(r)) {
    for (const p of g.providers) {
      for (const a of p.apis) {
        parts.push(apiCard(a, detail(a.api)));
      }
    }
  }
  parts.push('</section>');
  return parts.join('\n');
}

function apiCard(a: MonthlyApi, d: MonthlyApiDetail): string {
  const facts: Array<[string, string]> = [
    ['provider, criticality, owner', e([a.provider, a.criticality, d.owner].filter(Boolean).join(', '))],
    ['state', `${chip(d.state)} ${e(d.reasons.join('; '))}`],
    [
      'availability',
      `${e(percent(a.availabilityRatio))} of ${e(count(a.probes))} probes (objective ${e(percent(d.availabilityObjective))})`,
    ],
    [
      'latency',
      `p50 ${e(latency(a.latencyP50Seconds))}, p95 ${e(latency(a.latencyP95Seconds))}, p99 ${e(latency(a.latencyP99Seconds))}; p95 over its ${e(latency(a.latencyThresholdSeconds))} threshold for ${e(duration(a.secondsOverLatencyThreshold))}`,
    ],
    [
      'errors',
      `${e(percent(a.errorRatio))} (${e(count(a.failedProbes))} probes; provider-side ${e(percent(d.providerErrorRatio))})${
        Object.keys(d.errorRatioByOutcome).length
          ? `: ${Object.entries(d.errorRatioByOutcome)
              .map(([o, v]) => `${e(o)} ${e(percent(v))}`)
              .join(', ')}`
          : ''
      }`,
    ],
    [
      'top status codes',
      a.topCodes.length
        ? a.topCodes.map((c) => `${e(c.code)} ${e(c.outcome)} × ${e(count(c.probes))}`).join(', ')
        : 'none failed',
    ],
    [
      'rate limit',
      `lowest headroom ${e(percent(a.minHeadroomRatio))} (minimum ${e(percent(d.headroomThreshold))}); ${e(count(d.rateLimitedProbes))} probes answered 429`,
    ],
    [
      'our alerts',
      a.alertsFired === 0
        ? 'none fired'
        : `${a.alertsFired} fired, ${e(duration(a.alertFiringSeconds))} firing; mean time to detect ${e(duration(d.meanSecondsToDetect))} (pending to firing), to resolve ${e(duration(d.meanSecondsToResolve))}`,
    ],
  ];
  if (d.traffic) {
    facts.push([
      'real traffic',
      `${e(count(d.traffic.requests))} requests, ${e(count(d.traffic.failedRequests))} failed, ${e(count(d.traffic.throttledRequests))} throttled (429); peak use of the documented limit ${e(percent(d.traffic.peakUsageRatio))}`,
    ]);
  }
  if (d.previous) {
    facts.push([
      'vs last month',
      `availability ${e(pointsChange(a.availabilityRatio, d.previous.availabilityRatio))}, p95 ${e(change(a.latencyP95Seconds, d.previous.latencyP95Seconds))}, alerts ${a.alertsFired} (was ${d.previous.alertsFired})${
        d.traffic && d.previous.trafficRequests !== null
          ? `, real traffic ${e(change(d.traffic.requests, d.previous.trafficRequests))}`
          : ''
      }`,
    ]);
  }
  const incidents = a.providerIncidents.length
    ? table(
        ['provider incident', 'impact', 'started', 'resolved', ['duration', 'n']],
        a.providerIncidents.map((i) => {
          const url = safeUrl(i.url);
          return [
            url ? `<a href="${e(url)}">${e(i.title)}</a>` : e(i.title),
            e(i.impact),
            e(dateTime(i.startedAt)),
            i.resolvedAt ? e(dateTime(i.resolvedAt)) : '<span class="bad">open</span>',
            e(duration(i.durationSeconds)),
          ];
        })
      )
    : '';
  const charts = [
    lineChart({
      title: 'p95 latency per day',
      labels: d.daily.days,
      lines: [{ label: 'p95', values: d.daily.latencyP95Seconds }],
      threshold:
        a.latencyThresholdSeconds === null
          ? null
          : { value: a.latencyThresholdSeconds, label: `threshold ${latency(a.latencyThresholdSeconds)}` },
      formatY: latency,
      width: 470,
      height: 130,
    }),
    lineChart({
      title: 'failed probes per day',
      labels: d.daily.days,
      lines: [{ label: 'error ratio', values: d.daily.errorRatio, color: CHART_COLORS.series[1] }],
      threshold:
        d.errorThreshold === null ? null : { value: d.errorThreshold, label: `threshold ${percent(d.errorThreshold)}` },
      formatY: percent,
      width: 470,
      height: 130,
    }),
  ];
  return `<div class="card" id="api-${e(a.api)}">
<h4>${e(a.api)} ${chip(d.state)}</h4>
<dl>${facts.map(([k, v]) => `<dt>${e(k)}</dt><dd>${v}</dd>`).join('')}</dl>
<div class="charts">${charts.join('')}</div>
${incidents}
</div>`;
}

function scalabilitySection(r: MonthlyReport): string {
  const s = r.scalability;
  const parts = ['<section class="page"><h2>Scalability</h2>'];
  if (!s.trafficAvailable) {
    parts.push(
      '<p class="note">No real-traffic data in the store for this month: traffic growth and the forecast against the documented limits need the platform\'s OpenTelemetry HTTP-client metrics (see docs/real-traffic.md).</p>'
    );
  } else {
    parts.push(
      table(
        [
          'API',
          ['requests', 'n'],
          ['vs last month', 'n'],
          ['peak use of limit', 'n'],
          'capacity forecast',
        ],
        s.apis.map((a) => [
          e(a.api),
          e(count(a.requests)),
          e(a.growthRatio === null ? '–' : `${a.growthRatio >= 0 ? '+' : ''}${(a.growthRatio * 100).toFixed(1)}%`),
          cell(
            percent(a.peakUsageRatio),
            (a.peakUsageRatio ?? 0) >= 1 ? 'bad' : (a.peakUsageRatio ?? 0) >= 0.8 ? 'warn' : undefined
          ),
          e(forecastText(a.forecast)),
        ])
      )
    );
    const note = forecastNote(r);
    if (note) {
      parts.push(`<p class="note">${e(note)}</p>`);
    }
    const top = s.apis.slice(0, 6);
    parts.push(
      lineChart({
        title: 'Daily peak use of the documented limit (APIs closest to it)',
        labels: s.days,
        lines: top.map((a) => ({ label: a.api, values: a.dailyPeakUsageRatio })),
        threshold: { value: 1, label: 'limit' },
        formatY: percent,
        width: 900,
        height: 200,
      })
    );
    const busiest = [...s.apis].sort((x, y) => y.requests - x.requests).slice(0, 6);
    parts.push(
      lineChart({
        title: 'Real requests per day (busiest APIs)',
        labels: s.days,
        lines: busiest.map((a) => ({ label: a.api, values: a.dailyRequests })),
        formatY: (v) => count(v),
        width: 900,
        height: 200,
      })
    );
  }
  parts.push('<h3>Rate-limit headroom below the minimum (probes)</h3>');
  parts.push(
    s.headroomBelowMinimum.length === 0
      ? "<p>No API's headroom fell below its catalog minimum this month.</p>"
      : table(
          ['API', ['lowest headroom', 'n'], ['minimum', 'n']],
          s.headroomBelowMinimum.map((h) => [
            e(h.api),
            cell(percent(h.minHeadroomRatio), 'bad'),
            e(percent(h.headroomThreshold)),
          ])
        )
  );
  parts.push('</section>');
  return parts.join('\n');
}

type ReportForecast = MonthlyReport['scalability']['apis'][number]['forecast'];

/** The forecast in words: when the peak reaches the documented limit, and where it is in 30 days. */
export function forecastText(f: ReportForecast): string {
  if (!f) {
    return 'too few days of traffic for a trend';
  }
  const days = f.daysToLimit;
  let when: string;
  if (days === 0) {
    when = f.method === 'recorded' ? 'the weekly peak is at the limit' : 'at the limit';
  } else if (days === null) {
    when = f.atLimit ? 'at the limit on peak days; not growing' : 'flat or falling';
  } else if (f.reachesLimitAt) {
    when = `reaches the limit around ${f.reachesLimitAt.slice(0, 10)} (in ${Math.round(days)} days)`;
  } else {
    when = `not within ${f.horizonDays} days`;
  }
  const predicted = `${percent(f.predictedUsageRatio)} of the limit in ${f.predictedAfterDays} days`;
  return `${when}; ${predicted}${f.method === 'fitted' ? ' (fitted)' : ''}`;
}

/** What the forecast column is made of, under the table. */
export function forecastNote(r: MonthlyReport): string | null {
  const fitted = r.scalability.apis.filter((a) => a.forecast?.method === 'fitted').map((a) => a.api);
  if (r.scalability.apis.length === 0) {
    return null;
  }
  const recorded =
    'The forecast is the capacity forecast of the rate-limits dashboard at the end of the month: the weekly peak of real usage and its linear trend over the last four weeks (recording rules apimon-traffic-forecast).';
  return fitted.length === 0
    ? recorded
    : `${recorded} Marked (fitted): the store has no recorded forecast for ${fitted.join(', ')}, so the report fitted a straight line through this month's daily peaks instead (at least 7 days of traffic).`;
}

function openItemsSection(r: MonthlyReport): string {
  const o = r.openItems;
  const parts = ['<section class="page"><h2>Open items</h2><h3>Incidents without a written root cause</h3>'];
  parts.push(
    o.postmortems.length === 0
      ? '<p>Every incident of the month has an incident record with a root cause.</p>'
      : table(
          ['API', 'severity', 'alerts', 'started', 'resolved', ['firing', 'n'], 'missing'],
          o.postmortems.map((p) => [
            e(p.api),
            e(p.severity),
            e(p.alerts.join(', ')),
            e(dateTime(p.startedAt)),
            e(p.resolvedAt ? dateTime(p.resolvedAt) : 'ongoing'),
            e(duration(p.firingSeconds)),
            p.missing === 'record' ? 'no incident record' : `root cause (${e(p.record)})`,
          ])
        )
  );
  parts.push('<h3>Optimisation and security findings</h3>');
  parts.push(
    o.auditFindings === null
      ? '<p>No audit findings in the store for this month (the prober\'s scheduled audit, <code>prober.audit</code> in the catalog, exports them).</p>'
      : table(
          ['API', 'endpoint', 'finding', 'severity'],
          o.auditFindings.map((f) => [e(f.api), e(f.endpoint), e(f.kind), e(f.severity)])
        )
  );
  parts.push(
    `<h3>How the numbers are made</h3><p class="method">Availability is the share of probes that ended ok; an API's objective is 1 minus its catalog error-rate threshold, and its state is apimon's verdict over the month's numbers. Percentiles come from the probe-duration histograms over the whole month. Time over threshold counts the minutes in which the p95 of the last 5 minutes was above the API's threshold. Alerts come from the store's alert history (ALERTS, GRAFANA_ALERTS): time to detect runs from pending to firing, time to resolve from firing to resolution. Provider incidents are those the prober saw on the provider's status page that touch the API's components.</p>`
  );
  parts.push('</section>');
  return parts.join('\n');
}

export function renderMonthlyHtml(report: MonthlyReport): string {
  return doc(
    `Third-party API report: ${monthTitle(report.month)}`,
    [summarySection(report), apisSection(report), scalabilitySection(report), openItemsSection(report)].join('\n')
  );
}

export function renderIncidentHtml(r: IncidentReport): string {
  const kv: Array<[string, string]> = [
    ['API', `${e(r.api)} (${e([r.provider, r.criticality].filter(Boolean).join(', '))})`],
    ['window', `${e(dateTime(r.from))} to ${e(dateTime(r.to))}`],
    ['started', e(dateTime(r.startedAt))],
    ['detected (our first alert firing)', e(dateTime(r.detectedAt))],
    ['provider first posted', e(dateTime(r.providerPostedAt))],
    [
      'detection lag',
      r.detectionLagSeconds === null
        ? '–'
        : r.detectionLagSeconds >= 0
          ? `we knew ${e(duration(r.detectionLagSeconds))} before the provider posted`
          : `the provider posted ${e(duration(-r.detectionLagSeconds))} before our alert fired`,
    ],
    ['resolved', r.resolvedAt ? e(dateTime(r.resolvedAt)) : '<span class="bad">not resolved in the window</span>'],
    ['duration', e(duration(r.durationSeconds))],
    [
      'impact',
      `${e(count(r.impact.failedProbes))} failed probes${r.impact.failedRequests === null ? '' : `, ${e(count(r.impact.failedRequests))} failed real requests`}`,
    ],
  ];
  if (r.providerTicket) {
    kv.push(['provider ticket', e(r.providerTicket)]);
  }
  const bands: Array<{ from: string; to: string; label: string }> = [];
  let open: string | null = null;
  for (const t of r.timeline.filter((x) => x.source === 'alert')) {
    if (t.kind === 'firing' && open === null) {
      open = t.at;
    } else if (t.kind === 'resolved' && open !== null) {
      bands.push({ from: open, to: t.at, label: 'alert firing' });
      open = null;
    }
  }
  if (open !== null) {
    bands.push({ from: open, to: r.to, label: 'alert firing' });
  }
  const chart = outcomeChart({
    title: `Probes per ${duration(r.outcomes.stepSeconds)} by outcome; red: our alerts firing; blue: the provider's posts`,
    times: r.outcomes.times,
    byOutcome: r.outcomes.byOutcome,
    bands,
    marks: r.timeline.filter((t) => t.source === 'provider').map((t) => ({ at: t.at, label: t.text })),
    width: 900,
    height: 220,
  });
  const timeline = r.timeline.length
    ? table(
        ['time', 'source', 'what', 'detail'],
        r.timeline.map((t) => [e(dateTime(t.at)), e(t.source), e(t.kind), e(t.text)])
      )
    : '<p>Nothing happened in the window: no failed probes, no alerts, no provider posts.</p>';
  const root = r.rootCause
    ? `<p>${e(r.rootCause)}</p>`
    : `<p class="todo">Still to be written: ${r.record ? `the incident record ${e(r.record)} has no root cause yet.` : `no incident record (incidents/${e(r.id)}.yaml) exists yet.`}</p>`;
  const actions = r.correctiveActions.length
    ? table(
        ['action', 'owner', 'due', 'status', 'ticket'],
        r.correctiveActions.map((a) => [
          e(a.action),
          e(a.owner),
          e(a.due),
          a.status === 'done' ? 'done' : '<span class="warn">open</span>',
          e(a.ticket ?? '–'),
        ])
      )
    : `<p class="todo">Still to be written: no corrective actions are recorded.</p>`;
  const warnings = r.warnings.length
    ? `<div class="note"><b>Notes on this report</b><ul>${r.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul></div>`
    : '';
  const body = `<section class="summary">
<h1>Incident report: ${e(r.api)}</h1>
<p class="sub">${e(r.id)} · generated ${e(dateTime(r.generatedAt))}</p>
${r.summary ? `<p>${e(r.summary)}</p>` : ''}
<table><tbody>${kv.map(([k, v]) => `<tr><th>${e(k)}</th><td>${v}</td></tr>`).join('')}</tbody></table>
${chart}
<h2>Root cause</h2>${root}
<h2>Corrective actions</h2>${actions}
${warnings}
</section>
<section class="page"><h2>Timeline</h2>${timeline}</section>`;
  return doc(`Incident report: ${r.api} (${r.id})`, body);
}
