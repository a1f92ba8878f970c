// The reports as Markdown, for a wiki page, a ticket or a pull request: the HTML's content
// without the charts, every value from data escaped so it cannot break a table or add markup.
import { change, count, dateTime, duration, latency, monthTitle, percent, pointsChange } from '../format';
import type { IncidentReport, MonthlyReport } from '../types';
import { escapeMarkdown as m } from './escape';
import { forecastNote, forecastText } from './html';

function table(headers: string[], rows: string[][], numeric: boolean[] = []): string {
  const align = headers.map((_, i) => (numeric[i] ? '---:' : '---'));
  return [`| ${headers.join(' | ')} |`, `| ${align.join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join(
    '\n'
  );
}

export function renderMonthlyMarkdown(r: MonthlyReport): string {
  const s = r.summary;
  const out: string[] = [];
  const measured = r.apis.filter((a) => a.availabilityRatio !== null).length;
  out.push(`# Third-party API report: ${monthTitle(r.month)}`);
  out.push('');
  out.push(
    `${dateTime(r.from)} to ${dateTime(r.to)} · generated ${dateTime(r.generatedAt)} · ${r.source === 'recorded' ? 'from the recording rules' : 'from the raw series'} · ${s.apis} APIs`
  );
  out.push('', '## Executive summary', '');
  out.push(
    `- **${s.objectivesMet}/${measured}** APIs met their availability objective; **${s.latencyBreaches.length}** were over their p95 latency threshold.`,
    `- **${count(s.failedProbes)}** of ${count(s.probes)} probes failed; **${s.alertsFired}** alerts fired (${duration(s.alertFiringSeconds)}).`,
    `- **${s.providerIncidents}** provider incidents; **${s.openPostmortems}** incidents without a written root cause.`,
    `- State over the month: ${s.byState.critical} critical, ${s.byState.warning} warning, ${s.byState.ok} ok, ${s.byState.unknown} unknown.`
  );
  out.push('');
  for (const h of s.highlights) {
    out.push(`- ${m(h)}`);
  }
  if (r.warnings.length) {
    out.push('', '> **Notes on this report**');
    for (const w of r.warnings) {
      out.push(`> - ${m(w)}`);
    }
  }
  out.push('', '## APIs by criticality and provider');
  const crits = [...new Set(r.apis.map((a) => a.criticality))];
  for (const c of crits) {
    out.push('', `### ${m(c || 'no criticality')} APIs`, '');
    out.push(
      table(
        [
          'API',
          'provider',
          'state',
          'availability / objective',
          'p50 · p95 · p99',
          'p95 threshold',
          'time over',
          'errors',
          'lowest headroom',
          'alerts',
          'incidents',
          'vs last month',
        ],
        r.apis
          .filter((a) => a.criticality === c)
          .map((a) => {
            const d = r.details.find((x) => x.api === a.api)!;
            return [
              m(a.api),
              m(a.provider),
              d.state,
              `${percent(a.availabilityRatio)} / ${percent(d.availabilityObjective)}`,
              `${latency(a.latencyP50Seconds)} · ${latency(a.latencyP95Seconds)} · ${latency(a.latencyP99Seconds)}`,
              latency(a.latencyThresholdSeconds),
              duration(a.secondsOverLatencyThreshold),
              percent(a.errorRatio),
              percent(a.minHeadroomRatio),
              `${a.alertsFired}${a.alertFiringSeconds > 0 ? ` (${duration(a.alertFiringSeconds)})` : ''}`,
              String(a.providerIncidents.length),
              d.previous ? pointsChange(a.availabilityRatio, d.previous.availabilityRatio) : '–',
            ];
          }),
        [false, false, false, true, true, true, true, true, true, true, true, true]
      )
    );
  }
  out.push('', '## Each API in detail');
  for (const a of r.apis) {
    const d = r.details.find((x) => x.api === a.api)!;
    out.push('', `### ${m(a.api)} (${d.state})`, '');
    out.push(
      `- ${m([a.provider, a.criticality, d.owner].filter(Boolean).join(', '))}${d.reasons.length ? `: ${m(d.reasons.join('; '))}` : ''}`
    );
    out.push(
      `- Availability ${percent(a.availabilityRatio)} of ${count(a.probes)} probes (objective ${percent(d.availabilityObjective)})`
    );
    out.push(
      `- Latency p50 ${latency(a.latencyP50Seconds)}, p95 ${latency(a.latencyP95Seconds)}, p99 ${latency(a.latencyP99Seconds)}; over the ${latency(a.latencyThresholdSeconds)} threshold for ${duration(a.secondsOverLatencyThreshold)}`
    );
    const byOutcome = Object.entries(d.errorRatioByOutcome).map(([o, v]) => `${m(o)} ${percent(v)}`);
    out.push(
      `- Errors ${percent(a.errorRatio)} (${count(a.failedProbes)} probes)${byOutcome.length ? `: ${byOutcome.join(', ')}` : ''}`
    );
    if (a.topCodes.length) {
      out.push(
        `- Top status codes: ${a.topCodes.map((c) => `${m(c.code)} ${m(c.outcome)} × ${count(c.probes)}`).join(', ')}`
      );
    }
    out.push(
      `- Rate limit: lowest headroom ${percent(a.minHeadroomRatio)} (minimum ${percent(d.headroomThreshold)}), ${count(d.rateLimitedProbes)} probes answered 429`
    );
    out.push(
      a.alertsFired === 0
        ? '- Our alerts: none fired'
        : `- Our alerts: ${a.alertsFired} fired, ${duration(a.alertFiringSeconds)} firing; mean time to detect ${duration(d.meanSecondsToDetect)}, to resolve ${duration(d.meanSecondsToResolve)}`
    );
    if (d.traffic) {
      out.push(
        `- Real traffic: ${count(d.traffic.requests)} requests, ${count(d.traffic.failedRequests)} failed, ${count(d.traffic.throttledRequests)} throttled; peak use of the documented limit ${percent(d.traffic.peakUsageRatio)}`
      );
    }
    if (d.previous) {
      out.push(
        `- Vs last month: availability ${pointsChange(a.availabilityRatio, d.previous.availabilityRatio)}, p95 ${change(a.latencyP95Seconds, d.previous.latencyP95Seconds)}, alerts ${a.alertsFired} (was ${d.previous.alertsFired})`
      );
    }
    for (const i of a.providerIncidents) {
      out.push(
        `- Provider incident: ${m(i.title)} (${m(i.impact)}), ${dateTime(i.startedAt)} to ${i.resolvedAt ? dateTime(i.resolvedAt) : 'open'}, ${duration(i.durationSeconds)}`
      );
    }
  }
  out.push('', '## Scalability', '');
  const sc = r.scalability;
  if (!sc.trafficAvailable) {
    out.push(
      "No real-traffic data in the store for this month: traffic growth and the forecast against the documented limits need the platform's OpenTelemetry HTTP-client metrics (docs/real-traffic.md)."
    );
  } else {
    out.push(
      table(
        ['API', 'requests', 'vs last month', 'peak use of limit', 'capacity forecast'],
        sc.apis.map((a) => [
          m(a.api),
          count(a.requests),
          a.growthRatio === null ? '–' : `${a.growthRatio >= 0 ? '+' : ''}${(a.growthRatio * 100).toFixed(1)}%`,
          percent(a.peakUsageRatio),
          m(forecastText(a.forecast)),
        ]),
        [false, true, true, true, false]
      )
    );
    const note = forecastNote(r);
    if (note) {
      out.push('', m(note));
    }
  }
  out.push('', '### Rate-limit headroom below the minimum (probes)', '');
  out.push(
    sc.headroomBelowMinimum.length === 0
      ? "No API's headroom fell below its catalog minimum this month."
      : table(
          ['API', 'lowest headroom', 'minimum'],
          sc.headroomBelowMinimum.map((h) => [m(h.api), percent(h.minHeadroomRatio), percent(h.headroomThreshold)]),
          [false, true, true]
        )
  );
  out.push('', '## Open items', '', '### Incidents without a written root cause', '');
  const o = r.openItems;
  out.push(
    o.postmortems.length === 0
      ? 'Every incident of the month has an incident record with a root cause.'
      : table(
          ['API', 'severity', 'alerts', 'started', 'resolved', 'firing', 'missing'],
          o.postmortems.map((p) => [
            m(p.api),
            m(p.severity),
            m(p.alerts.join(', ')),
            dateTime(p.startedAt),
            p.resolvedAt ? dateTime(p.resolvedAt) : 'ongoing',
            duration(p.firingSeconds),
            p.missing === 'record' ? 'no incident record' : `root cause (${m(p.record)})`,
          ])
        )
  );
  out.push('', '### Optimisation and security findings', '');
  out.push(
    o.auditFindings === null
      ? "No audit findings in the store for this month (the prober's scheduled audit, `prober.audit` in the catalog, exports them)."
      : table(
          ['API', 'endpoint', 'finding', 'severity'],
          o.auditFindings.map((f) => [m(f.api), m(f.endpoint), m(f.kind), m(f.severity)])
        )
  );
  out.push('');
  return out.join('\n');
}

export function renderIncidentMarkdown(r: IncidentReport): string {
  const out: string[] = [];
  out.push(`# Incident report: ${m(r.api)}`, '', `${m(r.id)} · generated ${dateTime(r.generatedAt)}`, '');
  if (r.summary) {
    out.push(m(r.summary), '');
  }
  const lag =
    r.detectionLagSeconds === null
      ? '–'
      : r.detectionLagSeconds >= 0
        ? `we knew ${duration(r.detectionLagSeconds)} before the provider posted`
        : `the provider posted ${duration(-r.detectionLagSeconds)} before our alert fired`;
  out.push(
    table(
      ['', ''],
      [
        ['API', `${m(r.api)} (${m([r.provider, r.criticality].filter(Boolean).join(', '))})`],
        ['window', `${dateTime(r.from)} to ${dateTime(r.to)}`],
        ['started', dateTime(r.startedAt)],
        ['detected (our first alert firing)', dateTime(r.detectedAt)],
        ['provider first posted', dateTime(r.providerPostedAt)],
        ['detection lag', lag],
        ['resolved', r.resolvedAt ? dateTime(r.resolvedAt) : 'not resolved in the window'],
        ['duration', duration(r.durationSeconds)],
        [
          'impact',
          `${count(r.impact.failedProbes)} failed probes${r.impact.failedRequests === null ? '' : `, ${count(r.impact.failedRequests)} failed real requests`}`,
        ],
        ...(r.providerTicket ? [['provider ticket', m(r.providerTicket)]] : []),
      ]
    )
  );
  out.push('', '## Root cause', '');
  out.push(
    r.rootCause
      ? m(r.rootCause)
      : `**Still to be written**: ${r.record ? `the incident record ${m(r.record)} has no root cause yet.` : `no incident record (incidents/${m(r.id)}.yaml) exists yet.`}`
  );
  out.push('', '## Corrective actions', '');
  out.push(
    r.correctiveActions.length
      ? table(
          ['action', 'owner', 'due', 'status', 'ticket'],
          r.correctiveActions.map((a) => [m(a.action), m(a.owner), m(a.due), a.status, m(a.ticket ?? '–')])
        )
      : '**Still to be written**: no corrective actions are recorded.'
  );
  out.push('', '## Timeline', '');
  out.push(
    r.timeline.length
      ? table(
          ['time', 'source', 'what', 'detail'],
          r.timeline.map((t) => [dateTime(t.at), t.source, m(t.kind), m(t.text)])
        )
      : 'Nothing happened in the window: no failed probes, no alerts, no provider posts.'
  );
  if (r.warnings.length) {
    out.push('', '> **Notes on this report**');
    for (const w of r.warnings) {
      out.push(`> - ${m(w)}`);
    }
  }
  out.push('');
  return out.join('\n');
}
