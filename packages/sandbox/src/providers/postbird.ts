// Postbird, a transactional e-mail API: bearer auth and no rate-limit headers at all. Its
// limit (600 per hour) is only documented; it is still enforced, with a bare 429. Its status
// page is an Atom feed, and by default it stays silent about outages.
import { bearerToken, sendJson, type ProviderDefinition } from '../provider';

export const postbird: ProviderDefinition = {
  name: 'postbird',
  displayName: 'Postbird Mail',
  apiPath: '/postbird/v1/quota',
  statusFormat: 'atom',
  convention: 'none',
  defaults: {
    latency: { medianMs: 70, sigma: 0.3 },
    rateLimit: { limit: 600, windowSeconds: 3600 },
    bursts: null,
    statusPageAdmits: false,
  },
  status: {
    components: [{ name: 'Sending API' }, { name: 'SMTP relay' }, { name: 'Bounce processing' }, { name: 'Webhooks' }],
    outageComponents: ['Sending API', 'SMTP relay'],
    serviceName: 'outbound mail',
    history: [
      {
        name: 'Bounce processing delayed',
        impact: 'minor',
        daysAgo: 4,
        minutes: 120,
        components: ['Bounce processing'],
        cause: 'a stuck queue consumer',
      },
    ],
  },
  authenticate(req) {
    return bearerToken(req)
      ? null
      : {
          challenge: 'Bearer realm="postbird"',
          body: { errors: [{ code: 'unauthorized', detail: 'Send "Authorization: Bearer <api key>".' }] },
        };
  },
  respond({ res, headers, quota }) {
    sendJson(
      res,
      200,
      {
        plan: 'growth',
        quota: {
          period: 'hour',
          limit: quota.limit,
          used: quota.limit - quota.remaining,
          remaining: quota.remaining,
          resets_at: new Date(quota.resetAtMs).toISOString(),
        },
        sending: { domains_verified: 2, dedicated_ips: 1, suppressed_addresses: 312 },
      },
      headers
    );
  },
  limited: () => ({ errors: [{ code: 'too_many_requests', detail: 'Hourly sending quota exhausted.' }] }),
};
