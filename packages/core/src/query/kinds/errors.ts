// errors: the share of failed probes (against the catalog threshold), or failures per second by outcome.
import { FAILED_OUTCOME, METRICS, sumBy, type Label } from '../../contract';
import { legendOf } from '../plan';
import { promqlKind } from './handler';

export const errors = promqlKind(({ query, labels, b }) => {
  if ((query.errorMode ?? 'ratio') === 'rate') {
    const withOutcome: Label[] = [...labels, 'outcome'];
    return {
      groupLabels: withOutcome,
      exprs: [
        {
          id: 'rate',
          expr: sumBy(withOutcome, b.rate(METRICS.probeRequests, [FAILED_OUTCOME])),
          instant: false,
          name: 'errors_rate',
          legend: legendOf(withOutcome, ''),
          meaning: 'failed probes per second by outcome',
          unit: 'reqps',
        },
      ],
    };
  }
  return {
    exprs: [
      {
        id: 'ratio',
        expr: b.errorRatio(labels),
        instant: false,
        name: 'error_ratio',
        legend: legendOf(labels, 'error ratio'),
        meaning: 'share of probes that did not end ok',
        unit: 'percentunit',
        threshold: 'errorRatio',
      },
    ],
  };
});
