// The guardrails checked before a single request is sent: the catalog must allow load on the
// endpoint, and the plan must stay under its maxRate and under the API's documented rate limit
// in every window that limit counts. A refusal is a user-facing message (exit 2), never a throw
// from deeper down.
import { formatDuration, formatPath, type Api, type Endpoint, type LoadTestPolicy } from '@apimon/core';
import { stageLength } from './output';
import { maxRequestsInWindow, type Plan } from './plan';

/** The catalog or the command line asks for something the guardrails do not allow. */
export class LoadTestRefusal extends Error {
  override readonly name = 'LoadTestRefusal';
}

const fmtRate = (r: number) => `${Number.isInteger(r) ? r : r.toFixed(2)}`;

/** The endpoint's policy when the catalog allows load on it; a refusal naming what to set otherwise. */
export function allowedPolicy(api: Api, endpoint: Endpoint): LoadTestPolicy & { maxRate: number } {
  const target = `${api.name}/${endpoint.name}`;
  const policy = endpoint.loadTest;
  if (!policy || !policy.allowed) {
    const why = policy
      ? `${formatPath(policy.sourcePath)}.allowed is not true`
      : `neither the endpoint nor its API has a loadTest block`;
    throw new LoadTestRefusal(
      `${target} may not be load-tested: ${why}. Load on someone else's API can use up your quota, cost money or get ` +
        `your key banned: load-test only with the provider's agreement or against a staging URL, then set ` +
        `loadTest: { allowed: true, maxRate: <requests per second> } on the endpoint or its API (docs/load-testing.md)`
    );
  }
  // The catalog check makes maxRate required wherever allowed is true.
  return policy as LoadTestPolicy & { maxRate: number };
}

/** Refuses a plan that would exceed maxRate or the documented rate limit anywhere. */
export function checkPlan(api: Api, endpoint: Endpoint, policy: LoadTestPolicy & { maxRate: number }, plan: Plan, ratesFlag: string): void {
  const target = `${api.name}/${endpoint.name}`;
  if (plan.peakRate > policy.maxRate) {
    throw new LoadTestRefusal(
      `${ratesFlag} asks for ${fmtRate(plan.peakRate)} requests per second; ${target} allows at most ${fmtRate(policy.maxRate)} ` +
        `(${formatPath(policy.sourcePath)}.maxRate). The guardrail is the catalog's: raise maxRate there only with the provider's agreement`
    );
  }
  const limit = api.rateLimit;
  if (limit) {
    const most = maxRequestsInWindow(plan, limit.windowMs);
    if (most > limit.limit) {
      throw new LoadTestRefusal(
        `${ratesFlag} with ${stageLength(plan.stages[0].durationMs)} stages would send up to ${most} requests within ` +
          `${formatDuration(limit.windowMs)}; the documented rate limit of ${api.name} is ${limit.limit} requests per ` +
          `${formatDuration(limit.windowMs)} (its rateLimit in the catalog). Lower the rates or the stage duration`
      );
    }
  }
}
