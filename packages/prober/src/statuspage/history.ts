// Incident history beyond what a status page shows today: pages list only open incidents (or
// the last few dozen), but annotations need the past 90 days. Every incident and maintenance
// seen is kept per provider, bounded by retention and count, and saved as one JSON file
// (written to a temporary file and renamed, so a crash never leaves half a file). A file that
// cannot be read is moved aside and the history starts empty: the prober keeps running.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isOpenIncident, type Incident, type IncidentImpact, type IncidentKind, type IncidentRecord } from '@apimon/core';
import type { Logger } from '../logger';

export type HistoryKind = IncidentKind;

/** What the history keeps, and GET /api/v1/incidents answers: the prober API's IncidentRecord. */
export type HistoryEntry = IncidentRecord;

export interface HistoryOptions {
  /** null keeps history in memory only (the CLI). */
  file: string | null;
  retentionMs: number;
  maxPerProvider?: number;
  logger: Logger;
}

const FILE_VERSION = 1;
const MAX_UPDATES = 50;
export const DEFAULT_MAX_PER_PROVIDER = 5_000;

function sameUpdate(a: Incident['updates'][number], b: Incident['updates'][number]): boolean {
  return a.at === b.at && a.text === b.text;
}

function endOf(e: HistoryEntry): number {
  return e.resolvedAt ?? e.lastSeenAt;
}

const IMPACTS: readonly IncidentImpact[] = ['none', 'minor', 'major', 'critical', 'maintenance', 'unknown'];

/** Accepts an entry read from disk only when it has the shape we wrote. */
function validEntry(value: unknown): value is HistoryEntry {
  if (value === null || typeof value !== 'object') {
    return false;
  }
  const e = value as Record<string, unknown>;
  const timeOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
  return (
    typeof e.id === 'string' &&
    typeof e.title === 'string' &&
    typeof e.status === 'string' &&
    IMPACTS.includes(e.impact as IncidentImpact) &&
    (e.kind === 'incident' || e.kind === 'maintenance') &&
    timeOrNull(e.startedAt) &&
    timeOrNull(e.resolvedAt) &&
    typeof e.firstSeenAt === 'number' &&
    typeof e.lastSeenAt === 'number' &&
    Array.isArray(e.components) &&
    Array.isArray(e.updates)
  );
}

export class IncidentHistory {
  private readonly byProvider = new Map<string, Map<string, HistoryEntry>>();
  private readonly maxPerProvider: number;
  private saving: Promise<void> | null = null;
  private dirty = false;
  /** Something (if only lastSeenAt) changed since the last write. */
  private touched = false;

  constructor(private readonly options: HistoryOptions) {
    this.maxPerProvider = options.maxPerProvider ?? DEFAULT_MAX_PER_PROVIDER;
  }

  setRetention(retentionMs: number): void {
    this.options.retentionMs = retentionMs;
  }

  /** Reads the file; a missing file is an empty history, a corrupt one is moved aside. */
  async load(now: number): Promise<void> {
    const file = this.options.file;
    if (!file) {
      return;
    }
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.options.logger.error({ file, error: (err as Error).message }, 'cannot read the status-page history; starting empty');
      }
      return;
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (err) {
      await this.setAside(file, `not JSON (${(err as Error).message})`, now);
      return;
    }
    const d = data as { version?: unknown; providers?: unknown };
    if (data === null || typeof data !== 'object' || d.version !== FILE_VERSION || d.providers === null || typeof d.providers !== 'object') {
      await this.setAside(file, `not a version ${FILE_VERSION} history file`, now);
      return;
    }
    let skipped = 0;
    let loaded = 0;
    for (const [provider, entries] of Object.entries(d.providers as Record<string, unknown>)) {
      if (!Array.isArray(entries)) {
        skipped++;
        continue;
      }
      const map = this.mapOf(provider);
      for (const e of entries) {
        if (validEntry(e)) {
          map.set(`${e.kind}:${e.id}`, e);
          loaded++;
        } else {
          skipped++;
        }
      }
    }
    this.prune(now);
    this.options.logger.info({ file, incidents: loaded, skipped }, 'status-page history loaded');
  }

  private async setAside(file: string, why: string, now: number): Promise<void> {
    const aside = `${file}.corrupt-${now}`;
    try {
      await rename(file, aside);
      this.options.logger.error({ file, movedTo: aside, reason: why }, 'status-page history file is corrupt; kept aside, starting with an empty history');
    } catch (err) {
      this.options.logger.error({ file, reason: why, error: (err as Error).message }, 'status-page history file is corrupt and could not be moved aside; starting empty');
    }
  }

  private mapOf(provider: string): Map<string, HistoryEntry> {
    let map = this.byProvider.get(provider);
    if (!map) {
      map = new Map();
      this.byProvider.set(provider, map);
    }
    return map;
  }

  /**
   * Records what one successful fetch showed. Open entries the page no longer lists are
   * closed at `now` (pages drop incidents when they end); a maintenance that vanished before
   * it started was cancelled and is forgotten.
   */
  record(provider: string, incidents: Incident[], maintenances: Incident[], now: number): void {
    const map = this.mapOf(provider);
    const seen = new Set<string>();
    const cutoff = now - this.options.retentionMs;
    let changed = false;
    const upsert = (incident: Incident, kind: HistoryKind) => {
      const key = `${kind}:${incident.id}`;
      seen.add(key);
      // The page (or a better reading of it) now files this item as the other kind: one entry, not two.
      const refiled = `${kind === 'incident' ? 'maintenance' : 'incident'}:${incident.id}`;
      if (map.delete(refiled)) {
        changed = true;
      }
      const old = map.get(key);
      // Long-past incidents a page still lists (Google Cloud lists years) stay out.
      if (!old && incident.resolvedAt !== null && incident.resolvedAt < cutoff) {
        return;
      }
      const updates = old ? [...incident.updates, ...old.updates.filter((u) => !incident.updates.some((n) => sameUpdate(n, u)))] : [...incident.updates];
      updates.sort((a, b) => b.at - a.at);
      const startedAt =
        incident.startedAt !== null && old?.startedAt != null ? Math.min(incident.startedAt, old.startedAt) : (incident.startedAt ?? old?.startedAt ?? now);
      const entry: HistoryEntry = {
        ...incident,
        kind,
        startedAt,
        updates: updates.slice(0, MAX_UPDATES),
        firstSeenAt: old?.firstSeenAt ?? now,
        lastSeenAt: now,
      };
      // lastSeenAt alone does not make a write worth it; it is saved with the next change.
      if (!old || JSON.stringify({ ...old, lastSeenAt: 0 }) !== JSON.stringify({ ...entry, lastSeenAt: 0 })) {
        changed = true;
      }
      map.set(key, entry);
    };
    for (const i of incidents) {
      upsert(i, 'incident');
    }
    for (const m of maintenances) {
      upsert(m, 'maintenance');
    }
    for (const [key, entry] of map) {
      if (seen.has(key) || !isOpenIncident(entry)) {
        continue;
      }
      changed = true;
      if (entry.kind === 'maintenance' && entry.startedAt !== null && entry.startedAt > now) {
        map.delete(key);
      } else {
        map.set(key, {
          ...entry,
          status: entry.kind === 'maintenance' ? 'completed' : 'resolved',
          resolvedAt: now,
          resolvedInferred: true,
        });
      }
    }
    this.prune(now);
    if (changed) {
      this.dirty = true;
    }
    this.touched = true;
  }

  /** Drops what ended before the retention window and, past the count limit, the oldest. */
  prune(now: number): void {
    const cutoff = now - this.options.retentionMs;
    for (const [provider, map] of this.byProvider) {
      for (const [key, entry] of map) {
        if (endOf(entry) < cutoff) {
          map.delete(key);
          this.dirty = true;
        }
      }
      if (map.size > this.maxPerProvider) {
        const oldest = [...map].sort((a, b) => endOf(a[1]) - endOf(b[1])).slice(0, map.size - this.maxPerProvider);
        for (const [key] of oldest) {
          map.delete(key);
        }
        this.dirty = true;
      }
      if (map.size === 0) {
        this.byProvider.delete(provider);
      }
    }
  }

  /** Entries that overlap [from, to], newest first; provider undefined means all providers. */
  query(provider: string | undefined, from: number, to: number, limit: number): Array<HistoryEntry & { provider: string }> {
    const out: Array<HistoryEntry & { provider: string }> = [];
    for (const [name, map] of this.byProvider) {
      if (provider !== undefined && name !== provider) {
        continue;
      }
      for (const entry of map.values()) {
        const start = entry.startedAt ?? entry.firstSeenAt;
        const end = entry.resolvedAt ?? Number.POSITIVE_INFINITY;
        if (start <= to && end >= from) {
          out.push({ provider: name, ...entry });
        }
      }
    }
    out.sort((a, b) => (b.startedAt ?? b.firstSeenAt) - (a.startedAt ?? a.firstSeenAt));
    return out.slice(0, limit);
  }

  size(provider?: string): number {
    if (provider !== undefined) {
      return this.byProvider.get(provider)?.size ?? 0;
    }
    let n = 0;
    for (const map of this.byProvider.values()) {
      n += map.size;
    }
    return n;
  }

  /**
   * Writes the file if an entry changed (`final`: if anything at all did, as at shutdown);
   * concurrent calls coalesce into one more write.
   */
  save(final = false): Promise<void> {
    if (!this.options.file) {
      return Promise.resolve();
    }
    if (final && this.touched) {
      this.dirty = true;
    }
    if (this.saving) {
      return this.saving.then(() => (this.dirty ? this.save() : undefined));
    }
    if (!this.dirty) {
      return Promise.resolve();
    }
    this.dirty = false;
    this.touched = false;
    this.saving = this.write(this.options.file).finally(() => {
      this.saving = null;
    });
    return this.saving;
  }

  private async write(file: string): Promise<void> {
    const providers: Record<string, HistoryEntry[]> = {};
    for (const [name, map] of this.byProvider) {
      // Stored under the bare id; the kind is a field of the entry.
      providers[name] = [...map.values()];
    }
    const text = JSON.stringify({ version: FILE_VERSION, savedAt: new Date().toISOString(), providers });
    const temp = `${file}.${process.pid}.tmp`;
    try {
      await mkdir(dirname(file), { recursive: true });
      await writeFile(temp, text, 'utf8');
      await rename(temp, file);
    } catch (err) {
      this.dirty = true;
      this.options.logger.error({ file, error: (err as Error).message }, 'cannot save the status-page history; will retry after the next poll');
    }
  }
}
