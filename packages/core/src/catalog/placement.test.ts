import { formatIssue, parseCatalog } from './parse';
import { parseShard, placeCatalog, placementProblem, probersOf, shardOf, type Placement } from './placement';
import type { Catalog } from './types';

const api = (name: string, endpoints: number, extra = '') => `
  - name: ${name}
    provider: acme
    criticality: standard
    owner: team${extra}
    endpoints:
${Array.from({ length: endpoints }, (_, i) => `      - { name: e${i}, url: "https://${name}.acme.test/${i}" }`).join('\n')}`;

function catalogOf(text: string): Catalog {
  const result = parseCatalog(text, 'cat.yaml');
  if (!result.ok) {
    throw new Error(result.issues.map(formatIssue).join('\n'));
  }
  return result.catalog;
}

const TOPOLOGY = `
prober:
  locations:
    - { name: eu-west, shards: 2 }
    - { name: us-east }
providers: [{ name: acme }]
apis:`;

const at = (location: string, index = 1, count = 1): Placement => ({ location, shard: { index, count } });

describe('shardOf', () => {
  it('spreads endpoints evenly and the same way every time', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) {
      counts[shardOf('api', `e${i}`, 4) - 1]++;
    }
    for (const c of counts) {
      expect(c).toBeGreaterThan(850);
      expect(c).toBeLessThan(1150);
    }
    expect(shardOf('payments', 'charge', 7)).toBe(shardOf('payments', 'charge', 7));
  });
  it('moves only the endpoints the new shard takes when a location grows by one shard', () => {
    let moved = 0;
    for (let i = 0; i < 3000; i++) {
      const before = shardOf('api', `e${i}`, 3);
      const after = shardOf('api', `e${i}`, 4);
      if (before !== after) {
        expect(after).toBe(4);
        moved++;
      }
    }
    // About a quarter moves to shard 4; nothing moves between the old shards.
    expect(moved).toBeGreaterThan(600);
    expect(moved).toBeLessThan(900);
  });
});

describe('parseShard', () => {
  it('reads INDEX/COUNT and says what is wrong otherwise', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    for (const bad of ['0/2', '3/2', '1', 'a/b', '1/0']) {
      expect(parseShard(bad)).toMatch(/must be INDEX\/COUNT .*got "/);
    }
  });
});

describe('placeCatalog', () => {
  const catalog = catalogOf(`${TOPOLOGY}${api('pay', 6)}${api('geo', 3, '\n    locations: [us-east]')}`);

  it('probes every endpoint exactly once per location, and pinned APIs only where pinned', () => {
    const eu1 = placeCatalog(catalog, at('eu-west', 1, 2));
    const eu2 = placeCatalog(catalog, at('eu-west', 2, 2));
    const us = placeCatalog(catalog, at('us-east'));
    const keys = (c: Catalog) => c.apis.flatMap((a) => a.endpoints.map((e) => `${a.name}/${e.name}`));
    const eu = [...keys(eu1), ...keys(eu2)];
    expect(eu.sort()).toEqual(['pay/e0', 'pay/e1', 'pay/e2', 'pay/e3', 'pay/e4', 'pay/e5']);
    expect(keys(us).sort()).toEqual(['geo/e0', 'geo/e1', 'geo/e2', ...eu]);
    expect([eu1.location, eu2.location, us.location]).toEqual(['eu-west', 'eu-west', 'us-east']);
  });

  it('counts the probers of each API: the shards holding its endpoints, in each of its locations', () => {
    const pay = placeCatalog(catalog, at('us-east')).apis.find((a) => a.name === 'pay')!;
    // Six endpoints over two eu-west shards (both hold some) plus us-east.
    expect(pay.probers).toBe(3);
    expect(placeCatalog(catalog, at('us-east')).apis.find((a) => a.name === 'geo')!.probers).toBe(1);
    // One endpoint sits in one shard only: that shard and us-east probe it.
    const single = catalogOf(`${TOPOLOGY}${api('one', 1)}`).apis[0];
    expect(probersOf(single, catalog.prober.locations)).toBe(2);
  });

  it('without a declared topology: one location, split by the shard count the prober runs with', () => {
    const plain = catalogOf(`providers: [{ name: acme }]\napis:${api('pay', 4)}`);
    const whole = placeCatalog(plain, at('local'));
    expect(whole.apis[0].endpoints).toHaveLength(4);
    expect(whole.apis[0].probers).toBe(1);
    expect(placementProblem(plain, at('anywhere', 2, 3))).toBeNull();
  });

  it('refuses a placement the topology does not declare, naming the field', () => {
    expect(placementProblem(catalog, at('ap-south'))).toEqual({
      path: 'prober.locations',
      message: expect.stringContaining(
        '"ap-south", which prober.locations does not declare (declared: eu-west, us-east)'
      ),
    });
    expect(placementProblem(catalog, at('eu-west', 1, 3))).toEqual({
      path: 'prober.locations[0].shards',
      message: 'location "eu-west" declares 2 shard(s), but this prober runs as shard 1/3',
    });
    expect(placementProblem(catalog, at('eu-west', 2, 2))).toBeNull();
  });
});

describe('catalog topology validation', () => {
  const issues = (text: string) => {
    const r = parseCatalog(text, 'cat.yaml');
    return r.ok ? [] : r.issues.map(formatIssue);
  };
  it('names unknown and duplicate locations by field path', () => {
    const text = `
defaults: { location: eu-wset }
prober:
  locations: [{ name: eu-west }]
providers: [{ name: acme }]
apis:${api('pay', 1, '\n    locations: [us-east]')}`;
    expect(issues(text)).toEqual([
      expect.stringMatching(/defaults\.location: unknown location.*did you mean "eu-west"/),
      expect.stringMatching(/apis\[0\]\.locations\[0\]: unknown location.*\(declared: eu-west\)/),
    ]);
    expect(issues(text.replace('[{ name: eu-west }]', '[{ name: eu-west, shards: 0 }]'))).toEqual([
      expect.stringMatching(/cat\.yaml:4:\d+: prober\.locations\[0\]\.shards: .*got 0/),
    ]);
  });
  it('refuses pinned locations without a declared topology', () => {
    expect(issues(`providers: [{ name: acme }]\napis:${api('pay', 1, '\n    locations: [eu-west]')}`)).toEqual([
      expect.stringMatching(/apis\[0\]\.locations\[0\].*prober\.locations does not declare/),
    ]);
  });
  it('reports a duplicate location name', () => {
    const text = `prober:\n  locations: [{ name: a }, { name: a }]\nproviders: [{ name: acme }]\napis:${api('pay', 1)}`;
    expect(issues(text)).toEqual([expect.stringMatching(/prober\.locations\[1\]\.name.*duplicate location/)]);
  });
});
