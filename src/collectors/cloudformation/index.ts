/** CloudFormation templates (YAML or JSON) → canonical AWS resources with positions. */
import { relative, sep } from 'node:path';
import type { ClusterInfo, CoverageNote, JsonValue, PositionMap, Resource } from '../../model/types.js';
import { isUnknown } from '../../model/unknown.js';
import { join, parent } from '../../util/pointer.js';
import type { ParsedDocument } from '../../util/structured.js';
import { NestingTooDeep, noteNesting } from '../../util/nesting.js';
import { commentSuppressions, type SuppressionTarget } from '../comment-suppressions.js';
import { account, emptyResult, type CollectOptions, type CollectResult, type SourceFile } from '../types.js';
import { BodyBuilder, type ResourceSource } from './body-builder.js';
import type { EmbeddedContext } from './embedded-json.js';
import { asObject, TemplateContext, type TemplateResource } from './intrinsics.js';
import { canonicalAttribute, cfnTypeMapping, INLINE_POLICY_TYPE, policyEntry } from './resource-types.js';
import { cfnJsonValues, HELM_CHART_TYPE, helmChartNote, KUBERNETES_RESOURCE_TYPE, manifestObjects } from './cdk.js';

/** A template: `AWSTemplateFormatVersion`, or a `Resources` map whose entries have `Type: AWS::...`. */
export function isCloudFormation(value: JsonValue): boolean {
  const root = asObject(value);
  if (!root) return false;
  if (root['AWSTemplateFormatVersion'] !== undefined) return true;
  const resources = asObject(root['Resources']);
  if (!resources) return false;
  const entries = Object.values(resources);
  return entries.length > 0 && entries.every((r) => {
    const type = asObject(r)?.['Type'];
    return typeof type === 'string' && /^(AWS|Custom|Alexa)::/.test(type);
  }) && entries.some((r) => String(asObject(r)?.['Type']).startsWith('AWS::'));
}


interface Built {
  resource: Resource;
  source: ResourceSource;
  /** Body pointer → document pointer, for comment suppressions. */
  sources: Record<string, string>;
}

export function collectCloudFormation(file: SourceFile, doc: ParsedDocument, opts: CollectOptions): CollectResult {
  const result = emptyResult();
  const template = asObject(doc.value);
  const resourcesNode = asObject(template?.['Resources']);
  if (!template || !resourcesNode) {
    account(result, file.path, 'CloudFormation');
    return result;
  }
  const relPath = file.path.startsWith('<') ? file.path : relative(opts.root, file.path).split(sep).join('/');
  const idOf = (logicalId: string) => `cfn:${relPath}:${logicalId}`;

  const declared = new Map<string, TemplateResource>();
  for (const [logicalId, node] of Object.entries(resourcesNode)) {
    const type = asObject(node)?.['Type'];
    if (typeof type === 'string') declared.set(logicalId, { logicalId, cfnType: type, id: idOf(logicalId) });
  }
  const ctx = new TemplateContext(template, doc.positions, declared, canonicalAttribute, opts.limits.maxDepth);
  const env: EmbeddedContext = { ctx, fileText: file.text, file: file.path, limits: opts.limits, notes: result.notes };
  ctx.attributeValue = cfnJsonValues(env, resourcesNode);
  const cdk = [...declared.values()].some((r) => r.cfnType.startsWith('Custom::AWSCDK'));
  account(result, file.path, cdk ? 'AWS CDK (synthesized CloudFormation)' : 'CloudFormation');

  const built: Built[] = [];
  const inline: ResourceSource[] = [];
  const manifests: ResourceSource[] = [];
  // A resource whose evaluation goes past --max-depth (deep nesting, a long chain of conditions)
  // is left out with a note; the template's other resources are still read.
  const tooDeep = (e: unknown, entryPtr: string): void => {
    if (!(e instanceof NestingTooDeep)) throw e;
    noteNesting(result.notes, file.path, e, { positions: doc.positions, line: doc.positions[entryPtr]?.line ?? doc.positions['']?.line ?? 1 });
  };
  for (const [logicalId, node] of Object.entries(resourcesNode)) {
    const entry = asObject(node);
    const decl = declared.get(logicalId);
    if (!entry || !decl) continue;
    const entryPtr = join('/Resources', logicalId);
    try {
      const b = buildResource(logicalId, entry, decl, entryPtr);
      if (b) built.push(b);
    } catch (e) {
      tooDeep(e, entryPtr);
    }
  }

  for (const source of inline) {
    try {
      mergeInlinePolicy(source, env, built, result.notes);
    } catch (e) {
      tooDeep(e, source.entryPtr);
    }
  }
  for (const b of built) if (b.source.cfnType === 'AWS::IAM::ManagedPolicy') attachManagedPolicy(b, env, built);
  for (const source of manifests) {
    try {
      result.resources.push(...manifestObjects(source, env, relPath));
    } catch (e) {
      tooDeep(e, source.entryPtr);
    }
  }
  applySuppressions(file, doc, built, result.notes);
  for (const b of built) {
    result.resources.push(b.resource);
    if (b.resource.type === 'aws.eks.Cluster') result.clusters.push(clusterInfo(b.resource));
  }
  return result;

  function buildResource(logicalId: string, entry: Record<string, JsonValue>, decl: TemplateResource, entryPtr: string): Built | undefined {
    const condition = entry['Condition'];
    if (typeof condition === 'string' && ctx.condition(condition) === false) return undefined;
    const source: ResourceSource = {
      logicalId,
      id: decl.id,
      cfnType: decl.cfnType,
      entryPtr,
      properties: asObject(entry['Properties'] ?? null) ?? {},
    };
    if (decl.cfnType === INLINE_POLICY_TYPE) {
      inline.push(source);
      return undefined;
    }
    if (decl.cfnType === KUBERNETES_RESOURCE_TYPE) {
      manifests.push(source);
      return undefined;
    }
    if (decl.cfnType === HELM_CHART_TYPE) {
      result.notes.push(helmChartNote(source, file.path, doc.positions[entryPtr]?.line));
      return undefined;
    }
    const mapping = cfnTypeMapping(decl.cfnType);
    if (!mapping) return undefined;
    const b = new BodyBuilder(source, env);
    mapping.build(b);
    const positions: PositionMap = Object.create(null) as PositionMap;
    const entryPos = doc.positions[source.entryPtr];
    if (entryPos) positions[''] = entryPos;
    Object.assign(positions, b.sink.positions);
    if (entryPos) positions[''] = entryPos;
    const nameValue = mapping.nameKey ? b.body[mapping.nameKey] : undefined;
    const resource: Resource = {
      id: decl.id,
      type: mapping.type,
      name: typeof nameValue === 'string' ? nameValue : logicalId,
      file: file.path,
      format: 'cloudformation',
      address: logicalId,
      body: b.body,
      positions,
    };
    return { resource, source, sources: b.sink.sources };
  }
}

function clusterInfo(resource: Resource): ClusterInfo {
  const name = asObject(resource.body)?.['name'];
  return { name: typeof name === 'string' ? name : (resource.address ?? resource.name), provider: 'aws', resourceId: resource.id };
}

/** The roles of the template a `Roles` list names (by `!Ref`, or by a literal role name). */
function rolesNamed(source: ResourceSource, env: EmbeddedContext, built: Built[]): { role: Built; index: number }[] {
  const roles = env.ctx.value(source.properties['Roles'] ?? null, join(source.entryPtr, 'Properties', 'Roles'));
  if (!Array.isArray(roles)) return [];
  const out: { role: Built; index: number }[] = [];
  roles.forEach((value, index) => {
    const role = built.find((b) => {
      if (b.resource.type !== 'aws.iam.Role') return false;
      if (isUnknown(value)) return value.ref?.id === b.resource.id && value.prefix === undefined && value.suffix === undefined;
      return typeof value === 'string' && asObject(b.resource.body)?.['RoleName'] === value;
    });
    if (role) out.push({ role, index });
  });
  return out;
}

function mergeInlinePolicy(source: ResourceSource, env: EmbeddedContext, built: Built[], notes: CoverageNote[]): void {
  const b = new BodyBuilder(source, env);
  const entry = policyEntry(b, source.properties, b.propsPtr, '');
  const targets = rolesNamed(source, env, built);
  if (targets.length === 0) {
    const p = env.ctx.docPositions[source.entryPtr];
    notes.push({
      kind: 'skipped',
      level: 'note',
      message: `${INLINE_POLICY_TYPE} ${source.logicalId} attaches to no role defined in this template; its permissions are not attributed`,
      file: env.file,
      ...(p ? { line: p.line, column: p.column } : {}),
    });
    return;
  }
  for (const { role } of targets) {
    const body = asObject(role.resource.body)!;
    const list = Array.isArray(body['RolePolicyList']) ? body['RolePolicyList'] : (body['RolePolicyList'] = []);
    const prefix = `/RolePolicyList/${list.length}`;
    list.push(entry);
    for (const [ptr, pos] of Object.entries(b.sink.positions)) role.resource.positions[prefix + ptr] = pos;
    const p = env.ctx.docPositions[source.entryPtr];
    if (p) role.resource.positions[prefix] = p;
  }
}

function attachManagedPolicy(policy: Built, env: EmbeddedContext, built: Built[]): void {
  const body = asObject(policy.resource.body)!;
  for (const { role, index } of rolesNamed(policy.source, env, built)) {
    const roleBody = asObject(role.resource.body)!;
    const list = Array.isArray(roleBody['AttachedManagedPolicies']) ? roleBody['AttachedManagedPolicies'] : (roleBody['AttachedManagedPolicies'] = []);
    const prefix = `/AttachedManagedPolicies/${list.length}`;
    const entry: Record<string, JsonValue> = { PolicyArn: body['Arn'] ?? null };
    if (typeof body['PolicyName'] === 'string') entry['PolicyName'] = body['PolicyName'];
    list.push(entry);
    const p = env.ctx.docPositions[join(policy.source.entryPtr, 'Properties', 'Roles', index)];
    if (p) role.resource.positions[prefix] = p;
  }
}

function applySuppressions(file: SourceFile, doc: ParsedDocument, built: Built[], notes: CoverageNote[]): void {
  const byDocPointer = new Map<string, SuppressionTarget>();
  for (const b of built) {
    byDocPointer.set(b.source.entryPtr, { target: b.resource.id, pointer: '' });
    for (const [bodyPtr, docPtr] of Object.entries(b.sources)) {
      const known = byDocPointer.get(docPtr);
      if (!known || bodyPtr.length < known.pointer.length) byDocPointer.set(docPtr, { target: b.resource.id, pointer: bodyPtr });
    }
  }
  const mapPointer = (docPointer: string): SuppressionTarget | undefined => {
    for (let p = docPointer; p.startsWith('/Resources/'); p = parent(p)) {
      const hit = byDocPointer.get(p);
      if (hit) return hit;
    }
    return undefined;
  };
  const { found, notes: foundNotes } = commentSuppressions(file.text, doc.positions, mapPointer, file.path);
  notes.push(...foundNotes);
  for (const f of found) {
    const b = built.find((x) => x.resource.id === f.target);
    if (b) (b.resource.suppressions ??= []).push(f.suppression);
  }
}
