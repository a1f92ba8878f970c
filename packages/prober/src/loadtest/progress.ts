// The live progress on stderr: one line rewritten in place on a terminal, plain lines every few
// seconds otherwise (CI logs, files).
import type { StageResult } from './recorder';
import { fmtRate, fmtRatio, fmtSeconds } from './output';

const PLAIN_EVERY_MS = 5_000;

export class Progress {
  private lastPlain = 0;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
    private readonly stageCount: number
  ) {}

  private get tty(): boolean {
    return this.stream.isTTY === true;
  }

  static line(r: StageResult, stages: number, inFlight: number | null): string {
    const errors = r.errorRatio === null ? '-' : `${fmtRatio(r.errorRatio)}`;
    return (
      `stage ${r.stage}/${stages} ${r.kind} ${fmtRate(r.targetRate)}/s  offered ${fmtRate(r.offeredRate)}/s  ` +
      `achieved ${fmtRate(r.achievedRate)}/s  p95 ${fmtSeconds(r.latencyP95Seconds)}  errors ${errors}  ` +
      `429 ${r.rateLimited}  dropped ${r.dropped}${inFlight === null ? '' : `  in flight ${inFlight}`}`
    );
  }

  update(live: { result: StageResult; inFlight: number }): void {
    const text = Progress.line(live.result, this.stageCount, live.inFlight);
    if (this.tty) {
      const width = Math.max(20, (this.stream.columns ?? 120) - 1);
      this.stream.write(`\r\x1b[2K${text.slice(0, width)}`);
      this.drawn = true;
    } else if (Date.now() - this.lastPlain >= PLAIN_EVERY_MS) {
      this.lastPlain = Date.now();
      this.stream.write(`${text}\n`);
    }
  }

  /** A stage is final: its line stays on screen. */
  stageDone(r: StageResult): void {
    this.clear();
    this.stream.write(`${Progress.line(r, this.stageCount, null)}${r.partial ? ' (cut short)' : ''}\n`);
  }

  message(text: string): void {
    this.clear();
    this.stream.write(`${text}\n`);
  }

  clear(): void {
    if (this.drawn) {
      this.stream.write('\r\x1b[2K');
      this.drawn = false;
    }
  }
}
