import '../../test-support/dom';
import React from 'react';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createTheme, LoadingState } from '@grafana/data';
import type { EngineResult } from '@apimon/core';
import { HealthBoardPanel } from './HealthBoardPanel';
import { panelData, panelProps, recordedFrames } from '../test-support/board';
import type { HealthBoardOptions } from '../types';

const WORST_FIRST = [
  'ad-feed',
  'crm-down',
  'geo-errors',
  'pay-slow',
  'sms-quota',
  'mail-burn',
  'maps',
  'tls-soon',
  'search',
];

function renderBoard(options: Partial<HealthBoardOptions> = {}, data = panelData(recordedFrames()), width = 1200) {
  return render(<HealthBoardPanel {...panelProps(data, options, width)} />);
}

/** jsdom reports inline colours as rgb(); the theme gives hex. */
const toRgb = (hex: string) => {
  const n = parseInt(hex.replace('#', ''), 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
};

const tiles = () =>
  within(screen.getByRole('list', { name: /API health/ }))
    .getAllByRole('listitem')
    .map((li) => li.firstElementChild as HTMLElement);

describe('HealthBoardPanel', () => {
  it('shows one tile per API, worst first then by name, with counts', () => {
    renderBoard();
    expect(tiles().map((t) => t.dataset.api)).toEqual(WORST_FIRST);
    expect(tiles().map((t) => t.dataset.severity)).toEqual([
      'critical',
      'critical',
      'critical',
      'critical',
      'critical',
      'warning',
      'warning',
      'warning',
      'ok',
    ]);
    expect(screen.getByLabelText('Summary of API states')).toHaveTextContent('5 critical3 warning1 ok');
  });

  it('labels each tile with its state and reasons, and shows every KPI', () => {
    renderBoard();
    const mail = screen.getByRole('link', { name: /^mail-burn: Warning/ });
    expect(mail).toHaveAccessibleName(/headroom 16\.7% near 15%, exhausted in 4m/);
    expect(mail).toHaveTextContent('195 ms / 500 ms');
    expect(mail).toHaveTextContent('16.7% · 4m left');
    expect(within(mail).getByRole('meter', { name: 'Rate-limit headroom' })).toHaveAttribute('aria-valuenow', '17');
    const ad = screen.getByRole('link', { name: /^ad-feed: Critical/ });
    expect(ad).toHaveTextContent('Major outage');
    expect(ad).toHaveTextContent('Inventory API unavailable in all regions');
    expect(ad).toHaveTextContent('background');
    expect(screen.getByRole('link', { name: /^tls-soon/ })).toHaveTextContent('TLS5 days left');
    // TLS far from expiry stays out of the way.
    expect(screen.getByRole('link', { name: /^search/ })).not.toHaveTextContent('TLS');
    expect(within(screen.getByRole('link', { name: /^pay-slow/ })).getByTestId('sparkline')).toBeInTheDocument();
  });

  it("shows the platform's real traffic and its usage of the limit where the summary has them, and nothing elsewhere", async () => {
    const withTraffic = (r: EngineResult): EngineResult => {
      const [summary, ...rest] = r.tables;
      const apis = summary.columns.find((c) => c.name === 'api')!.values as string[];
      const column = (name: string, byApi: Record<string, number>) => ({
        name,
        type: 'number' as const,
        values: apis.map((a) => byApi[a] ?? null),
      });
      return {
        ...r,
        tables: [
          {
            ...summary,
            columns: [
              ...summary.columns,
              column('trafficRequestsPerSecond', { 'mail-burn': 20.14, search: 0.5 }),
              column('trafficUsageRatio', { 'mail-burn': 0.234 }),
              column('trafficErrorRatio', { 'mail-burn': 0.01, search: 0 }),
            ],
          },
          ...rest,
        ],
      };
    };
    renderBoard({}, panelData(recordedFrames(withTraffic)));
    const mail = screen.getByRole('link', { name: /^mail-burn/ });
    expect(mail.querySelector('[data-kpi="traffic"]')).toHaveTextContent('Real20.1/s · 23.4% of limit');
    // No documented limit: the rate alone.
    expect(screen.getByRole('link', { name: /^search/ }).querySelector('[data-kpi="traffic"]')).toHaveTextContent(/^Real0\.5\/s$/);
    // An API without real traffic keeps an empty slot, so the tiles stay aligned.
    expect(screen.getByRole('link', { name: /^pay-slow/ }).querySelector('[data-kpi="traffic"]')).toBeEmptyDOMElement();
    await userEvent.hover(mail);
    expect(await screen.findByRole('tooltip')).toHaveTextContent('Usage of the limit0.234');
  });

  it('takes no line for real traffic on a board without any', () => {
    renderBoard();
    expect(document.querySelector('[data-kpi="traffic"]')).toBeNull();
  });

  it('links tiles through the template, URL-encoded, then dashboard variables', () => {
    renderBoard({ linkTemplate: '/d/x?var-api=${api}&var-provider=${provider}&${__url_time_range}' });
    expect(screen.getByRole('link', { name: /^mail-burn/ })).toHaveAttribute(
      'href',
      '/d/x?var-api=mail-burn&var-provider=postbird&from=now-1h&to=now'
    );
    expect(screen.getByRole('link', { name: /^search/ }).getAttribute('href')).toBe(
      '/d/x?var-api=search&var-provider=acme&from=now-1h&to=now'
    );
  });

  it('uses the default detail link, and focusable non-links when the template is empty', () => {
    const { unmount } = renderBoard();
    expect(screen.getByRole('link', { name: /^maps/ })).toHaveAttribute('href', '/d/apimon-api?var-api=maps');
    unmount();
    renderBoard({ linkTemplate: '' });
    expect(screen.queryAllByRole('link')).toHaveLength(0);
    expect(tiles().every((t) => t.tabIndex === 0)).toBe(true);
  });

  it('moves keyboard focus through the tiles in board order and shows exact values', async () => {
    const user = userEvent.setup();
    renderBoard();
    await user.tab();
    expect(document.activeElement).toBe(tiles()[0]);
    await user.tab();
    expect(document.activeElement).toBe(tiles()[1]);
    expect(await screen.findByRole('tooltip')).toHaveTextContent('1.95 s (threshold 0.2 s)');
  });

  it('has one tooltip for the board: it follows the pointer, describes its tile and closes on leave and Escape', async () => {
    const user = userEvent.setup();
    renderBoard();
    const list = screen.getByRole('list', { name: /API health/ });
    await user.hover(tiles()[3]);
    const tip = await screen.findByRole('tooltip');
    expect(tip).toHaveTextContent(/^pay-slow/);
    expect(tip).toHaveTextContent('0.4875 s (threshold 0.2 s)');
    const described = tiles()[3].getAttribute('aria-describedby');
    expect(described).toBeTruthy();
    expect(tip.querySelector(`[id="${described}"]`)).not.toBeNull();

    await user.hover(tiles()[8]);
    expect(screen.getAllByRole('tooltip')).toHaveLength(1);
    expect(screen.getByRole('tooltip')).toHaveTextContent(/^search/);
    expect(tiles()[3]).not.toHaveAttribute('aria-describedby');

    await user.unhover(list);
    expect(screen.queryByRole('tooltip')).toBeNull();

    await user.tab();
    expect(await screen.findByRole('tooltip')).toHaveTextContent(/^ad-feed/);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('tooltip')).toBeNull();
    expect(document.activeElement).toBe(tiles()[0]);
  });

  it('hides the KPIs not chosen', () => {
    renderBoard({ kpis: ['errors'] });
    const crm = screen.getByRole('link', { name: /^crm-down/ });
    expect(crm).toHaveTextContent('100% / 1.0%');
    expect(crm.querySelector('[data-kpi="latency"]')).toBeNull();
    expect(crm.querySelector('[data-kpi="provider"]')).toBeNull();
    expect(screen.queryAllByTestId('sparkline')).toHaveLength(0);
    expect(screen.queryAllByRole('meter')).toHaveLength(0);
  });

  it('lays out a grid from the minimum tile width, a list, or compact cells', () => {
    const { unmount } = renderBoard({ minTileWidth: 333 });
    // (1200 - 16 px of scrollbar + 8) / (333 + 8 gap) = 3 columns.
    expect(screen.getByRole('list', { name: /API health/ }).style.gridTemplateColumns).toBe(
      'repeat(3, minmax(0, 1fr))'
    );
    unmount();
    const list = renderBoard({ layout: 'list' }, undefined, 1300);
    expect(screen.getByRole('list', { name: /API health/ }).style.gridTemplateColumns).toBe('1fr');
    expect(tiles()[0].style.gridTemplateColumns).toContain('minmax(');
    list.unmount();
    renderBoard({ layout: 'compact' });
    const crm = screen.getByRole('link', { name: /^crm-down/ });
    // A compact cell: the name and the worst reason only.
    expect(crm).toHaveTextContent('crm-downp95 1.95 s > 200 ms');
    expect(crm.querySelector('[data-kpi]')).toBeNull();
  });

  it('re-colours tiles when thresholds are overridden', () => {
    renderBoard({ latencyThresholdSeconds: 0.05, errorThreshold: 0.5, headroomThreshold: 0 });
    expect(screen.getByRole('link', { name: /^search/ })).toHaveAttribute('data-severity', 'critical');
    expect(screen.getByRole('link', { name: /^search/ })).toHaveTextContent('98 ms / 50 ms');
    // sms-quota had 0% headroom against 15%; against 0% it is only slow now.
    expect(screen.getByRole('link', { name: /^sms-quota/ })).toHaveAccessibleName(/p95 98 ms > 50 ms/);
    expect(screen.getByRole('link', { name: /^sms-quota/ })).not.toHaveAccessibleName(/headroom/);
  });

  it('colours provider statuses as the dashboards do: degraded yellow, partial outage orange', () => {
    const degraded = (r: EngineResult): EngineResult => ({
      ...r,
      tables: r.tables.map((t) => {
        const apis = t.columns.find((c) => c.name === 'api')?.values ?? [];
        return {
          ...t,
          columns: t.columns.map((c) =>
            c.name === 'providerStatus' ? { ...c, values: c.values.map((v, i) => (apis[i] === 'maps' ? 'degraded' : v)) } : c
          ),
        };
      }),
    });
    renderBoard({}, panelData(recordedFrames(degraded)));
    const pill = (api: string) => screen.getByRole('link', { name: new RegExp(`^${api}:`) }).querySelector('[data-kpi="provider"] > span')!;
    const theme = createTheme();
    expect(pill('maps')).toHaveTextContent('Degraded');
    expect((pill('maps') as HTMLElement).style.color).toBe(toRgb(theme.visualization.getColorByName('yellow')));
    expect(pill('geo-errors')).toHaveTextContent('Partial outage');
    expect((pill('geo-errors') as HTMLElement).style.color).toBe(toRgb(theme.visualization.getColorByName('orange')));
  });

  it('explains a query error and what to check', () => {
    renderBoard(
      {},
      panelData([], { state: LoadingState.Error, errors: [{ message: 'Prometheus did not answer: ECONNREFUSED' }] })
    );
    expect(screen.getByRole('status')).toHaveTextContent('The query failed');
    expect(screen.getByRole('status')).toHaveTextContent('Prometheus did not answer: ECONNREFUSED');
    expect(screen.getByRole('status')).toHaveTextContent('Save & test');
  });

  it('explains no data, loading, and an empty summary', () => {
    const { unmount, rerender } = renderBoard({}, panelData([]));
    expect(screen.getByRole('status')).toHaveTextContent('No data');
    expect(screen.getByRole('status')).toHaveTextContent('query kind "Summary"');
    rerender(<HealthBoardPanel {...panelProps(panelData([], { state: LoadingState.Loading }))} />);
    expect(screen.getByRole('status')).toHaveTextContent('Loading APIs');
    unmount();
    renderBoard(
      {},
      panelData(
        recordedFrames((r) => ({
          ...r,
          series: [],
          tables: r.tables.map((t) => ({ ...t, columns: t.columns.map((c) => ({ ...c, values: [] })) })),
        }))
      )
    );
    expect(screen.getByRole('status')).toHaveTextContent('No APIs match');
    expect(screen.getByRole('status')).toHaveTextContent('widen the query');
  });

  it('names the missing fields when the data is not a summary', () => {
    renderBoard({}, panelData(recordedFrames((r) => ({ ...r, tables: [] }))));
    expect(screen.getByRole('status')).toHaveTextContent('This data is not an apimon summary');
    expect(screen.getByRole('status')).toHaveTextContent('Missing field: api (the query returned Time, Value).');
  });

  it('shows partial data with a note naming the absent fields and the source warnings', () => {
    const dropped = new Set(['headroomRatio', 'rateLimitRemaining', 'tlsExpiresAt']);
    renderBoard(
      {},
      panelData(
        recordedFrames((r) => ({
          ...r,
          warnings: ['provider status per API and incident titles unavailable: connection refused'],
          tables: r.tables.map((t) => ({ ...t, columns: t.columns.filter((c) => !dropped.has(c.name)) })),
        })),
        // A second query of the panel failed; the rows that came are still shown.
        { state: LoadingState.Error, errors: [{ message: 'B: timeout' }] }
      )
    );
    const notes = screen.getAllByRole('note').map((n) => n.textContent);
    expect(notes[0]).toContain('Missing fields headroomRatio, rateLimitRemaining, tlsExpiresAt');
    expect(notes[1]).toContain('incident titles unavailable');
    expect(notes[2]).toContain('Part of the query failed: B: timeout');
    expect(tiles()).toHaveLength(9);
    expect(screen.getByRole('link', { name: /^sms-quota/ })).toHaveTextContent('no rate limit seen');
  });

  it('renders only the rows in view of a big board, and Tab walks on past them', async () => {
    const many = recordedFrames((r) => {
      const t = r.tables[0];
      const n = 120;
      return {
        ...r,
        series: [],
        tables: [
          {
            ...t,
            columns: t.columns.map((c) => ({
              ...c,
              values: Array.from({ length: n }, (_, i) =>
                c.name === 'api' ? `api-${String(i).padStart(3, '0')}` : c.values[i % c.values.length]
              ),
            })),
          },
        ],
      };
    });
    const user = userEvent.setup();
    renderBoard({}, panelData(many));
    const rendered = screen.getByRole('list', { name: /API health, 120 APIs/ }).querySelectorAll('li');
    // 4 columns, 600 px high: the visible rows and one more each side.
    expect(rendered.length).toBeLessThan(40);
    expect(rendered[0]).toHaveAttribute('aria-setsize', '120');
    const lastRendered = rendered[rendered.length - 1];
    const index = Number(lastRendered.dataset.index);
    act(() => (lastRendered.firstElementChild as HTMLElement).focus());
    await user.tab();
    expect(document.activeElement?.parentElement).toHaveAttribute('data-index', String(index + 1));
    expect(document.activeElement?.parentElement).toHaveAttribute('aria-posinset', String(index + 2));
  });
});
