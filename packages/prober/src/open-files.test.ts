import { openFileLimit, RESERVED_FILES, slotsWithin } from './open-files';

const limits = (soft: string, hard: string) =>
  [
    'Limit                     Soft Limit           Hard Limit           Units     ',
    'Max cpu time              unlimited            unlimited            seconds   ',
    `Max open files            ${soft.padEnd(20)} ${hard.padEnd(20)} files     `,
    'Max locked memory         8388608              8388608              bytes     ',
  ].join('\n');

describe('open-file limit', () => {
  it('reads the soft limit from /proc/self/limits', () => {
    expect(openFileLimit(() => limits('1024', '524288'))).toBe(1024);
    expect(openFileLimit(() => limits('unlimited', 'unlimited'))).toBeUndefined();
    expect(openFileLimit(() => 'no such line')).toBeUndefined();
    expect(
      openFileLimit(() => {
        throw new Error('ENOENT');
      })
    ).toBeUndefined();
  });

  it('reads this process’s own limit on Linux (Node raised the soft limit to the hard one)', () => {
    const limit = openFileLimit();
    if (process.platform === 'linux') {
      expect(limit).toBeGreaterThanOrEqual(1024);
    }
  });

  it('keeps the configured slots when they fit, and lowers them to the limit less the reserve', () => {
    expect(slotsWithin(1024, undefined)).toBe(1024);
    expect(slotsWithin(1024, 1_048_576)).toBe(1024);
    expect(slotsWithin(1024, 1024)).toBe(1024 - RESERVED_FILES);
    expect(slotsWithin(32, 100)).toBe(1);
  });
});
