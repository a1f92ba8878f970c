// trafficLatency: percentiles of the platform's real call durations, the p95 against the API's
// latency threshold. The histograms of the old conventions (milliseconds) are read in seconds.
import { legendOf, percentilesOf, QUANTILES, type PlannedExpr } from '../plan';
import { trafficGroupLabels } from '../traffic';
import { promqlKind } from './handler';

export const trafficLatency = promqlKind(({ query, traffic: t }) => {
  const labels = trafficGroupLabels(query.groupBy);
  const percentiles = percentilesOf(query, ['p95']);
  if (percentiles.includes('mean')) {
    throw new Error('percentiles: "mean" is not available for real traffic (use p50, p90, p95 or p99)');
  }
  return {
    groupLabels: labels,
    exprs: percentiles.map(
      (p): PlannedExpr => ({
        id: p,
        expr: t().latency(QUANTILES[p as keyof typeof QUANTILES], labels),
        instant: false,
        name: `traffic_latency_${p}`,
        legend: legendOf(labels, `real ${p}`),
        meaning: `${p.slice(1)}th percentile of the real calls' duration`,
        unit: 's',
        threshold: p === 'p95' ? 'latency' : undefined,
      })
    ),
  };
});
