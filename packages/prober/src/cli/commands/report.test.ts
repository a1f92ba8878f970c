import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { parseFormats } from './report';

const run = promisify(execFile);
const BIN = resolve(__dirname, '../../../bin/apimon.js');

async function apimon(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const firstLine = (s: string) => s.split('\n')[0];

describe('apimon report: mistakes exit 2 with one line naming the flag and the value', () => {
  it.each([
    [['report'], 'apimon report: say which report: monthly or incident'],
    [['report', 'weekly'], 'apimon report: "weekly" is not a report: monthly or incident'],
    [['report', 'monthly', '--out', 'r'], 'apimon report: --prometheus is required'],
    [
      ['report', 'monthly', '--prometheus', 'localhost:9090', '--out', 'r'],
      'apimon report: --prometheus: "localhost:9090" is not an http:// or https:// URL',
    ],
    [
      ['report', 'monthly', '--prometheus', 'http://p:9090'],
      'apimon report: --out is required: the directory the report is written to',
    ],
    [
      ['report', 'monthly', '--prometheus', 'http://p:9090', '--out', 'r', '--month', '2026-13'],
      /^apimon report: --month: "2026-13" is not a month such as \d{4}-\d{2} \(YYYY-MM\)$/,
    ],
    [
      ['report', 'monthly', '--prometheus', 'http://p:9090', '--out', 'r', '--month', '2999-01'],
      /^apimon report: --month: 2999-01 has not ended yet; the last full month is \d{4}-\d{2}$/,
    ],
    [
      ['report', 'monthly', '--prometheus', 'http://p:9090', '--out', 'r', '--format', 'html,docx'],
      'apimon report: --format: "docx" is not a report format; use one or more of html, pdf, md, json separated by commas',
    ],
    [
      ['report', 'incident', '--prometheus', 'http://p:9090', '--out', 'r'],
      'apimon report: --api (or --record) is required',
    ],
    [
      [
        'report',
        'incident',
        '--prometheus',
        'http://p:9090',
        '--out',
        'r',
        '--api',
        'payments',
        '--from',
        '2026-11-10',
      ],
      'apimon report: --to is required without --record',
    ],
    [
      [
        'report',
        'incident',
        '--prometheus',
        'http://p:9090',
        '--out',
        'r',
        '--api',
        'payments',
        '--from',
        '2026-11-10',
        '--to',
        '2026-11-09',
      ],
      'apimon report: --to: 2026-11-09T00:00:00.000Z is not after --from 2026-11-10T00:00:00.000Z',
    ],
    [
      ['report', 'incident', '--detect', '--prometheus', 'http://p:9090', '--min-duration', 'long'],
      'apimon report: --min-duration: "long" is not a duration such as "30s", "5m" or "1h"',
    ],
  ])('%j', async (args, message) => {
    const r = await apimon(...args);
    expect(r.code).toBe(2);
    if (typeof message === 'string') {
      expect(firstLine(r.stderr)).toBe(message);
    } else {
      expect(firstLine(r.stderr)).toMatch(message);
    }
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a record file that is not there is named; --help prints the usage', async () => {
    const r = await apimon(
      'report',
      'incident',
      '--record',
      '/nonexistent/x.yaml',
      '--prometheus',
      'http://p:9090',
      '--out',
      'r'
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      '/nonexistent/x.yaml: (file): file not found\n/nonexistent/x.yaml: 1 problem(s) in the incident records\n'
    );
    const help = await apimon('report', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: apimon report monthly --prometheus URL --out DIR');
  });

  it('formats: all by default, de-duplicated, any case', () => {
    expect(parseFormats(undefined, '')).toEqual(['html', 'pdf', 'md', 'json']);
    expect(parseFormats('PDF, html,pdf', '')).toEqual(['pdf', 'html']);
  });
});
