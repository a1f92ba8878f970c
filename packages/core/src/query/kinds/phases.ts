// phases: where the time goes (dns, connect, tls, ttfb, transfer), the mean by default.
import { METRICS, PHASES, type Label } from '../../contract';
import { legendOf, percentilesOf, QUANTILES, type PlannedExpr } from '../plan';
import { promqlKind } from './handler';

export const phases = promqlKind(({ query, labels, b }) => {
  const withPhase: Label[] = [...labels, 'phase'];
  return {
    groupLabels: withPhase,
    exprs: percentilesOf(query, ['mean']).map((p): PlannedExpr => ({
      id: p,
      expr:
        p === 'mean'
          ? b.mean(METRICS.probePhaseDuration, withPhase)
          : b.quantile(QUANTILES[p], METRICS.probePhaseDuration, withPhase),
      instant: false,
      name: `phase_${p}`,
      legend: legendOf(withPhase, p),
      meaning: `${p === 'mean' ? 'mean' : `${p.slice(1)}th percentile`} duration of each probe phase (${PHASES.join(', ')})`,
      unit: 's',
    })),
  };
});
