/** A Kubernetes object of a cloud controller (ACK, Crossplane, Azure Service Operator), read for translation. */
import type { JsonObject, JsonValue, PositionMap, Resource } from '../../model/types.js';
import { escapeToken } from '../../util/pointer.js';
import { PositionCopier } from '../gcp/positions.js';
import type { ManifestText } from './string-json.js';

export const EXTERNAL_NAME_ANNOTATION = 'crossplane.io/external-name';

export function obj(v: JsonValue | undefined): JsonObject | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !('$unknown' in v) ? v : undefined;
}

export function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export interface CloudObject {
  resource: Resource;
  /** API group (`iam.services.k8s.aws`). */
  group: string;
  kind: string;
  name: string;
  namespace: string | undefined;
  metadata: JsonObject;
  spec: JsonObject;
}

export function readObject(r: Resource): CloudObject | undefined {
  const body = obj(r.body);
  const apiVersion = str(body?.['apiVersion']);
  if (!body || !apiVersion || !r.type.startsWith('k8s.')) return undefined;
  const metadata = obj(body['metadata']) ?? {};
  return {
    resource: r,
    group: apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '',
    kind: r.type.slice('k8s.'.length),
    name: str(metadata['name']) ?? r.name,
    namespace: str(metadata['namespace']),
    metadata,
    spec: obj(body['spec']) ?? {},
  };
}

/** The Kubernetes object a translated resource (`<object id>><type>`) was made from. */
export function sourceIdOf(translated: Resource): string | undefined {
  const i = translated.id.lastIndexOf('>');
  return i > 0 ? translated.id.slice(0, i) : undefined;
}

export function annotation(o: CloudObject, key: string): string | undefined {
  return str(obj(o.metadata['annotations'])?.[key]);
}

export function annotationPointer(key: string): string {
  return `/metadata/annotations/${escapeToken(key)}`;
}

/** Builds translated resources of one file: canonical bodies with positions copied from the object. */
export class Emitter {
  readonly out: Resource[] = [];
  constructor(readonly text: ManifestText) {}

  copier(o: CloudObject): PositionCopier {
    return new PositionCopier(o.resource.positions);
  }

  emit(o: CloudObject, type: string, name: string, body: JsonObject, positions: PositionMap): Resource {
    if (positions[''] === undefined && o.resource.positions['']) positions[''] = o.resource.positions[''];
    const r: Resource = { id: `${o.resource.id}>${type}`, type, name, file: o.resource.file, format: o.resource.format, body, positions };
    if (o.namespace !== undefined) r.namespace = o.namespace;
    const suppressions = o.resource.suppressions?.filter((s) => s.pointer === '');
    if (suppressions && suppressions.length > 0) r.suppressions = suppressions;
    this.out.push(r);
    return r;
  }
}
