// What a probe slot costs while its target hangs: N probes (the real probe function, each with
// its own AbortController and deadline timer, as the scheduler runs them) connected to a TCP
// server that accepts and never answers (its own process); memory and open files of this process
// after garbage collection, against the same process before they started. This is what sizes
// the default prober.concurrency.
//
// Run: npx tsx --expose-gc bench/slot-cost.ts
import { readdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { probeEndpoint } from '../packages/prober/src/probe';
import { probeTargets } from './support/catalog';
import { loadText, writeSection } from './support/results';

const COUNTS = [1000, 2000];
const PROVIDERS_SCRIPT = join(__dirname, '..', 'packages', 'prober', 'src', 'test-support', 'hanging-server.mjs');

export interface SlotCost {
  slots: number;
  /** Per slot, KiB. */
  heapKb: number;
  externalKb: number;
  rssKb: number;
  /** Open files per slot. */
  files: number;
}

export interface SlotCostResult {
  startedAt: string;
  load: string;
  costs: SlotCost[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function settle(): Promise<NodeJS.MemoryUsage> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    throw new Error('run with --expose-gc (npx tsx --expose-gc bench/slot-cost.ts)');
  }
  for (let i = 0; i < 3; i++) {
    gc();
    await sleep(100);
  }
  return process.memoryUsage();
}

const openFiles = () => readdirSync('/proc/self/fd').length;

export async function runSlotCost(): Promise<SlotCostResult> {
  const startedAt = new Date().toISOString();
  const load = loadText();
  const child = spawn(process.execPath, [PROVIDERS_SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
  let open = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const listening = /^LISTENING (\d+) \d+$/.exec(line);
      const counts = /^OPEN (\d+) MAX \d+$/.exec(line);
      if (listening) {
        resolve(Number(listening[1]));
      } else if (counts) {
        open = Number(counts[1]);
      }
    });
  });
  const costs: SlotCost[] = [];
  try {
    for (const n of COUNTS) {
      const targets = probeTargets(
        Array.from({ length: n }, (_, i) => `http://127.0.0.1:${port}/hang/${i}`),
        '1m'
      );
      // One warm probe first, so code and lazily built state are not counted per slot.
      const warm = new AbortController();
      const warmRun = probeEndpoint(targets[0].api, targets[0].endpoint, { signal: warm.signal }).catch(() => null);
      await sleep(200);
      warm.abort();
      await warmRun;
      const before = await settle();
      const filesBefore = openFiles();
      const runs = targets.map(({ api, endpoint }) => {
        const controller = new AbortController();
        const deadline = setTimeout(() => controller.abort(), 20 * 60_000);
        const run = probeEndpoint(api, endpoint, { signal: controller.signal })
          .catch(() => null)
          .finally(() => clearTimeout(deadline));
        return { controller, run };
      });
      for (let waited = 0; open < n && waited < 60_000; waited += 100) {
        await sleep(100);
      }
      if (open < n) {
        throw new Error(`only ${open} of ${n} hanging connections open`);
      }
      const after = await settle();
      const files = openFiles() - filesBefore;
      const kb = (bytes: number) => +(bytes / 1024 / n).toFixed(2);
      costs.push({
        slots: n,
        heapKb: kb(after.heapUsed - before.heapUsed),
        externalKb: kb(after.external - before.external),
        rssKb: kb(after.rss - before.rss),
        files: +(files / n).toFixed(2),
      });
      for (const r of runs) {
        r.controller.abort();
      }
      await Promise.all(runs.map((r) => r.run));
      for (let waited = 0; open > 0 && waited < 10_000; waited += 100) {
        await sleep(100);
      }
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return { startedAt, load, costs };
}

/** Its section of bench/RESULTS.md (bench/all.ts writes it too). */
export function slotCostSection(r: SlotCostResult): string {
  const rows = r.costs.map(
    (c) => `| ${c.slots} | ${c.heapKb} KiB | ${c.externalKb} KiB | ${c.rssKb} KiB | ${c.files} |`
  );
  // 1,024 slots × the largest RSS per probe in KiB is that many MiB.
  const worstMb = Math.round(Math.max(...r.costs.map((c) => c.rssKb)));
  return `## What a hanging probe costs

Reproduce: \`npx tsx --expose-gc bench/slot-cost.ts\` (also run by \`npm run bench\`). The real probe
function, each run with its own AbortController and deadline timer as the scheduler runs them,
connected to a TCP server that accepts and never answers (its own process); this process's memory
after garbage collection against the same process before they started. Run ${r.startedAt}, load
average ${r.load}.

| hanging probes | heap per probe | external per probe | RSS per probe | open files per probe |
|---|---|---|---|---|
${rows.join('\n')}

So the default \`prober.concurrency\` of 1,024 costs at most about ${worstMb} MB when every slot hangs
(the kernel's socket buffers, a few KiB per idle connection, come on top and are not in RSS),
and one file descriptor per slot, within Node's open-file limit (Node raises the soft limit to the
hard one; the prober lowers its slots to fit, with a warning).
`;
}

if (require.main === module) {
  runSlotCost().then(
    (r) => {
      for (const c of r.costs) {
        console.log(
          `${c.slots} hanging probes: per slot heap ${c.heapKb} KiB, external ${c.externalKb} KiB, RSS ${c.rssKb} KiB, ${c.files} open files`
        );
      }
      writeSection('## What a hanging probe costs', slotCostSection(r));
      console.log(`RESULT ${JSON.stringify(r)}`);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    }
  );
}
