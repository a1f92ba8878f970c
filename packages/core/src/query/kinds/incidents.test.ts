import { buildPromQL } from '.';
import type { IncidentRow } from '../../prober-api/read';
import { filterIncidents, incidentAnnotations } from './incidents';

const NOW = 1_700_000_000_000;
const SIX_HOURS = { fromMs: NOW, toMs: NOW + 6 * 3_600_000, maxDataPoints: 1000 };

const incident = (over: Partial<IncidentRow>): IncidentRow => ({
  provider: 'acme-pay',
  kind: 'incident',
  id: 'i1',
  title: 'Errors',
  status: 'investigating',
  impact: 'major',
  startedAt: NOW - 60_000,
  resolvedAt: null,
  url: 'https://s/i1',
  components: ['API'],
  latestUpdate: 'Looking into it',
  ...over,
});

describe('incidents', () => {
  it('calls the prober API; a single provider is passed through', () => {
    const plan = buildPromQL({ kind: 'incidents', provider: 'acme-pay' }, SIX_HOURS);
    expect(plan.exprs).toEqual([]);
    expect(plan.prober).toEqual([
      {
        path: '/api/v1/incidents',
        params: { from: String(NOW), to: String(SIX_HOURS.toMs), provider: 'acme-pay' },
        meaning: expect.any(String),
      },
    ]);
    expect(buildPromQL({ kind: 'incidents', provider: 'a|b' }, SIX_HOURS).prober[0].params.provider).toBeUndefined();
  });

  it('keeps the providers the filters allow, open ones only when asked, newest first', () => {
    const rows = [
      incident({}),
      incident({
        provider: 'geoloc',
        id: 'Old',
        title: 'Old',
        status: 'resolved',
        impact: 'minor',
        startedAt: 1,
        resolvedAt: NOW - 1,
      }),
    ];
    const open = filterIncidents(rows, { provider: 'acme.*' }, undefined, true);
    expect(open.map((r) => r.id)).toEqual(['i1']);
    expect(filterIncidents(rows, {}, new Set(['geoloc']), false).map((r) => r.id)).toEqual(['Old']);
    expect(filterIncidents(rows, {}, undefined, false).map((r) => r.id)).toEqual(['i1', 'Old']);
  });

  it('annotates each incident as a region, an open one up to the end of the range', () => {
    expect(incidentAnnotations([incident({})], NOW + 5)).toEqual([
      {
        timeMs: NOW - 60_000,
        timeEndMs: NOW + 5,
        title: 'acme-pay: Errors',
        text: 'Impact: major\nStatus: investigating\nComponents: API\nLooking into it',
        tags: ['apimon', 'incident', 'provider:acme-pay', 'impact:major', 'status:investigating'],
        url: 'https://s/i1',
      },
    ]);
  });
});
