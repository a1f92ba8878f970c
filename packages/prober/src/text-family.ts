// Labelled metric families that keep their series compactly and render their own text
// exposition, in pieces. The prober's per-endpoint series (tens per endpoint, hundreds of
// thousands at 10,000 endpoints) live here rather than in prom-client, which keeps each series
// three times over (our label set, its hash string, its value entry) and renders a family as one
// string. prom-client still serves everything else: process, runtime and scheduler gauges, and
// the modules' metrics.

export type Labels = Record<string, string>;

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) {
    return 'NaN';
  }
  if (!Number.isFinite(value)) {
    return value > 0 ? '+Inf' : '-Inf';
  }
  return String(value);
}

/**
 * One family's series by label values. Label sets are rebuilt in the family's label order
 * before they are kept: V8 gives objects made by spreading (`{ ...id, code }`) a hidden class
 * of their own, which at 10,000 endpoints was ~50 MB of hidden classes for label sets that all
 * look alike. Built the same way, they share one. Keys and label texts are joined, not
 * concatenated: `+=` would keep them as ropes of their pieces for as long as the series lives.
 */
export abstract class TextFamily<S extends { labels: Labels }> {
  protected readonly series = new Map<string, S>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: 'counter' | 'gauge' | 'histogram',
    readonly labelNames: readonly string[]
  ) {}

  remove(labels: Labels): void {
    this.series.delete(this.keyOf(labels));
  }

  /** Removes every series whose labels are stale. */
  removeWhere(stale: (labels: Labels) => boolean): void {
    for (const [key, s] of this.series) {
      if (stale(s.labels)) {
        this.series.delete(key);
      }
    }
  }

  get size(): number {
    return this.series.size;
  }

  /** The whole family as one string (tests, and small catalogs). */
  render(): string {
    return [...this.renderChunks(Infinity)].join('');
  }

  /**
   * The family in pieces of at most `seriesPerChunk` series, HELP and TYPE leading the first,
   * so a large family is streamed without one string of all of it. A series is whole within a
   * piece (a histogram's buckets, sum and count always agree).
   */
  *renderChunks(seriesPerChunk: number): Generator<string> {
    let out = `# HELP ${this.name} ${this.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${this.name} ${this.type}\n`;
    let inChunk = 0;
    for (const s of this.series.values()) {
      out += this.renderSeries(s);
      if (++inChunk >= seriesPerChunk) {
        yield out;
        out = '';
        inChunk = 0;
      }
    }
    if (out !== '') {
      yield out;
    }
  }

  protected abstract renderSeries(series: S): string;

  /** The series for these labels, made with `create` (given the kept label set) when new. */
  protected seriesFor(labels: Labels, create: (kept: Labels) => S): S {
    const key = this.keyOf(labels);
    let s = this.series.get(key);
    if (s === undefined) {
      const kept: Labels = {};
      for (const name of this.labelNames) {
        const value = labels[name];
        if (value !== undefined) {
          kept[name] = value;
        }
      }
      s = create(kept);
      this.series.set(key, s);
    }
    return s;
  }

  /** `name="value",` for each label present, ready for one more label (`le`) to follow. */
  protected labelText(labels: Labels): string {
    return this.labelNames
      .filter((name) => labels[name] !== undefined)
      .map((name) => `${name}="${escapeLabelValue(labels[name])}",`)
      .join('');
  }

  /** The label values in the family's label order (an absent label as \u0001, never a value). */
  private keyOf(labels: Labels): string {
    return this.labelNames.map((name) => labels[name] ?? '\u0001').join('\u0000');
  }
}

interface ValueSeries {
  labels: Labels;
  value: number;
}

/** A labelled gauge or counter. */
export class TextSeries extends TextFamily<ValueSeries> {
  constructor(name: string, help: string, type: 'counter' | 'gauge', labelNames: readonly string[]) {
    super(name, help, type, labelNames);
  }

  /** Returns the label set as kept: the same object for the same values, whatever their key order. */
  set(labels: Labels, value: number): Labels {
    const s = this.seriesFor(labels, (kept) => ({ labels: kept, value: 0 }));
    s.value = value;
    return s.labels;
  }

  inc(labels: Labels, by = 1): void {
    this.seriesFor(labels, (kept) => ({ labels: kept, value: 0 })).value += by;
  }

  protected renderSeries(s: ValueSeries): string {
    const text = this.labelText(s.labels);
    return text === ''
      ? `${this.name} ${formatValue(s.value)}\n`
      : `${this.name}{${text.slice(0, -1)}} ${formatValue(s.value)}\n`;
  }
}
