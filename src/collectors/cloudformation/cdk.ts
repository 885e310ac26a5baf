/**
 * What AWS CDK synthesizes around an EKS cluster, read where CloudFormation alone would not:
 * `Custom::AWSCDKCfnJson` values (CDK builds IRSA trust conditions there, because their keys hold
 * the OIDC issuer, a token; the role reads them with `Fn::GetAtt [<CfnJson>, Value]`), and the
 * Kubernetes objects inside `Custom::AWSCDK-EKS-KubernetesResource` (`Manifest`: a JSON array,
 * often assembled with `Fn::Join`). The cluster and OIDC provider custom resources are mapped in
 * resource-types.ts.
 */
import type { CoverageNote, JsonObject, JsonValue, PositionMap, Resource } from '../../model/types.js';
import { join } from '../../util/pointer.js';
import { forEachInSubtree } from '../../util/position-subtree.js';
import { annotationSuppressions } from '../kubernetes.js';
import type { ResourceSource } from './body-builder.js';
import { resolvePolicyDocument, type EmbeddedContext } from './embedded-json.js';
import { asObject, type Sink, type TemplateContext } from './intrinsics.js';

export const CFN_JSON_TYPE = 'Custom::AWSCDKCfnJson';
export const KUBERNETES_RESOURCE_TYPE = 'Custom::AWSCDK-EKS-KubernetesResource';
export const HELM_CHART_TYPE = 'Custom::AWSCDK-EKS-HelmChart';

function emptySink(): Sink {
  return { positions: Object.create(null) as PositionMap, sources: Object.create(null) as Record<string, string> };
}

/** Resolves `Fn::GetAtt [<CfnJson>, Value]` to the JSON the custom resource returns, keeping the reference's own position. */
export function cfnJsonValues(env: EmbeddedContext, resources: Record<string, JsonValue>): NonNullable<TemplateContext['attributeValue']> {
  const resolving = new Set<string>();
  return (arg, outPtr, sink) => {
    const [target, attribute] = typeof arg === 'string' ? [arg.slice(0, arg.indexOf('.')), arg.slice(arg.indexOf('.') + 1)] : Array.isArray(arg) ? arg : [];
    if (typeof target !== 'string' || attribute !== 'Value' || resolving.has(target)) return undefined;
    const entry = asObject(resources[target]);
    const value = asObject(entry?.['Properties'])?.['Value'];
    if (entry?.['Type'] !== CFN_JSON_TYPE || value === undefined) return undefined;
    resolving.add(target);
    try {
      const into = sink ?? emptySink();
      const own = into.positions[outPtr];
      const resolved = resolvePolicyDocument(env, value, join('/Resources', target, 'Properties', 'Value'), outPtr, into, 'CfnJson value');
      if (own) into.positions[outPtr] = own;
      return resolved;
    } finally {
      resolving.delete(target);
    }
  };
}

/** The Kubernetes objects a `Custom::AWSCDK-EKS-KubernetesResource` applies, each at its place in the template. */
export function manifestObjects(source: ResourceSource, env: EmbeddedContext, relPath: string): Resource[] {
  const raw = source.properties['Manifest'];
  if (raw === undefined) return [];
  const manifestPtr = join(source.entryPtr, 'Properties', 'Manifest');
  const sink = emptySink();
  const notesBefore = env.notes.length;
  const value = resolvePolicyDocument(env, raw, manifestPtr, '', sink, 'Kubernetes manifest');
  const at = env.ctx.docPositions[manifestPtr];
  if (!Array.isArray(value)) {
    // Text that is not JSON already has its error note.
    if (env.notes.length === notesBefore) env.notes.push(unreadManifest(source, env.file, at?.line));
    return [];
  }
  const out: Resource[] = [];
  value.forEach((item, i) => {
    const obj = asObject(item);
    const kind = obj?.['kind'];
    if (!obj || typeof kind !== 'string' || typeof obj['apiVersion'] !== 'string') return;
    const metadata = asObject(obj['metadata']);
    const name = typeof metadata?.['name'] === 'string' ? metadata['name'] : '(unnamed)';
    const namespace = typeof metadata?.['namespace'] === 'string' ? metadata['namespace'] : undefined;
    const display = namespace ? `${namespace}/${name}` : name;
    const positions = Object.create(null) as PositionMap;
    forEachInSubtree(sink.positions, `/${i}`, (p, pos) => {
      positions[p.slice(`/${i}`.length)] = pos;
    });
    positions[''] ??= at ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
    const resource: Resource = {
      id: `cfn:${relPath}:${source.logicalId}:${kind}/${display}`,
      type: `k8s.${kind}`,
      name: display,
      file: env.file,
      format: 'cloudformation',
      address: `${source.logicalId}.Manifest[${i}]`,
      body: obj,
      positions,
    };
    if (namespace !== undefined) resource.namespace = namespace;
    const suppressions = annotationSuppressions(obj as JsonObject, positions);
    if (suppressions.length > 0) resource.suppressions = suppressions;
    out.push(resource);
  });
  return out;
}

function unreadManifest(source: ResourceSource, file: string, line: number | undefined): CoverageNote {
  return {
    kind: 'unresolved',
    level: 'warning',
    message: `${KUBERNETES_RESOURCE_TYPE} ${source.logicalId}: its Manifest is not a JSON array the template spells out; the Kubernetes objects it applies are not analysed`,
    file,
    ...(line !== undefined ? { line } : {}),
  };
}

/** A chart CDK installs at deploy time: its objects exist only once Helm renders it. */
export function helmChartNote(source: ResourceSource, file: string, line: number | undefined): CoverageNote {
  const chart = source.properties['Chart'];
  return {
    kind: 'unsupported',
    level: 'note',
    message: `${HELM_CHART_TYPE} ${source.logicalId}${typeof chart === 'string' ? ` (chart ${chart})` : ''}: the chart is rendered at deploy time and its objects are not analysed; scan \`helm template\` output of it`,
    file,
    ...(line !== undefined ? { line } : {}),
  };
}
