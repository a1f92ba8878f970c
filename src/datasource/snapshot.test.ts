// The monthly dashboard as a Grafana snapshot (Share, Snapshot). A snapshot keeps, per panel, the
// data frames the panel had loaded, and nothing queries again when it is opened. So every panel
// must draw only from its frames, every panel must have loaded (Grafana loads only what is on
// screen unless the dashboard preloads), and the apimon data source's frames must survive the
// serialization a snapshot is (toDataFrameDTO, JSON, toDataFrame) with their values, units,
// thresholds, links and value mappings: checked here on frames from a real Prometheus.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dateTime, toDataFrame, toDataFrameDTO, type DataFrame, type DataQueryRequest } from '@grafana/data';
import type { BackendSrv } from '@grafana/runtime';
import { dataProxyFor, instanceSettings } from '../../test/helpers/datasource-instance';
import { ensureGlobalFetch } from '../../test/helpers/http-fetch';
import { SMALL_MONTH, startSmallReportStore, type SmallReportStore } from '../../test/helpers/report-small';
import { toolsAvailable } from '../../test/helpers/store';
import { createTemplateSrv } from '../../test/helpers/template-srv';
import { ApimonDataSource } from './datasource';
import type { ApimonDataQuery } from './types';

let mockBackendSrv: BackendSrv;
// The dashboard's variables with every value picked, as the snapshot of the whole month freezes them.
const mockTemplateSrv = createTemplateSrv([
  { name: 'criticality', value: ['critical'], multi: true },
  { name: 'provider', value: ['acme-pay', 'crmco', 'textly'], multi: true },
  { name: 'api', value: ['payments', 'crm'], multi: true },
]);
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => mockBackendSrv,
  getTemplateSrv: () => mockTemplateSrv,
}));

interface PanelJson {
  id: number;
  type: string;
  title: string;
  repeat?: string;
  libraryPanel?: unknown;
  collapsed?: boolean;
  panels?: PanelJson[];
  targets?: Array<ApimonDataQuery & { datasource: { type: string; uid: string } }>;
}

const MONTHLY = JSON.parse(readFileSync(join(__dirname, '..', '..', 'dashboards', 'apimon-monthly.json'), 'utf8')) as {
  preload?: boolean;
  panels: PanelJson[];
};

/** Grafana's own panels that draw what their frames hold and query nothing themselves. */
const FRAME_ONLY_PANELS = ['text', 'table', 'timeseries', 'stat', 'bargauge', 'apimon-healthboard-panel'];

describe('the monthly dashboard as a Grafana snapshot', () => {
  it('preloads every panel, so panels below the fold have data when the snapshot is taken', () => {
    expect(MONTHLY.preload).toBe(true);
  });

  it('every panel draws from its frames: no row to expand, no repeat, no library panel, no panel that queries on its own', () => {
    for (const p of MONTHLY.panels) {
      expect({ panel: p.title, type: p.type, repeat: p.repeat, library: p.libraryPanel, rows: p.panels }).toEqual({
        panel: p.title,
        type: expect.stringMatching(new RegExp(`^(${FRAME_ONLY_PANELS.join('|')})$`)),
        repeat: undefined,
        library: undefined,
        rows: undefined,
      });
    }
  });

  const describeStore = toolsAvailable() ? describe : describe.skip;
  describeStore('the apimon data source frames of its panels', () => {
    let store: SmallReportStore;
    let ds: ApimonDataSource;

    beforeAll(async () => {
      ensureGlobalFetch();
      store = await startSmallReportStore();
      const { proxy, jsonData } = dataProxyFor({ storeUrl: store.storeUrl, proberUrl: store.proberUrl });
      mockBackendSrv = proxy.backendSrv;
      ds = new ApimonDataSource(instanceSettings({ ...jsonData, scrapeInterval: '15s' }));
    }, 120_000);

    afterAll(async () => {
      await store?.stop();
    });

    const apimonPanels = MONTHLY.panels.filter((p) =>
      p.targets?.some((t) => t.datasource.type === 'apimon-apimon-datasource')
    );

    it.each(apimonPanels.map((p) => [p.title, p] as const))(
      '"%s" keeps its data, units, thresholds and links through a snapshot',
      async (_title, panel) => {
        // The whole month, as the dashboard's 30 days are when the snapshot is taken.
        const from = dateTime(SMALL_MONTH.fromMs);
        const to = dateTime(SMALL_MONTH.toMs);
        const request = {
          targets: panel.targets!,
          range: { from, to, raw: { from, to } },
          interval: '1h',
          intervalMs: 3_600_000,
          maxDataPoints: 1000,
          scopedVars: {},
          timezone: 'utc',
          app: 'dashboard',
          requestId: `snapshot-${panel.id}`,
          startTime: Date.now(),
        } as unknown as DataQueryRequest<ApimonDataQuery>;
        const response = await ds.query(request);
        expect(response.errors).toBeUndefined();
        const frames = response.data as DataFrame[];
        expect(frames.length).toBeGreaterThan(0);
        expect(frames.some((f) => (f.fields[0]?.values.length ?? 0) > 0)).toBe(true);
        // What a snapshot stores and what it reads back.
        const stored = JSON.parse(JSON.stringify(frames.map((f) => toDataFrameDTO(f))));
        const restored = stored.map((dto: unknown) => toDataFrame(dto));
        expect(restored.map(shape)).toEqual(frames.map(shape));
      },
      60_000
    );
  });
});

/** Everything a panel draws from: names, types, values (NaN and Infinity as JSON keeps them: null) and config. */
function shape(frame: DataFrame) {
  return {
    name: frame.name,
    refId: frame.refId,
    fields: frame.fields.map((f) => ({
      name: f.name,
      type: f.type,
      labels: f.labels,
      values: [...f.values].map((v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)),
      config: JSON.parse(JSON.stringify(f.config)),
    })),
  };
}
