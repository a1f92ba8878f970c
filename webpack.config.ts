// The scaffold's webpack config, extended the documented way (a root config wrapping
// .config/webpack) with one thing it lacks for nested plugins: their own img/ folders, which
// their plugin.json logos point to (dist/datasource/img/logo.svg, dist/panel/img/...).
import CopyWebpackPlugin from 'copy-webpack-plugin';
import type { Configuration } from 'webpack';
import grafanaConfig, { type Env } from './.config/webpack/webpack.config';

const config = async (env: Env): Promise<Configuration> => {
  const base = await grafanaConfig(env);
  return {
    ...base,
    plugins: [
      ...(base.plugins ?? []),
      new CopyWebpackPlugin({ patterns: [{ from: '*/img/**/*', to: '.', noErrorOnMissing: true }] }),
    ],
  };
};

export default config;
