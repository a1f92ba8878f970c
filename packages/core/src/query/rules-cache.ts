// Which recording rules the store has, asked once per engine: a successful answer is kept for
// the engine's life (rules change with a deploy, and a data source is re-created then); a
// failed one is retried at most every 10 minutes, the raw expressions serving meanwhile.
import { recordedNames } from './recording';

export const RULES_RETRY_MS = 10 * 60_000;

export class RecordingRulesCache {
  private rules: ReadonlySet<string> = new Set();
  private fetching: Promise<ReadonlySet<string>> | undefined;
  private checkedAtMs = -Infinity;

  constructor(
    /** GET /api/v1/rules?type=record on the store; rejects on any failure. */
    private readonly fetchRules: () => Promise<unknown>,
    private readonly now: () => number,
    /** False: never ask, always plan raw expressions. */
    private readonly enabled = true
  ) {}

  /** The rules known so far, without asking (for plans shown before a query runs). */
  current(): ReadonlySet<string> {
    return this.rules;
  }

  /** The rules, asking the store the first time (and again after a failure, at most every 10 minutes). */
  get(): Promise<ReadonlySet<string>> {
    if (!this.enabled) {
      return Promise.resolve(this.rules);
    }
    if (!this.fetching && this.now() - this.checkedAtMs >= RULES_RETRY_MS) {
      this.checkedAtMs = this.now();
      this.fetching = this.fetchRules().then(
        (body) => {
          this.rules = recordedNames(body);
          return this.rules;
        },
        () => {
          this.fetching = undefined;
          return this.rules;
        }
      );
    }
    return this.fetching ?? Promise.resolve(this.rules);
  }
}
