// Shared by the load-test suites: catalogs written to a temporary directory, main() with its
// output captured, the real bin as a child process.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli/main';

export const BIN = join(__dirname, '../../bin/apimon.js');

export class TempDir {
  readonly path = mkdtempSync(join(tmpdir(), 'apimon-loadtest-'));

  file(name: string, text: string): string {
    const file = join(this.path, name);
    writeFileSync(file, text);
    return file;
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}

export interface ApiSpec {
  name?: string;
  url: string;
  loadTest?: string;
  apiExtra?: string;
  endpointExtra?: string;
  thresholds?: string;
  auth?: string;
}

/** A one-API catalog (YAML) for the sandbox's acme-pay. */
export function catalogYaml(spec: ApiSpec): string {
  return `providers: [{ name: acme-pay }]
apis:
  - name: ${spec.name ?? 'payments'}
    provider: acme-pay
    criticality: critical
    owner: payments-team
    auth: ${spec.auth ?? '{ type: bearer, secretEnv: APIMON_LOADTEST_KEY }'}
    thresholds: ${spec.thresholds ?? '{ latencyP95: 150ms, errorRate: 1% }'}
${spec.apiExtra ?? ''}
    endpoints:
      - name: charges
        url: ${spec.url}
${spec.loadTest ? `        loadTest: ${spec.loadTest}\n` : ''}${spec.endpointExtra ?? ''}`;
}

/** Runs main() with stdout and stderr captured. */
export async function runMain(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await main(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

export function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export { execFile, spawn };
