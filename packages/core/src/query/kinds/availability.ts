// availability: the share of probes that ended ok and the SLO burn rate, rolling and over the
// whole range (one instant evaluation at its end with the range as the window).
import { DEFAULT_SLO_TARGET, type ApimonQuery } from '../model';
import { ExprBuilder, legendOf } from '../plan';
import { instantWindow } from '../windows';
import { promqlKind } from './handler';

export function sloTargetOf(query: ApimonQuery): number {
  const slo = query.sloTarget ?? DEFAULT_SLO_TARGET;
  if (!Number.isFinite(slo) || slo <= 0 || slo >= 1) {
    throw new Error(`sloTarget: ${slo} must be a ratio between 0 and 1 (exclusive), e.g. 0.999`);
  }
  return slo;
}

/** Avoids 0.0010000000000000009 in the PromQL users read. */
const formatNumber = (n: number) => String(Number(n.toPrecision(12)));

export const availability = promqlKind(({ query, range, labels, b, scrapeIntervalMs, rules }) => {
  const slo = sloTargetOf(query);
  const budget = formatNumber(1 - slo);
  const rolling = b.errorRatio(labels);
  const spanMs = Math.max(1000, Math.round((range.toMs - range.fromMs) / 1000) * 1000);
  const whole = new ExprBuilder(query, instantWindow(range.toMs, spanMs, scrapeIntervalMs), rules).errorRatio(labels);
  return {
    exprs: [
      {
        id: 'availability',
        expr: `1 - (${rolling})`,
        instant: false,
        name: 'availability',
        legend: legendOf(labels, 'availability'),
        meaning: 'share of probes that ended ok (rolling)',
        unit: 'percentunit',
      },
      {
        id: 'burn',
        expr: `(${rolling}) / ${budget}`,
        instant: false,
        name: 'slo_burn_rate',
        legend: legendOf(labels, 'burn rate'),
        meaning: `error ratio / error budget (1 - ${slo}); 1 spends the budget exactly over the SLO period`,
        unit: 'none',
      },
      {
        id: 'range_availability',
        expr: `1 - (${whole})`,
        instant: true,
        name: 'availability',
        legend: legendOf(labels, 'availability over the range'),
        meaning: 'share of probes that ended ok over the whole range',
        unit: 'percentunit',
      },
      {
        id: 'range_burn',
        expr: `(${whole}) / ${budget}`,
        instant: true,
        name: 'slo_burn_rate',
        legend: legendOf(labels, 'burn rate over the range'),
        meaning: 'error budget burn rate over the whole range',
        unit: 'none',
      },
    ],
  };
});
