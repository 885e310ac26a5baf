/** Policies attached to a role by separate resources, folded into the role as IAM reports it. */
import type { JsonValue, Position, Resource } from '../../model/types.js';
import { decodeDocument } from './mapping.js';
import type { ResourceInstance } from './module.js';
import { type Value, isUnknown, newObject } from './values.js';

/** `tf:<root module dir>:` — a role named by a string joins only within its own root module. */
function rootOf(id: string): string {
  return id.slice(0, id.indexOf(':', 3) + 1);
}

/** Roles by id and by root module and name, first one wins (as a search in collection order would). */
class RoleIndex {
  private readonly byId = new Map<string, Resource>();
  private readonly byName = new Map<string, Resource>();

  constructor(resources: Resource[]) {
    for (const r of resources) {
      if (r.type !== 'aws.iam.Role') continue;
      if (!this.byId.has(r.id)) this.byId.set(r.id, r);
      const name = (r.body as { RoleName?: JsonValue }).RoleName;
      const key = typeof name === 'string' ? `${rootOf(r.id)}\n${name}` : undefined;
      if (key !== undefined && !this.byName.has(key)) this.byName.set(key, r);
    }
  }

  roleFor(v: Value | undefined, from: string): Resource | undefined {
    if (v === undefined) return undefined;
    if (isUnknown(v)) return v.ref ? this.byId.get(v.ref.id) : undefined;
    if (typeof v === 'string') return this.byName.get(`${rootOf(from)}\n${v}`);
    return undefined;
  }
}

function positionIn(role: Resource, inst: ResourceInstance, pointer: string): Position {
  const pos = inst.positions[pointer] ?? inst.positions[''];
  const out: Position = { line: pos!.line, column: pos!.column, endLine: pos!.endLine, endColumn: pos!.endColumn };
  const file = pos!.file ?? inst.block.file;
  if (file !== role.file) out.file = file;
  return out;
}

function arnName(v: Value): Value {
  if (typeof v !== 'string') return v;
  const i = v.lastIndexOf('/');
  return i >= 0 ? v.slice(i + 1) : v;
}

/** `/RolePolicyList/<i>/PolicyDocument/...` for a `/policy/...` pointer, each built once: the policies of a root share them. */
class PolicyDocumentPointers {
  private readonly byIndex: Map<string, string>[] = [];

  of(i: number, policyPointer: string): string {
    const known = (this.byIndex[i] ??= new Map());
    let pointer = known.get(policyPointer);
    if (pointer === undefined) known.set(policyPointer, (pointer = `/RolePolicyList/${i}/PolicyDocument${policyPointer.slice('/policy'.length)}`));
    return pointer;
  }
}

export function linkRoleAttachments(instances: ResourceInstance[], resources: Resource[]): void {
  const roles = new RoleIndex(resources);
  const documentPointers = new PolicyDocumentPointers();
  for (const inst of instances) {
    if (inst.mode !== 'resource') continue;
    const values = inst.values;
    if (inst.type === 'aws_iam_role_policy_attachment' || inst.type === 'aws_iam_role_policy_attachments_exclusive') {
      const role = roles.roleFor(values.role ?? values.role_name, inst.id);
      if (!role) continue;
      const body = role.body as { AttachedManagedPolicies?: JsonValue[] };
      const list = (body.AttachedManagedPolicies ??= []);
      const arns = inst.type === 'aws_iam_role_policy_attachment' ? [values.policy_arn ?? null] : Array.isArray(values.policy_arns) ? values.policy_arns : [values.policy_arns ?? null];
      for (const arn of arns) {
        const i = list.length;
        list.push(Object.assign(newObject(), { PolicyArn: arn, PolicyName: arnName(arn) }) as JsonValue);
        role.positions[`/AttachedManagedPolicies/${i}`] = positionIn(role, inst, inst.type === 'aws_iam_role_policy_attachment' ? '/policy_arn' : '/policy_arns');
      }
    } else if (inst.type === 'aws_iam_role_policy') {
      const role = roles.roleFor(values.role, inst.id);
      if (!role) continue;
      const body = role.body as { RolePolicyList?: JsonValue[] };
      const list = (body.RolePolicyList ??= []);
      const i = list.length;
      list.push(Object.assign(newObject(), { PolicyName: values.name ?? null, PolicyDocument: decodeDocument(values.policy) }) as JsonValue);
      role.positions[`/RolePolicyList/${i}`] = positionIn(role, inst, '');
      for (const p in inst.positions) {
        if (!p.startsWith('/policy/')) continue;
        const pos = inst.positions[p]!;
        const out: Position = { line: pos.line, column: pos.column, endLine: pos.endLine, endColumn: pos.endColumn };
        if ((pos.file ?? inst.block.file) !== role.file) out.file = pos.file ?? inst.block.file;
        role.positions[documentPointers.of(i, p)] = out;
      }
    }
  }
}
