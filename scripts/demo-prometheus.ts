// How the demo's Prometheus runs (`npm start`), apart from where its config, data and listen
// address are: tests start a Prometheus with these flags to prove what the demo's store accepts.
export const DEMO_PROMETHEUS_FLAGS = [
  '--storage.tsdb.retention.time=30d',
  '--web.enable-lifecycle',
  // Load-test results arrive by remote write (apimon loadtest --remote-write URL/api/v1/write);
  // Prometheus 2.33 and later (3.x too) take this flag.
  '--web.enable-remote-write-receiver',
] as const;
