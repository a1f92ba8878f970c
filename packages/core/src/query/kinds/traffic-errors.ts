// trafficErrors: the share of the platform's real calls that failed (5xx or no answer; 429 is
// throttling, not an error) against the API's error threshold, or real calls per second by
// HTTP status code.
import { TRAFFIC_LABELS } from '../../contract';
import { legendOf } from '../plan';
import { trafficGroupLabels } from '../traffic';
import { promqlKind } from './handler';

export const trafficErrors = promqlKind(({ query, traffic: t }) => {
  const labels = trafficGroupLabels(query.groupBy);
  if ((query.errorMode ?? 'ratio') === 'rate') {
    const withCode = [...labels, TRAFFIC_LABELS.statusCode];
    return {
      groupLabels: withCode,
      exprs: [
        {
          id: 'rate',
          expr: t().requestsByStatus(labels),
          instant: false,
          name: 'traffic_requests_rate',
          legend: legendOf(withCode, ''),
          meaning: 'real calls per second by HTTP status code (empty: no answer)',
          unit: 'reqps',
        },
      ],
    };
  }
  return {
    groupLabels: labels,
    exprs: [
      {
        id: 'ratio',
        expr: t().errorRatio(labels),
        instant: false,
        name: 'traffic_error_ratio',
        legend: legendOf(labels, 'real error ratio'),
        meaning: 'share of real calls answered 5xx or not answered at all',
        unit: 'percentunit',
        threshold: 'errorRatio',
      },
      {
        id: 'throttled',
        expr: `${t().throttled(labels)} / ${t().requests(labels)}`,
        instant: false,
        name: 'traffic_throttled_ratio',
        legend: legendOf(labels, 'throttled (429)'),
        meaning: 'share of real calls answered 429 Too Many Requests',
        unit: 'percentunit',
      },
    ],
  };
});
