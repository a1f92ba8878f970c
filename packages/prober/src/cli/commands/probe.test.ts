// `apimon probe` end to end: the real bin against real local servers, and main() for the
// error paths (exit codes and messages).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../main';
import { TestServers } from '../../test-support/servers';

// Real servers and sockets: on a busy two-core CI machine a test can take seconds.
jest.setTimeout(20_000);

const servers = new TestServers();
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apimon-probe-cli-'));
});
afterEach(async () => {
  await servers.closeAll();
  rmSync(dir, { recursive: true, force: true });
});

const BIN = join(__dirname, '../../../bin/apimon.js');

function catalogFile(apis: unknown[]): string {
  const file = join(dir, 'catalog.yaml');
  writeFileSync(file, JSON.stringify({ providers: [{ name: 'acme' }], apis }));
  return file;
}

const api = (name: string, endpoints: unknown[], extra: Record<string, unknown> = {}) => ({
  name,
  provider: 'acme',
  criticality: 'standard',
  owner: 'tests',
  ...extra,
  endpoints,
});

function runBin(
  args: string[],
  env: Record<string, string>
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { ...process.env, ...env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      }
    );
  });
}

/** Runs main() with stdout and stderr captured. */
async function runMain(args: string[]) {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** A JWT-shaped bearer secret: only its alg and exp may show anywhere. */
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const JWT = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'svc-cli-secret-subject', exp: 1_900_000_000 })}.c2lnbmF0dXJlLWNsaQ`;

describe('apimon probe', () => {
  it('prints one JSON line per endpoint with exactly the documented fields', async () => {
    const s = await servers.http((req, res) => {
      if (req.url === '/charges') {
        const ok = req.headers.authorization === `Bearer ${JWT}`;
        res.writeHead(ok ? 200 : 401, {
          'content-type': 'application/json',
          'cache-control': 'private, max-age=60',
          etag: '"v1"',
          'x-ratelimit-limit': '100',
          'x-ratelimit-remaining': '42',
        });
        res.end('{"data":[]}');
      } else {
        res.writeHead(503, { 'retry-after': '7' }).end('down');
      }
    });
    const file = catalogFile([
      api('payments', [{ name: 'list-charges', url: s.url('/charges'), expect: { jsonKeys: ['data'] } }], {
        auth: { type: 'bearer', secretEnv: 'CLI_PAY_KEY' },
      }),
      api('geocoding', [{ name: 'forward', url: s.url('/geo') }]),
    ]);
    const { code, stdout, stderr } = await runBin(['probe', '--config', file, '--json'], {
      CLI_PAY_KEY: JWT,
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual([
        'api',
        'endpoint',
        'outcome',
        'code',
        'durationMs',
        'loopDelayMs',
        'phases',
        'bytes',
        'rateLimit',
        'rateLimits',
        'retryAfterSeconds',
        'tlsExpiresAt',
        'error',
        'audit',
      ]);
      expect(Object.keys(line.audit as object)).toEqual([
        'plainHttp',
        'cache',
        'encoding',
        'compressionRequested',
        'wireBytes',
        'decodedBytes',
        'tls',
        'hstsMaxAgeSeconds',
        'credential',
      ]);
      expect(Object.keys(line.phases as object)).toEqual(['dns', 'connect', 'tls', 'ttfb', 'transfer']);
    }
    expect(lines[0]).toMatchObject({
      api: 'payments',
      endpoint: 'list-charges',
      outcome: 'ok',
      code: 200,
      bytes: 11,
      rateLimit: { policy: expect.any(String), limit: 100, remaining: 42, resetSeconds: null },
      rateLimits: [
        {
          policy: 'default',
          windowSeconds: null,
          unit: 'requests',
          limit: 100,
          remaining: 42,
          resetSeconds: null,
          convention: 'x-ratelimit',
          scarcest: true,
        },
      ],
      retryAfterSeconds: null,
      tlsExpiresAt: null,
      error: null,
    });
    expect(lines[0].durationMs).toBeGreaterThan(0);
    // The audit facts the probe collected, as the prober exports them; the token by its shape only.
    expect(lines[0].audit).toEqual({
      plainHttp: true,
      cache: {
        noStore: false,
        noCache: false,
        private: true,
        etag: true,
        lastModified: false,
        expires: false,
        vary: '',
        freshnessSeconds: 60,
      },
      encoding: 'identity',
      compressionRequested: true,
      wireBytes: 11,
      decodedBytes: 11,
      tls: null,
      hstsMaxAgeSeconds: null,
      credential: { format: 'jwt', alg: 'HS256', expiresAt: 1_900_000_000_000 },
    });
    expect(lines[1].audit).toMatchObject({ plainHttp: true, credential: null, encoding: 'identity' });
    expect(lines[1]).toMatchObject({
      api: 'geocoding',
      endpoint: 'forward',
      outcome: 'http_5xx',
      code: 503,
      retryAfterSeconds: 7,
      rateLimit: null,
      rateLimits: [],
      error: 'server error: status 503 (expected 200)',
    });
    expect(stdout).not.toContain(JWT.split('.')[1]);
    expect(stdout).not.toContain(JWT.split('.')[2]);
    expect(stdout).not.toContain('svc-cli-secret-subject');
  }, 30_000);

  it('--api probes one API only; without --json it prints a table', async () => {
    const s = await servers.http((req, res) => res.end('ok'));
    const file = catalogFile([
      api('payments', [{ name: 'a', url: s.url('/a') }]),
      api('geocoding', [{ name: 'b', url: s.url('/b') }]),
    ]);
    const { code, stdout } = await runMain(['probe', '--config', file, '--api', 'geocoding']);
    expect(code).toBe(0);
    const [header, row, ...rest] = stdout.trimEnd().split('\n');
    expect(header).toMatch(
      /^API\s+ENDPOINT\s+OUTCOME\s+CODE\s+TOTAL ms\s+DNS\s+CONNECT\s+TLS\s+TTFB\s+TRANSFER\s+BYTES\s+RATE LIMIT\s+TLS EXPIRES\s+ERROR$/
    );
    expect(row).toMatch(/^geocoding\s+b\s+ok\s+200\s/);
    expect(rest).toEqual([]);
  });

  it('an unknown --api exits 2 naming the known APIs', async () => {
    const file = catalogFile([
      api('payments', [{ name: 'a', url: 'http://127.0.0.1:9/' }]),
      api('geocoding', [{ name: 'b', url: 'http://127.0.0.1:9/' }]),
    ]);
    const { code, stderr, stdout } = await runMain(['probe', '--config', file, '--api', 'paymnts', '--json']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'apimon probe: unknown API "paymnts" (did you mean "payments"?); the catalog has: payments, geocoding\n'
    );
  });

  it('an invalid catalog exits 2 with its issues', async () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'apis:\n  - name: x\n    provider: acme\n    criticality: critcal\n    owner: t\n    endpoints: [{ name: a, url: "http://127.0.0.1:9/" }]\nproviders: [{ name: acme }]\n'
    );
    const { code, stderr } = await runMain(['probe', '--config', file, '--json']);
    expect(code).toBe(2);
    expect(stderr).toContain(`${file}:4:18: apis[0].criticality: must be one of`);
    expect(stderr).toContain('the catalog was not accepted');
  });

  it('a missing --config is a usage error', async () => {
    const { code, stderr } = await runMain(['probe', '--json']);
    expect(code).toBe(2);
    expect(stderr).toContain('--config is required');
  });

  it('a misconfigured API is reported and skipped; the others still run; exit 1', async () => {
    const s = await servers.http((req, res) => res.end('ok'));
    const file = catalogFile([
      api('payments', [{ name: 'a', url: s.url('/a') }], {
        auth: { type: 'bearer', secretEnv: 'APIMON_TEST_UNSET_VARIABLE' },
      }),
      api('geocoding', [{ name: 'b', url: s.url('/b') }]),
    ]);
    const { code, stdout, stderr } = await runMain(['probe', '--config', file, '--json']);
    expect(code).toBe(1);
    expect(stderr).toBe(
      'apimon probe: payments/a not probed: API "payments": environment variable APIMON_TEST_UNSET_VARIABLE (auth.secretEnv) is not set or empty\n'
    );
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { api: string; outcome: string });
    expect(lines).toEqual([expect.objectContaining({ api: 'geocoding', outcome: 'ok' })]);
  });

  it('failing targets still exit 0: the probes ran', async () => {
    const s = await servers.http((req, res) => res.writeHead(500).end());
    const file = catalogFile([
      api('payments', [
        { name: 'a', url: s.url('/') },
        { name: 'refused', url: 'http://127.0.0.1:9/' },
      ]),
    ]);
    const { code, stdout } = await runMain(['probe', '--config', file, '--json']);
    expect(code).toBe(0);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { outcome: string }).outcome)
    ).toEqual(['http_5xx', 'connect']);
  });
});
