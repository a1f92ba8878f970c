// Acme Pay, a card payment gateway: GitHub-style X-RateLimit-* headers (100 requests per 1 s
// window, reset as epoch seconds), bearer auth, a fast API with a tight latency distribution.
// Its status page is an Atlassian Statuspage, and it admits outages.
import { bearerToken, sendJson, type ProviderDefinition } from '../provider';

const CURRENCIES = ['EUR', 'EUR', 'EUR', 'USD', 'GBP'];

export const acmePay: ProviderDefinition = {
  name: 'acme-pay',
  displayName: 'Acme Pay',
  apiPath: '/acme-pay/v1/charges',
  statusFormat: 'statuspage',
  convention: 'github',
  defaults: {
    latency: { medianMs: 45, sigma: 0.35 },
    rateLimit: { limit: 100, windowSeconds: 1 },
    bursts: null,
    statusPageAdmits: true,
  },
  status: {
    components: [
      { name: 'API', group: 'Payments', description: 'REST API at api.acme-pay.example' },
      { name: 'Card payments', group: 'Payments', description: 'Authorisation and capture of card charges' },
      { name: 'Payouts', group: 'Payments' },
      { name: 'Dashboard' },
      { name: 'Webhooks' },
    ],
    outageComponents: ['API', 'Card payments'],
    serviceName: 'card charges',
    history: [
      {
        name: 'Delayed payouts to EU bank accounts',
        impact: 'minor',
        daysAgo: 3,
        minutes: 95,
        components: ['Payouts'],
        cause: 'a delayed settlement file from our banking partner',
      },
      {
        name: 'Elevated error rates on card charges',
        impact: 'major',
        daysAgo: 12,
        minutes: 38,
        components: ['API', 'Card payments'],
        cause: 'a faulty configuration change to our card network gateway',
      },
    ],
    maintenance: { name: 'Webhook delivery infrastructure upgrade', inDays: 6, minutes: 120, components: ['Webhooks'] },
  },
  authenticate(req) {
    return bearerToken(req)
      ? null
      : {
          challenge: 'Bearer realm="acme-pay"',
          body: {
            error: {
              type: 'authentication_error',
              message: 'No valid API key provided. Send "Authorization: Bearer <key>".',
            },
          },
        };
  },
  respond({ res, headers, now, url }) {
    const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit')) || 10));
    const data = Array.from({ length: limit }, (_, i) => {
      const created = Math.floor(now / 1000) - i * 97;
      return {
        id: `ch_${(created * 7919 + i).toString(36)}`,
        object: 'charge',
        amount: 500 + ((created * 31 + i * 17) % 9500),
        currency: CURRENCIES[(created + i) % CURRENCIES.length].toLowerCase(),
        status: (created + i) % 23 === 0 ? 'failed' : 'succeeded',
        captured: (created + i) % 23 !== 0,
        created,
        description: `Listing promotion #${100000 + ((created + i) % 900000)}`,
        payment_method_details: {
          type: 'card',
          card: { brand: i % 3 === 0 ? 'mastercard' : 'visa', last4: String(1000 + ((created + i) % 9000)) },
        },
      };
    });
    sendJson(res, 200, { object: 'list', url: '/v1/charges', has_more: true, data }, headers);
  },
  limited: () => ({ error: { type: 'rate_limit_error', message: 'Too many requests hit the API too quickly.' } }),
};
