// `apimon loadtest --k6`: the script is a valid ES module (parsed with acorn, as k6's own
// loader would read it) whose options carry the plan, the API's thresholds and the guardrails,
// and which names secrets only as environment variables.
import { readFileSync } from 'node:fs';
import { parse, type Node } from 'acorn';
import { catalogYaml, runMain, TempDir } from '../test-support/loadtest';

let dir: TempDir;
beforeEach(() => {
  dir = new TempDir();
});
afterEach(() => dir.remove());

interface Program {
  body: Array<Node & { type: string; declaration?: { type: string; declarations?: Array<{ id: { name: string }; init: Node }> }; source?: { value: string } }>;
}

function script(file: string): { text: string; ast: Program; options: Record<string, any> } {
  const text = readFileSync(file, 'utf8');
  const ast = parse(text, { sourceType: 'module', ecmaVersion: 2022 }) as unknown as Program;
  const exported = ast.body.find((n) => n.type === 'ExportNamedDeclaration' && n.declaration?.declarations?.[0]?.id.name === 'options');
  const init = exported!.declaration!.declarations![0].init;
  // The options are one object literal; RUN is the only identifier in it.
  const literal = text.slice(init.start, init.end).replace(/\bRUN\b/, '"RUN"');
  return { text, ast, options: JSON.parse(literal) };
}

describe('apimon loadtest --k6', () => {
  it('writes a ramping-arrival-rate scenario matching a step plan, with thresholds and guardrails', async () => {
    const config = dir.file(
      'catalog.yaml',
      catalogYaml({
        url: 'https://api.acme.example/v1/charges?limit=1',
        loadTest: '{ allowed: true, url: "https://staging.acme.example/v1/charges?limit=1", maxRate: 100, maxConcurrency: 64, abort: { errorRate: 10%, rateLimited: 2% } }',
        thresholds: '{ latencyP95: 200ms, errorRate: 1% }',
        endpointExtra: '        expect: { status: [200, 201], bodyContains: "charges", jsonKeys: [data] }\n',
      })
    );
    const out = dir.file('x', '');
    const res = await runMain(['loadtest', '--config', config, '--api', 'payments', '--profile', 'step', '--rates', '10,20,50', '--stage-duration', '30s', '--k6', out, '--run', 'k6-run-1']);
    expect(res).toMatchObject({ code: 0, stdout: '' });
    expect(res.stderr).toContain(`wrote ${out}`);
    const { text, ast, options } = script(out);

    const imports = ast.body.filter((n) => n.type === 'ImportDeclaration').map((n) => n.source!.value);
    expect(imports).toEqual(expect.arrayContaining(['k6/http', 'k6/execution', 'k6/metrics']));
    expect(ast.body.some((n) => n.type === 'ExportDefaultDeclaration')).toBe(true);

    const scenario = options.scenarios.load;
    expect(scenario).toMatchObject({ executor: 'ramping-arrival-rate', startRate: 10, timeUnit: '1s', maxVUs: 64, gracefulStop: '2s' });
    expect(scenario.stages).toEqual([
      { target: 10, duration: '30s' },
      { target: 20, duration: '0s' },
      { target: 20, duration: '30s' },
      { target: 50, duration: '0s' },
      { target: 50, duration: '30s' },
    ]);
    expect(options.tags).toEqual({ run: 'RUN', api: 'payments', endpoint: 'charges', provider: 'acme-pay', location: 'local', profile: 'step' });
    expect(options.thresholds).toEqual({
      http_req_duration: ['p(95)<200'],
      http_req_failed: ['rate<0.01', { threshold: 'rate<=0.1', abortOnFail: true, delayAbortEval: '5s' }],
      rate_limited: [{ threshold: 'rate<=0.02', abortOnFail: true, delayAbortEval: '5s' }],
    });
    // The staging URL, the expected statuses, the run id default and the stage tag.
    expect(text).toContain('const TARGET = "https://staging.acme.example/v1/charges?limit=1";');
    expect(text).toContain('const EXPECTED_STATUS = [200,201];');
    expect(text).toContain('const RUN = __ENV.APIMON_RUN || "k6-run-1";');
    expect(text).toContain('tags: { stage: String(stage) }');
    expect(text).toContain('K6_PROMETHEUS_RW_TREND_STATS');
    // The bearer secret by name only.
    expect(text).toContain('`Bearer ${__ENV.APIMON_LOADTEST_KEY}`');
    expect(text).toMatch(/String\(r\.body\)\.includes\("charges"\)/);
  });

  it('ramps linearly, spikes with 0 s jumps, and counts per minute for fractional rates', async () => {
    const config = dir.file('catalog.yaml', catalogYaml({ url: 'https://api.acme.example/v1/charges', loadTest: '{ allowed: true, maxRate: 100 }' }));
    const ramp = dir.file('ramp.js', '');
    expect((await runMain(['loadtest', '-c', config, '--api', 'payments', '--profile', 'ramp', '--rates', '20,60', '--stage-duration', '1m', '--k6', ramp])).code).toBe(0);
    expect(script(ramp).options.scenarios.load).toMatchObject({
      startRate: 0,
      stages: [
        { target: 20, duration: '60s' },
        { target: 60, duration: '60s' },
      ],
    });
    const spike = dir.file('spike.js', '');
    expect((await runMain(['loadtest', '-c', config, '--api', 'payments', '--profile', 'spike', '--rates', '0.5,90', '--stage-duration', '10s', '--k6', spike])).code).toBe(0);
    expect(script(spike).options.scenarios.load).toMatchObject({
      startRate: 30,
      timeUnit: '1m',
      stages: [
        { target: 30, duration: '10s' },
        { target: 5400, duration: '0s' },
        { target: 5400, duration: '10s' },
        { target: 30, duration: '0s' },
        { target: 30, duration: '10s' },
      ],
    });
  });

  it('fetches an OAuth2 token in setup() from environment-variable names, and writes nothing when refused', async () => {
    const config = dir.file(
      'catalog.yaml',
      catalogYaml({
        url: 'https://api.acme.example/v1/charges',
        loadTest: '{ allowed: true, maxRate: 10 }',
        auth: '{ type: oauth2, tokenUrl: "https://auth.acme.example/oauth/token", clientIdEnv: ACME_CLIENT_ID, clientSecretEnv: ACME_CLIENT_SECRET, scopes: [charges.read] }',
      })
    );
    const out = dir.file('oauth.js', '');
    expect((await runMain(['loadtest', '-c', config, '--api', 'payments', '--profile', 'step', '--rates', '5', '--k6', out])).code).toBe(0);
    const { text, ast } = script(out);
    expect(ast.body.some((n) => n.type === 'ExportNamedDeclaration' && (n.declaration as { id?: { name: string } })?.id?.name === 'setup')).toBe(true);
    expect(text).toContain('"https://auth.acme.example/oauth/token", {"grant_type":"client_credentials","scope":"charges.read"}');
    expect(text).toContain('${__ENV.ACME_CLIENT_ID}:${__ENV.ACME_CLIENT_SECRET}');
    expect(text).toContain('Authorization: `Bearer ${data.token}`');

    const keyed = dir.file('catalog-query.yaml', catalogYaml({ url: 'https://maps.example/v1/geocode?q=x', loadTest: '{ allowed: true, maxRate: 10 }', auth: '{ type: query, param: key, secretEnv: MAPS_KEY }' }));
    const keyedOut = dir.file('query.js', '');
    expect((await runMain(['loadtest', '-c', keyed, '--api', 'payments', '--profile', 'step', '--rates', '5', '--k6', keyedOut])).code).toBe(0);
    // auth type query: the key joins the URL from the environment, never written into the script.
    const keyedScript = script(keyedOut).text;
    expect(keyedScript).toContain('const TARGET = withParam("https://maps.example/v1/geocode?q=x", "key", __ENV.MAPS_KEY);');
    expect(keyedScript).toContain('for (const name of ["MAPS_KEY"])');
    const withParam = new Function(`${keyedScript.slice(keyedScript.indexOf('function withParam'), keyedScript.indexOf('const RUN'))}; return withParam;`)();
    expect(withParam('https://maps.example/v1/geocode?q=x', 'key', 'a b')).toBe('https://maps.example/v1/geocode?q=x&key=a%20b');

    const refused = dir.file('refused.js', 'untouched');
    const res = await runMain(['loadtest', '-c', config, '--api', 'payments', '--profile', 'step', '--rates', '50', '--k6', refused]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('refused: --rates 50 asks for 50 requests per second; payments/charges allows at most 10');
    expect(readFileSync(refused, 'utf8')).toBe('untouched');
  });
});
