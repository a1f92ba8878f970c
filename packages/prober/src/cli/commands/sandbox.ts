import { createSandbox, DEFAULT_LISTEN, parseListen, PROVIDER_NAMES, PROVIDERS } from '@apimon/sandbox';
import { parseCommandArgs, UsageError } from '../args';

export const usage = `usage: apimon sandbox [--listen HOST:PORT] [--seed N] [--no-latency]`;
export const summary = `run the fake third-party providers of the demo (default ${DEFAULT_LISTEN}; admin API at /_admin/)`;

/** Starts the sandbox and serves until SIGINT or SIGTERM. */
export async function run(argv: string[]): Promise<number> {
  const args = parseCommandArgs(
    argv,
    { listen: { type: 'string', short: 'l' }, seed: { type: 'string' }, 'no-latency': { type: 'boolean' } },
    usage
  );
  const listen = args.listen ?? DEFAULT_LISTEN;
  try {
    parseListen(listen);
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${usage}`);
  }
  let seed = 1;
  if (args.seed !== undefined) {
    seed = Number(args.seed);
    if (!/^\d{1,10}$/.test(args.seed) || seed > 0xffffffff) {
      throw new UsageError(`--seed must be a whole number between 0 and 4294967295 (got "${args.seed}")\n${usage}`);
    }
  }
  let sandbox;
  try {
    sandbox = await createSandbox({ listen, seed, realisticLatency: !args['no-latency'] });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why =
      e.code === 'EADDRINUSE'
        ? 'the address is already in use'
        : e.code === 'EADDRNOTAVAIL'
          ? 'the address is not available on this machine'
          : e.message;
    process.stderr.write(`apimon sandbox: cannot listen on ${listen}: ${why}\n`);
    return 1;
  }
  const lines = PROVIDER_NAMES.map((n) => {
    const p = PROVIDERS[n];
    return `  ${n.padEnd(10)} api ${sandbox.url}${p.apiPath}\n  ${''.padEnd(10)} status (${p.statusFormat}) ${sandbox.url}/${n}/status`;
  });
  process.stdout.write(
    `apimon sandbox listening on ${sandbox.url} (seed ${seed})\n${lines.join('\n')}\n  admin      ${sandbox.url}/_admin/state\n`
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
  await sandbox.close();
  process.stdout.write('apimon sandbox stopped\n');
  return 0;
}
