import { formatIssue, parseCatalog } from '../catalog/parse';
import { describeMatch, endpointMatch, resolveTrafficClaims } from './mapping';

const catalog = (apis: string, top = '') => `${top}
providers:
  - name: acme
apis:
${apis}`;

const api = (name: string, url: string, extra = '') => `  - name: ${name}
    provider: acme
    criticality: standard
    owner: team
${extra}    endpoints: [{ name: e, url: "${url}" }]
`;

function parsed(text: string) {
  const result = parseCatalog(text, 'cat.yaml');
  if (!result.ok) {
    throw new Error(result.issues.map(formatIssue).join('\n'));
  }
  return result.catalog;
}

function problems(text: string): string[] {
  const result = parseCatalog(text, 'cat.yaml');
  if (result.ok) {
    throw new Error('expected the catalog to be rejected');
  }
  return result.issues.map(formatIssue);
}

describe('endpointMatch', () => {
  it('takes the host, and the port only when the URL names one', () => {
    expect(endpointMatch('https://API.Stripe.com/v1/charges?limit=1')).toEqual({ serverAddress: 'api.stripe.com' });
    expect(endpointMatch('http://127.0.0.1:8480/acme-pay/v1/charges')).toEqual({ serverAddress: '127.0.0.1', serverPort: 8480 });
    expect(endpointMatch('https://maps.example:443/x')).toEqual({ serverAddress: 'maps.example' });
    expect(endpointMatch('not a url')).toBeUndefined();
  });
});

describe('resolveTrafficClaims', () => {
  it('gives each API the hosts of its endpoints by default, once each', () => {
    const r = resolveTrafficClaims([
      { api: 'pay', endpointUrls: ['https://api.pay.test/v1/a', 'https://api.pay.test/v1/b', 'https://files.pay.test/x'] },
      { api: 'geo', endpointUrls: ['https://maps.test/geo'] },
    ]);
    expect(r.issues).toEqual([]);
    expect(r.shared).toEqual([]);
    expect(r.perApi[0]).toEqual({
      from: 'endpoints',
      matches: [{ serverAddress: 'api.pay.test' }, { serverAddress: 'files.pay.test' }],
    });
    expect(r.perApi[1].matches).toEqual([{ serverAddress: 'maps.test' }]);
  });

  it('withholds a host several APIs share by default and lists it as shared', () => {
    const r = resolveTrafficClaims([
      { api: 'a', endpointUrls: ['http://127.0.0.1:8480/a'] },
      { api: 'b', endpointUrls: ['http://127.0.0.1:8480/b', 'https://own.test/b'] },
    ]);
    expect(r.perApi[0].matches).toEqual([]);
    expect(r.perApi[1].matches).toEqual([{ serverAddress: 'own.test' }]);
    expect(r.shared).toEqual([{ serverAddress: '127.0.0.1', serverPort: 8480, apis: ['a', 'b'] }]);
  });

  it('lets a catalog claim take its host away from the other APIs endpoint claims', () => {
    const r = resolveTrafficClaims([
      { api: 'a', endpointUrls: ['https://maps.test/geocode'] },
      { api: 'b', endpointUrls: ['https://maps.test/directions'], explicit: [{ serverAddress: 'maps.test', urlTemplate: '/directions' }] },
    ]);
    expect(r.perApi[0].matches).toEqual([]);
    expect(r.perApi[1]).toEqual({ from: 'catalog', matches: [{ serverAddress: 'maps.test', urlTemplate: '/directions' }] });
    expect(r.shared).toEqual([]);
  });

  it('refuses the same claim from two APIs, naming the first owner', () => {
    const r = resolveTrafficClaims([
      { api: 'a', endpointUrls: [], explicit: [{ serverAddress: 'h.test', method: 'POST' }] },
      { api: 'b', endpointUrls: [], explicit: [{ serverAddress: 'h.test', method: 'GET' }, { serverAddress: 'h.test', method: 'POST' }] },
    ]);
    expect(r.issues).toEqual([
      expect.objectContaining({ apiIndex: 1, matchIndex: 1, message: expect.stringMatching(/API "a" already claims this traffic \(h\.test \(any port\), POST, any url template\)/) }),
    ]);
    expect(r.perApi[1].matches).toEqual([{ serverAddress: 'h.test', method: 'GET' }]);
  });

  it('accepts an empty match list: the API claims no traffic', () => {
    const r = resolveTrafficClaims([{ api: 'a', endpointUrls: ['https://a.test/'], explicit: [] }]);
    expect(r.perApi[0]).toEqual({ from: 'catalog', matches: [] });
  });

  it('describes a claim for people', () => {
    expect(describeMatch({ serverAddress: 'h', serverPort: 443, method: 'GET', urlTemplate: '/v1/{id}' })).toBe('h:443, GET, /v1/{id}');
  });
});

describe('catalog traffic', () => {
  it('resolves traffic.match and the default sources', () => {
    const c = parsed(
      catalog(
        api('geocoding', 'https://maps.test/geocode', `    traffic:
      match:
        - { serverAddress: MAPS.test, urlTemplate: "/maps/api/geocode/json" }
        - { serverAddress: maps-eu.test, serverPort: 8443, method: GET }
`) + api('directions', 'https://maps.test/directions', `    traffic: { match: [{ serverAddress: maps.test, urlTemplate: "/maps/api/directions/json" }] }
`)
      )
    );
    expect(c.apis[0].traffic).toEqual({
      from: 'catalog',
      matches: [
        { serverAddress: 'maps.test', urlTemplate: '/maps/api/geocode/json' },
        { serverAddress: 'maps-eu.test', serverPort: 8443, method: 'GET' },
      ],
    });
    expect(c.traffic.sources.map((s) => s.name)).toEqual(['stable', 'stable-otlp', 'old', 'old-otlp']);
    expect(c.traffic.identityLabels).toEqual(['job', 'instance', 'otel_scope_name']);
    expect(c.traffic.shared).toEqual([]);
  });

  it('reads presets and custom sources, completing custom ones from their convention', () => {
    const c = parsed(
      catalog(
        api('a', 'https://a.test/'),
        `traffic:
  identityLabels: [job, instance]
  sources:
    - stable-utf8
    - name: mimir-old
      convention: old
      duration: legacy_http_client_duration_ms
      labels: { serverAddress: peer }
`
      )
    );
    expect(c.traffic.identityLabels).toEqual(['job', 'instance']);
    expect(c.traffic.sources[0]).toMatchObject({ name: 'stable-utf8', duration: 'http.client.request.duration', durationUnit: 's' });
    expect(c.traffic.sources[1]).toEqual({
      name: 'mimir-old',
      convention: 'old',
      duration: 'legacy_http_client_duration_ms',
      durationUnit: 'ms',
      responseSize: undefined,
      labels: { serverAddress: 'peer', serverPort: 'net_peer_port', method: 'http_method', statusCode: 'http_status_code' },
    });
  });

  it('names file, line, field and value for bad traffic settings', () => {
    const lines = problems(
      catalog(
        api('a', 'https://a.test/', `    traffic:
      match:
        - { serverAddress: "https://a.test/v1", method: get, urlTemplate: "v1/x" }
        - { serverAdress: a.test }
`),
        `traffic:
  sources: [stabel, { name: x, convention: new, duration: d }]
`
      )
    );
    expect(lines).toContainEqual(expect.stringMatching(/^cat\.yaml:2:13: traffic\.sources\[0\]: must be one of "stable", .*did you mean "stable"\? \(got "stabel"\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/traffic\.sources\[1\]\.convention: must be one of "stable", "old" \(got "new"\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/apis\[0\]\.traffic\.match\[0\]\.serverAddress: must be a host name or IP address .* \(got "https:\/\/a\.test\/v1"\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/apis\[0\]\.traffic\.match\[0\]\.method: must be one of "GET", .*did you mean "GET"\? \(got "get"\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/apis\[0\]\.traffic\.match\[0\]\.urlTemplate: must be a path template starting with "\/"/));
    expect(lines).toContainEqual(expect.stringMatching(/apis\[0\]\.traffic\.match\[1\]\.serverAdress: unknown field "serverAdress"; did you mean "serverAddress"\?$/));
  });

  it('reads thresholds.usage per API (default by criticality) and says where it cannot apply', () => {
    const c = parsed(
      catalog(
        api('a', 'https://a.test/', '    rateLimit: { limit: 10, window: 1s }\n    thresholds: { usage: 60% }\n') +
          api('b', 'https://b.test/', '    rateLimit: { limit: 10, window: 1s }\n')
      )
    );
    expect(c.apis.map((a) => a.thresholds.usageRatio)).toEqual([0.6, 0.85]);
    // Checked once the schema is satisfied (resolving needs a valid file).
    expect(problems(catalog(api('a', 'https://a.test/', '    thresholds: { usage: 80% }\n')))).toEqual([
      expect.stringMatching(/^cat\.yaml:\d+:\d+: apis\[0\]\.thresholds\.usage: compares real usage with the documented rate limit, and this API has none: set rateLimit\.limit and rateLimit\.window too .*\(got "80%"\)$/),
    ]);
    const lines = problems(
      catalog(
        api('a', 'https://a.test/') +
          api('b', 'https://b.test/', '    rateLimit: { limit: 10, window: 1s }\n    thresholds: { usage: 0% }\n') +
          `  - name: c
    provider: acme
    criticality: standard
    owner: team
    rateLimit: { limit: 10, window: 1s }
    endpoints: [{ name: e, url: "https://c.test/", thresholds: { usage: 50% } }]
`
      )
    );
    expect(lines).toContainEqual(expect.stringMatching(/apis\[1\]\.thresholds\.usage: must be above 0/));
    expect(lines).toContainEqual(expect.stringMatching(/apis\[2\]\.endpoints\[0\]\.thresholds\.usage: is judged per API against its documented rate limit/));
  });

  it('rejects two APIs claiming the same traffic, pointing at the second claim', () => {
    const lines = problems(
      catalog(
        api('a', 'https://a.test/', `    traffic: { match: [{ serverAddress: shared.test }] }
`) + api('b', 'https://b.test/', `    traffic:
      match:
        - { serverAddress: shared.test }
`)
      )
    );
    expect(lines).toEqual([
      expect.stringMatching(/^cat\.yaml:1[0-9]:11: apis\[1\]\.traffic\.match\[0\]: API "a" already claims this traffic \(shared\.test \(any port\), any method, any url template\); tell the two apart with urlTemplate or method, or remove one claim \(got "shared\.test"\)$/),
    ]);
  });

  it('keeps the example catalog valid and lists its shared sandbox host', () => {
    const c = parsed(catalog(api('a', 'http://127.0.0.1:8480/a') + api('b', 'http://127.0.0.1:8480/b')));
    expect(c.traffic.shared).toEqual([{ serverAddress: '127.0.0.1', serverPort: 8480, apis: ['a', 'b'] }]);
    expect(c.apis.map((a) => a.traffic.matches)).toEqual([[], []]);
  });
});
