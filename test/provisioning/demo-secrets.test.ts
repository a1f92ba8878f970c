import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoSecrets } from '../../scripts/demo-secrets';

const CATALOG = readFileSync(join(__dirname, '..', '..', 'catalog.example.yaml'), 'utf8');

describe('npm start: demo credentials', () => {
  it('sets every variable the demo catalog names, so every demo API is probed', () => {
    const env = demoSecrets(CATALOG, {});
    expect(Object.keys(env).sort()).toEqual([
      'GEO_API_KEY',
      'MAIL_API_KEY',
      'PAY_API_KEY',
      'SMS_ACCOUNT_ID',
      'SMS_AUTH_TOKEN',
    ]);
    expect(new Set(Object.values(env))).toEqual(new Set(['sandbox']));
  });

  it('keeps what the user set', () => {
    expect(demoSecrets(CATALOG, { PAY_API_KEY: 'mine', PATH: '/bin' })).toMatchObject({
      PAY_API_KEY: 'mine',
      GEO_API_KEY: 'sandbox',
      PATH: '/bin',
    });
  });
});
