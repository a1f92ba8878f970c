// The catalog's `traffic:` section (how the store names the platform's HTTP-client metrics)
// resolved into TrafficSettings: presets expanded, custom sources completed with their
// convention's defaults.
import type { z } from 'zod';
import type { trafficSettingsSchema } from '../catalog/schema';
import {
  conventionLabels,
  DEFAULT_IDENTITY_LABELS,
  DEFAULT_TRAFFIC_SOURCES,
  presetSource,
  type TrafficSettings,
  type TrafficSource,
  type TrafficSourcePreset,
} from './sources';

type TrafficSettingsFile = z.infer<typeof trafficSettingsSchema>;
type SourceFile = NonNullable<TrafficSettingsFile['sources']>[number];

function sourceOf(file: SourceFile): TrafficSource {
  if (typeof file === 'string') {
    return presetSource(file as TrafficSourcePreset);
  }
  const defaults = conventionLabels(file.convention);
  const labels = { ...defaults, ...Object.fromEntries(Object.entries(file.labels ?? {}).filter(([, v]) => v !== undefined)) };
  return {
    name: file.name,
    convention: file.convention,
    duration: file.duration,
    durationUnit: file.durationUnit ?? (file.convention === 'old' ? 'ms' : 's'),
    responseSize: file.responseSize,
    labels,
  };
}

export function trafficSettingsOf(file: TrafficSettingsFile | undefined): TrafficSettings {
  return {
    sources: (file?.sources ?? DEFAULT_TRAFFIC_SOURCES).map(sourceOf),
    identityLabels: [...(file?.identityLabels ?? DEFAULT_IDENTITY_LABELS)],
  };
}
