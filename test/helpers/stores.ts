// The Prometheus-compatible stores the integration tests run on: the same test bodies run on each
// (describe.each(STORES)), so a query that answers differently on one of them fails there.
// - prometheus: Prometheus itself (scrapes, evaluates the rule files);
// - victoriametrics: VictoriaMetrics single-node (scrapes with the same scrape_configs, vmalert
//   evaluates the rule files). Its cluster version (vmselect/vminsert) serves the same HTTP API.
import {
  instantQuery,
  prometheusAvailable,
  startPrometheus,
  type RunningPrometheus,
  type StartOptions,
} from './prometheus';
import { startVictoriaMetrics, victoriaMetricsAvailable } from './victoria-metrics';

export type StoreKind = 'prometheus' | 'victoriametrics';

export const STORE_NAMES: Record<StoreKind, string> = { prometheus: 'Prometheus', victoriametrics: 'VictoriaMetrics' };

/** A describe.each table: [display name, kind]. */
export const STORES: Array<[string, StoreKind]> = [
  ['Prometheus', 'prometheus'],
  ['VictoriaMetrics', 'victoriametrics'],
];

export function storeAvailable(kind: StoreKind): boolean {
  return kind === 'prometheus' ? prometheusAvailable() : victoriaMetricsAvailable();
}

export interface RunningStore extends RunningPrometheus {
  kind: StoreKind;
}

/**
 * Starts a store that scrapes what `configYaml` (a Prometheus configuration) says and runs its
 * rule_files (files given in options.files). Only Prometheus takes options.args.
 */
export async function startStore(
  kind: StoreKind,
  configYaml: string,
  options: StartOptions = {}
): Promise<RunningStore> {
  if (kind === 'prometheus') {
    return { kind, ...(await startPrometheus(configYaml, options)) };
  }
  const vm = await startVictoriaMetrics({ configYaml, files: options.files });
  return { kind, url: vm.url, dir: vm.dir, query: (promql) => instantQuery(vm.url, promql), stop: vm.stop };
}

/**
 * describe(title, fn) once per store, the store's name in the title; skipped where the store's
 * binaries are missing (`available` says; default: the store's server binaries).
 */
export function describeStores(
  title: string,
  fn: (kind: StoreKind) => void,
  available: (kind: StoreKind) => boolean = storeAvailable
): void {
  for (const [name, kind] of STORES) {
    (available(kind) ? describe : describe.skip)(`${title} (${name})`, () => fn(kind));
  }
}
