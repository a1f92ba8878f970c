// Panel test data: the harness's recorded summary (a real engine result against the fault
// scenario), turned into frames by the data source's own code, and PanelProps around it.
import { dateTime, EventBusSrv, LoadingState, type DataFrame, type PanelData, type PanelProps } from '@grafana/data';
import type { EngineResult } from '@apimon/core';
import { resultToFrames } from '../../datasource/frames';
import { DEFAULT_OPTIONS, type HealthBoardOptions } from '../types';
import recording from '../../../scripts/harness/fixtures/scenario.json';

export const RECORDED_AT = recording.recordedAtMs;
export const RECORDED: EngineResult = recording.result as unknown as EngineResult;

export function recordedFrames(change: (r: EngineResult) => EngineResult = (r) => r): DataFrame[] {
  return resultToFrames(change(RECORDED), { refId: 'A', stepMs: 60_000 });
}

export function panelData(series: DataFrame[], extra: Partial<PanelData> = {}): PanelData {
  const to = dateTime(RECORDED_AT);
  return {
    state: LoadingState.Done,
    series,
    timeRange: { from: dateTime(RECORDED_AT - 3_600_000), to, raw: { from: 'now-1h', to: 'now' } },
    ...extra,
  };
}

export function panelProps(
  data: PanelData,
  options: Partial<HealthBoardOptions> = {},
  width = 1200
): PanelProps<HealthBoardOptions> {
  return {
    id: 1,
    data,
    timeRange: data.timeRange,
    timeZone: 'utc',
    options: { ...DEFAULT_OPTIONS, ...options },
    fieldConfig: { defaults: {}, overrides: [] },
    transparent: false,
    width,
    height: 600,
    renderCounter: 0,
    title: 'API health',
    eventBus: new EventBusSrv(),
    onOptionsChange: jest.fn(),
    onFieldConfigChange: jest.fn(),
    replaceVariables: (s: string) => s.replace('${__url_time_range}', 'from=now-1h&to=now'),
    onChangeTimeRange: jest.fn(),
  } as PanelProps<HealthBoardOptions>;
}
