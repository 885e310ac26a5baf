/**
 * Hostile input never escapes a collector: arbitrary bytes and arbitrary structurally valid
 * documents are parsed and collected without throwing and without hanging. Each parser gets at
 * least 10,000 cases.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { collectTerraform } from '../../src/collectors/terraform/index.js';
import { DEFAULT_LIMITS, parseJson } from '../../src/util/structured.js';
import { parseYaml } from '../../src/util/yaml.js';
import { collectStructured } from '../../src/collectors/documents.js';
import type { CollectOptions } from '../../src/collectors/types.js';
import type { Inventory, JsonValue } from '../../src/model/types.js';
import { auditInventory } from '../../src/scan.js';

const RUNS = 10_000;
// A fixed seed keeps CI deterministic; set FC_SEED to explore other inputs locally.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261122) });
const opts: CollectOptions = { root: '/fuzz', limits: DEFAULT_LIMITS };

function collectAll(text: string, json: boolean): void {
  const file = { path: json ? '/fuzz/input.json' : '/fuzz/input.yaml', text };
  // The collector boundary: every format's collector behind one dispatcher.
  const collected = collectStructured(file, opts);
  for (const n of collected.notes) {
    expect(n.line ?? 1).toBeGreaterThanOrEqual(1);
    expect(typeof n.message).toBe('string');
    // A collector that throws is a defect, even though the per-input boundary turns it into a note.
    expect(n.kind).not.toBe('internal-error');
  }
  const inventory: Inventory = { version: 1, resources: collected.resources, clusters: collected.clusters, notes: [] };
  // Every rule runs over whatever was collected; a rule that throws is a defect.
  const audit = auditInventory(inventory, { paths: [], root: '/fuzz' });
  expect(audit.notes.filter((n) => n.kind === 'rule-error' || n.kind === 'unsupported' && /could not be analysed/.test(n.message))).toEqual([]);
}

/** Fragments that steer random text towards the shapes collectors look for. */
const yamlish = fc.array(
  fc.oneof(
    fc.constantFrom('apiVersion: v1\n', 'kind: ServiceAccount\n', 'kind: List\nitems:\n', 'metadata:\n', '  name: x\n', '  annotations:\n', '    eks.amazonaws.com/role-arn: ', 'Resources:\n', '  R:\n    Type: AWS::IAM::Role\n', '    Properties:\n', '      AssumeRolePolicyDocument: !Sub |\n', '        {"Statement": [', '!Ref ', '!GetAtt A.B', '&a ', '*a ', '<<: *a\n', '---\n', '- ', '{', '}', '[', ']', '"', "'", ':', '\t', '\\', '${x}', '%7B', '__proto__: 1\n'),
    fc.string({ maxLength: 12 }),
  ),
  { maxLength: 30 },
).map((parts) => parts.join(''));

const policyish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 8 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom('Version', 'Statement', 'Effect', 'Principal', 'Federated', 'Action', 'Condition', 'StringLike', 'StringEquals', 'ForAnyValue:StringNotLikeIfExists', 'Null', 'oidc.eks.x.amazonaws.com/id/A:sub', '__proto__', 'constructor'), fc.string({ maxLength: 6 })), tie('value'), { maxKeys: 5 }),
  ),
})).value;

describe('hostile input', () => {
  it('arbitrary text through the YAML path never throws', () => {
    fc.assert(fc.property(fc.oneof(yamlish, fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 })), (text) => collectAll(text, false)), { numRuns: RUNS });
  });

  it('arbitrary text through the JSON path never throws', () => {
    fc.assert(fc.property(fc.oneof(fc.json({ maxDepth: 4 }), fc.string({ maxLength: 200 }), yamlish), (text) => collectAll(text, true)), { numRuns: RUNS });
  });

  it('structurally valid policies, roles, templates and plans never throw', () => {
    const shaped = fc.oneof(
      policyish.map((p) => ({ Version: '2012-10-17', Statement: p })),
      policyish.map((p) => ({ Role: { RoleName: 'r', AssumeRolePolicyDocument: p } })),
      policyish.map((p) => ({ AWSTemplateFormatVersion: '2010-09-09', Resources: { R: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: p } } } })),
      policyish.map((p) => ({ format_version: '1.2', terraform_version: '1.9.0', planned_values: { root_module: { resources: [{ address: 'aws_iam_role.r', mode: 'managed', type: 'aws_iam_role', name: 'r', values: { name: 'r', assume_role_policy: JSON.stringify(p) } }] } } })),
      policyish.map((p) => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: p })),
      policyish.map((p) => ({
        $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
        contentVersion: '1.0.0.0',
        resources: [{ type: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials', apiVersion: '2023-01-31', name: "[format('{0}/{1}', 'id', 'fic')]", properties: p }],
      })),
      policyish.map((p) => ({ bindings: [{ role: 'roles/iam.workloadIdentityUser', members: p }], etag: 'BwX', version: 1 })),
      policyish.map((p) => [{ id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/x', name: 'x', clientId: p, principalId: 'p', type: 'Microsoft.ManagedIdentity/userAssignedIdentities' }]),
    );
    fc.assert(
      fc.property(shaped, fc.boolean(), (doc, asYaml) => collectAll(asYaml ? stringify(doc as JsonValue) : JSON.stringify(doc), !asYaml)),
      { numRuns: RUNS },
    );
  });

  it('arbitrary text through the Terraform path never throws', async () => {
    const hclish = fc.array(
      fc.oneof(
        fc.constantFrom('resource "aws_iam_role" "r" {\n', 'data "aws_iam_policy_document" "d" {\n', 'statement {\n', 'condition {\n', 'module "m" {\n  source = "./m"\n', 'locals {\n', 'variable "v" {\n default = ', '}\n', '{', '}', '[', ']', '"', '${', '%{ for x in y }', '<<EOF\n', 'EOF\n', 'jsonencode(', ')', ' = ', 'count = 3\n', 'for_each = ', '__proto__ = 1\n', '# podtrust:ignore x\n'),
        fc.string({ maxLength: 10 }),
      ),
      { maxLength: 25 },
    ).map((p) => p.join(''));
    await fc.assert(
      fc.asyncProperty(fc.oneof(hclish, fc.string({ maxLength: 200 })), async (text) => {
        const result = await collectTerraform([{ path: '/fuzz/main.tf', text }], opts);
        for (const n of result.notes) expect(typeof n.message).toBe('string');
        // Only the evaluator's own errors become unknown values; anything else thrown is a defect.
        expect(result.notes.filter((n) => n.kind === 'internal-error')).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('prototype keys stay data in every parser', async () => {
    const yaml = parseYaml('__proto__:\n  polluted: yes\nconstructor:\n  prototype:\n    polluted: yes\n');
    const json = parseJson('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}}');
    for (const doc of [...yaml.documents, ...json.documents]) {
      expect(Object.keys(doc.value as object).sort()).toEqual(['__proto__', 'constructor']);
    }
    await collectTerraform([{ path: '/fuzz/p.tf', text: 'locals {\n  __proto__ = { polluted = "yes" }\n}\nresource "aws_iam_role" "r" {\n  name = "r"\n  assume_role_policy = jsonencode({ "__proto__" = { polluted = "yes" }, Statement = [] })\n}\n' }], opts);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('counterexamples found by earlier runs stay fixed', () => {
    collectAll('apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n', false);
  });
});
