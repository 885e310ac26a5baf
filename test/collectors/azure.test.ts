import { describe, expect, it } from 'vitest';
import { Evaluator, parseExpression, type EvalScope } from '../../src/collectors/arm/expressions.js';
import { parseScope, scopeOf } from '../../src/iam/azure-scope.js';
import { builtinRoleName } from '../../src/iam/azure-roles.js';
import { parseClaimsExpression } from '../../src/federation/azure.js';
import { isAzureCliDump } from '../../src/collectors/azure-cli.js';
import { isArmTemplate } from '../../src/collectors/arm/index.js';
import { unknown } from '../../src/model/unknown.js';

const scope: EvalScope = {
  targetScope: 'resourceGroup',
  parameter: (name) => (name === 'identityName' ? 'id-app' : unknown(`parameters('${name}')`)),
  variable: (name) => (name === 'roleId' ? 'b24988ac-6180-42a0-ab88-20f7382dd24c' : unknown(`variables('${name}')`)),
  resourceIdFor: (type, names) => (type === 'Microsoft.ManagedIdentity/userAssignedIdentities' && names[0] === 'id-app' ? 'arm:id-app' : undefined),
  symbolic: () => undefined,
};

describe('ARM expressions', () => {
  const ev = new Evaluator(scope);
  it('evaluates format, concat and parameters with known inputs', () => {
    expect(ev.string("[format('{0}/{1}', parameters('identityName'), 'fic')]")).toBe('id-app/fic');
    expect(ev.string("[concat('system:serviceaccount:', 'ns', ':', 'sa')]")).toBe('system:serviceaccount:ns:sa');
    expect(ev.string("[toLower('AbC')]")).toBe('abc');
    expect(ev.string('[[literal]')).toBe('[literal]');
    expect(ev.string("[format('it''s {0}', 'ok')]")).toBe("it's ok");
  });
  it('reads a member of an object only from its own entries', () => {
    const withPrototype = new Evaluator({ ...scope, parameter: (name) => (name === 'settings' ? { zone: '', constructor: 'own' } : unknown(`parameters('${name}')`)) });
    expect(withPrototype.string("[parameters('settings').zone]")).toBe('');
    expect(withPrototype.string("[parameters('settings').constructor]")).toBe('own');
    expect(withPrototype.string("[parameters('settings').toString]")).toEqual(unknown('.toString'));
  });
  it('keeps known ends of partly unknown strings', () => {
    const v = ev.string("[format('system:serviceaccount:{0}:api', parameters('ns'))]");
    expect(v).toMatchObject({ prefix: 'system:serviceaccount:', suffix: ':api' });
  });
  it('gives resource ids their known suffix and a reference to the template resource', () => {
    const id = ev.string("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', variables('roleId'))]");
    expect(builtinRoleName(id as never)).toBe('Contributor');
    const principal = ev.string("[reference(resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', parameters('identityName')), '2023-01-31').principalId]");
    expect(principal).toMatchObject({ ref: { id: 'arm:id-app', attribute: 'principalId' } });
    expect(scopeOf(ev.string('[resourceGroup().id]') as never)?.level).toBe('resourceGroup');
  });
  it('turns deployment-time functions and bad syntax into Unknowns, never throwing', () => {
    expect(ev.string("[guid(resourceGroup().id, 'x')]")).toMatchObject({ $unknown: 'guid()' });
    expect(ev.string("[format('{0}', ]")).toHaveProperty('$unknown');
    expect(ev.string("[parameters('x']")).toHaveProperty('$unknown');
    expect(ev.string("[parameters('x'")).toBe("[parameters('x'");
    expect(() => parseExpression('a('.repeat(500))).toThrow();
  });
});

describe('Azure scopes and roles', () => {
  it('parses scope levels', () => {
    expect(parseScope('/subscriptions/s1')).toEqual({ level: 'subscription', subscription: 's1' });
    expect(parseScope('/subscriptions/s1/resourceGroups/rg')).toEqual({ level: 'resourceGroup', subscription: 's1', resourceGroup: 'rg' });
    expect(parseScope('/subscriptions/s1/resourcegroups/rg/providers/Microsoft.Storage/storageAccounts/st')?.level).toBe('resource');
    expect(parseScope('/providers/Microsoft.Management/managementGroups/mg')?.level).toBe('managementGroup');
    expect(parseScope('/')?.level).toBe('root');
    expect(parseScope('rg')).toBeUndefined();
    expect(scopeOf(unknown('/subscriptions/${var.sub}/resourceGroups/rg-${var.env}'))?.level).toBe('resourceGroup');
    expect(scopeOf(unknown('var.scope'))).toBeUndefined();
  });
  it('maps built-in role GUIDs', () => {
    expect(builtinRoleName('/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635')).toBe('Owner');
    expect(builtinRoleName('18D7D88D-D35E-4FB5-A5C3-7773C20A72D9')).toBe('User Access Administrator');
    expect(builtinRoleName(unknown('x', { suffix: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635' }))).toBeUndefined();
  });
});

describe('flexible credential expressions', () => {
  it('parses terms joined by and', () => {
    expect(parseClaimsExpression("claims['sub'] matches 'repo:contoso/*' and claims['job_workflow_ref'] eq 'a'")).toEqual([
      { claim: 'sub', operator: 'matches', value: 'repo:contoso/*' },
      { claim: 'job_workflow_ref', operator: 'eq', value: 'a' },
    ]);
    expect(parseClaimsExpression("claims['sub'] matches 'a' or claims['sub'] matches 'b'")).toBeUndefined();
    expect(parseClaimsExpression('anything')).toBeUndefined();
  });
});

describe('detection', () => {
  it('tells ARM templates and CLI dumps apart from other JSON', () => {
    expect(isArmTemplate({ $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', resources: [] })).toBe(true);
    expect(isArmTemplate({ name: 'pkg', version: '1.0.0' })).toBe(false);
    expect(isAzureCliDump([{ id: '/subscriptions/s/x', type: 'Microsoft.ManagedIdentity/userAssignedIdentities' }])).toBe(true);
    expect(isAzureCliDump([{ id: '/x', type: 'Microsoft.Storage/storageAccounts' }])).toBe(false);
    expect(isAzureCliDump([])).toBe(false);
  });
});
