import '../../test-support/dom';
import React, { useState } from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import type { BackendSrv, TemplateSrv } from '@grafana/runtime';
import { dataProxyFor, instanceSettings } from '../../../test/helpers/datasource-instance';
import { ensureGlobalFetch } from '../../../test/helpers/http-fetch';
import { PROBER_TOKEN, startApimonStore, type ApimonStore } from '../../../test/helpers/apimon-store';
import { createTemplateSrv } from '../../../test/helpers/template-srv';
import { setupUser } from '../../test-support/user';
import { ApimonDataSource } from '../datasource';
import type { ApimonVariableQuery } from '../types';
import { VariableQueryEditor } from './VariableQueryEditor';

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
  mockTemplateSrv = createTemplateSrv([{ name: 'provider', value: ['stripe'], multi: true }]);
  ds = new ApimonDataSource(instanceSettings(jsonData));
});
afterAll(async () => {
  await store?.stop();
});

function renderEditor(initial: ApimonVariableQuery) {
  const latest = { query: initial };
  function Harness() {
    const [query, setQuery] = useState(initial);
    return (
      <VariableQueryEditor
        datasource={ds}
        query={query}
        onChange={(q) => {
          latest.query = q;
          setQuery(q);
        }}
        onRunQuery={() => {}}
      />
    );
  }
  render(<Harness />);
  return latest;
}

describe('VariableQueryEditor', () => {
  it('lists API values by default and offers provider and criticality as narrowing filters', () => {
    renderEditor({ refId: 'v', label: 'api' });
    expect(screen.getByRole('combobox', { name: 'Variable label' })).toHaveValue('api');
    expect(screen.getByRole('combobox', { name: 'provider filter' })).toBeInTheDocument();
    expect(screen.getByRole('combobox', { name: 'criticality filter' })).toBeInTheDocument();
    expect(screen.queryByRole('combobox', { name: 'endpoint filter' })).not.toBeInTheDocument();
  });

  it('switches to endpoints, keeping only the filters that still apply', async () => {
    const user = setupUser();
    const latest = renderEditor({ refId: 'v', label: 'api', criticality: 'critical', provider: 'stripe' });
    await user.click(screen.getByRole('combobox', { name: 'Variable label' }));
    await user.click(await screen.findByRole('option', { name: 'endpoint' }));
    expect(latest.query.label).toBe('endpoint');
    expect(latest.query.provider).toBe('stripe');
    expect(latest.query.criticality).toBeUndefined();
    expect(screen.getByRole('combobox', { name: 'api filter' })).toBeInTheDocument();
  });

  it('narrows by a filter chosen from the store or a dashboard variable, and the values follow', async () => {
    const user = setupUser();
    const latest = renderEditor({ refId: 'v', label: 'api' });
    await user.click(screen.getByRole('combobox', { name: 'provider filter' }));
    const listbox = await screen.findByRole('listbox');
    await waitFor(() => expect(within(listbox).getByRole('option', { name: /mapbox/ })).toBeInTheDocument());
    expect(within(listbox).getByRole('option', { name: /\$provider/ })).toBeInTheDocument();
    await user.click(within(listbox).getByRole('option', { name: /\$provider/ }));
    expect(latest.query.provider).toBe('$provider');
    // What Grafana would list for this variable: the APIs of $provider (= stripe).
    expect((await ds.metricFindQuery(latest.query)).map((v) => v.text)).toEqual(['payments']);
  });
});
