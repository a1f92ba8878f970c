// Runs the demo platform in its own process (OpenTelemetry instrumentations patch process-wide
// modules) with the options a test passes in PLATFORM_OPTIONS; prints its URL once listening
// and stops on SIGTERM.
import { createPlatform, type PlatformOptions } from '@apimon/sandbox';

async function main() {
  const options = JSON.parse(process.env.PLATFORM_OPTIONS ?? '{}') as PlatformOptions;
  const platform = await createPlatform({ listen: '127.0.0.1:0', ...options });
  process.stdout.write(`${JSON.stringify({ url: platform.url })}\n`);
  process.once('SIGTERM', () => {
    void platform.close().then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`platform failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
