// Recording rules the engine can read instead of raw series (RECORDED_RATES in the contract).
// A recorded rate is used only when its window equals the window the query needs, so a
// result never changes meaning because a store happens to have the rules: that is the
// 5m window of the summary, the CLI's default and any --window 5m.
import { RECORDED_RATES } from '../contract';

/** The recording rule to read for rate(metric[window]), if the store has it. */
export function recordedRate(metric: string, windowMs: number, available: ReadonlySet<string>): string | undefined {
  const rule = RECORDED_RATES.find((r) => r.metric === metric && r.windowMs === windowMs);
  return rule && available.has(rule.record) ? rule.record : undefined;
}

/** Recording-rule names out of a /api/v1/rules response; malformed parts are skipped. */
export function recordedNames(body: unknown): Set<string> {
  const names = new Set<string>();
  const groups = (body as { data?: { groups?: unknown } } | null)?.data?.groups;
  if (!Array.isArray(groups)) {
    return names;
  }
  for (const group of groups) {
    const rules = (group as { rules?: unknown } | null)?.rules;
    if (!Array.isArray(rules)) {
      continue;
    }
    for (const rule of rules) {
      const r = rule as { type?: unknown; name?: unknown; health?: unknown } | null;
      if (r && r.type === 'recording' && typeof r.name === 'string' && r.health !== 'err') {
        names.add(r.name);
      }
    }
  }
  return names;
}
