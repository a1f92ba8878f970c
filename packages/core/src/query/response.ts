// Prometheus HTTP API responses -> plain series, and every way a store can fail -> one clear
// message naming the expression. Malformed responses are errors with a message, never a crash.
// The matrix conversion is the hot path (a 30-day dashboard: 50 series x 8,640 points), so it
// is one tight loop with no per-point allocation beyond the output arrays.
import { TransportError, type Target } from './types';

/** A query failed: the message is for the user and names the expression or path. */
export class QueryError extends Error {
  constructor(
    message: string,
    readonly target: Target,
    readonly expr?: string,
    readonly status?: number,
    /** The `code` of the prober API's error body (PROBER_ERRORS), when it sent one. */
    readonly code?: string
  ) {
    super(message);
    this.name = 'QueryError';
  }
}

export interface RawSeries {
  labels: Record<string, string>;
  timestamps: number[];
  values: Array<number | null>;
}

export interface RawSample {
  labels: Record<string, string>;
  timeMs: number;
  value: number | null;
}

/** Prometheus sample values are strings: "1.5", "NaN", "+Inf", "-Inf". NaN (no data) is null. */
export function parseSampleValue(raw: unknown): number | null {
  const n = +(raw as string);
  if (n === n) {
    return typeof raw === 'string' || typeof raw === 'number' ? n : null;
  }
  if (raw === '+Inf' || raw === 'Inf') {
    return Infinity;
  }
  if (raw === '-Inf') {
    return -Infinity;
  }
  return null;
}

function malformed(what: string, expr: string): QueryError {
  return new QueryError(`malformed response from the store for ${expr}: ${what}`, 'prometheus', expr);
}

/** The `data` of a successful response with the expected resultType, or a QueryError. */
function successData(body: unknown, expr: string, expected: 'matrix' | 'vector'): unknown[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw malformed(`expected a JSON object, got ${describeValue(body)}`, expr);
  }
  const b = body as { status?: unknown; data?: unknown; errorType?: unknown; error?: unknown };
  if (b.status === 'error') {
    throw storeError(b.errorType, b.error, expr, undefined);
  }
  if (b.status !== 'success') {
    throw malformed(
      `"status" is ${typeof b.status === 'string' ? JSON.stringify(b.status) : describeValue(b.status)}, not "success" (is this a Prometheus-compatible API?)`,
      expr
    );
  }
  const data = b.data as { resultType?: unknown; result?: unknown } | undefined;
  if (typeof data !== 'object' || data === null) {
    throw malformed('no "data" object', expr);
  }
  if (expected === 'vector' && data.resultType === 'scalar') {
    return [{ metric: {}, value: data.result }];
  }
  if (data.resultType !== expected) {
    throw malformed(
      `resultType is ${typeof data.resultType === 'string' ? JSON.stringify(data.resultType) : describeValue(data.resultType)}, expected "${expected}"`,
      expr
    );
  }
  if (!Array.isArray(data.result)) {
    throw malformed('"data.result" is not an array', expr);
  }
  return data.result;
}

function labelsOf(metric: unknown, expr: string): Record<string, string> {
  if (typeof metric !== 'object' || metric === null) {
    throw malformed('a series has no "metric" object', expr);
  }
  const out: Record<string, string> = {};
  for (const key in metric as Record<string, unknown>) {
    if (key !== '__name__') {
      const v = (metric as Record<string, unknown>)[key];
      out[key] = typeof v === 'string' ? v : String(v);
    }
  }
  return out;
}

/** A query_range response -> series. Timestamps in epoch ms. */
export function parseMatrix(body: unknown, expr: string): RawSeries[] {
  const result = successData(body, expr, 'matrix');
  const out: RawSeries[] = new Array(result.length);
  for (let s = 0; s < result.length; s++) {
    const item = result[s] as { metric?: unknown; values?: unknown };
    const points = item?.values;
    if (!Array.isArray(points)) {
      throw malformed(`series ${s} has no "values" array`, expr);
    }
    const n = points.length;
    const timestamps: number[] = new Array(n);
    const values: Array<number | null> = new Array(n);
    for (let i = 0; i < n; i++) {
      const p = points[i];
      const t = p?.[0];
      if (typeof t !== 'number') {
        throw malformed(`series ${s}, point ${i} is not a [time, "value"] pair`, expr);
      }
      timestamps[i] = Math.round(t * 1000);
      const raw = p[1];
      const v = +raw;
      values[i] = v === v && typeof raw === 'string' ? v : parseSampleValue(raw);
    }
    out[s] = { labels: labelsOf(item.metric, expr), timestamps, values };
  }
  return out;
}

/** A query (instant) response -> samples. A scalar result becomes one sample without labels. */
export function parseVector(body: unknown, expr: string): RawSample[] {
  const result = successData(body, expr, 'vector');
  return result.map((item, s) => {
    const v = (item as { value?: unknown })?.value;
    if (!Array.isArray(v) || typeof v[0] !== 'number') {
      throw malformed(`sample ${s} is not a [time, "value"] pair`, expr);
    }
    return {
      labels: labelsOf((item as { metric?: unknown }).metric, expr),
      timeMs: Math.round(v[0] * 1000),
      value: parseSampleValue(v[1]),
    };
  });
}

function describeValue(v: unknown): string {
  if (v === undefined) {
    return 'missing';
  }
  if (typeof v === 'string') {
    const text = v.trim().replace(/\s+/g, ' ');
    return `text "${text.length > 60 ? `${text.slice(0, 60)}...` : text}"`;
  }
  if (Array.isArray(v)) {
    return 'an array';
  }
  return v === null ? 'null' : typeof v === 'object' ? 'an object' : JSON.stringify(v);
}

const STORE = 'the Prometheus-compatible store';

function storeError(errorType: unknown, error: unknown, expr: string, status: number | undefined): QueryError {
  const type = typeof errorType === 'string' ? errorType : 'error';
  const text = typeof error === 'string' ? error : 'no message';
  let hint = '';
  if (type === 'timeout') {
    hint = ' (narrow the time range, raise the step or use fewer APIs)';
  } else if ((type === 'bad_data' && /regex|regular expression|parse/i.test(text)) || /invalid regexp|error parsing regexp/i.test(text)) {
    // Prometheus says bad_data; VictoriaMetrics answers 422 with its own words.
    hint = ' (check the filters: they are regular expressions)';
  } else if (type === 'execution' && /too many|samples|points/i.test(text)) {
    hint = ' (the range holds too many points: raise the step or narrow the range)';
  } else if (/too long query|maxQueryLen/.test(text)) {
    // VictoriaMetrics refuses queries over -search.maxQueryLen (16 KiB by default); the inline
    // real-traffic attribution is longer than that, its recorded series are not.
    hint =
      ' (load the recording rules of prometheus/recording.yml into the store, which shorten the real-traffic queries, or raise -search.maxQueryLen of victoria-metrics or vmselect)';
  }
  return new QueryError(`${STORE} rejected ${expr}: ${type}: ${text}${hint}`, 'prometheus', expr, status);
}

/**
 * Any failure of a store or prober call -> QueryError. `what` names the expression or path.
 * Transport convention (types.ts): no status = no response; a string body = not JSON.
 */
export function describeFailure(err: unknown, target: Target, what: string): QueryError {
  if (err instanceof QueryError) {
    return err;
  }
  const where = target === 'prometheus' ? STORE : 'the prober API';
  if (!(err instanceof TransportError)) {
    const message = err instanceof Error ? err.message : String(err);
    return new QueryError(`${where} could not be queried for ${what}: ${message}`, target, what);
  }
  const { status, body } = err;
  if (status === undefined) {
    return new QueryError(`${where} is unreachable (${err.message}) while running ${what}`, target, what);
  }
  if (
    target === 'prometheus' &&
    typeof body === 'object' &&
    body !== null &&
    (body as { status?: unknown }).status === 'error'
  ) {
    const b = body as { errorType?: unknown; error?: unknown };
    return storeError(b.errorType, b.error, what, status);
  }
  if (typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string') {
    const code = (body as { code?: unknown }).code;
    return new QueryError(
      `${where} answered HTTP ${status} for ${what}: ${(body as { error: string }).error}`,
      target,
      what,
      status,
      typeof code === 'string' ? code : undefined
    );
  }
  if (status === 401 || status === 403) {
    const fix = target === 'prometheus' ? 'check the data source credentials' : 'check the prober API token';
    return new QueryError(`${where} refused access (HTTP ${status}) for ${what}: ${fix}`, target, what, status);
  }
  if (status === 404) {
    const fix =
      target === 'prometheus'
        ? 'the URL does not point at a Prometheus HTTP API (Mimir and Cortex need the /prometheus prefix)'
        : 'the prober URL is wrong or the prober is too old for this path';
    return new QueryError(`${where} answered HTTP 404 for ${what}: ${fix}`, target, what, status);
  }
  if (status >= 200 && status < 300 && typeof body === 'string') {
    return new QueryError(
      `${where} answered ${what} with ${describeValue(body)}, not JSON: is this the right URL?`,
      target,
      what,
      status
    );
  }
  const detail =
    typeof body === 'string' && body.trim() !== '' ? `: ${describeValue(body)}` : err.message ? `: ${err.message}` : '';
  return new QueryError(`${where} answered HTTP ${status} for ${what}${detail}`, target, what, status);
}
