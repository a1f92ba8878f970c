// Process helpers for the benchmarks: child processes that announce their port, CPU and RSS
// read from /proc (Linux), percentiles.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** User and system CPU milliseconds a process has used so far (/proc/<pid>/stat, fields 14 and 15). */
export function cpuTimesOf(pid: number): { user: number; system: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces; fields are counted after its closing paren.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: (Number(fields[11]) * 1000) / CLOCK_TICKS, system: (Number(fields[12]) * 1000) / CLOCK_TICKS };
}

/** user + system CPU milliseconds a process has used so far. */
export function cpuMsOf(pid: number): number {
  const { user, system } = cpuTimesOf(pid);
  return user + system;
}

/** Resident set size of a process in bytes (/proc/<pid>/status, VmRSS). */
export function rssBytesOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : 0;
}

/** CPU milliseconds this process has used so far. */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) {
    return Number.NaN;
  }
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const median = (values: number[]) => percentile(values, 50);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface Child {
  proc: ChildProcess;
  pid: number;
  stop(): Promise<void>;
}

/** Starts a process and resolves once `ready` matches its output (stdout or stderr). */
export async function startChild(
  command: string,
  args: string[],
  ready: RegExp,
  timeoutMs = 20_000,
  env: NodeJS.ProcessEnv = process.env
): Promise<Child & { match: RegExpExecArray }> {
  const proc = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${command} did not become ready in ${timeoutMs} ms:\n${output.slice(-2000)}`)),
      timeoutMs
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = ready.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code} before it was ready:\n${output.slice(-2000)}`));
    });
  });
  // Keep draining so a chatty child never blocks on a full pipe.
  proc.stdout!.resume();
  proc.stderr!.resume();
  return {
    proc,
    pid: proc.pid!,
    match,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) {
          resolve();
          return;
        }
        const kill = setTimeout(() => proc.kill('SIGKILL'), 5000);
        proc.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
        proc.kill('SIGTERM');
      }),
  };
}

/** The loopback target (bench/support/target-server.mjs) in its own process; https with `tls`. */
export async function startTarget(tls?: { cert: string; key: string }): Promise<Child & { port: number }> {
  const env = tls ? { ...process.env, BENCH_TARGET_TLS_CERT: tls.cert, BENCH_TARGET_TLS_KEY: tls.key } : process.env;
  const child = await startChild(
    process.execPath,
    [join(__dirname, 'target-server.mjs')],
    /LISTENING (\d+)/,
    20_000,
    env
  );
  return { ...child, port: Number(child.match[1]) };
}

/** Runs `tasks` with at most `concurrency` in flight. */
export async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return out;
}
