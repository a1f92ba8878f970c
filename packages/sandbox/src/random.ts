// Seeded randomness, so a sandbox started with the same seed serves the same latency samples
// and the same random errors, request for request.

/** mulberry32: a small, fast 32-bit PRNG; plenty for jitter and error draws. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable 32-bit number from a string (FNV-1a), to derive one seed per provider. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A standard normal draw (Box-Muller). */
function normal(random: () => number): number {
  const u = Math.max(random(), Number.EPSILON);
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export interface LatencyModel {
  /** Median of the distribution, ms. */
  medianMs: number;
  /** Log-space standard deviation: 0.25 is a tight API, 0.6 a noisy one. */
  sigma: number;
}

/** Response times of real APIs are right-skewed: log-normal around the median, with a long
 * tail. Capped at 20 medians so one unlucky draw cannot stall a test. */
export function sampleLatencyMs(model: LatencyModel, random: () => number): number {
  if (model.medianMs <= 0) {
    return 0;
  }
  const value = model.medianMs * Math.exp(model.sigma * normal(random));
  return Math.min(value, model.medianMs * 20);
}
