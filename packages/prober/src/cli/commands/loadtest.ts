// `apimon loadtest`: a guarded, open-model load test of one catalog endpoint (docs/load-testing.md).
// Exit codes: 0 the run finished (knee found or not); 1 something it depends on failed (a
// secret's variable is missing, the first request failed, the store refused the results);
// 2 refused (not allowed, over maxRate or the documented limit) or a usage error; 3 a
// guardrail stopped the run (error ratio or 429s); 130 Ctrl-C (results so far are written).
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { closestMatch, LOADTEST_PROFILES, parseDuration, type LoadTestProfile } from '@apimon/core';
import { loadCatalogFile } from '../../catalog/load';
import { allowedPolicy, checkPlan, LoadTestRefusal } from '../../loadtest/guard';
import { k6Script } from '../../loadtest/k6';
import { describePlan, formatTable, stageJson, summaryJson } from '../../loadtest/output';
import { buildPlan, defaultRates } from '../../loadtest/plan';
import { Progress } from '../../loadtest/progress';
import { ResultPublisher } from '../../loadtest/publisher';
import { LoadTestRun, PreflightError } from '../../loadtest/run';
import type { RunIdentity } from '../../loadtest/series';
import { LoadTarget } from '../../loadtest/target';
import { MisconfiguredError } from '../../probe';
import { describeUrl } from '../../probe/redirect';
import { parseCommandArgs, UsageError } from '../args';
import { reportCatalogIssues } from '../catalog-issues';

export const usage =
  'usage: apimon loadtest --config FILE --api NAME [--endpoint NAME] --profile step|ramp|spike [--rates 10,20,50] ' +
  '[--stage-duration 30s] [--json] [--remote-write URL] [--k6 FILE] [--run ID] [--past-knee]';
export const summary = 'load-test one endpoint the catalog allows (open model, guarded), find the knee; or write a k6 script';

const EXIT_ABORTED = 3;
const EXIT_INTERRUPTED = 130;

function parseRates(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const rates = parts.map(Number);
  const bad = parts.find((p, i) => p === '' || !Number.isFinite(rates[i]) || rates[i] <= 0);
  if (bad !== undefined) {
    throw new UsageError(`--rates: "${text}" must be requests per second separated by commas, such as 10,20,50 (got "${bad}")\n${usage}`);
  }
  if (rates.length > 100) {
    throw new UsageError(`--rates: at most 100 rates (got ${rates.length})\n${usage}`);
  }
  return rates;
}

function runId(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(
    argv,
    {
      config: { type: 'string', short: 'c' },
      api: { type: 'string' },
      endpoint: { type: 'string' },
      profile: { type: 'string' },
      rates: { type: 'string' },
      'stage-duration': { type: 'string' },
      json: { type: 'boolean', default: false },
      'remote-write': { type: 'string' },
      k6: { type: 'string' },
      run: { type: 'string' },
      'past-knee': { type: 'boolean', default: false },
    },
    usage
  );
  for (const required of ['config', 'api', 'profile'] as const) {
    if (!args[required]) {
      throw new UsageError(`--${required} is required\n${usage}`);
    }
  }
  const profile = args.profile as LoadTestProfile;
  if (!LOADTEST_PROFILES.includes(profile)) {
    const hint = closestMatch(args.profile!, [...LOADTEST_PROFILES]);
    throw new UsageError(`--profile: "${args.profile}" is not one of ${LOADTEST_PROFILES.join(', ')}${hint ? `; did you mean "${hint}"?` : ''}\n${usage}`);
  }
  const flagRates = args.rates === undefined ? undefined : parseRates(args.rates);
  let flagStageMs: number | undefined;
  if (args['stage-duration'] !== undefined) {
    flagStageMs = parseDuration(args['stage-duration']);
    if (flagStageMs === undefined || flagStageMs < 1000 || flagStageMs > 3_600_000) {
      throw new UsageError(`--stage-duration: "${args['stage-duration']}" must be a duration between 1s and 1h, such as 30s or 2m\n${usage}`);
    }
  }
  if (args.run !== undefined && !/^[A-Za-z0-9_.:-]{1,64}$/.test(args.run)) {
    throw new UsageError(`--run: "${args.run}" must be 1-64 letters, digits, ".", ":", "_" or "-"\n${usage}`);
  }
  let remoteWriteUrl: string | undefined;
  if (args['remote-write'] !== undefined) {
    try {
      const u = new URL(args['remote-write']);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') {
        throw new Error('scheme');
      }
      remoteWriteUrl = u.href;
    } catch {
      throw new UsageError(`--remote-write: "${args['remote-write']}" is not an http:// or https:// URL such as http://127.0.0.1:9090/api/v1/write\n${usage}`);
    }
  }

  const loaded = await loadCatalogFile(args.config!);
  if (!loaded.ok) {
    reportCatalogIssues(args.config!, loaded.issues);
    return 2;
  }
  const catalog = loaded.catalog;
  const fail = (message: string, code: number) => {
    process.stderr.write(`apimon loadtest: ${message}\n`);
    return code;
  };
  const api = catalog.apis.find((a) => a.name === args.api);
  if (!api) {
    const names = catalog.apis.map((a) => a.name);
    const hint = closestMatch(args.api!, names);
    return fail(`unknown API "${args.api}"${hint ? ` (did you mean "${hint}"?)` : ''}; the catalog has: ${names.join(', ')}`, 2);
  }
  let endpoint = api.endpoints[0];
  if (args.endpoint !== undefined) {
    const found = api.endpoints.find((e) => e.name === args.endpoint);
    if (!found) {
      const names = api.endpoints.map((e) => e.name);
      const hint = closestMatch(args.endpoint, names);
      return fail(`API "${api.name}" has no endpoint "${args.endpoint}"${hint ? ` (did you mean "${hint}"?)` : ''}; it has: ${names.join(', ')}`, 2);
    }
    endpoint = found;
  } else if (api.endpoints.length > 1) {
    const allowed = api.endpoints.filter((e) => e.loadTest?.allowed).map((e) => e.name);
    return fail(
      `API "${api.name}" has ${api.endpoints.length} endpoints: name one with --endpoint (${api.endpoints.map((e) => e.name).join(', ')}; ` +
        `load tests allowed on: ${allowed.length ? allowed.join(', ') : 'none'})`,
      2
    );
  }

  let plan;
  let policy;
  try {
    policy = allowedPolicy(api, endpoint);
    const rates = flagRates ?? policy.rates ?? defaultRates(profile, policy.maxRate);
    if (profile === 'spike' && rates.length < 2) {
      throw new UsageError(`--rates: a spike needs a baseline and at least one spike rate, such as 10,100 (got ${rates.join(',')})\n${usage}`);
    }
    plan = buildPlan(profile, rates, flagStageMs ?? policy.stageDurationMs);
    checkPlan(api, endpoint, policy, plan, args.rates !== undefined ? `--rates ${args.rates}` : `the rates ${rates.join(',')}`);
  } catch (err) {
    if (err instanceof LoadTestRefusal) {
      return fail(`refused: ${err.message}`, 2);
    }
    throw err;
  }

  const url = policy.url ?? endpoint.url;
  const identity: RunIdentity = {
    run: args.run ?? runId(new Date()),
    api: api.name,
    endpoint: endpoint.name,
    provider: api.provider,
    location: catalog.location,
    profile,
  };
  const thresholds = endpoint.thresholds;

  if (args.k6 !== undefined) {
    const script = k6Script({ api, endpoint, policy, plan, thresholds, identity, url, source: basename(args.config!), fileName: basename(args.k6) });
    try {
      writeFileSync(args.k6, script);
    } catch (err) {
      return fail(`cannot write ${args.k6}: ${(err as Error).message}`, 1);
    }
    process.stderr.write(`apimon loadtest: wrote ${args.k6}: k6 script for ${api.name}/${endpoint.name}, ${describePlan(plan)}\n`);
    return 0;
  }

  let target: LoadTarget;
  try {
    target = new LoadTarget(api, endpoint, url, policy.maxConcurrency);
  } catch (err) {
    if (err instanceof MisconfiguredError) {
      return fail(err.message, 1);
    }
    throw err;
  }

  const progress = new Progress(process.stderr, plan.stages.length);
  const publisher = remoteWriteUrl
    ? new ResultPublisher(identity, { url: remoteWriteUrl, userAgent: 'apimon-loadtest' }, (m) => progress.message(`apimon loadtest: ${m}`))
    : null;
  if (publisher) {
    try {
      await publisher.check();
    } catch (err) {
      await target.close();
      return fail(`${(err as Error).message}; no load was sent`, 1);
    }
  }

  const targetText = describeUrl(new URL(url));
  process.stderr.write(`apimon loadtest: ${api.name}/${endpoint.name} at ${targetText}, run ${identity.run}: ${describePlan(plan)}\n`);

  const loadRun = new LoadTestRun({
    plan,
    policy,
    thresholds,
    target,
    stopAtKnee: !args['past-knee'],
    onStage: (result) => {
      progress.stageDone(result);
      publisher?.stage(result);
      if (args.json) {
        process.stdout.write(`${stageJson(identity, result)}\n`);
      }
    },
  });

  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    if (interrupts > 1) {
      process.exit(EXIT_INTERRUPTED);
    }
    loadRun.stop('interrupted', 'interrupted (Ctrl-C)');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let progressTimer: NodeJS.Timeout | null = null;
  let publishTimer: NodeJS.Timeout | null = null;
  try {
    try {
      await loadRun.preflight();
    } catch (err) {
      if (err instanceof PreflightError) {
        return fail(`${api.name}/${endpoint.name}: ${err.message}; not loading an endpoint that does not answer as the catalog expects`, 1);
      }
      throw err;
    }
    if (interrupts > 0) {
      return fail('interrupted before the load started', EXIT_INTERRUPTED);
    }
    loadRun.start();
    progressTimer = setInterval(() => {
      const live = loadRun.live();
      if (live) {
        progress.update(live);
      }
    }, 250);
    if (publisher) {
      publisher.start(loadRun.wallStart);
      void publisher.flush();
      publishTimer = setInterval(() => {
        const live = loadRun.live();
        if (live) {
          publisher.live(live.result);
        }
        void publisher.flush();
      }, 5_000);
    }
    const result = await loadRun.done;
    if (progressTimer) {
      clearInterval(progressTimer);
    }
    if (publishTimer) {
      clearInterval(publishTimer);
    }
    progress.clear();
    if (publisher) {
      publisher.run(result, thresholds);
      await publisher.flush();
    }
    const written = publisher ? (publisher.failure ? null : remoteWriteUrl!) : null;
    if (args.json) {
      process.stdout.write(`${summaryJson(identity, result, thresholds, targetText, written)}\n`);
    } else {
      process.stdout.write(formatTable(result, thresholds));
    }
    if (result.abortReason === 'interrupted') {
      return EXIT_INTERRUPTED;
    }
    if (result.abortReason) {
      progress.message(`apimon loadtest: stopped: ${result.abortDetail}`);
      return EXIT_ABORTED;
    }
    if (publisher?.failure) {
      return fail(`the results did not reach the store: ${publisher.failure.message}`, 1);
    }
    return 0;
  } finally {
    if (progressTimer) {
      clearInterval(progressTimer);
    }
    if (publishTimer) {
      clearInterval(publishTimer);
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await target.close();
  }
}
