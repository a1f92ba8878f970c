// The demo platform in a child process (OpenTelemetry patches process-wide modules) for tests
// of real traffic, and the CLI's main() with its output captured.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { PlatformOptions } from '@apimon/sandbox';
import { main } from '../../packages/prober/src/cli/main';

const ROOT = resolve(__dirname, '../..');

export interface PlatformChild {
  url: string;
  stop(): Promise<void>;
}

export function startPlatformProcess(options: Omit<PlatformOptions, 'listen'>): Promise<PlatformChild> {
  return new Promise((resolvePlatform, reject) => {
    const child: ChildProcess = spawn(
      process.execPath,
      ['-r', require.resolve('tsx/cjs'), join(__dirname, 'platform-child.ts')],
      {
        cwd: ROOT,
        env: { ...process.env, PLATFORM_OPTIONS: JSON.stringify(options) },
        stdio: ['ignore', 'pipe', 'pipe'],
      }
    );
    let out = '';
    let err = '';
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    child.once('exit', (code) => reject(new Error(`platform exited with ${code}: ${err}`)));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (!out.includes('\n')) {
        return;
      }
      const { url } = JSON.parse(out.split('\n')[0]) as { url: string };
      resolvePlatform({
        url,
        stop: () =>
          new Promise<void>((done) => {
            child.removeAllListeners('exit');
            if (child.exitCode !== null) {
              return done();
            }
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
          }),
      });
    });
  });
}

/** main() with stdout and stderr captured (the bin itself is covered by the other CLI tests). */
export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
