// One outbound call of the demo platform, through fetch (undici) or node:http, as application
// code makes them: a timeout, the body read to the end, errors caught and counted.
import * as http from 'node:http';
import * as https from 'node:https';
import type { CallRecord } from './telemetry';

export interface CallSpec {
  method: string;
  url: URL;
  headers: Record<string, string>;
  timeoutMs: number;
}

type Outcome = Pick<CallRecord, 'status' | 'errorType' | 'responseBytes'>;

function errorTypeOf(err: unknown): string {
  const e = err as { code?: unknown; name?: unknown; cause?: { code?: unknown } };
  const code = e?.cause?.code ?? e?.code ?? e?.name;
  return typeof code === 'string' && code !== '' ? code : 'Error';
}

async function viaFetch(spec: CallSpec): Promise<Outcome> {
  const res = await fetch(spec.url, { method: spec.method, headers: spec.headers, signal: AbortSignal.timeout(spec.timeoutMs) });
  const body = await res.arrayBuffer();
  return { status: res.status, responseBytes: body.byteLength };
}

function viaHttp(spec: CallSpec): Promise<Outcome> {
  // Called through the module object: the instrumentation patched it in place.
  const client = spec.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(spec.url, { method: spec.method, headers: spec.headers, timeout: spec.timeoutMs }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, responseBytes: bytes }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });
}

/** Makes the call; never throws: a failure is a record with status 0 and an error type. */
export async function makeCall(client: 'fetch' | 'http', spec: CallSpec): Promise<Omit<CallRecord, 'urlTemplate'>> {
  const started = performance.now();
  let outcome: Outcome;
  try {
    outcome = await (client === 'fetch' ? viaFetch(spec) : viaHttp(spec));
  } catch (err) {
    outcome = { status: 0, errorType: errorTypeOf(err), responseBytes: 0 };
  }
  if (outcome.status >= 400) {
    outcome.errorType = String(outcome.status);
  }
  return { method: spec.method, url: spec.url, durationMs: performance.now() - started, ...outcome };
}
