import '../../test-support/dom';
import React, { useState } from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import { setupUser } from '../../test-support/user';
import { CoreApp, getDefaultTimeRange, type DataSourceApi } from '@grafana/data';
import type { BackendSrv, TemplateSrv } from '@grafana/runtime';
import { dataProxyFor, instanceSettings } from '../../../test/helpers/datasource-instance';
import { ensureGlobalFetch } from '../../../test/helpers/http-fetch';
import { KNOWN, PROBER_TOKEN, startApimonStore, type ApimonStore } from '../../../test/helpers/apimon-store';
import { createTemplateSrv } from '../../../test/helpers/template-srv';
import { ApimonDataSource } from '../datasource';
import type { ApimonDataQuery } from '../types';
import { QueryEditor } from './QueryEditor';
import { EXAMPLES, QueryHelp } from './QueryHelp';

let mockBackendSrv: BackendSrv;
let mockTemplateSrv: Pick<TemplateSrv, 'replace' | 'getVariables'>;
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockBackendSrv,
  getTemplateSrv: () => mockTemplateSrv,
}));
ensureGlobalFetch();

let store: ApimonStore;
let ds: ApimonDataSource;

beforeAll(async () => {
  store = await startApimonStore({ rates: false });
  const { proxy, jsonData } = dataProxyFor({ storeUrl: store.prometheus.url, proberUrl: store.proberUrl, proberToken: PROBER_TOKEN });
  mockBackendSrv = proxy.backendSrv;
  mockTemplateSrv = createTemplateSrv([{ name: 'api', value: ['payments'], multi: true }]);
  ds = new ApimonDataSource(instanceSettings(jsonData));
});
afterAll(async () => {
  await store?.stop();
});

/** The editor with state, as a panel's query row holds it; returns the latest query and run count. */
function renderEditor(initial: ApimonDataQuery) {
  const latest = { query: initial, runs: 0 };
  function Harness() {
    const [query, setQuery] = useState(initial);
    return (
      <QueryEditor
        datasource={ds}
        query={query}
        range={getDefaultTimeRange()}
        onChange={(q) => {
          latest.query = q;
          setQuery(q);
        }}
        onRunQuery={() => latest.runs++}
      />
    );
  }
  render(<Harness />);
  return latest;
}

const generated = () => screen.getByLabelText('Generated PromQL').textContent ?? '';

describe('QueryEditor', () => {
  it('starts from the default query: p95 latency by API, with its PromQL shown', () => {
    const defaults = ds.getDefaultQuery(CoreApp.PanelEditor);
    expect(defaults).toEqual({ kind: 'latency', percentiles: ['p95'], groupBy: 'api' });
    renderEditor({ refId: 'A', ...defaults });
    expect(screen.getByRole('combobox', { name: 'Query kind' })).toHaveValue('Latency');
    expect(generated()).toContain('histogram_quantile(0.95');
    expect(generated()).toContain('apimon_probe_duration_seconds_bucket');
    expect(screen.getByText('p95')).toBeInTheDocument();
  });

  it('switches kind, shows that kind’s options and regenerates the PromQL', async () => {
    const user = setupUser();
    const latest = renderEditor({ refId: 'A', kind: 'latency' });
    expect(screen.getByLabelText('Percentiles')).toBeInTheDocument();

    await user.click(screen.getByRole('combobox', { name: 'Query kind' }));
    await user.click(await screen.findByRole('option', { name: /Rate limit/ }));
    expect(latest.query.kind).toBe('ratelimit');
    expect(latest.runs).toBe(1);
    expect(screen.queryByLabelText('Percentiles')).not.toBeInTheDocument();
    expect(screen.getByText('headroom')).toBeInTheDocument();
    expect(generated()).toContain('apimon_ratelimit_remaining');

    await user.click(screen.getByText('remaining'));
    expect(latest.query.rateLimitSignal).toBe('remaining');

    await user.click(screen.getByRole('combobox', { name: 'Query kind' }));
    await user.click(await screen.findByRole('option', { name: /Incidents/ }));
    expect(latest.query.kind).toBe('incidents');
    expect(screen.queryByLabelText('Group by')).not.toBeInTheDocument();
    expect(generated()).toContain('GET prober /api/v1/incidents');
  });

  it('offers the store’s APIs and the dashboard’s variables in the API picker', async () => {
    const user = setupUser();
    const latest = renderEditor({ refId: 'A', kind: 'latency' });
    await user.click(screen.getByRole('combobox', { name: 'api filter' }));
    const listbox = await screen.findByRole('listbox');
    await waitFor(() => expect(within(listbox).getByRole('option', { name: /payments/ })).toBeInTheDocument());
    expect(within(listbox).getByRole('option', { name: /geocoding/ })).toBeInTheDocument();
    expect(within(listbox).getByRole('option', { name: /\$api/ })).toBeInTheDocument();
    await user.click(within(listbox).getByRole('option', { name: /payments/ }));
    expect(latest.query.api).toBe('payments');
    expect(generated()).toContain('api=~"payments"');
  });

  it('narrows the endpoint picker by the chosen API and accepts a typed regex', async () => {
    const user = setupUser();
    const latest = renderEditor({ refId: 'A', kind: 'latency', api: 'payments' });
    await user.click(screen.getByRole('combobox', { name: 'endpoint filter' }));
    const listbox = await screen.findByRole('listbox');
    await waitFor(() => expect(within(listbox).getByRole('option', { name: /charges/ })).toBeInTheDocument());
    expect(within(listbox).queryByRole('option', { name: /forward/ })).not.toBeInTheDocument();
    await user.keyboard('{Escape}');

    const provider = screen.getByRole('combobox', { name: 'provider filter' });
    await user.click(provider);
    await user.keyboard('str.*{Enter}');
    expect(latest.query.provider).toBe('str.*');
  });

  it('edits percentiles and grouping of a latency query', async () => {
    const user = setupUser();
    const latest = renderEditor({ refId: 'A', kind: 'latency', percentiles: ['p95'] });
    await user.click(screen.getByRole('combobox', { name: 'Percentiles' }));
    await user.click(await screen.findByRole('option', { name: 'p99' }));
    expect(latest.query.percentiles).toEqual(['p95', 'p99']);
    expect(generated()).toContain('histogram_quantile(0.99');
    await user.click(screen.getByText('provider'));
    expect(latest.query.groupBy).toBe('provider');
    expect(generated()).toMatch(/by \([^)]*provider/);
  });

  it('sets the summary window', async () => {
    const user = setupUser();
    const latest = renderEditor({ refId: 'A', kind: 'summary' });
    await user.click(screen.getByLabelText('Summary window'));
    await user.paste('1h');
    await user.tab();
    expect(latest.query.window).toBe('1h');
    expect(generated()).toContain('[1h]');
  });

  it('shows the engine’s error instead of PromQL for an invalid query', () => {
    renderEditor({ refId: 'A', kind: 'availability', sloTarget: 2 });
    expect(screen.queryByLabelText('Generated PromQL')).not.toBeInTheDocument();
    expect(screen.getByText(/sloTarget: 2 must be a ratio between 0 and 1/)).toBeInTheDocument();
  });
});

describe('QueryHelp', () => {
  it('offers examples that fill the query', async () => {
    const user = setupUser();
    const onClickExample = jest.fn();
    render(<QueryHelp datasource={ds as unknown as DataSourceApi<ApimonDataQuery>} query={{ refId: 'B' }} onClickExample={onClickExample} />);
    await user.click(screen.getAllByRole('button', { name: 'Use' })[0]);
    expect(onClickExample).toHaveBeenCalledWith({ ...EXAMPLES[0].query, refId: 'B' });
    expect(screen.getByText(/p95 latency of the payments API/)).toBeInTheDocument();
    expect(KNOWN.payments.provider).toBe('stripe');
  });
});
