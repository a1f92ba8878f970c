// Sends remote-write requests (docs/load-testing.md#remote-write). Failures say what the store
// answered; a 404 usually means a Prometheus started without its receiver.
import { remoteWriteBody, type TimeSeries } from './encode';

export class RemoteWriteError extends Error {
  override readonly name = 'RemoteWriteError';
}

export interface RemoteWriteOptions {
  url: string;
  timeoutMs?: number;
  userAgent?: string;
  /** Extra request headers (e.g. X-Scope-OrgID for Mimir). */
  headers?: Record<string, string>;
  /** Tries for 5xx, 429 and network failures; 4xx are not retried. */
  attempts?: number;
  fetch?: typeof fetch;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function remoteWrite(series: TimeSeries[], options: RemoteWriteOptions): Promise<void> {
  const attempts = options.attempts ?? 3;
  const doFetch = options.fetch ?? fetch;
  const body = remoteWriteBody(series);
  let last: Error = new RemoteWriteError('no attempt made');
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let res: Response;
    try {
      res = await doFetch(options.url, {
        method: 'POST',
        body: new Uint8Array(body),
        headers: {
          'Content-Type': 'application/x-protobuf',
          'Content-Encoding': 'snappy',
          'X-Prometheus-Remote-Write-Version': '0.1.0',
          'User-Agent': options.userAgent ?? 'apimon',
          ...options.headers,
        },
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (err) {
      const cause = (err as Error & { cause?: Error }).cause;
      last = new RemoteWriteError(`remote write to ${options.url} failed: ${cause?.message ?? (err as Error).message}`);
      await sleep(250 * attempt);
      continue;
    }
    if (res.ok) {
      await res.arrayBuffer();
      return;
    }
    const text = (await res.text().catch(() => '')).trim().slice(0, 300);
    const hint =
      res.status === 404
        ? ' (does the store accept remote write? Prometheus needs --web.enable-remote-write-receiver; the path is /api/v1/write)'
        : '';
    last = new RemoteWriteError(`remote write to ${options.url}: HTTP ${res.status}${text ? `: ${text}` : ''}${hint}`);
    if (res.status < 500 && res.status !== 429) {
      throw last;
    }
    await sleep(250 * attempt);
  }
  throw last;
}
