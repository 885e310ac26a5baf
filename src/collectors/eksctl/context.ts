/**
 * What every part of the eksctl reader shares: the document with its positions, the cluster the file
 * defines, and how resources, positions and the roles eksctl creates are built.
 */
import type { JsonObject, JsonValue, PositionMap, Resource } from '../../model/types.js';
import { unresolved } from '../gcp/unresolved.js';
import type { ParsedDocument } from '../../util/structured.js';
import { createObject } from '../../util/structured.js';
import { forEachInSubtree } from '../../util/position-subtree.js';
import type { CollectResult, SourceFile } from '../types.js';
import { documentCommentSuppressions } from '../kubernetes-comments.js';
import { join } from '../../util/pointer.js';
import { managedPolicyArn, type GeneratedPolicy, type PolicySet } from './policies.js';

export function asObject(v: JsonValue | undefined): JsonObject | undefined {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

/** Positions of one resource, filled from the eksctl document. */
export class Positions {
  readonly map: PositionMap = Object.create(null) as PositionMap;
  /** The entry of the file the resource comes from (where `''` is placed). */
  entry?: string;
  constructor(private readonly doc: ParsedDocument) {}

  /** `out` in the resource points at `docPtr` in the file (when the file has it). */
  place(out: string, docPtr: string): this {
    if (out === '') this.entry = docPtr;
    const p = this.doc.positions[docPtr];
    if (p) this.map[out] = p;
    return this;
  }

  /** Every position under `docPtr`, re-keyed under `out` (a document written inline). */
  subtree(out: string, docPtr: string): this {
    forEachInSubtree(this.doc.positions, docPtr, (k, v) => {
      this.map[out + k.slice(docPtr.length)] = v;
    });
    return this;
  }
}

/** A value of the file with the pointer it is written at. */
export interface Located<T = JsonValue> {
  value: T;
  ptr: string;
}

/** A role eksctl creates in a CloudFormation stack of its own. */
export interface RoleSpec {
  /** Stable key for the resource id (`irsa/kube-system/aws-node`). */
  key: string;
  /** Display name when the file names no role: the stack's logical name, as eksctl names it. */
  display: string;
  /** The entry of the file the role comes from. */
  entryPtr: string;
  roleName?: Located;
  trust: JsonObject;
  /** Positions of the trust: resource pointer → file pointer. */
  trustAt: [string, string][];
  managed: Located<JsonValue>[];
  inline: { name: string; document: JsonValue; ptr: string; written?: boolean }[];
  boundary?: Located;
}

export class EksctlContext {
  readonly result: CollectResult = { resources: [], clusters: [], notes: [] };
  private readonly ids = new Map<string, number>();
  /** The resources each entry of the file gives (a node group entry: its node group, launch template, role...). */
  private readonly byEntry = new Map<string, Resource[]>();
  /** Generated policies by lookup and flag: built once per file, so a line of the file never costs more than one reference. */
  private readonly policySets = new Map<(flag: string, partition: string) => PolicySet | undefined, Map<string, PolicySet | undefined>>();
  readonly clusterName: string;
  readonly partition: string;
  clusterId = '';

  constructor(
    readonly file: SourceFile,
    readonly doc: ParsedDocument,
    readonly rel: string,
    readonly config: JsonObject,
    partition: string,
  ) {
    const name = asObject(config['metadata'])?.['name'];
    this.clusterName = typeof name === 'string' && name !== '' ? name : '(unnamed)';
    this.partition = partition;
  }

  positions(): Positions {
    return new Positions(this.doc);
  }

  line(ptr: string): number {
    return this.doc.positions[ptr]?.line ?? this.doc.positions['']?.line ?? 1;
  }

  note(kind: 'unsupported' | 'unresolved', level: 'warning' | 'note', ptr: string, message: string): void {
    this.result.notes.push({ kind, level, file: this.file.path, line: this.line(ptr), message });
  }

  /** The value at a pointer of the config, if it is a list (a warning names the field otherwise). */
  list(parent: JsonObject | undefined, key: string, ptr: string): JsonValue[] {
    const v = parent?.[key];
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v;
    this.note('unsupported', 'warning', ptr, `eksctl ClusterConfig: \`${key}\` is not a list: it is not read`);
    return [];
  }

  /** The mappings of a list field under `parentPtr`, with their pointers; an entry that is not a mapping is named in a warning. */
  entries(parent: JsonObject | undefined, key: string, parentPtr: string): [JsonObject, string][] {
    const out: [JsonObject, string][] = [];
    this.list(parent, key, join(parentPtr, key)).forEach((item, i) => {
      const ptr = join(parentPtr, key, i);
      const entry = asObject(item);
      if (entry) out.push([entry, ptr]);
      else this.note('unsupported', 'warning', ptr, `eksctl ClusterConfig: an entry of \`${key}\` that is not a mapping is not read`);
    });
    return out;
  }

  add(kind: string, key: string, type: string, name: string, body: JsonObject, positions: Positions, extra: Partial<Resource> = {}): Resource {
    const base = `eksctl:${this.rel}#${this.doc.index}:${kind}/${key}`;
    const count = this.ids.get(base) ?? 0;
    this.ids.set(base, count + 1);
    const resource: Resource = { id: count === 0 ? base : `${base}#${count + 1}`, type, name, file: this.file.path, format: 'eksctl', body, positions: positions.map, ...extra };
    this.result.resources.push(resource);
    if (positions.entry !== undefined) (this.byEntry.get(positions.entry) ?? this.byEntry.set(positions.entry, []).get(positions.entry)!).push(resource);
    return resource;
  }

  /**
   * `# podtrust:ignore <rule-id> <reason>` above an entry (or a line inside it) applies to every resource eksctl
   * creates from that entry, all of it: the file's layout is not the resources' bodies.
   */
  commentSuppressions(): void {
    const groups = [...this.byEntry].map(([prefix, list]) => ({ prefix, resource: list[0]! }));
    documentCommentSuppressions(this.file, this.doc, groups, this.result.notes);
    for (const list of this.byEntry.values()) {
      const found = list[0]!.suppressions;
      if (!found) continue;
      for (const s of found) s.pointer = '';
      for (const r of list.slice(1)) r.suppressions = found.map((s) => ({ ...s }));
    }
  }

  /** A reference to an attribute of a resource of this file that only exists once eksctl has run. */
  ref(resource: Resource, attribute: string, what: string): JsonValue {
    return unresolved(what, { ref: { id: resource.id, attribute } });
  }

  /** The IAM role eksctl creates: canonical `RoleDetail` shape, its fields placed at the file's entries. */
  role(spec: RoleSpec): Resource {
    const at = this.positions().place('', spec.entryPtr);
    const body = createObject();
    if (spec.roleName) {
      body['RoleName'] = spec.roleName.value;
      at.place('/RoleName', spec.roleName.ptr);
    } else {
      body['RoleName'] = unresolved(`role name eksctl generates for ${spec.display}`);
    }
    body['Path'] = '/';
    body['AssumeRolePolicyDocument'] = spec.trust;
    at.place('/AssumeRolePolicyDocument', spec.entryPtr);
    for (const [out, docPtr] of spec.trustAt) at.place(`/AssumeRolePolicyDocument${out}`, docPtr);
    const attached: JsonValue[] = [];
    const seen = new Set<string>();
    for (const m of spec.managed) {
      const key = typeof m.value === 'string' ? m.value.slice(m.value.lastIndexOf('/') + 1) : undefined;
      if (key !== undefined && seen.has(key)) continue;
      if (key !== undefined) seen.add(key);
      const entry = createObject();
      if (key) entry['PolicyName'] = key;
      entry['PolicyArn'] = m.value;
      at.place(`/AttachedManagedPolicies/${attached.length}`, m.ptr).place(`/AttachedManagedPolicies/${attached.length}/PolicyArn`, m.ptr);
      attached.push(entry);
    }
    if (attached.length > 0) body['AttachedManagedPolicies'] = attached;
    if (spec.inline.length > 0) {
      body['RolePolicyList'] = spec.inline.map((p, i) => {
        const out = `/RolePolicyList/${i}`;
        at.place(out, p.ptr).place(`${out}/PolicyName`, p.ptr).place(`${out}/PolicyDocument`, p.ptr);
        // A document written in the file keeps its own lines; a generated one points at the field that asked for it.
        if (p.written) at.subtree(`${out}/PolicyDocument`, p.ptr);
        return { PolicyName: p.name, PolicyDocument: p.document };
      });
    }
    if (spec.boundary) {
      body['PermissionsBoundary'] = { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: spec.boundary.value };
      at.place('/PermissionsBoundary', spec.boundary.ptr).place('/PermissionsBoundary/PermissionsBoundaryArn', spec.boundary.ptr);
    }
    const name = typeof spec.roleName?.value === 'string' ? spec.roleName.value : spec.display;
    const role = this.add('iam-role', spec.key, 'aws.iam.Role', name, body, at);
    body['Arn'] = this.ref(role, 'Arn', `ARN of the role eksctl creates for ${spec.display}`);
    return role;
  }

  /** AWS managed policies by name, each placed at `ptr`. */
  managed(names: string[], ptr: string): Located[] {
    return names.map((n) => ({ value: managedPolicyArn(this.partition, n), ptr }));
  }

  /** Policy ARNs listed in the file (`attachPolicyARNs`), each placed at its own line. */
  arnList(parent: JsonObject | undefined, key: string, ptr: string): Located[] {
    return this.list(parent, key, join(ptr, key)).map((v, i) => ({ value: v, ptr: join(ptr, key, i) }));
  }

  /**
   * The policies a set of flags asks eksctl for (`wellKnownPolicies`, `withAddonPolicies`), each placed at its flag;
   * a flag podtrust does not know is named in a warning.
   */
  flagPolicies(parent: JsonObject | undefined, key: string, ptr: string, lookup: (flag: string, partition: string) => PolicySet | undefined): Pick<RoleSpec, 'managed' | 'inline'> {
    const out: Pick<RoleSpec, 'managed' | 'inline'> = { managed: [], inline: [] };
    for (const [flag, on] of Object.entries(asObject(parent?.[key]) ?? {})) {
      if (on !== true) continue;
      const at = join(ptr, key, flag);
      const cache = this.policySets.get(lookup) ?? this.policySets.set(lookup, new Map()).get(lookup)!;
      if (!cache.has(flag)) cache.set(flag, lookup(flag, this.partition));
      const set = cache.get(flag);
      if (!set) {
        this.note('unsupported', 'warning', at, `eksctl ClusterConfig: ${key}.${flag} is not known to podtrust: the policies it attaches are not analysed`);
        continue;
      }
      out.managed.push(...this.managed(set.managed, at));
      out.inline.push(...this.generated(set.inline, at));
    }
    return out;
  }

  /** Generated inline policies, each placed at `ptr`. */
  generated(policies: GeneratedPolicy[], ptr: string): RoleSpec['inline'] {
    return policies.map((p) => ({ name: p.name, document: { Version: '2012-10-17', Statement: p.statements }, ptr }));
  }
}
