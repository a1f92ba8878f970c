// Renders the contract's recording rules (recordingGroups in @apimon/core) as
// prometheus/recording.yml, with the rules' comments, for Prometheus and promtool.
import { recordingGroups, type RecordingGroup, type TrafficSettings } from '@apimon/core';
import { Document, isMap, isSeq, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';

const ABOUT = [
  'apimon recording rules: precomputed series for the heavy dashboard queries, so that a 30-day',
  'dashboard reads a few thousand recorded points per API instead of every raw sample.',
  'Names follow level:metric:operations. Levels:',
  '  apimon  - the probe labels kept (api, endpoint, provider, location)',
  '  api     - one series per API (api, provider)',
  '  api_code - per API, HTTP status code and outcome (probes) or status code (real traffic)',
  '  traffic_key - a real-traffic key (host, port, method, url template) with its API',
  '  host    - a real-traffic host (server_address, server_port)',
  "The probe rules read raw series only (no rule reads another rule's output), so they give the",
  'same answer however they are evaluated, and `promtool tsdb create-blocks-from rules` backfills',
  'them in one pass; the probe alert rules (alerts.yml) do not depend on them: they run on any store.',
  'The real-traffic rules (apimon-traffic-*) build on each other (the attribution first, then the',
  'per-API rules, the peaks and the forecast): backfill them in passes (docs/provisioning.md), and',
  "load them wherever the real-traffic alert rules run: those read them.",
  'The query engine (packages/core/src/query/recording.ts) reads the apimon:*:rate5m series and the',
  'real-traffic series.',
];

const comment = (text: string) =>
  text
    .split('\n')
    .map((line) => ` ${line}`)
    .join('\n');

/**
 * prometheus/recording.yml, as a document (comments included); the generator adds its header.
 * The real-traffic rules read where `traffic` says the store keeps the platform's metrics (the
 * defaults unless a catalog's settings are given).
 */
export function prometheusRecordingRules(traffic?: TrafficSettings): Document {
  const groups: RecordingGroup[] = recordingGroups(traffic);
  const doc = new Document({
    groups: groups.map((g) => ({
      name: g.name,
      interval: g.interval,
      rules: g.rules.map((r) => ({ record: r.record, expr: r.expr })),
    })),
  });
  const root = doc.contents as YAMLMap<Scalar, YAMLSeq<YAMLMap>>;
  root.items[0].key.commentBefore = ABOUT.map((line) => ` ${line}`).join('\n');
  const rendered = root.items[0].value!;
  groups.forEach((g, i) => {
    const group = rendered.items[i];
    if (g.comment) {
      group.commentBefore = comment(g.comment);
    }
    if (i > 0) {
      group.spaceBefore = true;
    }
    const rules = group.get('rules') as YAMLSeq<YAMLMap>;
    g.rules.forEach((r, j) => {
      if (r.comment) {
        rules.items[j].commentBefore = comment(r.comment);
        rules.items[j].spaceBefore = j > 0;
      }
    });
    if (!isSeq(rules) || !isMap(group)) {
      throw new Error('recording rules: unexpected document shape');
    }
  });
  return doc;
}
