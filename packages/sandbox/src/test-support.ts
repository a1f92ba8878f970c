import { createSandbox, type Sandbox, type SandboxOptions } from '.';

/** A sandbox on a free port without the providers' own latency, with a clock the test moves. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox & { clock: { now: number } }> {
  const clock = { now: Date.UTC(2026, 10, 24, 3, 0, 0, 250) };
  const sandbox = await createSandbox({
    listen: '127.0.0.1:0',
    realisticLatency: false,
    clock: () => clock.now,
    ...options,
  });
  return Object.assign(sandbox, { clock });
}

export const AUTH = {
  'acme-pay': { Authorization: 'Bearer sk_test_123' },
  geoloc: { 'X-Geo-Key': 'geo-key' },
  adstream: {},
  textly: { Authorization: `Basic ${Buffer.from('AC123:token').toString('base64')}` },
  postbird: { Authorization: 'Bearer pb_live_1' },
} as const;
