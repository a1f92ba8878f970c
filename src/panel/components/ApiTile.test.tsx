import React from 'react';
import { render, screen } from '@testing-library/react';
import { assess } from '../severity';
import type { BoardRow } from '../summaryFrame';
import { ExactValues } from './ApiTile';

const row = (over: Partial<BoardRow>): BoardRow => ({
  api: 'arm',
  provider: 'azure',
  criticality: 'standard',
  owner: '',
  sourceState: null,
  latencyP95Seconds: 0.1,
  latencyThresholdSeconds: 0.5,
  errorRatio: 0,
  errorThreshold: 0.02,
  headroomRatio: null,
  headroomThreshold: 0.15,
  rateLimitRemaining: null,
  rateLimitLimit: null,
  exhaustionSeconds: null,
  providerStatus: 'operational',
  openIncidents: 0,
  incidentTitle: null,
  tlsExpiresAt: null,
  ...over,
});

function headroomText(over: Partial<BoardRow>): string {
  const r = row(over);
  render(<ExactValues row={r} assessment={assess(r, {}, 0)} />);
  return screen.getByText('Rate-limit headroom').nextElementSibling?.textContent ?? '';
}

describe('ExactValues: rate-limit headroom', () => {
  it('shows the ratio it was computed from', () => {
    expect(headroomText({ headroomRatio: 0.25, rateLimitRemaining: 25, rateLimitLimit: 100 })).toBe('0.25 = 25 / 100 (minimum 0.15)');
  });

  it('says that a spent policy without an announced limit has nothing left, not "0 / no data"', () => {
    expect(headroomText({ headroomRatio: 0, rateLimitRemaining: 0, rateLimitLimit: null })).toBe('0: 0 left, no limit announced (minimum 0.15)');
  });
});
