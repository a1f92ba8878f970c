// Provider incidents (from the prober's status-page history) as dashboard annotations: one
// region per incident, tagged with provider and impact, its text linking to the provider's page.
import type { AnnotationQuery, AnnotationSupport } from '@grafana/data';
import type { ApimonDataQuery } from './types';

export const DEFAULT_ANNOTATION_QUERY: Partial<ApimonDataQuery> = { kind: 'incidents', openOnly: false };

export class ApimonAnnotationSupport implements AnnotationSupport<ApimonDataQuery> {
  getDefaultQuery(): Partial<ApimonDataQuery> {
    return { ...DEFAULT_ANNOTATION_QUERY };
  }

  prepareAnnotation(json: AnnotationQuery<ApimonDataQuery>): AnnotationQuery<ApimonDataQuery> {
    return { ...json, target: { refId: 'Anno', ...DEFAULT_ANNOTATION_QUERY, ...json.target } };
  }

  prepareQuery(anno: AnnotationQuery<ApimonDataQuery>): ApimonDataQuery | undefined {
    if (!anno.enable) {
      return undefined;
    }
    const target = anno.target ?? { refId: 'Anno' };
    // Annotations are incidents whatever kind the editor last showed.
    return { ...target, refId: target.refId || 'Anno', kind: 'incidents', asAnnotations: true };
  }
}
