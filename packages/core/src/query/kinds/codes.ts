// codes: probes per second by HTTP status code.
import { METRICS, sumBy, type Label } from '../../contract';
import { legendOf } from '../plan';
import { promqlKind } from './handler';

export const codes = promqlKind(({ labels, b }) => {
  const withCode: Label[] = [...labels, 'code'];
  return {
    groupLabels: withCode,
    exprs: [
      {
        id: 'codes',
        expr: sumBy(withCode, b.rate(METRICS.probeRequests)),
        instant: false,
        name: 'requests_rate',
        legend: legendOf(withCode, ''),
        meaning: 'probes per second by HTTP status code (0: no response)',
        unit: 'reqps',
      },
    ],
  };
});
