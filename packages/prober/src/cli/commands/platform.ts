// `apimon platform`: the demo platform making real, OpenTelemetry-instrumented calls to the
// sandbox providers (docs/sandbox.md, docs/real-traffic.md).
import { createPlatform, DEFAULT_LISTEN, DEFAULT_PLATFORM_LISTEN, parseListen, SEMCONV_MODES, type SemconvMode } from '@apimon/sandbox';
import { parseDuration } from '@apimon/core';
import { parseCommandArgs, UsageError } from '../args';

export const usage = `usage: apimon platform [--sandbox URL] [--listen HOST:PORT] [--rps N] [--flat]
                       [--day 24h] [--semconv old|stable|both] [--service NAME]`;
export const summary = `run the demo platform calling the sandbox providers with OpenTelemetry metrics (default ${DEFAULT_PLATFORM_LISTEN}; /metrics, admin API at /_admin/)`;

export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(
    argv,
    {
      sandbox: { type: 'string', default: `http://${DEFAULT_LISTEN}` },
      listen: { type: 'string', short: 'l', default: DEFAULT_PLATFORM_LISTEN },
      rps: { type: 'string', default: '5' },
      flat: { type: 'boolean', default: false },
      day: { type: 'string', default: '24h' },
      semconv: { type: 'string' },
      service: { type: 'string', default: 'marketplace' },
    },
    usage
  );
  let sandboxUrl: URL;
  try {
    sandboxUrl = new URL(args.sandbox!);
    if (sandboxUrl.protocol !== 'http:' && sandboxUrl.protocol !== 'https:') {
      throw new Error('not http');
    }
  } catch {
    throw new UsageError(`--sandbox: "${args.sandbox}" is not an http:// or https:// URL\n${usage}`);
  }
  try {
    parseListen(args.listen!);
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${usage}`);
  }
  const rps = Number(args.rps);
  if (!/^\d+(\.\d+)?$/.test(args.rps!) || rps > 10_000) {
    throw new UsageError(`--rps must be a number of calls per second between 0 and 10000 (got "${args.rps}")\n${usage}`);
  }
  const dayMs = parseDuration(args.day!);
  if (dayMs === undefined || dayMs < 1000) {
    throw new UsageError(`--day must be a duration of at least 1s, such as "24h" or "10m" (got "${args.day}")\n${usage}`);
  }
  if (args.semconv !== undefined && !(SEMCONV_MODES as readonly string[]).includes(args.semconv)) {
    throw new UsageError(`--semconv must be one of ${SEMCONV_MODES.join(', ')} (got "${args.semconv}")\n${usage}`);
  }
  let platform;
  try {
    platform = await createPlatform({
      listen: args.listen,
      sandboxUrl: sandboxUrl.origin,
      rps,
      shape: !args.flat,
      dayMs,
      semconv: args.semconv as SemconvMode | undefined,
      serviceName: args.service,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EADDRINUSE' ? 'the address is already in use' : e.message;
    process.stderr.write(`apimon platform: cannot listen on ${args.listen}: ${why}\n`);
    return 1;
  }
  const state = platform.admin.state();
  process.stdout.write(
    `apimon platform listening on ${platform.url} (conventions: ${state.semconv}, ${rps} calls/s at the daily mean${args.flat ? ', flat' : ''})\n` +
      `  metrics   ${platform.url}/metrics\n  admin     ${platform.url}/_admin/state\n` +
      state.targets.map((t) => `  ${t.name.padEnd(10)}${t.url}${t.urlTemplate ? ` (url.template ${t.urlTemplate})` : ''}`).join('\n') +
      '\n'
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await platform.close();
  process.stdout.write('apimon platform stopped\n');
  return 0;
}
