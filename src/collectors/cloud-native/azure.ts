/**
 * Azure Service Operator objects → the canonical Azure shapes the rules read:
 * `managedidentity.azure.com` `UserAssignedIdentity` and `FederatedIdentityCredential`,
 * `authorization.azure.com` `RoleAssignment`. What ASO resolves at run time (the identity that owns
 * a credential, a principal id read from a ConfigMap) is linked across files by links.ts.
 */
import type { JsonObject, JsonValue } from '../../model/types.js';
import { scopeOf } from '../../iam/azure-scope.js';
import { unresolved } from '../gcp/unresolved.js';
import { obj, str, type CloudObject, type Emitter } from './source.js';

export const ASO_FORMAT = 'Azure Service Operator';
export const IDENTITY_GROUP = 'managedidentity.azure.com';
export const AUTHORIZATION_GROUP = 'authorization.azure.com';

function selfRef(o: CloudObject, type: string, attribute: string): JsonValue {
  return unresolved(`${attribute} of ${o.kind} ${o.name}`, { ref: { id: `${o.resource.id}>${type}`, attribute } });
}

function azureName(o: CloudObject): string {
  return str(o.spec['azureName']) ?? o.name;
}

/** Translates one object; false when its kind is not one podtrust reads. */
export function translateAso(o: CloudObject, em: Emitter): boolean {
  if (o.group === IDENTITY_GROUP && o.kind === 'UserAssignedIdentity') identity(o, em);
  else if (o.group === IDENTITY_GROUP && o.kind === 'FederatedIdentityCredential') credential(o, em);
  else if (o.group === AUTHORIZATION_GROUP && o.kind === 'RoleAssignment') assignment(o, em);
  else return false;
  return true;
}

function identity(o: CloudObject, em: Emitter): void {
  const type = 'azure.msi.UserAssignedIdentity';
  const copy = em.copier(o);
  const body: JsonObject = {
    id: selfRef(o, type, 'id'),
    name: azureName(o),
    properties: { clientId: selfRef(o, type, 'clientId'), principalId: selfRef(o, type, 'principalId'), tenantId: selfRef(o, type, 'tenantId') },
  };
  if (o.spec['location'] !== undefined) body['location'] = o.spec['location']!;
  copy.set('/name', o.spec['azureName'] !== undefined ? '/spec/azureName' : '/metadata/name');
  em.emit(o, type, azureName(o), body, copy.positions);
}

function credential(o: CloudObject, em: Emitter): void {
  const copy = em.copier(o);
  const owner = obj(o.spec['owner']);
  const fromConfig = (field: string): JsonValue => {
    const ref = obj(o.spec[`${field}FromConfig`]);
    return unresolved(ref ? `${field} from ConfigMap ${str(ref['name']) ?? ''} key ${str(ref['key']) ?? ''}` : `${field} of FederatedIdentityCredential ${o.name}`);
  };
  const properties: JsonObject = {
    issuer: o.spec['issuer'] ?? fromConfig('issuer'),
    subject: o.spec['subject'] ?? fromConfig('subject'),
    audiences: o.spec['audiences'] ?? [],
  };
  copy.set('/properties', '/spec');
  copy.set('/properties/issuer', o.spec['issuer'] !== undefined ? '/spec/issuer' : '/spec/issuerFromConfig');
  copy.set('/properties/subject', o.spec['subject'] !== undefined ? '/spec/subject' : '/spec/subjectFromConfig');
  copy.move('/spec/audiences', '/properties/audiences');
  const identityId = str(owner?.['armId']) ?? unresolved(`UserAssignedIdentity ${str(owner?.['name']) ?? ''}`);
  copy.set('/identityId', '/spec/owner');
  const body: JsonObject = { id: selfRef(o, 'azure.msi.FederatedIdentityCredential', 'id'), name: azureName(o), identityId, parentType: 'userAssignedIdentity', properties };
  em.emit(o, 'azure.msi.FederatedIdentityCredential', azureName(o), body, copy.positions);
}

/** The scope an assignment's owner gives it: an ARM id, or an ASO resource group (whose subscription is the operator's). */
function scope(o: CloudObject): { scope: JsonValue; info?: JsonObject } {
  const owner = obj(o.spec['owner']);
  const armId = str(owner?.['armId']);
  if (armId) {
    const info = scopeOf(armId);
    return { scope: armId, ...(info ? { info: { ...info } } : {}) };
  }
  const kind = str(owner?.['kind']);
  const name = str(owner?.['name']);
  if (kind === 'ResourceGroup' && name) {
    return { scope: unresolved(`/subscriptions/\${subscription}/resourceGroups/${name}`, { prefix: '/subscriptions/' }), info: { level: 'resourceGroup', resourceGroup: name } };
  }
  if (kind && name) return { scope: unresolved(`${kind} ${name}`), info: { level: 'resource' } };
  return { scope: unresolved(`owner of RoleAssignment ${o.name}`) };
}

function assignment(o: CloudObject, em: Emitter): void {
  const copy = em.copier(o);
  const ref = obj(o.spec['roleDefinitionReference']) ?? {};
  const properties: JsonObject = {};
  const { scope: scopeValue, info } = scope(o);
  properties['scope'] = scopeValue;
  copy.set('/properties/scope', '/spec/owner');
  if (str(ref['wellKnownName'])) {
    properties['roleDefinitionName'] = ref['wellKnownName']!;
    copy.set('/properties/roleDefinitionName', '/spec/roleDefinitionReference/wellKnownName');
  } else {
    properties['roleDefinitionId'] = str(ref['armId']) ?? unresolved(`RoleDefinition ${str(ref['name']) ?? ''}`);
    copy.set('/properties/roleDefinitionId', ref['armId'] !== undefined ? '/spec/roleDefinitionReference/armId' : '/spec/roleDefinitionReference');
  }
  const fromConfig = obj(o.spec['principalIdFromConfig']);
  properties['principalId'] = o.spec['principalId'] ?? unresolved(fromConfig ? `principalId from ConfigMap ${str(fromConfig['name']) ?? ''} key ${str(fromConfig['key']) ?? ''}` : `principalId of RoleAssignment ${o.name}`);
  copy.set('/properties/principalId', o.spec['principalId'] !== undefined ? '/spec/principalId' : '/spec/principalIdFromConfig');
  if (o.spec['principalType'] !== undefined) properties['principalType'] = o.spec['principalType']!;
  const body: JsonObject = { name: azureName(o), properties };
  if (info) body['scopeInfo'] = info;
  copy.set('/properties', '/spec');
  em.emit(o, 'azure.authorization.RoleAssignment', o.resource.name, body, copy.positions);
}
