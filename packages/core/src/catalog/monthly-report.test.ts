import { formatIssue, parseCatalog } from './parse';

const catalog = (prober: string) => `prober:
${prober}
providers:
  - name: acme
apis:
  - name: payments
    provider: acme
    criticality: critical
    owner: payments-team
    endpoints:
      - { name: charges, url: "https://api.acme.example/v1/charges" }
`;

describe('prober.monthlyReport in the catalog', () => {
  it('is off unless set; set, every format unless it says, directories as written', () => {
    const off = parseCatalog(catalog('  concurrency: 4'));
    expect(off.ok && off.catalog.prober.monthlyReport).toBeUndefined();
    const on = parseCatalog(
      catalog('  monthlyReport:\n    prometheus: http://prometheus:9090\n    dir: reports\n    incidents: incidents')
    );
    expect(on.ok && on.catalog.prober.monthlyReport).toEqual({
      prometheusUrl: 'http://prometheus:9090',
      dir: 'reports',
      formats: ['html', 'pdf', 'md', 'json'],
      incidentsDir: 'incidents',
    });
    const some = parseCatalog(
      catalog(
        '  monthlyReport: { prometheus: "https://mimir.example/prometheus", dir: /var/lib/apimon/reports, formats: [html, json, html] }'
      )
    );
    expect(some.ok && some.catalog.prober.monthlyReport?.formats).toEqual(['html', 'json']);
  });

  it('says what is wrong, where, with the value', () => {
    const bad = parseCatalog(
      catalog(
        '  monthlyReport:\n    prometheus: "http://admin:secret@prometheus:9090"\n    dir: ""\n    formats: [html, docx]\n    incident: x'
      ),
      'catalog.yaml'
    );
    expect(bad.ok ? [] : bad.issues.map(formatIssue)).toEqual([
      'catalog.yaml:3:17: prober.monthlyReport.prometheus: must not hold credentials: the catalog is served by the prober API (got "http://admin:secret@prometheus:9090")',
      'catalog.yaml:4:10: prober.monthlyReport.dir: must name a directory (got "")',
      'catalog.yaml:5:21: prober.monthlyReport.formats[1]: must be one of "html", "pdf", "md", "json" (got "docx")',
      'catalog.yaml:6:5: prober.monthlyReport.incident: unknown field "incident"; did you mean "incidents"?',
    ]);
  });
});
