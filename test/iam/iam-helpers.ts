import type { JsonObject, JsonValue, Resource } from '../../src/model/types.js';
import type { InventoryIndex } from '../../src/model/types.js';
import { readStatements } from '../../src/iam/policy-statements.js';
import type { PolicyInput, RolePolicies } from '../../src/iam/role-policies.js';

export function inline(...statements: JsonObject[]): PolicyInput {
  return { name: 'inline', kind: 'inline', statements: readStatements({ Version: '2012-10-17', Statement: statements }, '/RolePolicyList/0/PolicyDocument'), pointer: '/RolePolicyList/0' };
}

export function policies(identity: PolicyInput[], boundary?: PolicyInput): RolePolicies {
  return boundary ? { identity, boundary } : { identity };
}

export function role(body: JsonObject, id = 'role'): Resource {
  return { id, type: 'aws.iam.Role', name: String(body.RoleName ?? id), file: '/x/main.tf', format: 'terraform', body, positions: {} };
}

export function index(resources: Resource[]): InventoryIndex {
  return {
    clusters: [],
    resourceById: (id) => resources.find((r) => r.id === id),
    ofType: (type) => resources.filter((r) => r.type === type),
  };
}

export function customerPolicy(id: string, name: string, document: JsonValue): Resource {
  return { id, type: 'aws.iam.Policy', name, file: '/x/main.tf', format: 'terraform', body: { PolicyName: name, Arn: `arn:aws:iam::111122223333:policy/${name}`, PolicyDocument: document }, positions: {} };
}
