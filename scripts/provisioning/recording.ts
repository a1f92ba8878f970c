// Renders the contract's recording rules (RECORDING_GROUPS in @apimon/core) as
// prometheus/recording.yml, with the rules' comments, for Prometheus and promtool.
import { RECORDING_GROUPS } from '@apimon/core';
import { Document, isMap, isSeq, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';

const ABOUT = [
  'apimon recording rules: precomputed series for the heavy dashboard queries, so that a 30-day',
  'dashboard reads a few thousand recorded points per API instead of every raw sample.',
  'Names follow level:metric:operations. Levels:',
  '  apimon  - the probe labels kept (api, endpoint, provider, location)',
  '  api     - one series per API (api, provider)',
  '  api_code - per API, HTTP status code and outcome',
  "Every rule reads raw series only (no rule reads another rule's output), so the rules give the",
  'same answer however they are evaluated, and `promtool tsdb create-blocks-from rules` backfills',
  'them in one pass. The alert rules (alerts.yml) do not depend on these: they run on any store.',
  'The query engine (packages/core/src/query/recording.ts) reads the apimon:*:rate5m series.',
];

const comment = (text: string) =>
  text
    .split('\n')
    .map((line) => ` ${line}`)
    .join('\n');

/** prometheus/recording.yml, as a document (comments included); the generator adds its header. */
export function prometheusRecordingRules(): Document {
  const doc = new Document({
    groups: RECORDING_GROUPS.map((g) => ({
      name: g.name,
      interval: g.interval,
      rules: g.rules.map((r) => ({ record: r.record, expr: r.expr })),
    })),
  });
  const root = doc.contents as YAMLMap<Scalar, YAMLSeq<YAMLMap>>;
  root.items[0].key.commentBefore = ABOUT.map((line) => ` ${line}`).join('\n');
  const groups = root.items[0].value!;
  RECORDING_GROUPS.forEach((g, i) => {
    const group = groups.items[i];
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
