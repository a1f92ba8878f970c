// latency: probe duration percentiles (or the mean) per group, the p95 against the catalog threshold.
import { METRICS } from '../../contract';
import { legendOf, percentilesOf, QUANTILES, type PlannedExpr } from '../plan';
import { promqlKind } from './handler';

export const latency = promqlKind(({ query, labels, b }) => ({
  exprs: percentilesOf(query, ['p95']).map((p): PlannedExpr => ({
    id: p,
    expr:
      p === 'mean' ? b.mean(METRICS.probeDuration, labels) : b.quantile(QUANTILES[p], METRICS.probeDuration, labels),
    instant: false,
    name: `latency_${p}`,
    legend: legendOf(labels, p),
    meaning: p === 'mean' ? 'mean probe duration' : `${p.slice(1)}th percentile of probe duration`,
    unit: 's',
    threshold: p === 'p95' ? 'latency' : undefined,
  })),
}));
