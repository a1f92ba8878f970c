// zod schemas of the Grafana provisioning formats apimon uses, after Grafana's documentation
// ("Provision Grafana": data sources, dashboard providers, plugins; "Use configuration files to
// provision alerting resources": alert rules, contact points, notification policies,
// templates). Strict objects: a misspelt key is an error, as Grafana would silently ignore it.
import { z } from 'zod';
import { ERROR_MODES, GROUP_BY, PERCENTILES, QUERY_KINDS, RATELIMIT_SIGNALS, USAGE_SIGNALS } from '@apimon/core';

/** Grafana uids: at most 40 letters, digits, hyphens and underscores. */
export const uid = z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/, 'uid: at most 40 letters, digits, - or _');
export const duration = z.string().regex(/^(\d+(ms|s|m|h|d|w))+$/, 'a duration such as 30s, 5m, 1h');

export const datasourcesFile = z.strictObject({
  apiVersion: z.literal(1),
  deleteDatasources: z.array(z.strictObject({ name: z.string(), orgId: z.number().int() })).optional(),
  datasources: z.array(
    z.strictObject({
      name: z.string().min(1),
      type: z.string().min(1),
      uid,
      orgId: z.number().int(),
      access: z.enum(['proxy', 'direct']),
      url: z.string().url(),
      isDefault: z.boolean(),
      editable: z.boolean(),
      jsonData: z.record(z.string(), z.unknown()),
      secureJsonData: z.record(z.string(), z.string()).optional(),
      basicAuth: z.boolean().optional(),
      basicAuthUser: z.string().optional(),
      version: z.number().int().optional(),
    })
  ),
});

export const dashboardProvidersFile = z.strictObject({
  apiVersion: z.literal(1),
  providers: z.array(
    z.strictObject({
      name: z.string().min(1),
      orgId: z.number().int(),
      folder: z.string(),
      folderUid: uid.optional(),
      type: z.literal('file'),
      disableDeletion: z.boolean(),
      allowUiUpdates: z.boolean(),
      updateIntervalSeconds: z.number().int().positive(),
      options: z.strictObject({ path: z.string().startsWith('/'), foldersFromFilesStructure: z.boolean().optional() }),
    })
  ),
});

export const pluginsFile = z.strictObject({
  apiVersion: z.literal(1),
  apps: z.array(
    z.strictObject({
      type: z.string().min(1),
      org_id: z.number().int(),
      org_name: z.string().optional(),
      disabled: z.boolean(),
      jsonData: z.record(z.string(), z.unknown()).optional(),
      secureJsonData: z.record(z.string(), z.string()).optional(),
    })
  ),
});

const alertQuery = z.strictObject({
  refId: z.string().min(1),
  relativeTimeRange: z.strictObject({ from: z.number().int().nonnegative(), to: z.number().int().nonnegative() }),
  datasourceUid: z.string().min(1),
  model: z.looseObject({ refId: z.string() }),
});

export const alertRulesFile = z.strictObject({
  apiVersion: z.literal(1),
  groups: z.array(
    z.strictObject({
      orgId: z.number().int(),
      name: z.string().min(1),
      folder: z.string().min(1),
      interval: duration,
      rules: z.array(
        z.strictObject({
          uid,
          title: z.string().min(1),
          condition: z.string().min(1),
          data: z.array(alertQuery).min(1),
          dashboardUid: uid.optional(),
          panelId: z.number().int().optional(),
          noDataState: z.enum(['NoData', 'Alerting', 'OK', 'KeepLast']),
          execErrState: z.enum(['Error', 'Alerting', 'OK', 'KeepLast']),
          for: duration,
          annotations: z.record(z.string(), z.string()),
          labels: z.record(z.string(), z.string()),
          isPaused: z.boolean(),
        })
      ),
    })
  ),
});

/** Settings each contact point type requires (Grafana's file-provisioning reference). */
export const REQUIRED_SETTINGS: Record<string, string[]> = {
  email: ['addresses'],
  pagerduty: ['integrationKey'],
  opsgenie: ['apiKey', 'apiUrl'],
  webhook: ['url'],
};

export const contactPointsFile = z.strictObject({
  apiVersion: z.literal(1),
  contactPoints: z.array(
    z.strictObject({
      orgId: z.number().int(),
      name: z.string().min(1),
      receivers: z
        .array(
          z.strictObject({
            uid,
            type: z.enum(['email', 'pagerduty', 'opsgenie', 'webhook', 'slack', 'teams', 'prometheus-alertmanager']),
            disableResolveMessage: z.boolean().optional(),
            settings: z.record(z.string(), z.unknown()),
          })
        )
        .min(1),
    })
  ),
});

type Policy = {
  orgId?: number;
  receiver: string;
  group_by?: string[];
  matchers?: string[];
  object_matchers?: Array<[string, '=' | '!=' | '=~' | '!~', string]>;
  mute_time_intervals?: string[];
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
  continue?: boolean;
  routes?: Policy[];
};

const policy: z.ZodType<Policy> = z.lazy(() =>
  z.strictObject({
    orgId: z.number().int().optional(),
    receiver: z.string().min(1),
    group_by: z.array(z.string()).optional(),
    matchers: z.array(z.string()).optional(),
    object_matchers: z.array(z.tuple([z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), z.enum(['=', '!=', '=~', '!~']), z.string()])).optional(),
    mute_time_intervals: z.array(z.string()).optional(),
    group_wait: duration.optional(),
    group_interval: duration.optional(),
    repeat_interval: duration.optional(),
    continue: z.boolean().optional(),
    routes: z.array(policy).optional(),
  })
);

export const policiesFile = z.strictObject({
  apiVersion: z.literal(1),
  policies: z.array(policy).length(1),
});

export const templatesFile = z.strictObject({
  apiVersion: z.literal(1),
  templates: z.array(z.strictObject({ orgId: z.number().int(), name: z.string().min(1), template: z.string().min(1) })),
});

/** An ApimonQuery as a dashboard stores it (packages/core/src/query/model.ts) plus refId/datasource. */
const filter = z.string().min(1).optional();
export const apimonTarget = z.strictObject({
  refId: z.string().min(1),
  datasource: z.strictObject({ type: z.literal('apimon-apimon-datasource'), uid: z.string() }),
  hide: z.boolean().optional(),
  kind: z.enum(QUERY_KINDS),
  api: filter,
  provider: filter,
  criticality: filter,
  endpoint: filter,
  location: filter,
  percentiles: z.array(z.enum(PERCENTILES)).min(1).optional(),
  groupBy: z.enum(GROUP_BY).optional(),
  errorMode: z.enum(ERROR_MODES).optional(),
  rateLimitSignal: z.enum(RATELIMIT_SIGNALS).optional(),
  usageSignal: z.enum(USAGE_SIGNALS).optional(),
  sloTarget: z.number().gt(0).lt(1).optional(),
  openOnly: z.boolean().optional(),
});

export const prometheusTarget = z.strictObject({
  refId: z.string().min(1),
  datasource: z.strictObject({ type: z.literal('prometheus'), uid: z.string() }),
  expr: z.string().min(1),
  legendFormat: z.string(),
  range: z.boolean(),
  instant: z.boolean(),
  format: z.enum(['time_series', 'table', 'heatmap']),
  editorMode: z.enum(['code', 'builder']),
  interval: z.string().optional(),
  hide: z.boolean().optional(),
});

const gridPos = z.strictObject({
  x: z.number().int().min(0).max(23),
  y: z.number().int().min(0),
  w: z.number().int().min(1).max(24),
  h: z.number().int().min(1),
});

export const PANEL_TYPES = ['timeseries', 'stat', 'bargauge', 'table', 'state-timeline', 'text', 'xychart', 'barchart', 'apimon-healthboard-panel'] as const;

export const dashboardSchema = z.looseObject({
  uid,
  title: z.string().min(1),
  description: z.string().min(1),
  tags: z.array(z.string()).min(1),
  schemaVersion: z.number().int().min(39),
  editable: z.boolean(),
  refresh: z.string(),
  time: z.strictObject({ from: z.string(), to: z.string() }),
  templating: z.strictObject({ list: z.array(z.looseObject({ name: z.string().regex(/^[a-z_]+$/), type: z.enum(['query', 'custom']) })) }),
  annotations: z.strictObject({ list: z.array(z.looseObject({ name: z.string(), datasource: z.looseObject({ uid: z.string() }) })) }),
  panels: z
    .array(
      z.looseObject({
        id: z.number().int().positive(),
        type: z.enum(PANEL_TYPES),
        title: z.string().min(1),
        description: z.string(),
        gridPos,
        datasource: z.looseObject({ type: z.string(), uid: z.string() }).optional(),
        targets: z.array(z.union([apimonTarget, prometheusTarget])).optional(),
        fieldConfig: z
          .strictObject({
            defaults: z.looseObject({
              unit: z.string().min(1),
              thresholds: z.strictObject({ mode: z.literal('absolute'), steps: z.array(z.strictObject({ color: z.string(), value: z.number().nullable() })).min(1) }),
            }),
            overrides: z.array(z.looseObject({ matcher: z.looseObject({ id: z.string(), options: z.string() }), properties: z.array(z.looseObject({ id: z.string() })) })),
          })
          .optional(),
        options: z.record(z.string(), z.unknown()),
      })
    )
    .min(1),
});
