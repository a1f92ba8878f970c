import type { RawSeries } from '../query/response';
import { alertEpisodes, alertHistorySelector, alertStats, incidentWindows } from './alerts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 10, 14);

/** One sample a minute from `fromMin` to `toMin` (exclusive), minutes after T0. */
function series(labels: Record<string, string>, fromMin: number, toMin: number): RawSeries {
  const timestamps: number[] = [];
  for (let m = fromMin; m < toMin; m++) {
    timestamps.push(T0 + m * MIN);
  }
  return { labels, timestamps, values: timestamps.map(() => 1) };
}

const base = {
  alertname: 'ApimonErrorRatioHigh',
  api: 'payments',
  provider: 'acme',
  severity: 'critical',
  source: 'apimon',
};

describe('alert history', () => {
  it('selects both histories of apimon alerts, for one API when asked', () => {
    expect(alertHistorySelector()).toBe(
      '{__name__=~"ALERTS|GRAFANA_ALERTS", source="apimon", alertstate=~"pending|firing"}'
    );
    expect(alertHistorySelector('a"b')).toContain('api="a\\"b"');
  });

  it('turns pending then firing samples into one episode: onset, firing, resolution one evaluation after the last sample', () => {
    const episodes = alertEpisodes(
      [series({ ...base, alertstate: 'pending' }, 0, 5), series({ ...base, alertstate: 'firing' }, 5, 65)],
      { endMs: T0 + 120 * MIN }
    );
    expect(episodes).toHaveLength(1);
    expect(episodes[0]).toMatchObject({
      onsetAt: T0,
      firingAt: T0 + 5 * MIN,
      resolvedAt: T0 + 65 * MIN,
      severity: 'critical',
    });
  });

  it('a missed evaluation does not split an episode; a longer gap does; the store name does not matter', () => {
    const firing = series({ ...base, alertstate: 'firing' }, 0, 10);
    const oneMissing: RawSeries = {
      ...firing,
      timestamps: firing.timestamps.filter((_, i) => i !== 4),
      values: firing.values.slice(1),
    };
    expect(alertEpisodes([oneMissing], { endMs: T0 + 60 * MIN })).toHaveLength(1);
    const twoEpisodes = [
      series({ ...base, alertstate: 'firing' }, 0, 10),
      series({ ...base, alertstate: 'firing', __name__: 'GRAFANA_ALERTS' }, 20, 30),
    ];
    const e = alertEpisodes(twoEpisodes, { endMs: T0 + 60 * MIN });
    expect(e.map((x) => [x.firingAt, x.resolvedAt])).toEqual([
      [T0, T0 + 10 * MIN],
      [T0 + 20 * MIN, T0 + 30 * MIN],
    ]);
  });

  it('an alert seen at the end of the history is still active; one that never fired has no firing time', () => {
    const e = alertEpisodes(
      [
        series({ ...base, alertstate: 'firing' }, 0, 30),
        series({ ...base, alertname: 'ApimonLatencyHigh', alertstate: 'pending' }, 40, 43),
      ],
      { endMs: T0 + 29 * MIN + 30_000 }
    );
    expect(e.find((x) => x.alertname === 'ApimonErrorRatioHigh')!.resolvedAt).toBeNull();
    expect(e.find((x) => x.alertname === 'ApimonLatencyHigh')!.firingAt).toBeNull();
  });

  it('counts fired alerts, firing time (overlaps once, clipped to the period), time to detect and to resolve', () => {
    const episodes = alertEpisodes(
      [
        series({ ...base, alertstate: 'pending' }, 0, 5),
        series({ ...base, alertstate: 'firing' }, 5, 65),
        // Overlapping second alert of the same API.
        series({ ...base, alertname: 'ApimonApiDown', alertstate: 'pending' }, 30, 32),
        series({ ...base, alertname: 'ApimonApiDown', alertstate: 'firing' }, 32, 80),
        // Pending only: not fired.
        series({ ...base, alertname: 'ApimonLatencyHigh', alertstate: 'pending' }, 100, 103),
      ],
      { endMs: T0 + 200 * MIN }
    );
    const stats = alertStats(episodes, T0, T0 + 200 * MIN);
    expect(stats.alertsFired).toBe(2);
    expect(stats.alertFiringSeconds).toBe(75 * 60);
    expect(stats.meanSecondsToDetect).toBe((5 * 60 + 2 * 60) / 2);
    expect(stats.meanSecondsToResolve).toBe((60 * 60 + 48 * 60) / 2);
    // Clipped: the period ends 20 minutes into the first episode.
    expect(alertStats(episodes, T0, T0 + 20 * MIN).alertFiringSeconds).toBe(15 * 60);
  });

  it('incident windows: critical and warning alerts of one API that overlap are one window, short or info ones are not', () => {
    const episodes = alertEpisodes(
      [
        series({ ...base, alertstate: 'firing' }, 0, 30),
        series({ ...base, alertname: 'ApimonApiDown', severity: 'warning', alertstate: 'firing' }, 20, 50),
        series({ ...base, alertname: 'ApimonLatencyHigh', alertstate: 'firing' }, 100, 103),
        series({ ...base, api: 'ads', severity: 'info', alertstate: 'firing' }, 0, 100),
      ],
      { endMs: T0 + 200 * MIN }
    );
    const windows = incidentWindows(episodes, { minFiringMs: 5 * MIN, endMs: T0 + 200 * MIN });
    expect(windows).toEqual([
      {
        api: 'payments',
        provider: 'acme',
        severity: 'critical',
        alerts: ['ApimonApiDown', 'ApimonErrorRatioHigh'],
        startedAt: T0,
        detectedAt: T0,
        resolvedAt: T0 + 50 * MIN,
        firingSeconds: 50 * 60,
      },
    ]);
  });
});
