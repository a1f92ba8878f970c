// A labelled histogram that renders its own text exposition. prom-client rebuilds label sets
// and re-escapes every label value for every bucket line on every scrape; with 25 buckets and
// six histograms per endpoint that made /metrics the prober's most expensive work at a few
// hundred endpoints (and it runs on the event loop that times the probes). Here each series
// renders its label text once, when it is created.
import { formatValue, TextFamily, type Labels } from './text-family';

interface HistogramSeries {
  labels: Labels;
  /** `api="x",endpoint="y",...` with a trailing comma, ready for `le` to follow. */
  labelText: string;
  /** Observations per bucket (not cumulative). A plain array of numbers, not a Float64Array:
   * typed arrays keep their few bytes in a separate allocation outside the heap, which tens of
   * thousands of series turned into tens of megabytes of allocator overhead. */
  counts: number[];
  sum: number;
  count: number;
}

export class TextHistogram extends TextFamily<HistogramSeries> {
  private readonly bounds: number[];
  private readonly leText: string[];

  constructor(name: string, help: string, buckets: readonly number[], labelNames: readonly string[]) {
    super(name, help, 'histogram', labelNames);
    this.bounds = [...buckets].sort((a, b) => a - b);
    this.leText = [...this.bounds.map(formatValue), '+Inf'];
  }

  observe(labels: Labels, value: number): void {
    const s = this.seriesFor(labels, (kept) => ({
      labels: kept,
      labelText: this.labelText(kept),
      counts: new Array<number>(this.bounds.length + 1).fill(0),
      sum: 0,
      count: 0,
    }));
    let i = 0;
    while (i < this.bounds.length && value > this.bounds[i]) {
      i++;
    }
    s.counts[i]++;
    s.sum += value;
    s.count++;
  }

  protected renderSeries(s: HistogramSeries): string {
    // String concatenation builds a rope, which V8 flattens once; faster than an array join here.
    let out = '';
    let cumulative = 0;
    const prefix = `${this.name}_bucket{${s.labelText}le="`;
    for (let i = 0; i < this.leText.length; i++) {
      cumulative += s.counts[i];
      out += prefix + this.leText[i] + '"} ' + cumulative + '\n';
    }
    const plain = s.labelText.slice(0, -1);
    return `${out}${this.name}_sum{${plain}} ${formatValue(s.sum)}\n${this.name}_count{${plain}} ${s.count}\n`;
  }
}
