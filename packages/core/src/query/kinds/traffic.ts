// traffic: the platform's real calls per second to each API (docs/real-traffic.md), from its
// OpenTelemetry HTTP-client metrics joined with the catalog's mapping.
import { legendOf } from '../plan';
import { trafficGroupLabels } from '../traffic';
import { promqlKind } from './handler';

export const traffic = promqlKind(({ query, traffic: t }) => {
  const labels = trafficGroupLabels(query.groupBy);
  return {
    groupLabels: labels,
    exprs: [
      {
        id: 'rate',
        expr: t().requests(labels),
        instant: false,
        name: 'traffic_requests_rate',
        legend: legendOf(labels, 'calls/s'),
        meaning: "the platform's real calls per second",
        unit: 'reqps',
      },
    ],
  };
});
