// Query variables: the values of api, provider, criticality, endpoint or location in the
// store, optionally narrowed by other filters (e.g. endpoints of "$api").
import { from, map, type Observable } from 'rxjs';
import {
  createDataFrame,
  CustomVariableSupport,
  FieldType,
  type DataQueryRequest,
  type DataQueryResponse,
} from '@grafana/data';
import type { ApimonDataSource } from './datasource';
import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { ApimonVariableQuery } from './types';

export class ApimonVariableSupport extends CustomVariableSupport<ApimonDataSource, ApimonVariableQuery> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: ApimonDataSource) {
    super();
  }

  query(request: DataQueryRequest<ApimonVariableQuery>): Observable<DataQueryResponse> {
    const query = request.targets[0];
    return from(this.datasource.metricFindQuery(query, { scopedVars: request.scopedVars })).pipe(
      map((values) => ({
        data: [
          createDataFrame({
            refId: query.refId,
            fields: [{ name: 'text', type: FieldType.string, values: values.map((v) => v.text) }],
          }),
        ],
      }))
    );
  }
}
