import React from 'react';
import type { QueryEditorHelpProps } from '@grafana/data';
import { Button, Stack, Text } from '@grafana/ui';
import type { ApimonDataQuery } from '../types';

interface Example {
  title: string;
  query: Omit<ApimonDataQuery, 'refId'>;
}

export const EXAMPLES: Example[] = [
  { title: 'p95 latency of the payments API against its threshold', query: { kind: 'latency', api: 'payments', percentiles: ['p95'] } },
  { title: 'Rate-limit headroom of every critical API', query: { kind: 'ratelimit', criticality: 'critical', rateLimitSignal: 'headroom' } },
  { title: 'Failures per second by outcome, per provider', query: { kind: 'errors', errorMode: 'rate', groupBy: 'provider' } },
  { title: 'Open incidents of the APIs selected in $api', query: { kind: 'incidents', api: '$api', openOnly: true } },
  { title: 'One row per API with every headline KPI', query: { kind: 'summary' } },
  { title: "The platform's real usage of every documented rate limit", query: { kind: 'trafficUsage', usageSignal: 'usage' } },
];

/** Query help (the "?" of the query editor row): what each kind answers, with examples to click. */
export function QueryHelp({ onClickExample, query }: QueryEditorHelpProps<ApimonDataQuery>) {
  return (
    <Stack direction="column" gap={1}>
      <Text element="h4">apimon queries</Text>
      <Text element="p">
        Pick what you want to know (the kind) and narrow it with filters. Filters take a value, a template variable
        ($api) or a regular expression (pay.*, payments|geocoding); an empty filter means all. The editor shows the
        PromQL it runs against the store; status, incidents and catalog come from the prober API.
      </Text>
      {EXAMPLES.map((example) => (
        <Stack key={example.title} alignItems="center" gap={1}>
          <Button size="sm" variant="secondary" onClick={() => onClickExample({ ...example.query, refId: query.refId })}>
            Use
          </Button>
          <Text>{example.title}</Text>
        </Stack>
      ))}
    </Stack>
  );
}
