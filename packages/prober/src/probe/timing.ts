// Phase timing of one HTTP exchange on a fresh connection, from the socket's own events:
//   dns      start -> 'lookup' (0 for an IP literal: nothing is resolved)
//   connect  -> TCP 'connect'
//   tls      -> TLS handshake done (0 for plain http)
//   ttfb     -> response headers parsed (request sent, server thinking, first bytes back)
//   transfer -> body read to the end (or to the byte cap)
// Times come from performance.now(): monotonic, sub-millisecond. Each phase end also asks how
// long the event loop kept it waiting (loop-stalls.ts): the probe's loop delay.
import { performance } from 'node:perf_hooks';
import { PHASES, type Phase } from '@apimon/core';
import type { LatenessTally } from './loop-stalls';

export type Phases = Record<Phase, number>;

export function zeroPhases(): Phases {
  return { dns: 0, connect: 0, tls: 0, ttfb: 0, transfer: 0 };
}

export function addPhases(into: Phases, more: Phases): void {
  for (const p of PHASES) {
    into[p] += more[p];
  }
}

export const clock = (): number => performance.now();

let ioStamp: number | undefined;
const forgetIoStamp = () => {
  ioStamp = undefined;
};

/**
 * When the event loop's current I/O phase began, as near as JavaScript can tell: the clock at
 * the first call in this phase, shared by every later call until the loop moves on. The kernel
 * hands the loop every socket that is ready in one batch; timing each event when its callback
 * runs would add the work done for the events before it (with 200 responses arriving together,
 * tens of milliseconds). Only for socket callbacks: a call from a timer would date
 * the I/O events that follow it in the same loop turn to the timer's moment.
 */
export function ioClock(): number {
  if (ioStamp === undefined) {
    ioStamp = clock();
    // Immediates run right after the I/O phase; while one is pending the loop does not sleep.
    setImmediate(forgetIoStamp);
  }
  return ioStamp;
}

export class HopTimer {
  private start = clock();
  private readonly marks: Partial<Record<Phase, number>> = {};

  constructor(
    /** False for an IP literal: the dns phase is empty. */
    readonly resolves: boolean,
    /** False for plain http: the tls phase is empty. */
    readonly secure: boolean,
    /** Counts the event-loop stalls the phase ends waited behind. */
    private readonly lateness?: LatenessTally
  ) {
    lateness?.startAt(this.start);
  }

  /**
   * Starts the clock again once the connection attempt is under way, so the CPU spent setting
   * up the socket (about 0.5 ms for TLS, more when the process is busy) is not a network phase.
   */
  begin(at = clock()): void {
    this.start = at;
    this.lateness?.startAt(at);
  }

  /** Records the end of a phase (the first time only: a retried lookup does not move it). */
  end(phase: Phase, at = clock()): void {
    if (this.marks[phase] === undefined) {
      this.marks[phase] = at;
      this.lateness?.event(at);
    }
  }

  /** The exchange was cut short at `at` (a timeout or a failure): that moment is timed too. */
  interrupted(at = clock()): void {
    this.lateness?.event(at);
  }

  ended(phase: Phase): boolean {
    return this.marks[phase] !== undefined;
  }

  /** The phase in progress: the first one not ended that this hop has at all. */
  current(): Phase {
    for (const p of PHASES) {
      if (!this.skips(p) && this.marks[p] === undefined) {
        return p;
      }
    }
    return 'transfer';
  }

  private skips(phase: Phase): boolean {
    return (phase === 'dns' && !this.resolves) || (phase === 'tls' && !this.secure);
  }

  /**
   * Milliseconds per phase. A phase still in progress runs until `until` (a timeout or a
   * failure); phases after it are 0.
   */
  phases(until = clock()): Phases {
    const out = zeroPhases();
    let from = this.start;
    for (const p of PHASES) {
      if (this.skips(p)) {
        continue;
      }
      const at = this.marks[p];
      if (at === undefined) {
        out[p] = Math.max(0, until - from);
        break;
      }
      out[p] = Math.max(0, at - from);
      from = at;
    }
    return out;
  }
}
