// One query kind: how it plans (the expressions and prober calls the query editor shows) and
// how it runs. kinds/index.ts is the dispatch table.
import type { EngineContext } from '../context';
import type { ApimonQuery } from '../model';
import type { KindPlan, PlanContext, QueryPlan } from '../plan';
import { runSeriesPlan } from '../series';
import type { EngineResult, TimeRange } from '../types';

export interface QueryKindHandler {
  plan(ctx: PlanContext): KindPlan;
  run(plan: QueryPlan, query: ApimonQuery, range: TimeRange, ctx: EngineContext): Promise<EngineResult>;
}

/** A kind that is PromQL only: its plan runs as series (and instant tables). */
export const promqlKind = (plan: QueryKindHandler['plan']): QueryKindHandler => ({ plan, run: runSeriesPlan });
