// Resolves an endpoint's load-test policy: the API's `loadTest` with the endpoint's fields over
// it, one by one (`abort` too), defaults filled in, and what a schema cannot check: maxRate is
// required wherever load is allowed, default rates stay under it, a staging URL is per endpoint.
import { parseDuration, parseRatio } from '../units';
import { LOADTEST_DEFAULTS } from './defaults';
import type { LoadTestFile } from './schema';
import type { LoadTestPolicy } from './types';

type PathSegment = string | number;

export interface LoadTestIssue {
  path: PathSegment[];
  message: string;
  value?: string;
}

const MIN_STAGE_MS = 1_000;
const MAX_STAGE_MS = 3_600_000;

/** Checks of one `loadTest` block on its own (where it is written). */
function blockIssues(block: LoadTestFile, at: PathSegment[], level: 'api' | 'endpoint'): LoadTestIssue[] {
  const issues: LoadTestIssue[] = [];
  if (level === 'api' && block.url !== undefined) {
    issues.push({
      path: [...at, 'url'],
      message: 'a staging URL belongs to one endpoint: set it under endpoints[].loadTest.url',
      value: JSON.stringify(block.url),
    });
  }
  if (block.stageDuration !== undefined) {
    const ms = parseDuration(block.stageDuration) ?? 0;
    if (ms < MIN_STAGE_MS || ms > MAX_STAGE_MS) {
      issues.push({ path: [...at, 'stageDuration'], message: 'must be between 1s and 1h', value: JSON.stringify(block.stageDuration) });
    }
  }
  return issues;
}

export function resolveLoadTest(
  api: LoadTestFile | undefined,
  endpoint: LoadTestFile | undefined,
  apiPath: PathSegment[],
  endpointPath: PathSegment[]
): { policy?: LoadTestPolicy; issues: LoadTestIssue[] } {
  if (api === undefined && endpoint === undefined) {
    return { issues: [] };
  }
  const apiAt = [...apiPath, 'loadTest'];
  const endpointAt = [...endpointPath, 'loadTest'];
  const issues = endpoint ? blockIssues(endpoint, endpointAt, 'endpoint') : [];
  const merged: LoadTestFile = { ...api, ...endpoint, url: endpoint?.url, abort: { ...api?.abort, ...endpoint?.abort } };
  // Messages point at the block a reader would fix: the endpoint's when it has one.
  const sourcePath = endpoint !== undefined ? endpointAt : apiAt;
  const allowed = merged.allowed ?? false;

  if (allowed && merged.maxRate === undefined) {
    issues.push({
      path: [...sourcePath, 'maxRate'],
      message: 'is required where loadTest.allowed is true: the most requests per second apimon may ever send',
    });
  }
  if (merged.maxRate !== undefined && merged.rates !== undefined) {
    const ratesAt = endpoint?.rates !== undefined ? endpointAt : apiAt;
    merged.rates.forEach((rate, i) => {
      if (rate > merged.maxRate!) {
        issues.push({ path: [...ratesAt, 'rates', i], message: `is above maxRate ${merged.maxRate} requests per second`, value: String(rate) });
      }
    });
  }
  const stageMs = merged.stageDuration === undefined ? undefined : parseDuration(merged.stageDuration);
  return {
    policy: {
      allowed,
      url: merged.url,
      maxRate: merged.maxRate,
      maxConcurrency: merged.maxConcurrency ?? LOADTEST_DEFAULTS.maxConcurrency,
      rates: merged.rates,
      stageDurationMs: stageMs ?? LOADTEST_DEFAULTS.stageDurationMs,
      abort: {
        errorRatio: (merged.abort?.errorRate === undefined ? undefined : parseRatio(merged.abort.errorRate)) ?? LOADTEST_DEFAULTS.abortErrorRatio,
        rateLimitedRatio:
          (merged.abort?.rateLimited === undefined ? undefined : parseRatio(merged.abort.rateLimited)) ?? LOADTEST_DEFAULTS.abortRateLimitedRatio,
      },
      sourcePath,
    },
    issues,
  };
}

/** Checks of an API-level block that apply once, not per endpoint. */
export function apiLoadTestIssues(api: LoadTestFile | undefined, apiPath: PathSegment[]): LoadTestIssue[] {
  return api === undefined ? [] : blockIssues(api, [...apiPath, 'loadTest'], 'api');
}
