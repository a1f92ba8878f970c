// Watch the watcher: the prober's own alerts, rendered like the API alerts (alerts.ts) into
// their own rule group in prometheus/alerts.yml and provisioning/alerting/rules.yaml. Each
// expression returns one series per prober in trouble (its scrape `job` and `instance`, and
// its `location` from apimon_build_info where the prober still reports), or per location that
// stopped reporting. A busy prober pages here, about itself, never as a provider's latency:
// probes it timed badly are left out of the latency the API alerts read (docs/self-monitoring.md).
import {
  bucket,
  DASHBOARD_UIDS,
  dashboardUrl,
  histogramQuantile,
  METRICS,
  PROBER_UP,
  proberDashboardLink,
  RUNTIME_METRICS,
  TARGET_LABELS,
  withProberLocation,
} from '@apimon/core';
import type { AlertSignal } from './alerts';

/** Where the prober's health turns into an alert; the dashboard draws the same lines. */
export const PROBER_HEALTH_LIMITS = {
  /** Share of probes with degraded timing over 10 minutes: beyond it the p95 loses the slow
   * probes, which overlap a stall more often than quick ones. */
  timingDegradedRatio: 0.05,
  /** p99 event-loop lag (prom-client's, 10 ms resolution included) averaged over 10 minutes. */
  eventLoopLagSeconds: 0.1,
  /** p99 start delay over 10 minutes: probes start a second late or more. */
  startDelaySeconds: 1,
  /** Memory runs out within this long at the trend of the last 6 hours. */
  memoryRunsOutSeconds: 12 * 3600,
  /** Status pages a prober must poll before "all of them fail" says more about its network
   * than about one provider. */
  minStatusPages: 2,
} as const;

/** Panels of the prober-health dashboard (dashboards/apimon-prober.json) that alerts link. */
export const PROBER_PANELS = {
  up: 1,
  lastLoad: 3,
  statusPagesFailing: 4,
  cpu: 5,
  memory: 6,
  gc: 7,
  eventLoopLag: 8,
  probeLoopDelay: 9,
  timingDegraded: 10,
  queue: 11,
  slots: 12,
  saturated: 13,
  startDelay: 14,
  renderTime: 15,
  handles: 16,
  reloads: 17,
  statusPages: 18,
  statusPagesOverTime: 19,
} as const;

const WITH_LOCATION = withProberLocation();
/** `fn by (job, instance) (expr)`: one value per prober. */
const perTarget = (fn: 'sum' | 'max' | 'count', expr: string) => `${fn} by (${TARGET_LABELS.join(', ')}) (${expr})`;
const L = PROBER_HEALTH_LIMITS;

/** Who is in trouble, for the summaries: `prober 10.0.0.7:9464 (eu-west)`. */
const WHO = 'prober {{ $labels.instance }} ({{ $labels.location }})';

/** A prober alert links the prober-health dashboard, for its instance where it has one. */
const self = (signal: Omit<AlertSignal, 'dashboard' | 'dashboardLink'>, perLocation = false): AlertSignal => ({
  ...signal,
  dashboard: DASHBOARD_UIDS.prober,
  dashboardLink: perLocation ? dashboardUrl(DASHBOARD_UIDS.prober) : proberDashboardLink('{{ $labels.instance }}'),
});

export const SELF_ALERT_SIGNALS: AlertSignal[] = [
  self({
    alert: 'ApimonProberDown',
    uid: 'apimon-prober-down',
    signal: 'prober_down',
    expr: `${PROBER_UP} == 0`,
    for: '2m',
    valueFormat: 'count',
    severity: 'critical',
    summary: 'apimon prober {{ $labels.instance }} is down or cannot be scraped',
    description:
      'The store cannot scrape the prober at {{ $labels.instance }} (job {{ $labels.job }}): the APIs it probes are not monitored from there, and none of their alerts can fire.',
    runbook:
      'Open the prober-health dashboard. Is the process running (`systemctl status`, `kubectl get pods -l app.kubernetes.io/name=apimon`)? If it exits at start, its log says why (`apimon check --config FILE` names a catalog problem). If it runs, curl its /metrics from where the store runs: a timeout or refusal is the network, a firewall or a wrong port; a slow answer is a prober too busy to render (see its CPU and event-loop panels).',
    panelId: PROBER_PANELS.up,
  }),
  self({
    alert: 'ApimonProberLocationMissing',
    uid: 'apimon-prober-location-missing',
    signal: 'prober_missing',
    expr:
      `group by (location) (max_over_time(${METRICS.buildInfo}[1d]))\n` +
      `unless on (location) group by (location) (${METRICS.buildInfo})`,
    for: '5m',
    valueFormat: 'count',
    severity: 'critical',
    summary: 'No apimon prober reports for location {{ $labels.location }}',
    description:
      'A prober for location {{ $labels.location }} reported within the last day and none does now: its probes, status pages and alerts are missing, while the other locations go on (so ApimonNoData stays quiet).',
    runbook:
      'The prober is gone from the store, not merely failing to answer: its target left service discovery (a deleted pod or deployment scaled to 0), the scrape configuration lost it, or it now reports another location. Check the Prometheus targets page and the deployment. If the location was renamed or retired on purpose, silence this alert for a day: it looks back one day.',
    panelId: PROBER_PANELS.up,
  }, true),
  self({
    alert: 'ApimonCatalogReloadFailing',
    uid: 'apimon-catalog-reload-failing',
    signal: 'catalog_reload',
    expr:
      `(\n  time() - ${perTarget('max', METRICS.catalogReloadTimestamp)}\n` +
      `  and on (job, instance) (${perTarget('max', METRICS.catalogReloadSuccess)} == 0)\n) ${WITH_LOCATION}`,
    for: '5m',
    valueFormat: 'seconds',
    severity: 'warning',
    summary: `${WHO} rejected its new catalog; the one loaded VALUE ago keeps running`,
    description:
      'The last catalog load or reload of ' + WHO + ' was rejected. It keeps probing with the last accepted catalog, loaded VALUE ago: changes made since (new APIs, thresholds, secrets) are not in effect.',
    runbook:
      'The prober logs one error line per problem ("catalog reload rejected; the previous catalog keeps running", with file, line and field path). `apimon check --config FILE` on the same file prints the same list. Fix the file (or roll back the ConfigMap); the prober reloads on change or SIGHUP.',
    panelId: PROBER_PANELS.lastLoad,
  }),
  self({
    alert: 'ApimonProberTimingDegraded',
    uid: 'apimon-prober-timing-degraded',
    signal: 'timing_degraded',
    expr:
      `(\n  ${perTarget('sum', `rate(${METRICS.probeTimingDegraded}[10m])`)}\n` +
      `  / ${perTarget('sum', `rate(${METRICS.probeRequests}[10m])`)}\n` +
      `  > ${L.timingDegradedRatio}\n) ${WITH_LOCATION}`,
    for: '10m',
    valueFormat: 'ratio',
    severity: 'warning',
    summary: `${WHO} is too busy to time VALUE of its probes`,
    description:
      `Over the last 10 minutes VALUE of the probes of ${WHO} waited on its blocked event loop longer than prober.timingTolerance. Their latency is left out, so latency alerts stay quiet rather than blame providers, but the p95 of each API rests on fewer probes, and the slow ones are the likeliest to be lost (alert above ${L.timingDegradedRatio * 100}%).`,
    runbook:
      'The prober, not a provider, is the bottleneck. On the prober-health dashboard: CPU near one core means too much work for one process (split the catalog over more probers, one location each, or lengthen intervals); GC time or heap near its limit means memory pressure (raise the memory limit); a slow /metrics render means too many series for the scrape interval; CPU low with lag high means a noisy neighbour on the machine (move it or give it a CPU request). Raise prober.timingTolerance only if stalls this long do not matter for your thresholds.',
    panelId: PROBER_PANELS.timingDegraded,
  }),
  self({
    alert: 'ApimonProberEventLoopLag',
    uid: 'apimon-prober-event-loop-lag',
    signal: 'event_loop_lag',
    expr: `(\n  ${perTarget('max', `avg_over_time(${RUNTIME_METRICS.eventLoopLagP99}[10m])`)} > ${L.eventLoopLagSeconds}\n) ${WITH_LOCATION}`,
    for: '10m',
    valueFormat: 'duration',
    severity: 'warning',
    summary: `${WHO}: event-loop lag p99 VALUE`,
    description: `The 99th percentile of the event-loop lag of ${WHO} has averaged VALUE over 10 minutes (alert above ${L.eventLoopLagSeconds * 1000} ms): timers, probes and scrapes all run that late.`,
    runbook:
      'See ApimonProberTimingDegraded: the same causes (CPU, GC, /metrics render, a noisy neighbour), seen from the event loop. Probes whose timing the lag spoiled are counted and left out of the latency; the start-delay panel shows whether probes also start late.',
    panelId: PROBER_PANELS.eventLoopLag,
  }),
  self({
    alert: 'ApimonProberSaturated',
    uid: 'apimon-prober-saturated',
    signal: 'saturated',
    expr:
      `(\n  ${perTarget('max', `max_over_time(${METRICS.schedulerQueueLength}[5m])`)}\n` +
      `  and on (job, instance) (${perTarget('max', `max_over_time(${METRICS.schedulerSaturated}[5m])`)} == 1)\n) ${WITH_LOCATION}`,
    for: '10m',
    valueFormat: 'count',
    severity: 'warning',
    summary: `${WHO} is saturated: up to VALUE probes waited for a free slot`,
    description: `Every probe slot (prober.concurrency) of ${WHO} has been taken again and again for 10 minutes; up to VALUE due probes waited in the last 5, and probes that were still waiting when due again were skipped (reason "saturated").`,
    runbook:
      'The slots-in-use panel shows which provider holds them (apimon_scheduler_probes_in_flight): usually endpoints that hang until their timeout. Lower those timeouts, raise prober.concurrency (and the open-file limit with it, see docs/prober.md), or split the catalog over more probers.',
    panelId: PROBER_PANELS.saturated,
  }),
  self({
    alert: 'ApimonProbeStartDelayHigh',
    uid: 'apimon-probe-start-delay-high',
    signal: 'start_delay',
    expr: `(\n  ${histogramQuantile(0.99, [...TARGET_LABELS, 'le'], `rate(${bucket(METRICS.probeStartDelay)}[10m])`)} > ${L.startDelaySeconds}\n) ${WITH_LOCATION}`,
    for: '15m',
    valueFormat: 'duration',
    severity: 'warning',
    summary: `${WHO}: probes start VALUE late (p99)`,
    description: `The 99th percentile of the start delay of ${WHO} (start minus due time, every API) has been VALUE for 15 minutes (alert above ${L.startDelaySeconds} s): probes run less often than the catalog asks.`,
    runbook:
      'With the scheduler saturated, probes wait for a slot: see ApimonProberSaturated. Without, the event loop runs timers late: see ApimonProberEventLoopLag.',
    panelId: PROBER_PANELS.startDelay,
  }),
  self({
    alert: 'ApimonStatusPagesUnreachable',
    uid: 'apimon-status-pages-unreachable',
    signal: 'status_pages',
    expr:
      `(\n  ${perTarget('count', `${METRICS.providerFetchSuccess} == 0`)}\n` +
      `  == ${perTarget('count', METRICS.providerFetchSuccess)}\n` +
      `  and on (job, instance) (${perTarget('count', METRICS.providerFetchSuccess)} >= ${L.minStatusPages})\n) ${WITH_LOCATION}`,
    for: '15m',
    valueFormat: 'count',
    severity: 'warning',
    summary: `${WHO} cannot fetch any of its VALUE status pages`,
    description: `Every status page ${WHO} polls (VALUE providers) failed on its last fetch. One provider's page failing is theirs; all of them failing at once is ours: the prober's network, DNS, proxy or egress policy.`,
    runbook:
      "From the prober's host or pod, fetch one of the status pages (curl the URL in the catalog): DNS failures, timeouts or a proxy's error page point at the egress path (firewall, NetworkPolicy, proxy settings, a CA bundle). The prober's log has one warning per failed fetch with the error. Probes to the APIs may be failing the same way.",
    panelId: PROBER_PANELS.statusPages,
  }),
  self({
    alert: 'ApimonProberMemoryGrowing',
    uid: 'apimon-prober-memory-growing',
    signal: 'memory',
    expr:
      `(\n  (\n    ${perTarget('max', METRICS.processMemoryLimit)}\n    - ${perTarget('max', RUNTIME_METRICS.residentMemory)}\n  )\n` +
      `  / ${perTarget('max', `deriv(${RUNTIME_METRICS.residentMemory}[6h])`)}\n` +
      `  < ${L.memoryRunsOutSeconds} > 0\n) ${WITH_LOCATION}`,
    for: '1h',
    valueFormat: 'seconds',
    severity: 'warning',
    summary: `${WHO} runs out of memory in about VALUE`,
    description: `The resident memory of ${WHO} has grown for hours; at the trend of the last 6 hours it reaches its limit (apimon_process_memory_limit_bytes: the container limit, the machine or V8's heap limit, whichever is smallest) in about VALUE.`,
    runbook:
      'A prober with a steady catalog keeps a flat memory line (bench/RESULTS.md, soak). Growth that does not level off is a leak: note the version (apimon_build_info), take a heap snapshot (`node --heapsnapshot-signal=SIGUSR2`, then `kill -USR2`) and report it. Restarting the prober frees the memory for now; a catalog that grew explains a step, not a slope.',
    panelId: PROBER_PANELS.memory,
  }),
];
