import { DataSourcePlugin } from '@grafana/data';
import { ApimonDataSource } from './datasource';
import { ConfigEditor } from './components/ConfigEditor';
import { QueryEditor } from './components/QueryEditor';
import { QueryHelp } from './components/QueryHelp';
import type { ApimonDataQuery, ApimonOptions, ApimonSecureOptions } from './types';

export const plugin = new DataSourcePlugin<ApimonDataSource, ApimonDataQuery, ApimonOptions, ApimonSecureOptions>(ApimonDataSource)
  .setConfigEditor(ConfigEditor)
  .setQueryEditor(QueryEditor)
  .setQueryEditorHelp(QueryHelp);
