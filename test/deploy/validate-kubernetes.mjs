// Validates Kubernetes objects (a JSON array on stdin) against the API schemas offline, with
// kubernetes-models (Kubernetes' OpenAPI schemas) and @kubernetes-models/prometheus-operator
// (the operator's CRD schemas), both compiled to validators at publish time. Prints a JSON
// array of problems: [{ kind, name, error }]; an object of a kind with no schema here is one.
// A plain Node ES module (run as a child process by kubernetes.test.ts): the packages ship
// only ES modules, which the repository's jest setup does not load.
import { ConfigMap, Namespace, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PrometheusRule, ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';

const MODELS = [Namespace, ConfigMap, Secret, Service, Deployment, ServiceMonitor, PrometheusRule];

let input = '';
process.stdin.setEncoding('utf8');
for await (const chunk of process.stdin) {
  input += chunk;
}
const problems = [];
for (const object of JSON.parse(input)) {
  const kind = `${object.apiVersion} ${object.kind}`;
  const name = object.metadata?.name ?? '(no name)';
  const Model = MODELS.find((m) => m.apiVersion === object.apiVersion && m.kind === object.kind);
  if (!Model) {
    problems.push({ kind, name, error: 'no schema for this kind here' });
    continue;
  }
  try {
    new Model(object).validate();
  } catch (err) {
    problems.push({ kind, name, error: err instanceof Error ? err.message : String(err) });
  }
}
process.stdout.write(JSON.stringify(problems));
