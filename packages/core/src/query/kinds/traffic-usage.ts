// trafficUsage: the platform's real usage of each API's documented rate limit (calls per
// documented window at the current rate / the limit; 1 = at the limit) against the catalog's
// thresholds.usage: now, the day's peak, the weekly peak's forecast (the capacity forecast),
// or the days until that peak reaches the limit. Per API: a limit belongs to one API.
import { TRAFFIC_FORECAST } from '../../contract';
import type { PlannedExpr } from '../plan';
import type { UsageSignal } from '../model';
import { promqlKind } from './handler';

export const trafficUsage = promqlKind(({ query, traffic: t }) => {
  const signal: UsageSignal = query.usageSignal ?? 'usage';
  const one = (e: PlannedExpr) => ({ groupLabels: ['api'], exprs: [e] });
  switch (signal) {
    case 'usage':
      return one({
        id: 'usage',
        expr: t().usage(),
        instant: false,
        name: 'traffic_usage',
        legend: '{{api}} usage',
        meaning: 'real calls per documented window at the current rate / the documented limit',
        unit: 'percentunit',
        threshold: 'usage',
      });
    case 'peak':
      return one({
        id: 'peak',
        expr: t().usagePeak(),
        instant: false,
        name: 'traffic_usage_peak',
        legend: '{{api}} daily peak',
        meaning: 'the highest usage of the documented limit over the last day',
        unit: 'percentunit',
        threshold: 'usage',
      });
    case 'forecast':
      return one({
        id: 'forecast',
        expr: t().usageForecast(),
        instant: false,
        name: 'traffic_usage_forecast',
        legend: `{{api}} weekly peak in ${TRAFFIC_FORECAST.horizonDays} days`,
        meaning: `the weekly peak of usage ${TRAFFIC_FORECAST.horizonDays} days from now at its trend over the last ${TRAFFIC_FORECAST.trendRange}`,
        unit: 'percentunit',
        threshold: 'usage',
      });
    case 'daysToLimit':
      return one({
        id: 'daysToLimit',
        expr: t().daysToLimit(),
        instant: false,
        name: 'traffic_days_to_limit',
        legend: '{{api}} days to the limit',
        meaning: `days until the weekly peak of usage reaches the documented limit at its trend over the last ${TRAFFIC_FORECAST.trendRange} (absent while it does not grow)`,
        unit: 'd',
      });
  }
});
