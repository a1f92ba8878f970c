import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatIssue } from '@apimon/core';
import { readIncidentRecords, writeReport } from './files';
import { ChromiumMissingError, findChromium } from './pdf';

const RECORD = (api: string, extra = '') =>
  `api: ${api}\nfrom: 2026-11-10T14:00:00Z\nto: 2026-11-10T16:00:00Z\nsummary: s\n${extra}`;

describe('incident records on disk and report files', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'apimon-records-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every .yaml/.yml of the directory; a missing directory holds none', async () => {
    writeFileSync(join(dir, 'a.yaml'), RECORD('payments'));
    writeFileSync(join(dir, 'b.yml'), RECORD('sms'));
    writeFileSync(join(dir, 'notes.txt'), 'not a record');
    const r = await readIncidentRecords(dir);
    expect(r.ok && r.records.map((x) => [x.id, x.api])).toEqual([
      ['a', 'payments'],
      ['b', 'sms'],
    ]);
    expect(await readIncidentRecords(join(dir, 'none'))).toEqual({ ok: true, records: [] });
  });

  it('one bad record fails the read, with every problem; two records may not share an id', async () => {
    writeFileSync(join(dir, 'a.yaml'), RECORD('payments', 'id: x\n'));
    writeFileSync(join(dir, 'b.yaml'), RECORD('sms', 'id: x\n'));
    writeFileSync(join(dir, 'c.yaml'), 'api: sms\nfrom: soon\n');
    const r = await readIncidentRecords(dir);
    expect(r.ok ? [] : r.issues.map(formatIssue)).toEqual([
      `${join(dir, 'b.yaml')}: id: the id "x" is also the id of ${join(dir, 'a.yaml')}`,
      `${join(dir, 'c.yaml')}:1:1: to: is required`,
      `${join(dir, 'c.yaml')}:1:1: summary: is required`,
      `${join(dir, 'c.yaml')}:2:7: from: must be a time such as "2026-11-03T10:00:00Z" or "2026-11-03 10:00" (UTC) (got "soon")`,
    ]);
  });

  it('writes the asked formats and names the file it could not write', async () => {
    const rendered = { html: () => '<!doctype html><p>x</p>', md: () => '# x\n', json: () => '{}\n' };
    const files = await writeReport(rendered, { dir: join(dir, 'out'), base: 'r', formats: ['md', 'json'] });
    expect(files).toEqual([join(dir, 'out', 'r.md'), join(dir, 'out', 'r.json')]);
    mkdirSync(join(dir, 'ro'));
    chmodSync(join(dir, 'ro'), 0o500);
    const writable = process.getuid?.() === 0;
    if (!writable) {
      await expect(writeReport(rendered, { dir: join(dir, 'ro'), base: 'r', formats: ['md'] })).rejects.toMatchObject({
        code: 'EACCES',
      });
    }
  });

  it('finds Chromium by flag, environment or PATH, and says how to get one', () => {
    expect(() => findChromium('/nonexistent/chromium')).toThrow(
      new ChromiumMissingError('Chromium not found at /nonexistent/chromium (from --chromium)')
    );
    expect(() => findChromium(undefined, { PATH: dir })).toThrow(
      /PDF needs Chromium or Chrome, and none is on the PATH .*apt-get install chromium/
    );
    writeFileSync(join(dir, 'chromium'), '#!/bin/sh\n');
    chmodSync(join(dir, 'chromium'), 0o755);
    expect(findChromium(undefined, { PATH: `/nonexistent:${dir}` })).toBe(join(dir, 'chromium'));
    expect(findChromium(undefined, { APIMON_CHROMIUM: join(dir, 'chromium') })).toBe(join(dir, 'chromium'));
  });
});
