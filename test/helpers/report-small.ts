// The last three hours of last month in a real Prometheus, for the Reports page's tests: the
// payments API failed 30 % of its probes for an hour (and its alert fired), crm was fine; the
// fake prober API of report-month.ts serves the providers' incidents. Seconds to start, where
// the full month of report-month.ts takes minutes.
import { lastFullMonth } from '@apimon/core';
import { startFakeProber } from './report-month';
import { startBackfilledStore } from './store';
import { syntheticOpenMetrics } from './synthetic';

const HOUR = 3_600_000;
const MINUTE = 60_000;
export const SMALL_MONTH = lastFullMonth(Date.now());
/** payments failed 30 % of its probes over this hour. */
export const SMALL_FAULT = { fromMs: SMALL_MONTH.toMs - 2 * HOUR, toMs: SMALL_MONTH.toMs - HOUR };

export interface SmallReportStore {
  storeUrl: string;
  proberUrl: string;
  stop(): Promise<void>;
}

export async function startSmallReportStore(): Promise<SmallReportStore> {
  const critical = { latency: 0.2, errorRatio: 0.01, headroom: 0.2 };
  const store = await startBackfilledStore({
    openMetrics: syntheticOpenMetrics({
      apis: [
        {
          api: 'payments',
          provider: 'acme-pay',
          criticality: 'critical',
          owner: 'payments-team',
          endpoint: 'charges',
          thresholds: critical,
          latencySeconds: 0.09,
          errorRatio: 0,
          windows: [{ ...SMALL_FAULT, errorRatio: 0.3, errorOutcome: 'http_5xx' }],
        },
        {
          api: 'crm',
          provider: 'crmco',
          criticality: 'critical',
          owner: 'sales-team',
          endpoint: 'contacts',
          thresholds: critical,
          latencySeconds: 0.08,
          errorRatio: 0,
        },
      ],
      startMs: SMALL_MONTH.toMs - 3 * HOUR,
      endMs: SMALL_MONTH.toMs,
      stepMs: 15_000,
      alerts: [
        {
          alertname: 'ApimonErrorRatioHigh',
          api: 'payments',
          provider: 'acme-pay',
          severity: 'critical',
          pendingFromMs: SMALL_FAULT.fromMs + 2 * MINUTE,
          firingFromMs: SMALL_FAULT.fromMs + 7 * MINUTE,
          resolvedAtMs: SMALL_FAULT.toMs + 4 * MINUTE,
        },
      ],
    }),
    ruleFiles: [],
  });
  const prober = await startFakeProber().catch(async (err: unknown) => {
    await store.stop();
    throw err;
  });
  return {
    storeUrl: store.url,
    proberUrl: prober.url,
    async stop() {
      await prober.stop();
      await store.stop();
    },
  };
}
