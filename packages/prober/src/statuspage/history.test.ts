import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Incident } from '@apimon/core';
import { createLogger } from '../logger';
import { IncidentHistory } from './history';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-24T00:00:00Z');
const logger = createLogger('silent');

const incident = (id: string, patch: Partial<Incident> = {}): Incident => ({
  id,
  title: `Incident ${id}`,
  status: 'investigating',
  impact: 'major',
  startedAt: T0,
  resolvedAt: null,
  components: [],
  updates: [],
  ...patch,
});

describe('IncidentHistory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'apimon-hist-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('merges updates, keeps the earliest start and the first sighting', () => {
    const h = new IncidentHistory({ file: null, retentionMs: 90 * DAY, logger });
    h.record('p', [incident('a', { startedAt: null, updates: [{ at: T0 + 1000, text: 'one' }] })], [], T0 + 5000);
    h.record('p', [incident('a', { startedAt: T0 + 2000, updates: [{ at: T0 + 3000, text: 'two' }] })], [], T0 + 9000);
    const [a] = h.query('p', 0, T0 + DAY, 10);
    expect(a.updates.map((u) => u.text)).toEqual(['two', 'one']);
    expect(a.startedAt).toBe(T0 + 2000); // null first, then the page's start
    expect(a.firstSeenAt).toBe(T0 + 5000);
    expect(a.lastSeenAt).toBe(T0 + 9000);
    h.record('p', [incident('a', { startedAt: T0 + 1000 })], [], T0 + 10_000);
    expect(h.query('p', 0, T0 + DAY, 10)[0].startedAt).toBe(T0 + 1000);
  });

  it('keeps one entry for an item filed first as a maintenance, then as an incident', () => {
    const h = new IncidentHistory({ file: null, retentionMs: 90 * DAY, logger });
    h.record('p', [], [incident('a', { impact: 'maintenance' })], T0 + 1000);
    h.record('p', [incident('a', { status: 'resolved', resolvedAt: T0 + 2000 })], [], T0 + 3000);
    expect(h.query('p', 0, T0 + DAY, 10).map((e) => [e.kind, e.id, e.status])).toEqual([['incident', 'a', 'resolved']]);
  });

  it('closes open incidents that leave the page and forgets cancelled maintenances', () => {
    const h = new IncidentHistory({ file: null, retentionMs: 90 * DAY, logger });
    const future = incident('m1', { status: 'scheduled', impact: 'maintenance', startedAt: T0 + DAY });
    const running = incident('m2', { status: 'in_progress', impact: 'maintenance', startedAt: T0 - 1000 });
    h.record('p', [incident('a'), incident('b', { status: 'resolved', resolvedAt: T0 + 10 })], [future, running], T0 + 100);
    h.record('p', [], [], T0 + 200);
    const all = h.query('p', 0, T0 + 2 * DAY, 10);
    expect(all.map((e) => [e.kind, e.id, e.status, e.resolvedAt, e.resolvedInferred])).toEqual([
      ['incident', 'a', 'resolved', T0 + 200, true],
      ['incident', 'b', 'resolved', T0 + 10, undefined],
      ['maintenance', 'm2', 'completed', T0 + 200, true],
    ]);
  });

  it('drops what ended before the retention window and keeps at most maxPerProvider', () => {
    const h = new IncidentHistory({ file: null, retentionMs: 10 * DAY, maxPerProvider: 3, logger });
    const old = incident('old', { status: 'resolved', startedAt: T0 - 20 * DAY, resolvedAt: T0 - 15 * DAY });
    h.record('p', [old, incident('x1', { startedAt: T0 - 3 })], [], T0);
    expect(h.size('p')).toBe(1); // the page still lists "old", but it is past retention
    h.record('p', ['x2', 'x3', 'x4'].map((id, n) => incident(id, { status: 'resolved', resolvedAt: T0 + n })), [], T0 + 10);
    expect(h.size('p')).toBe(3);
    // x1 is still open: it is the newest by end, so the oldest resolved one went.
    expect(h.query('p', 0, T0 + DAY, 10).map((e) => e.id).sort()).toEqual(['x1', 'x3', 'x4']);
    h.prune(T0 + 11 * DAY);
    expect(h.size('p')).toBe(0);
  });

  it('answers overlap queries per provider and in total', () => {
    const h = new IncidentHistory({ file: null, retentionMs: 90 * DAY, logger });
    h.record('p', [incident('a', { startedAt: T0, resolvedAt: T0 + 100, status: 'resolved' })], [], T0 + 200);
    h.record('q', [incident('b', { startedAt: T0 + 500 })], [], T0 + 600);
    expect(h.query(undefined, T0 + 50, T0 + 60, 10).map((e) => e.provider)).toEqual(['p']);
    expect(h.query(undefined, T0 + 150, T0 + 10 * DAY, 10).map((e) => e.provider)).toEqual(['q']); // open: no end
    expect(h.query('q', 0, T0 + 499, 10)).toEqual([]);
    expect(h.query(undefined, 0, T0 + DAY, 1)).toHaveLength(1);
  });

  it('writes atomically, only when something changed, and reloads', async () => {
    const file = join(dir, 'sub', 'history.json');
    const h = new IncidentHistory({ file, retentionMs: 90 * DAY, logger });
    h.record('p', [incident('a')], [], T0);
    await h.save();
    const first = statSync(file).mtimeMs;
    const before = readFileSync(file, 'utf8');
    h.record('p', [incident('a')], [], T0 + 1000); // only lastSeenAt moved
    await h.save();
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(statSync(file).mtimeMs).toBe(first);
    await h.save(true); // shutdown writes lastSeenAt too
    const reloaded = new IncidentHistory({ file, retentionMs: 90 * DAY, logger });
    await reloaded.load(T0 + 2000);
    expect(reloaded.query('p', 0, T0 + DAY, 10)[0]).toMatchObject({ id: 'a', lastSeenAt: T0 + 1000, kind: 'incident' });
  });

  it('skips entries of the wrong shape and sets aside files of another version', async () => {
    const file = join(dir, 'history.json');
    const good = { ...incident('a'), kind: 'incident', firstSeenAt: T0, lastSeenAt: T0 };
    writeFileSync(file, JSON.stringify({ version: 1, providers: { p: [good, { id: 3 }, null], q: 'nope' } }));
    const h = new IncidentHistory({ file, retentionMs: 90 * DAY, logger });
    await h.load(T0);
    expect(h.size()).toBe(1);
    writeFileSync(file, JSON.stringify({ version: 7, providers: {} }));
    const other = new IncidentHistory({ file, retentionMs: 90 * DAY, logger });
    await other.load(T0);
    expect(other.size()).toBe(0);
    expect(readFileSync(`${file}.corrupt-${T0}`, 'utf8')).toContain('"version":7');
  });
});
