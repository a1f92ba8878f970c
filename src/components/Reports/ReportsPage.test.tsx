// The Reports page with the real apimon data source, reaching a real Prometheus (the end of last
// month, with an incident) and a prober API through the test data proxy: only Grafana's
// getBackendSrv and getDataSourceSrv are replaced, as Grafana would provide them.
import React from 'react';
import { render, screen, waitFor, within } from '@testing-library/react';
import type { BackendSrv } from '@grafana/runtime';
import { dataProxyFor, instanceSettings } from '../../../test/helpers/datasource-instance';
import { ensureGlobalFetch } from '../../../test/helpers/http-fetch';
import { SMALL_MONTH, startSmallReportStore, type SmallReportStore } from '../../../test/helpers/report-small';
import { toolsAvailable } from '../../../test/helpers/store';
import { ApimonDataSource } from '../../datasource/datasource';
import '../../test-support/dom';
import { setupUser } from '../../test-support/user';
import { ReportsPage } from './ReportsPage';

let mockBackendSrv: BackendSrv;
let mockDataSource: ApimonDataSource | undefined;
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockBackendSrv,
  getDataSourceSrv: () => ({
    getList: () =>
      mockDataSource ? [{ uid: 'apimon-test', name: 'apimon (test)', type: 'apimon-apimon-datasource' }] : [],
    get: async () => mockDataSource,
  }),
}));

const describeStore = toolsAvailable() ? describe : describe.skip;
/** Two hours into the month after the report's month. */
const NOW = SMALL_MONTH.toMs + 2 * 3_600_000;

describeStore('the Reports page', () => {
  let store: SmallReportStore;

  beforeAll(async () => {
    ensureGlobalFetch();
    store = await startSmallReportStore();
    const { proxy, jsonData } = dataProxyFor({ storeUrl: store.storeUrl, proberUrl: store.proberUrl });
    mockBackendSrv = proxy.backendSrv;
    mockDataSource = new ApimonDataSource(instanceSettings({ ...jsonData, scrapeInterval: '15s' }));
  }, 120_000);

  afterAll(async () => {
    await store?.stop();
  });

  const frame = async (title: RegExp) =>
    (await screen.findByTitle(title, {}, { timeout: 30_000 })) as HTMLIFrameElement;

  it("shows last month's report through the data source, printable and downloadable", async () => {
    const user = setupUser();
    render(<ReportsPage now={() => NOW} />);
    const iframe = await frame(new RegExp(`Monthly report ${SMALL_MONTH.month}`));
    const html = iframe.getAttribute('srcdoc')!;
    expect(html).toContain('Third-party API report');
    expect(html).toContain('payments');
    // 30 % of an hour's probes out of three hours.
    expect(html).toContain('90.0%');
    // No scripts run in the report's frame.
    expect(iframe.getAttribute('sandbox')).toBe('allow-same-origin allow-modals');
    expect(screen.getByText(/From the data source apimon/)).toBeInTheDocument();

    const print = jest.fn();
    Object.defineProperty(iframe.contentWindow!, 'print', { value: print, configurable: true });
    await user.click(screen.getByRole('button', { name: 'Print' }));
    expect(print).toHaveBeenCalledTimes(1);

    const blobs: Blob[] = [];
    Object.assign(URL, { createObjectURL: (b: Blob) => (blobs.push(b), 'blob:report'), revokeObjectURL: () => {} });
    // jsdom cannot navigate: the download link's click is recorded instead.
    const downloads: string[] = [];
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement
    ) {
      downloads.push(this.download);
    });
    await user.click(screen.getByRole('button', { name: 'JSON' }));
    click.mockRestore();
    expect(downloads).toEqual([`apimon-report-${SMALL_MONTH.month}.json`]);
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(blobs[0]);
    });
    const json = JSON.parse(text);
    expect(json.month).toBe(SMALL_MONTH.month);
    expect(json.apis.map((a: { api: string }) => a.api)).toEqual(['payments', 'crm']);
  });

  it("lists the month's incidents and shows the report of the one picked", async () => {
    const user = setupUser();
    render(<ReportsPage now={() => NOW} initialKind="incident" />);
    const picker = await screen.findByRole('combobox', { name: 'Incident' }, { timeout: 30_000 });
    await user.click(picker);
    const option = await screen.findByRole('option', { name: /^payments · critical · / });
    await user.click(option);
    const iframe = await frame(/^Incident payments-/);
    const html = iframe.getAttribute('srcdoc')!;
    expect(html).toContain('Incident report: payments');
    expect(html).toContain('ApimonErrorRatioHigh [critical] firing');
    expect(html).toContain('Still to be written');
  });

  it('says so when the month had no incident, and when no apimon data source exists', async () => {
    const user = setupUser();
    render(<ReportsPage now={() => NOW} initialKind="incident" />);
    await screen.findByRole('combobox', { name: 'Incident' }, { timeout: 30_000 });
    await user.click(screen.getByRole('combobox', { name: 'Month' }));
    const earlier = within(await screen.findByRole('listbox')).getAllByRole('option')[3];
    await user.click(earlier);
    expect(await screen.findByText(/^No incidents in /, {}, { timeout: 30_000 })).toBeInTheDocument();

    const saved = mockDataSource;
    mockDataSource = undefined;
    try {
      render(<ReportsPage now={() => NOW} />);
      await waitFor(() => expect(screen.getByText(/no apimon data source is configured/)).toBeInTheDocument());
    } finally {
      mockDataSource = saved;
    }
  });
});
