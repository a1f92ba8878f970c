// The scaffold's webpack config, extended the documented way (a root config wrapping
// .config/webpack) for nested plugins:
// - their own img/ folders, which their plugin.json logos point to (dist/datasource/img/...);
// - every plugin.json (and this file) as a cache build dependency: copy-webpack-plugin's
//   filesystem-cache entries otherwise survive edits of plugin.json and ship a stale one.
import path from 'path';
import { globSync } from 'glob';
import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  const pluginJsons = globSync('src/**/plugin.json', { absolute: true });
  const cache =
    base.cache && typeof base.cache === 'object' && base.cache.type === 'filesystem'
      ? {
          ...base.cache,
          buildDependencies: {
            ...base.cache.buildDependencies,
            config: [...(base.cache.buildDependencies?.config ?? []), path.resolve(process.cwd(), 'webpack.config.ts'), ...pluginJsons],
          },
        }
      : base.cache;
  return {
    ...base,
    cache,
    plugins: [
      ...(base.plugins ?? []),
      new CopyWebpackPlugin({ patterns: [{ from: '*/img/**/*', to: '.', noErrorOnMissing: true }] }),
    ],
  };
};

export default config;
