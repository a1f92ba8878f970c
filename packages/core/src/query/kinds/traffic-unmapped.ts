// trafficUnmapped: the platform's calls to hosts no catalog API claims (integrations missing
// from the catalog), per host and port: calls per second and the share that failed. The
// filters do not apply: these calls belong to no API.
import { TRAFFIC_LABELS } from '../../contract';
import { legendOf } from '../plan';
import { promqlKind } from './handler';

export const trafficUnmapped = promqlKind(({ traffic: t }) => {
  const host = [TRAFFIC_LABELS.serverAddress, TRAFFIC_LABELS.serverPort];
  return {
    groupLabels: host,
    exprs: [
      {
        id: 'rate',
        expr: t().unmappedRequests(),
        instant: false,
        name: 'unmapped_requests_rate',
        legend: legendOf(host, 'calls/s'),
        meaning: 'real calls per second to hosts no API claims',
        unit: 'reqps',
      },
      {
        id: 'errors',
        expr: t().unmappedErrorRatio(),
        instant: false,
        name: 'unmapped_error_ratio',
        legend: legendOf(host, 'errors'),
        meaning: 'share of those calls answered 5xx or not answered',
        unit: 'percentunit',
      },
    ],
  };
});
