// A manual clock for the scheduler: timers fire only when the test advances time, in order,
// with pending promise callbacks flushed between them.
import type { Clock } from '../scheduler';

interface Timer {
  id: number;
  at: number;
  fn: () => void;
}

export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await Promise.resolve();
  }
}

const earlier = (a: Timer, b: Timer) => a.at < b.at || (a.at === b.at && a.id < b.id);

export class FakeClock implements Clock {
  private time = 0;
  private nextId = 1;
  /** A binary min-heap by (at, id): tests with thousands of timers stay fast. */
  private heap: Timer[] = [];
  /** Ids of timers set and neither fired nor cleared. */
  private readonly live = new Set<number>();

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const timer = { id: this.nextId++, at: this.time + Math.max(0, ms), fn };
    this.live.add(timer.id);
    this.push(timer);
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    // Cleared timers stay in the heap and are dropped when they reach the top.
    this.live.delete(handle as number);
  }

  get pending(): number {
    return this.live.size;
  }

  /** Moves time forward by `ms`, firing every timer that comes due on the way, in order. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await flushMicrotasks();
      const due = this.nextDue(end);
      if (!due) {
        break;
      }
      this.live.delete(due.id);
      this.time = due.at;
      due.fn();
    }
    this.time = end;
    await flushMicrotasks();
  }

  private nextDue(end: number): Timer | undefined {
    while (this.heap.length > 0) {
      const top = this.heap[0];
      if (!this.live.has(top.id)) {
        this.pop();
        continue;
      }
      if (top.at > end) {
        return undefined;
      }
      return this.pop();
    }
    return undefined;
  }

  private push(timer: Timer): void {
    const h = this.heap;
    h.push(timer);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(h[i], h[parent])) {
        break;
      }
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }

  private pop(): Timer {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && earlier(h[l], h[m])) {
          m = l;
        }
        if (r < h.length && earlier(h[r], h[m])) {
          m = r;
        }
        if (m === i) {
          break;
        }
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

/** A deterministic uniform [0, 1) sequence (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
