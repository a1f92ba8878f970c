// GeoLoc, a geocoder: IETF draft-10 RateLimit-Policy + RateLimit structured fields (50 requests
// per minute), API key in the X-Geo-Key header or, as map APIs allow, in the `key` query
// parameter. Its answers may be cached for five minutes (Cache-Control max-age, an ETag of the
// result): a place does not move. Its status page is an incident.io page, and by default it
// stays silent about outages: the page reads "operational" while the API fails.
import { hashString } from '../random';
import { sendJson, type ProviderDefinition } from '../provider';

const KNOWN: Record<string, { address: string; lat: number; lng: number; country: string }> = {
  berlin: { address: 'Berlin, Germany', lat: 52.520008, lng: 13.404954, country: 'DE' },
  paris: { address: 'Paris, France', lat: 48.856613, lng: 2.352222, country: 'FR' },
  london: { address: 'London, United Kingdom', lat: 51.507351, lng: -0.127758, country: 'GB' },
  madrid: { address: 'Madrid, Spain', lat: 40.416775, lng: -3.70379, country: 'ES' },
};

export const geoloc: ProviderDefinition = {
  name: 'geoloc',
  displayName: 'GeoLoc',
  apiPath: '/geoloc/v1/geocode',
  statusFormat: 'incidentio',
  convention: 'ietf-draft10',
  defaults: {
    latency: { medianMs: 80, sigma: 0.45 },
    rateLimit: { limit: 50, windowSeconds: 60 },
    bursts: null,
    statusPageAdmits: false,
  },
  status: {
    components: [
      { name: 'Geocoding API', group: 'APIs' },
      { name: 'Reverse geocoding API', group: 'APIs' },
      { name: 'Autocomplete', group: 'APIs' },
      { name: 'Map tiles' },
    ],
    outageComponents: ['Geocoding API'],
    serviceName: 'forward geocoding',
    history: [
      {
        name: 'Slow autocomplete responses in Europe',
        impact: 'minor',
        daysAgo: 5,
        minutes: 50,
        components: ['Autocomplete'],
        cause: 'an overloaded cache cluster',
      },
    ],
    maintenance: { name: 'Search index rebuild', inDays: 4, minutes: 90, components: ['Autocomplete'] },
  },
  authenticate(req) {
    const header = req.headers['x-geo-key'];
    const query = new URL(req.url ?? '/', 'http://sandbox').searchParams.get('key');
    return (typeof header === 'string' && header.trim() !== '') || (query !== null && query.trim() !== '')
      ? null
      : { body: { status: 'REQUEST_DENIED', error_message: 'Missing API key: send it in the X-Geo-Key header or the key query parameter.' } };
  },
  respond({ res, headers, url }) {
    const q = (url.searchParams.get('q') ?? '').trim();
    if (!q) {
      sendJson(
        res,
        400,
        { status: 'INVALID_REQUEST', error_message: 'Query parameter "q" is required.', results: [] },
        headers
      );
      return;
    }
    const known = KNOWN[q.toLowerCase()];
    const h = hashString(q.toLowerCase());
    const place = known ?? {
      address: q,
      lat: Number(((h % 140000) / 1000 - 60).toFixed(6)),
      lng: Number((((h >>> 8) % 340000) / 1000 - 170).toFixed(6)),
      country: 'ZZ',
    };
    // The same place every time: five minutes of caching, and an ETag of the result.
    const cacheHeaders = { 'Cache-Control': 'public, max-age=300', ETag: `"${h.toString(36)}"`, Vary: 'Accept-Encoding' };
    sendJson(
      res,
      200,
      {
        status: 'OK',
        results: [
          {
            place_id: `pl_${h.toString(36)}`,
            formatted_address: place.address,
            geometry: {
              location: { lat: place.lat, lng: place.lng },
              location_type: known ? 'APPROXIMATE' : 'GEOMETRIC_CENTER',
            },
            types: ['locality', 'political'],
            country_code: place.country,
            confidence: known ? 0.98 : 0.42,
          },
        ],
      },
      { ...headers, ...cacheHeaders }
    );
  },
  limited: ({ retryAfterSeconds }) => ({
    status: 'OVER_QUERY_LIMIT',
    error_message: `Quota exceeded; retry in ${retryAfterSeconds} s.`,
    results: [],
  }),
};
