// ratelimit: remaining and limit per policy, headroom (against the catalog minimum), and the
// time to exhaustion at the recent consumption trend.
import { by, headroomExpr, METRICS, type Label } from '../../contract';
import { legendOf, type ExprBuilder, type PlannedExpr } from '../plan';
import type { RateLimitSignal } from '../model';
import { promqlKind } from './handler';

/** remaining / consumption per second, where remaining is falling over the window. */
export function exhaustionExpr(b: ExprBuilder, labels: readonly Label[]): string {
  const remaining = b.gauge(METRICS.rateLimitRemaining);
  const trend = `deriv(${b.select(METRICS.rateLimitRemaining)}[${b.window.window}])`;
  return `min${by(labels)} (${remaining} / -(${trend} < 0))`;
}

export const ratelimit = promqlKind(({ query, labels, b }) => {
  const signal: RateLimitSignal = query.rateLimitSignal ?? 'headroom';
  const remaining = b.gauge(METRICS.rateLimitRemaining);
  const limit = b.gauge(METRICS.rateLimitLimit);
  const withPolicy: Label[] = [...labels, 'policy'];
  const one = (e: PlannedExpr, groupLabels: string[] = labels) => ({ exprs: [e], groupLabels });
  switch (signal) {
    case 'remaining':
      return one(
        {
          id: 'remaining',
          expr: `min${by(withPolicy)} (${remaining})`,
          instant: false,
          name: 'ratelimit_remaining',
          legend: legendOf(withPolicy, 'remaining'),
          meaning: 'requests left in the current rate-limit window (lowest endpoint)',
          unit: 'short',
        },
        withPolicy
      );
    case 'limit':
      return one(
        {
          id: 'limit',
          expr: `max${by(withPolicy)} (${limit})`,
          instant: false,
          name: 'ratelimit_limit',
          legend: legendOf(withPolicy, 'limit'),
          meaning: 'request quota of the rate-limit policy',
          unit: 'short',
        },
        withPolicy
      );
    case 'headroom':
      return one({
        id: 'headroom',
        expr: `min${by(labels)} (${headroomExpr(remaining, limit)})`,
        instant: false,
        name: 'ratelimit_headroom',
        legend: legendOf(labels, 'headroom'),
        meaning: 'remaining / limit of the tightest policy and endpoint; 0 for a spent policy without a limit',
        unit: 'percentunit',
        threshold: 'headroom',
      });
    case 'exhaustion':
      return one({
        id: 'exhaustion',
        expr: exhaustionExpr(b, labels),
        instant: false,
        name: 'ratelimit_exhaustion',
        legend: legendOf(labels, 'time to exhaustion'),
        meaning: `seconds until remaining reaches 0 at the consumption trend of the last ${b.window.window} (absent when not decreasing)`,
        unit: 's',
      });
  }
});
