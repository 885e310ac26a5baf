/**
 * Terraform plan and state JSON (`terraform show -json`): the planned (or current) attribute
 * values of every managed resource, mapped through the same type table as the `.tf` files.
 * Attributes Terraform does not know until apply are absent from `planned_values` and so stay
 * unknown. When the `.tf` files are in the same scan, findings are reported once, at the `.tf`
 * location (see `scan()`).
 */
import type { JsonObject, JsonValue, PositionMap, Resource } from '../model/types.js';
import type { ParsedDocument } from '../util/structured.js';
import { account, type CollectOptions, type CollectResult, type SourceFile } from './types.js';
import { mapTerraformResource } from './terraform/mapping.js';
import { type ObjectValue, fromJson } from './terraform/values.js';
import { type ConfiguredResource, keepClusterNodeGroups } from './terraform/self-managed-nodes.js';
import { rebase } from './kubernetes.js';
import { relativeId } from './ids.js';
import { isObject } from '../util/json-object.js';

/** A plan (`planned_values`) or a state (`values`) rendered by `terraform show -json`. */
export function isTerraformPlan(value: JsonValue): boolean {
  return isObject(value) && typeof value.format_version === 'string' && (isObject(value.planned_values) || isObject(value.values)) && 'terraform_version' in value;
}

export function collectTerraformPlan(file: SourceFile, doc: ParsedDocument, opts: CollectOptions): CollectResult {
  const result: CollectResult = { resources: [], clusters: [], notes: [] };
  account(result, file.path, 'Terraform plan JSON');
  const plan = doc.value as JsonObject;
  const key = isObject(plan.planned_values) ? 'planned_values' : 'values';
  const root = (plan[key] as JsonObject).root_module;
  if (!isObject(root)) return result;
  const fileId = relativeId(opts.root, file.path);
  const configured: ConfiguredResource[] = [];
  const visit = (module: JsonObject, pointer: string): void => {
    const resources = Array.isArray(module.resources) ? module.resources : [];
    resources.forEach((r, i) => {
      if (!isObject(r) || r.mode !== 'managed' || typeof r.type !== 'string' || typeof r.address !== 'string' || !isObject(r.values)) return;
      const rp = `${pointer}/resources/${i}`;
      const id = `tfplan:${fileId}:${r.address}`;
      const positions: PositionMap = rebase(doc.positions, `${rp}/values`);
      const values = fromJson(r.values) as ObjectValue;
      configured.push({ id, type: r.type, values });
      const mapped = mapTerraformResource(r.type, { id, address: r.address, values, positions });
      if (!mapped) return;
      if (!mapped.positions['']) {
        const at = doc.positions[rp];
        if (at) mapped.positions[''] = at;
      }
      const resource: Resource = {
        id,
        type: mapped.type,
        name: mapped.name,
        file: file.path,
        format: 'terraform-plan',
        address: r.address,
        body: mapped.body,
        positions: mapped.positions,
      };
      if (mapped.namespace !== undefined) resource.namespace = mapped.namespace;
      result.resources.push(resource);
      if (mapped.type === 'aws.eks.Cluster') {
        const body = mapped.body as JsonObject;
        const issuer = ((body.identity as JsonObject | undefined)?.oidc as JsonObject | undefined)?.issuer;
        result.clusters.push({
          name: typeof body.name === 'string' ? body.name : r.address,
          provider: 'aws',
          resourceId: id,
          ...(typeof issuer === 'string' ? { issuer } : {}),
        });
      }
    });
    const children = Array.isArray(module.child_modules) ? module.child_modules : [];
    children.forEach((child, i) => {
      if (isObject(child)) visit(child, `${pointer}/child_modules/${i}`);
    });
  };
  visit(root, `/${key}/root_module`);
  result.resources = keepClusterNodeGroups(configured, result.resources, (n) => result.notes.push(n));
  return result;
}
