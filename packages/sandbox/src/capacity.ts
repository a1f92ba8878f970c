// A provider with a known capacity, for load tests with a predictable knee: at most
// `concurrency` requests are served at a time, each for exactly `serviceMs`; the rest wait in
// FIFO order. Throughput tops out at concurrency / serviceMs, so an open-model load above that
// rate queues without bound and latency climbs: the knee sits at concurrency * 1000 / serviceMs
// requests per second.
export interface Capacity {
  concurrency: number;
  serviceMs: number;
}

export class CapacityLimiter {
  private busy = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly capacity: Capacity) {}

  get inService(): number {
    return this.busy;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves once the request has had its turn: queued while every slot is busy, then served. */
  async serve(): Promise<void> {
    if (this.busy < this.capacity.concurrency) {
      this.busy++;
    } else {
      // The slot is handed over by the request that frees it, so `busy` stays the same.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    await new Promise<void>((resolve) => setTimeout(resolve, this.capacity.serviceMs));
    const next = this.waiting.shift();
    if (next) {
      next();
    } else {
      this.busy--;
    }
  }
}
