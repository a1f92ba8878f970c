// The routes of a plugin.json as Grafana's data proxy renders them for one data source
// instance: {{ .JsonData.x }} and {{ .SecureJsonData.x }} replaced by that instance's values.
import { readFileSync } from 'node:fs';
import type { ProxyRoute } from './data-proxy';

interface PluginRoute {
  path: string;
  url?: string;
  headers?: Array<{ name: string; content: string }>;
}

function render(template: string, jsonData: Record<string, unknown>, secureJsonData: Record<string, string>): string {
  return template.replace(/\{\{\s*\.(JsonData|SecureJsonData)\.(\w+)\s*\}\}/g, (_m, scope: string, key: string) => {
    const source: Record<string, unknown> = scope === 'JsonData' ? jsonData : secureJsonData;
    const value = source[key];
    return value === undefined || value === null ? '' : String(value);
  });
}

export function routesFromPluginJson(
  file: string,
  jsonData: Record<string, unknown>,
  secureJsonData: Record<string, string>
): ProxyRoute[] {
  const plugin = JSON.parse(readFileSync(file, 'utf8')) as { routes?: PluginRoute[] };
  return (plugin.routes ?? []).map((r) => ({
    path: r.path,
    url: render(r.url ?? '', jsonData, secureJsonData),
    headers: Object.fromEntries((r.headers ?? []).map((h) => [h.name, render(h.content, jsonData, secureJsonData)])),
  }));
}
