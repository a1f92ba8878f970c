import { captureLogs } from './test-support/logs';
import { isLogLevel } from './logger';

describe('logger', () => {
  it('writes one JSON object per line with a level word and an ISO time', () => {
    const logs = captureLogs('info');
    logs.logger.info({ api: 'payments' }, 'catalog loaded');
    logs.logger.debug('not at info');
    const entries = logs.entries();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      level: 'info',
      service: 'apimon-prober',
      api: 'payments',
      msg: 'catalog loaded',
    });
    expect(entries[0].time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('redacts credential-shaped fields even if a caller passes them', () => {
    const logs = captureLogs('info');
    logs.logger.warn(
      {
        api: 'payments',
        headers: { Authorization: 'Bearer sk_live_abc' },
        request: { headers: { 'X-Api-Key': 'key_live_def' }, body: 'card=4242424242424242' },
        token: 'tok_ghi',
        password: 'hunter2',
        nested: { secret: 'shh_jkl', authorization: 'Basic bW5vOnBxcg==' },
      },
      'probe failed'
    );
    const text = logs.text();
    for (const secret of [
      'sk_live_abc',
      'key_live_def',
      '4242424242424242',
      'tok_ghi',
      'hunter2',
      'shh_jkl',
      'bW5vOnBxcg==',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(logs.entries()[0]).toMatchObject({ api: 'payments', headers: '[redacted]', token: '[redacted]' });
  });

  it('knows its levels', () => {
    expect(isLogLevel('debug')).toBe(true);
    expect(isLogLevel('loud')).toBe(false);
  });
});
