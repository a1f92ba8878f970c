// `apimon status` and the health-board panel judge every API alike: random summary inputs go
// through the engine's rows (what the CLI prints) and, as the data source ships them, through a
// data frame into the panel's reader and assessment; both must name the same state for the same
// reasons. Boundary values (exactly at a threshold or its warning margin) are drawn often.
import fc from 'fast-check';
import { STATUS_JSON_FIELDS, STATUS_LEVELS, summaryRows, summaryTable, type SummaryResults } from '@apimon/core';
import { tableToFrame } from '../../src/datasource/frames';
import { assess } from '../../src/panel/severity';
import { readBoardInput } from '../../src/panel/summaryFrame';
import { formatTable } from '../../packages/prober/src/cli/commands/status';

const NOW = Date.UTC(2026, 0, 15, 12);
const DAY = 86_400_000;

const apiArb = fc.record({
  latencyThreshold: fc.option(fc.constantFrom(0.2, 0.25, 0.5, 2), { nil: null }),
  errorThreshold: fc.option(fc.constantFrom(0, 0.01, 0.02, 0.05), { nil: null }),
  headroomThreshold: fc.option(fc.constantFrom(0.1, 0.15, 0.2, 0.6), { nil: null }),
  probed: fc.boolean(),
  latencyFactor: fc.oneof(fc.constantFrom(0.5, 0.8, 0.81, 1, 1.01), fc.double({ min: 0, max: 3, noNaN: true })),
  errorFactor: fc.oneof(fc.constantFrom(0, 0.5, 1, 1.5), fc.double({ min: 0, max: 2, noNaN: true })),
  limit: fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }),
  remainingShare: fc.double({ min: 0, max: 1, noNaN: true }),
  providerLevel: fc.option(fc.integer({ min: -1, max: 4 }), { nil: null }),
  proberStatus: fc.option(fc.constantFrom(...STATUS_LEVELS, 'degraded_performance'), { nil: undefined }),
  tlsDays: fc.option(fc.oneof(fc.constantFrom(-1, 0, 3, 14), fc.double({ min: -5, max: 40, noNaN: true })), {
    nil: null,
  }),
  notProbed: fc.option(fc.constant('missing env API_KEY'), { nil: null }),
  exhaustion: fc.option(fc.double({ min: 1, max: 7200, noNaN: true }), { nil: null }),
  // Several probers (docs/topologies.md): each location's own p95 and error ratio.
  locations: fc.option(
    fc.array(
      fc.record({
        latencyFactor: fc.oneof(fc.constantFrom(0.5, 0.8, 1, 1.01, 3), fc.double({ min: 0, max: 3, noNaN: true })),
        errorFactor: fc.oneof(fc.constantFrom(0, 0.5, 1, 1.5), fc.double({ min: 0, max: 2, noNaN: true })),
      }),
      { minLength: 1, maxLength: 4 }
    ),
    { nil: null }
  ),
});

describe('apimon status and the health-board panel', () => {
  it('give every API the same state for the same reasons', () => {
    fc.assert(
      fc.property(fc.array(apiArb, { minLength: 1, maxLength: 6 }), (apis) => {
        const s = (labels: Record<string, string>, value: number | null) => ({ labels, timeMs: NOW, value });
        const results: SummaryResults = {};
        const push = (id: string, labels: Record<string, string>, value: number | null) => {
          (results[id] ??= []).push(s(labels, value));
        };
        const apiStatus = new Map<string, string>();
        apis.forEach((a, i) => {
          const api = `api-${i}`;
          const provider = `provider-${i}`;
          push('info', { api, provider, criticality: 'standard', owner: 'team' }, 1);
          if (a.notProbed) {
            push('misconfigured', { api, reason: a.notProbed }, 1);
          }
          if (a.probed) {
            push('latencyP95Seconds', { api }, (a.latencyThreshold ?? 0.5) * a.latencyFactor);
            push('errorRatio', { api }, Math.min(1, (a.errorThreshold ?? 0.02) * a.errorFactor));
            a.locations?.forEach((l, li) => {
              const location = `loc-${li}`;
              push('locationLatencyP95Seconds', { api, location }, (a.latencyThreshold ?? 0.5) * l.latencyFactor);
              push('locationErrorRatio', { api, location }, Math.min(1, (a.errorThreshold ?? 0.02) * l.errorFactor));
            });
          }
          push('latencyThresholdSeconds', { api }, a.latencyThreshold);
          push('errorThreshold', { api }, a.errorThreshold);
          push('headroomThreshold', { api }, a.headroomThreshold);
          if (a.limit !== null) {
            const labels = { api, endpoint: 'e', policy: 'default' };
            push('limit', labels, a.limit);
            push('remaining', labels, Math.round(a.limit * a.remainingShare));
            push('exhaustionSeconds', { api }, a.exhaustion);
          }
          if (a.providerLevel !== null) {
            push('apiProviderStatus', { api, provider }, a.providerLevel);
          }
          if (a.proberStatus !== undefined) {
            apiStatus.set(api, a.proberStatus);
          }
          if (a.tlsDays !== null) {
            push('tlsExpiry', { api }, Math.floor((NOW + a.tlsDays * DAY) / 1000));
          }
        });
        const rows = summaryRows(results, NOW, { apiStatus, incidentTitles: new Map() });

        // The CLI: its JSON state and its table's STATE column.
        const table = formatTable(rows, NOW).trimEnd().split('\n').slice(1);
        const cli = new Map(
          rows.map((r, i) => [
            r.api,
            { state: r.state, column: table[i].split(/\s{2,}/)[3], reasons: r.reasons.length },
          ])
        );
        expect(STATUS_JSON_FIELDS).toContain('state');

        // The panel: the summary as the data source ships it, read back and assessed.
        const input = readBoardInput([tableToFrame(summaryTable(rows), 'A')]);
        if (input.kind !== 'rows') {
          throw new Error(`the panel did not read the summary frame: ${input.kind}`);
        }
        expect(input.rows).toHaveLength(rows.length);
        for (const row of input.rows) {
          const a = assess(row, {}, NOW);
          const c = cli.get(row.api)!;
          expect({ api: row.api, state: a.severity, reasons: a.reasons.length, locations: row.locations?.length ?? 0 }).toEqual({
            api: row.api,
            state: c.state,
            reasons: c.reasons,
            locations: rows.find((r) => r.api === row.api)!.locations?.length ?? 0,
          });
          expect(c.column).toBe(c.state.toUpperCase());
        }
      }),
      { numRuns: 300 }
    );
  });
});
