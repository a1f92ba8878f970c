// Textly, an SMS gateway: basic auth (account id + auth token), X-Rate-Limit-* headers (120
// requests per minute, reset as epoch seconds), and bursts of 429 Too Many Requests whose
// Retry-After alternates between delta-seconds and an HTTP-date. Its status page is Instatus.
import { sendJson, type ProviderDefinition } from '../provider';

const STATUSES = ['delivered', 'delivered', 'delivered', 'sent', 'queued', 'undelivered'];

export const textly: ProviderDefinition = {
  name: 'textly',
  displayName: 'Textly SMS',
  apiPath: '/textly/v1/messages',
  statusFormat: 'instatus',
  convention: 'x-rate-limit',
  defaults: {
    latency: { medianMs: 120, sigma: 0.5 },
    rateLimit: { limit: 120, windowSeconds: 60 },
    bursts: { every: 20, length: 3, retryAfterSeconds: 2 },
    statusPageAdmits: true,
  },
  status: {
    components: [
      { name: 'SMS API', group: 'Messaging' },
      { name: 'Delivery', group: 'Messaging', description: 'Hand-over to mobile carriers' },
      { name: 'Voice' },
      { name: 'Console' },
    ],
    outageComponents: ['SMS API', 'Delivery'],
    serviceName: 'SMS sending',
    history: [
      {
        name: 'SMS delivery delays to some carriers',
        impact: 'minor',
        daysAgo: 1,
        minutes: 140,
        components: ['Delivery'],
        cause: 'congestion at a carrier gateway',
      },
    ],
    maintenance: { name: 'Carrier gateway upgrade', inDays: 2, minutes: 90, components: ['Delivery'] },
  },
  authenticate(req) {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? '');
    const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    return colon > 0 && colon < decoded.length - 1
      ? null
      : {
          challenge: 'Basic realm="textly"',
          body: {
            code: 20003,
            message: 'Authenticate: send the account id and auth token with HTTP basic auth.',
            status: 401,
          },
        };
  },
  respond({ res, headers, now }) {
    const messages = Array.from({ length: 5 }, (_, i) => {
      const t = Math.floor(now / 1000) - i * 311;
      return {
        sid: `SM${(t * 2654435761 + i).toString(16).slice(-16).padStart(16, '0')}`,
        to: `+4915${String(10000000 + ((t + i) % 89999999)).padStart(8, '0')}`,
        from: 'CLASSIFIEDS',
        body: `Your verification code is ${String(100000 + ((t * 13 + i) % 900000))}`,
        status: STATUSES[(t + i) % STATUSES.length],
        segments: 1,
        date_created: new Date(t * 1000).toUTCString(),
      };
    });
    sendJson(res, 200, { messages, page: 0, page_size: messages.length }, headers);
  },
  limited: ({ retryAfterSeconds }) => ({
    code: 20429,
    message: `Too Many Requests; retry after ${retryAfterSeconds} s.`,
    status: 429,
  }),
};
