// A labelled histogram that renders its own text exposition. prom-client rebuilds label sets
// and re-escapes every label value for every bucket line on every scrape; with 25 buckets and
// six histograms per endpoint that made /metrics the prober's most expensive work at a few
// hundred endpoints (and it runs on the event loop that times the probes). Here each series
// renders its label text once, when it is created.

type Labels = Record<string, string>;

interface Series {
  /** `api="x",endpoint="y",...` with a trailing comma, ready for `le` to follow. */
  labelText: string;
  /** Observations per bucket (not cumulative). */
  counts: Float64Array;
  sum: number;
  count: number;
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) {
    return 'NaN';
  }
  if (!Number.isFinite(value)) {
    return value > 0 ? '+Inf' : '-Inf';
  }
  return String(value);
}

export class TextHistogram {
  private readonly series = new Map<string, Series>();
  private readonly bounds: number[];
  private readonly leText: string[];

  constructor(
    readonly name: string,
    readonly help: string,
    buckets: readonly number[],
    readonly labelNames: readonly string[]
  ) {
    this.bounds = [...buckets].sort((a, b) => a - b);
    this.leText = [...this.bounds.map(formatValue), '+Inf'];
  }

  observe(labels: Labels, value: number): void {
    const key = this.keyOf(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { labelText: this.labelText(labels), counts: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]) {
      i++;
    }
    s.counts[i]++;
    s.sum += value;
    s.count++;
  }

  remove(labels: Labels): void {
    this.series.delete(this.keyOf(labels));
  }

  render(): string {
    // String concatenation builds a rope, which V8 flattens once; faster than an array join here.
    let out = `# HELP ${this.name} ${this.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${this.name} histogram\n`;
    const bucketPrefix = `${this.name}_bucket{`;
    for (const s of this.series.values()) {
      let cumulative = 0;
      const prefix = bucketPrefix + s.labelText + 'le="';
      for (let i = 0; i < this.leText.length; i++) {
        cumulative += s.counts[i];
        out += prefix + this.leText[i] + '"} ' + cumulative + '\n';
      }
      const plain = s.labelText.slice(0, -1);
      out += `${this.name}_sum{${plain}} ${formatValue(s.sum)}\n${this.name}_count{${plain}} ${s.count}\n`;
    }
    return out;
  }

  private keyOf(labels: Labels): string {
    return this.labelNames.map((n) => labels[n] ?? '').join('\u0000');
  }

  private labelText(labels: Labels): string {
    let out = '';
    for (const name of this.labelNames) {
      const value = labels[name];
      if (value !== undefined) {
        out += `${name}="${escapeLabelValue(value)}",`;
      }
    }
    return out;
  }
}
