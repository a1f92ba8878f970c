// `apimon loadtest --k6 FILE`: the same plan as a k6 script, for runs from many machines (k6
// Operator, Grafana Cloud k6, several `k6 run` with execution segments). The guardrails travel
// with it: the plan was checked against maxRate and the documented limit before it was
// written, maxVUs is the concurrency cap (k6 counts iterations it could not start as
// dropped_iterations, as apimon counts dropped requests), and thresholds abort the run on the
// same error and 429 ratios. Secrets stay environment-variable names (__ENV).
import type { Api, Endpoint, LoadTestPolicy, Thresholds } from '@apimon/core';
import type { Plan } from './plan';
import type { RunIdentity } from './series';

export interface K6Options {
  api: Api;
  endpoint: Endpoint;
  policy: LoadTestPolicy;
  plan: Plan;
  thresholds: Thresholds;
  identity: RunIdentity;
  url: string;
  /** Where the plan came from, for the header comment. */
  source: string;
  /** The script's own file name, for the run command in the header. */
  fileName: string;
}

/** k6 takes whole iterations per timeUnit: per second when every rate is whole, else per minute. */
function timeUnitFor(plan: Plan): { unit: '1s' | '1m'; perUnit: (rate: number) => number } {
  const whole = plan.stages.every((s) => Number.isInteger(s.fromRate) && Number.isInteger(s.toRate));
  return whole ? { unit: '1s', perUnit: (r) => r } : { unit: '1m', perUnit: (r) => Math.round(r * 60) };
}

/** ramping-arrival-rate stages: a 0 s stage jumps to a rate, a timed one ramps (or holds) to it. */
export function k6Stages(plan: Plan): { startRate: number; stages: Array<{ target: number; duration: string }>; timeUnit: string } {
  const { unit, perUnit } = timeUnitFor(plan);
  const stages: Array<{ target: number; duration: string }> = [];
  let rate = plan.stages[0].fromRate;
  for (const s of plan.stages) {
    if (s.fromRate !== rate) {
      stages.push({ target: perUnit(s.fromRate), duration: '0s' });
    }
    stages.push({ target: perUnit(s.toRate), duration: `${s.durationMs / 1000}s` });
    rate = s.toRate;
  }
  return { startRate: perUnit(plan.stages[0].fromRate), stages, timeUnit: unit };
}

const js = (v: unknown) => JSON.stringify(v);

interface AuthLines {
  setup: string[];
  headers: string[];
  required: string[];
  /** auth type query: the parameter the key is added to the URL under. */
  query?: { param: string; secretEnv: string };
}

function authLines(api: Api): AuthLines {
  const auth = api.auth;
  switch (auth.type) {
    case 'none':
      return { setup: [], headers: [], required: [] };
    case 'query':
      return { setup: [], headers: [], required: [auth.secretEnv], query: { param: auth.param, secretEnv: auth.secretEnv } };
    case 'bearer':
      return { setup: [], headers: [`Authorization: \`Bearer \${__ENV.${auth.secretEnv}}\``], required: [auth.secretEnv] };
    case 'basic':
      return {
        setup: [],
        headers: [`Authorization: \`Basic \${encoding.b64encode(\`\${__ENV.${auth.usernameEnv}}:\${__ENV.${auth.passwordEnv}}\`)}\``],
        required: [auth.usernameEnv, auth.passwordEnv],
      };
    case 'header':
      return { setup: [], headers: [`${js(auth.header)}: ${js(auth.prefix ?? '')} + __ENV.${auth.secretEnv}`], required: [auth.secretEnv] };
    case 'oauth2': {
      const form: Record<string, string> = { grant_type: 'client_credentials' };
      if (auth.scopes?.length) {
        form.scope = auth.scopes.join(' ');
      }
      if (auth.audience) {
        form.audience = auth.audience;
      }
      return {
        setup: [
          '// OAuth2 client credentials (RFC 6749 4.4): one token for the run, fetched before the load starts.',
          '// A run longer than the token lives needs a shorter plan or a token refresh here.',
          'export function setup() {',
          `  const res = http.post(${js(auth.tokenUrl)}, ${js(form)}, {`,
          `    headers: { Authorization: \`Basic \${encoding.b64encode(\`\${__ENV.${auth.clientIdEnv}}:\${__ENV.${auth.clientSecretEnv}}\`)}\` },`,
          '    tags: { name: "oauth2-token" },',
          '  });',
          '  if (res.status !== 200 || !res.json("access_token")) {',
          '    exec.test.abort(`OAuth2 token request failed with status ${res.status}`);',
          '  }',
          '  return { token: res.json("access_token") };',
          '}',
          '',
        ],
        headers: ['Authorization: `Bearer ${data.token}`'],
        required: [auth.clientIdEnv, auth.clientSecretEnv],
      };
    }
  }
}

export function k6Script(o: K6Options): string {
  const { api, endpoint, policy, plan, thresholds, identity } = o;
  const { startRate, stages, timeUnit } = k6Stages(plan);
  const auth = authLines(api);
  const stageSeconds = plan.stages[0].durationMs / 1000;
  const preAllocated = Math.min(policy.maxConcurrency, Math.max(1, Math.ceil(plan.peakRate * (thresholds.latencyP95Ms / 1000) * 2)));
  const options = {
    // Labels of every series k6 writes: the same names apimon's own runs carry.
    tags: { run: '__RUN__', api: identity.api, endpoint: identity.endpoint, provider: identity.provider, location: identity.location, profile: identity.profile },
    scenarios: {
      load: {
        executor: 'ramping-arrival-rate',
        startRate,
        timeUnit,
        preAllocatedVUs: preAllocated,
        // One request in flight per VU: maxVUs is loadTest.maxConcurrency.
        maxVUs: policy.maxConcurrency,
        stages,
        gracefulStop: `${Math.ceil(endpoint.timeoutMs / 1000)}s`,
      },
    },
    thresholds: {
      // The API's own thresholds (the knee's): the run fails when they are crossed.
      http_req_duration: [`p(95)<${thresholds.latencyP95Ms}`],
      // ...and the guardrails: stop at once above the abort ratios, as apimon loadtest does.
      http_req_failed: [
        `rate<${thresholds.errorRatio}`,
        { threshold: `rate<=${policy.abort.errorRatio}`, abortOnFail: true, delayAbortEval: '5s' },
      ],
      rate_limited: [{ threshold: `rate<=${policy.abort.rateLimitedRatio}`, abortOnFail: true, delayAbortEval: '5s' }],
    },
    insecureSkipTLSVerify: endpoint.tls.insecureSkipVerify,
    summaryTrendStats: ['med', 'p(95)', 'p(99)'],
  };
  const optionsText = js(options).replace('"__RUN__"', 'RUN');
  const headerEntries = [
    ...Object.entries({ 'User-Agent': 'apimon-k6', ...endpoint.headers }).map(([k, v]) => `${js(k)}: ${js(v)}`),
    ...auth.headers,
  ];
  const checks: string[] = [`"status is expected": (r) => EXPECTED_STATUS.includes(r.status)`];
  if (endpoint.expect.bodyContains !== undefined) {
    checks.push(`"body contains ${endpoint.expect.bodyContains.replace(/[`"\\]/g, '')}": (r) => String(r.body).includes(${js(endpoint.expect.bodyContains)})`);
  }
  for (const key of endpoint.expect.jsonKeys ?? []) {
    checks.push(`${js(`JSON body has ${key}`)}: (r) => { try { return Object.prototype.hasOwnProperty.call(r.json(), ${js(key)}); } catch (e) { return false; } }`);
  }
  const requestArgs = `METHOD, TARGET, ${endpoint.body === undefined ? 'null' : 'BODY'}, { headers, tags: { stage: String(stage) }, timeout: ${js(`${endpoint.timeoutMs}ms`)}, redirects: 0 }`;
  return `// k6 load test of ${api.name}/${endpoint.name}, written by \`apimon loadtest --k6\` from ${o.source}.
// Plan: ${plan.profile}, ${plan.stages.length} stages of ${stageSeconds}s, peak ${plan.peakRate} requests/s
// (checked against loadTest.maxRate ${policy.maxRate} and the API's documented rate limit).
//
// Run, with the results in the same store as apimon's (docs/load-testing.md#k6-load-from-many-machines):
//   K6_PROMETHEUS_RW_SERVER_URL=http://127.0.0.1:9090/api/v1/write \\
//   K6_PROMETHEUS_RW_TREND_STATS='p(50),p(95),p(99)' \\
//   APIMON_RUN=${identity.run} k6 run -o experimental-prometheus-rw ${o.fileName}
// Series (labels run, api, endpoint, provider, location, profile, stage like apimon's own):
//   k6_http_req_duration_p50/_p95/_p99  seconds, per stage   ~ apimon_loadtest_latency_seconds{quantile}
//   k6_http_reqs_total                  per stage            ~ apimon_loadtest_requests (sum)
//   k6_http_req_failed_rate             per stage            ~ apimon_loadtest_error_ratio
//   k6_rate_limited_rate                per stage            ~ apimon_loadtest_requests{outcome="rate_limited"} / all
//   k6_dropped_iterations_total                              ~ apimon_loadtest_requests{outcome="dropped"}
// k6 measures latency from when a VU sends; with an arrival-rate executor and free VUs that is
// the intended start. Secrets are read from the environment: ${auth.required.length ? auth.required.join(', ') : 'none needed'}.
import http from "k6/http";
import { check } from "k6";
import encoding from "k6/encoding";
import exec from "k6/execution";
import { Rate } from "k6/metrics";

${
  auth.query
    ? `// auth type query: the key rides in the URL, read from the environment like every secret.
function withParam(url, name, value) {
  return url + (url.includes("?") ? "&" : "?") + encodeURIComponent(name) + "=" + encodeURIComponent(value);
}

`
    : ''
}const RUN = __ENV.APIMON_RUN || ${js(identity.run)};
const TARGET = ${
    auth.query
      ? `withParam(${js(o.url)}, ${js(auth.query.param)}, __ENV.${auth.query.secretEnv})`
      : js(o.url)
  };
const METHOD = ${js(endpoint.method)};
${endpoint.body === undefined ? '' : `const BODY = ${js(endpoint.body)};\n`}const EXPECTED_STATUS = ${js(endpoint.expect.status)};
const STAGE_SECONDS = ${stageSeconds};
const STAGE_COUNT = ${plan.stages.length};
for (const name of ${js(auth.required)}) {
  if (!__ENV[name]) {
    throw new Error(\`set the environment variable \${name} (named by the apimon catalog)\`);
  }
}

const rateLimited = new Rate("rate_limited");
http.setResponseCallback(http.expectedStatuses(...EXPECTED_STATUS));

export const options = ${optionsText};

${auth.setup.join('\n')}export default function (data) {
  // The stage this request belongs to, from the scenario's clock: results per stage, as apimon's.
  const stage = Math.min(STAGE_COUNT, Math.floor((Date.now() - exec.scenario.startTime) / (STAGE_SECONDS * 1000)) + 1);
  const headers = {
    ${headerEntries.join(',\n    ')},
  };
  const res = http.request(${requestArgs});
  rateLimited.add(res.status === 429, { stage: String(stage) });
  check(res, {
    ${checks.join(',\n    ')},
  }, { stage: String(stage) });
}
`;
}
