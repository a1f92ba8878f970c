// The live state of one provider: its settings, its rate-limit counter, the sequences behind
// deterministic faults, request counters and its status model.
import { CapacityLimiter } from './capacity';
import type { ProviderDefinition } from './provider';
import { hashString, seededRandom } from './random';
import { FixedWindowCounter } from './ratelimit';
import { defaultSettings, type ProviderSettings } from './settings';
import { applyStatusPagePatch, reconcileOutage, seedModel, type StatusPagePatch } from './statuspages/lifecycle';
import type { StatusModel } from './statuspages/model';

export interface RuntimeOptions {
  seed: number;
  realisticLatency: boolean;
  origin: string;
  clock: () => number;
}

export type SettingsPatch = Partial<Omit<ProviderSettings, 'rateLimit'>> & {
  rateLimit?: Partial<ProviderSettings['rateLimit']>;
  statusPage?: StatusPagePatch;
};

export class ProviderRuntime {
  settings!: ProviderSettings;
  counter!: FixedWindowCounter;
  /** The second window (settings.rateLimit.quota), when there is one. */
  quotaCounter: FixedWindowCounter | null = null;
  random!: () => number;
  status!: StatusModel;
  requests = 0;
  responses: Record<string, number> = {};
  /** Requests that reached the error-injection step since errorRate/errorMode last changed. */
  errorSeq = 0;
  /** Requests that reached the outage step while partial. */
  partialSeq = 0;
  /** Requests since connectionFault last changed. */
  faultSeq = 0;
  connectionFaults: Record<string, number> = {};
  /** API requests by the caller's location. */
  locations: Record<string, number> = {};
  burst = { passed: 0, left: 0, served: 0 };
  autoIncidentId: string | null = null;
  /** Set while settings.capacity is. */
  capacity: CapacityLimiter | null = null;
  private seq = 0;

  constructor(
    readonly def: ProviderDefinition,
    private readonly options: RuntimeOptions
  ) {
    this.reset();
  }

  nextSeq = (): number => ++this.seq;

  reset(): void {
    const now = this.options.clock();
    this.settings = defaultSettings(this.def, this.options.realisticLatency);
    this.counter = new FixedWindowCounter(this.settings.rateLimit.limit, this.settings.rateLimit.windowSeconds);
    this.quotaCounter = null;
    this.random = seededRandom((this.options.seed ^ hashString(this.def.name)) >>> 0);
    this.status = seedModel(this.def, this.options.origin, now);
    this.requests = 0;
    this.responses = {};
    this.errorSeq = 0;
    this.partialSeq = 0;
    this.faultSeq = 0;
    this.connectionFaults = {};
    this.locations = {};
    this.burst = { passed: 0, left: 0, served: 0 };
    this.autoIncidentId = null;
    this.seq = 0;
    this.capacity = null;
  }

  get realisticTiming(): boolean {
    return this.options.realisticLatency;
  }

  /** Apply an already validated patch. */
  configure(patch: SettingsPatch): void {
    const now = this.options.clock();
    const { statusPage, rateLimit, ...rest } = patch;
    const s = this.settings;
    if (rest.errorRate !== undefined || rest.errorMode !== undefined) {
      this.errorSeq = 0;
    }
    if (rest.outage !== undefined && rest.outage !== s.outage) {
      this.partialSeq = 0;
    }
    if (rest.connectionFault !== undefined) {
      this.faultSeq = 0;
    }
    if (rest.bursts !== undefined) {
      this.burst = { passed: 0, left: 0, served: 0 };
    }
    Object.assign(s, rest);
    if (rest.capacity !== undefined) {
      // Requests already queued finish on the limiter they joined.
      this.capacity = rest.capacity ? new CapacityLimiter({ ...rest.capacity }) : null;
    }
    if (rateLimit) {
      s.rateLimit = { ...s.rateLimit, ...rateLimit };
      if (rateLimit.limit !== undefined || rateLimit.windowSeconds !== undefined) {
        this.counter = new FixedWindowCounter(s.rateLimit.limit, s.rateLimit.windowSeconds);
      }
      if (rateLimit.quota !== undefined) {
        const q = rateLimit.quota;
        this.quotaCounter = q ? new FixedWindowCounter(q.limit, q.windowSeconds) : null;
      }
    }
    if (statusPage) {
      applyStatusPagePatch(this.status, this.def.name, statusPage, now, this.nextSeq);
      // Incidents replaced by hand: the outage incident is whatever reconcile opens next.
      if (statusPage.incidents) {
        this.autoIncidentId = null;
      }
    }
    if (rest.outage !== undefined || rest.statusPageAdmits !== undefined) {
      this.autoIncidentId = reconcileOutage(
        this.status,
        this.def,
        s.outage,
        s.statusPageAdmits,
        this.autoIncidentId,
        now,
        this.nextSeq
      );
    }
  }

  count(status: number): void {
    this.responses[status] = (this.responses[status] ?? 0) + 1;
  }
}
