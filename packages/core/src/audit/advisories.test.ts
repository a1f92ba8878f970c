import { advisoryWeight, judgeAdvisories } from './advisories';

const item = (id: string, title: string, summary = '') => ({
  id,
  title,
  link: `https://acme.test/${id}`,
  summary,
  publishedAt: Date.UTC(2025, 5, 1),
});

describe('provider_advisory', () => {
  it('weighs security items above deprecations above news', () => {
    expect(advisoryWeight(item('1', 'Rotate your API keys after CVE-2025-1234'))).toBe('security');
    expect(advisoryWeight(item('2', 'v1 endpoints sunset on 1 March'))).toBe('breaking');
    expect(advisoryWeight(item('3', 'New dashboard colours'))).toBe('news');
  });

  it('one finding per API listing the items, with what to acknowledge', () => {
    const f = judgeAdvisories({
      api: 'payments',
      provider: 'acme-pay',
      items: [item('a1', 'Security notice: leaked tokens'), item('a2', 'Deprecation of v1')],
    });
    expect(f).toMatchObject({
      kind: 'provider_advisory',
      category: 'advisory',
      severity: 'high',
      endpoint: '',
      evidence: { items: 2, security: 1, breaking: 1, newest: 'https://acme.test/a1' },
    });
    expect(f!.recommendation).toContain('acknowledged: ["a1", "a2"]');
    expect(judgeAdvisories({ api: 'payments', provider: 'acme-pay', items: [] })).toBeNull();
  });
});
