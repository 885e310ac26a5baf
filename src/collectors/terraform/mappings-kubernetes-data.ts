/**
 * Terraform `kubernetes_secret(_v1)` and `kubernetes_config_map(_v1)` → the Kubernetes API shape.
 * Terraform's `data` is plain text (the provider encodes it), so it becomes `stringData` of a
 * Secret; `binary_data` is base64 and becomes `data`/`binaryData`. Values are redacted by the
 * collector's credential scan (src/credentials/redact.ts) before the resource enters the inventory.
 */
import type { Builder, Mapper, MappingContext } from './mapper.js';
import { type ObjectValue, isObject, newObject } from './values.js';

function firstBlock(values: ObjectValue, name: string): ObjectValue | undefined {
  const v = values[name];
  if (Array.isArray(v) && isObject(v[0])) return v[0];
  if (isObject(v)) return v;
  return undefined;
}

function metadataOf(ctx: MappingContext, b: Builder): ObjectValue {
  const meta = firstBlock(ctx.values, 'metadata') ?? newObject();
  const metadata = newObject();
  metadata.name = meta.name ?? null;
  metadata.namespace = meta.namespace ?? 'default';
  if (meta.annotations !== undefined) metadata.annotations = meta.annotations;
  if (meta.labels !== undefined) metadata.labels = meta.labels;
  b.move('/metadata/0', '/metadata');
  return metadata;
}

function dataObject(ctx: MappingContext, b: Builder, body: ObjectValue, from: string, to: string): void {
  const v = ctx.values[from];
  if (v === undefined || v === null) return;
  body[to] = v;
  b.move(`/${from}`, `/${to}`);
}

function named(ctx: MappingContext, kind: string, metadata: ObjectValue, body: ObjectValue): ReturnType<Mapper> {
  const name = typeof metadata.name === 'string' ? metadata.name : ctx.address;
  const ns = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  const result: ReturnType<Mapper> = { type: `k8s.${kind}`, name: ns ? `${ns}/${name}` : name, body };
  if (ns) result.namespace = ns;
  return result;
}

const secret: Mapper = (ctx, b) => {
  const metadata = metadataOf(ctx, b);
  const body = Object.assign(newObject(), { apiVersion: 'v1', kind: 'Secret', metadata });
  const type = ctx.values.type;
  body.type = type ?? 'Opaque';
  b.set('/type', '/type');
  dataObject(ctx, b, body, 'data', 'stringData');
  dataObject(ctx, b, body, 'binary_data', 'data');
  return named(ctx, 'Secret', metadata, body);
};

const configMap: Mapper = (ctx, b) => {
  const metadata = metadataOf(ctx, b);
  const body = Object.assign(newObject(), { apiVersion: 'v1', kind: 'ConfigMap', metadata });
  dataObject(ctx, b, body, 'data', 'data');
  dataObject(ctx, b, body, 'binary_data', 'binaryData');
  return named(ctx, 'ConfigMap', metadata, body);
};

export const KUBERNETES_DATA_MAPPERS: Record<string, Mapper> = {
  kubernetes_secret: secret,
  kubernetes_secret_v1: secret,
  kubernetes_config_map: configMap,
  kubernetes_config_map_v1: configMap,
};
