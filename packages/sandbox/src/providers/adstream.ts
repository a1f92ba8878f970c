// AdStream, a partner ad feed: no auth, slow (a few hundred ms before the first byte) and large
// (a few MB of JSON, streamed in chunks with chunked transfer encoding). Older IETF draft
// headers: RateLimit-Limit/-Remaining/-Reset (delta seconds), 30 requests per minute.
// Its status page is an RSS feed.
import type { ServerResponse } from 'node:http';
import type { ProviderDefinition } from '../provider';

export const DEFAULT_FEED_BYTES = 3 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;
/** With realistic timing the whole body takes about this long to send. */
const TRANSFER_MS = 250;

const CATEGORIES = ['cars', 'real-estate', 'electronics', 'fashion', 'jobs', 'furniture', 'services'];

function ad(i: number, now: number): string {
  return JSON.stringify({
    id: `ad-${(now / 1000) | 0}-${i}`,
    campaign: `cmp-${1000 + (i % 257)}`,
    category: CATEGORIES[i % CATEGORIES.length],
    title: `Sponsored listing ${i}: ${CATEGORIES[(i * 7) % CATEGORIES.length]} deals near you`,
    bid_eur: Number((0.05 + ((i * 37) % 400) / 1000).toFixed(3)),
    image: `https://cdn.adstream.example/creatives/${(i * 2654435761) % 4294967296}.jpg`,
    target: { countries: i % 2 ? ['DE', 'AT'] : ['FR', 'BE'], min_age: 18 },
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function write(res: ServerResponse, chunk: string): Promise<boolean> {
  if (res.destroyed) {
    return false;
  }
  if (!res.write(chunk)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  }
  return !res.destroyed;
}

export const adstream: ProviderDefinition = {
  name: 'adstream',
  displayName: 'AdStream',
  apiPath: '/adstream/v1/feed',
  statusFormat: 'rss',
  convention: 'ietf-draft06',
  defaults: {
    latency: { medianMs: 350, sigma: 0.3 },
    rateLimit: { limit: 30, windowSeconds: 60 },
    bursts: null,
    statusPageAdmits: true,
    payloadBytes: DEFAULT_FEED_BYTES,
  },
  status: {
    components: [{ name: 'Inventory feed' }, { name: 'Bidding API' }, { name: 'Reporting' }],
    outageComponents: ['Inventory feed'],
    serviceName: 'the inventory feed',
    history: [
      {
        name: 'Delayed impressions reporting',
        impact: 'minor',
        daysAgo: 2,
        minutes: 180,
        components: ['Reporting'],
        cause: 'a backlog in the event pipeline',
      },
      {
        name: 'Inventory feed returns errors for EU partners',
        impact: 'major',
        daysAgo: 9,
        minutes: 64,
        components: ['Inventory feed'],
        cause: 'a failed storage node',
      },
    ],
  },
  authenticate: () => null,
  async respond({ res, headers, now, payloadBytes, realisticTiming }) {
    res.writeHead(200, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
    const head = `{"partner":"adstream","generated_at":"${new Date(now).toISOString()}","ads":[`;
    let sent = head.length;
    let buffer = head;
    let count = 0;
    const chunks = Math.max(1, Math.ceil(payloadBytes / CHUNK_BYTES));
    const pause = realisticTiming ? TRANSFER_MS / chunks : 0;
    // Leave room for the closing `],"count":N}`.
    const budget = payloadBytes - 24;
    for (;;) {
      const item = `${count > 0 ? ',' : ''}${ad(count, now)}`;
      if (sent + item.length > budget) {
        break;
      }
      buffer += item;
      sent += item.length;
      count += 1;
      if (buffer.length >= CHUNK_BYTES) {
        if (!(await write(res, buffer))) {
          return;
        }
        buffer = '';
        if (pause > 0) {
          await sleep(pause);
        }
      }
    }
    buffer += `],"count":${count}}`;
    if (await write(res, buffer)) {
      res.end();
    }
  },
  limited: ({ retryAfterSeconds }) => ({ error: 'rate_limited', retry_after: retryAfterSeconds }),
};
