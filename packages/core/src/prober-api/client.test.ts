import { QueryError } from '../query/response';
import { PROBER_ERRORS } from './api';
import { createProberClient, type ProberGet } from './client';

const failing =
  (status: number, code?: string): ProberGet =>
  () =>
    Promise.reject(new QueryError(`HTTP ${status}`, 'prober', '/x', status, code));

describe('the prober API client', () => {
  it('reads an unknown provider as no incidents by its error code, whatever the message', async () => {
    const client = createProberClient({ configured: true, get: failing(404, PROBER_ERRORS.unknownProvider) });
    await expect(client.incidents({ provider: 'nope' })).resolves.toEqual({ rows: [], truncated: false });
  });

  it('passes other failures on: a 404 without the code is a wrong URL, not an unknown provider', async () => {
    await expect(
      createProberClient({ configured: true, get: failing(404) }).incidents({ provider: 'nope' })
    ).rejects.toThrow('HTTP 404');
    const all = createProberClient({ configured: true, get: failing(404, PROBER_ERRORS.unknownProvider) });
    await expect(all.incidents({})).rejects.toThrow('HTTP 404');
  });

  it('says which path answered with something else', async () => {
    const client = createProberClient({ configured: true, get: () => Promise.resolve('<html>') });
    await expect(client.incidents({})).rejects.toThrow(
      'answered GET /api/v1/incidents with something that is not a list of incidents'
    );
    await expect(client.catalog()).rejects.toThrow('not a catalog (no "apis" list)');
    await expect(client.provider('acme')).rejects.toThrow('GET /api/v1/providers/acme did not answer with a provider');
  });

  it('a provider the prober does not know has no page; without a prober URL nothing is asked', async () => {
    await expect(createProberClient({ configured: true, get: failing(404) }).provider('a b')).resolves.toBeUndefined();
    const get = jest.fn();
    const unconfigured = createProberClient({ configured: false, get });
    await expect(unconfigured.catalog()).rejects.toThrow(
      'the catalog come from the prober API, and no prober URL is configured'
    );
    expect(get).not.toHaveBeenCalled();
  });
});
