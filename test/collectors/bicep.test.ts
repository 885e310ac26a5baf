import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { collectInventory, scan } from '../../src/scan.js';
import { standInTool } from '../helpers/stand-in-tool.js';

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

const MAIN = [
  "param location string = resourceGroup().location", // 1
  '',
  "resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {", // 3
  "  name: 'id-payments'",
  '  location: location',
  '}',
  '',
  "resource fic 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {", // 8
  '  parent: identity',
  "  name: 'payments'",
  '  properties: {',
  "    issuer: 'https://oidc.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/'",
  "    subject: 'system:serviceaccount:payments:api'",
  '    audiences: [', // 14
  "      'api://SomethingElse'",
  '    ]',
  '  }',
  '}',
  '',
  "module roles '../modules/roles.bicep' = {",
  "  name: 'roles'",
  '}',
  '',
].join('\n');

const FIC_PROPERTIES = {
  issuer: 'https://oidc.prod-aks.azure.com/00000000-0000-0000-0000-000000000000/',
  subject: 'system:serviceaccount:payments:api',
  audiences: ['api://SomethingElse'],
};

/** What `bicep build --stdout` prints for MAIN (resources as a list, no symbolic names: the default output). */
const COMPILED = JSON.stringify(
  {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    metadata: { _generator: { name: 'bicep', version: '0.30.23' } },
    parameters: { location: { type: 'string', defaultValue: '[resourceGroup().location]' } },
    resources: [
      { type: 'Microsoft.ManagedIdentity/userAssignedIdentities', apiVersion: '2023-01-31', name: 'id-payments', location: "[parameters('location')]" },
      {
        type: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials',
        apiVersion: '2023-01-31',
        name: "[format('{0}/{1}', 'id-payments', 'payments')]",
        properties: FIC_PROPERTIES,
        dependsOn: ["[resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', 'id-payments')]"],
      },
    ],
  },
  null,
  2,
);

/** The same with `languageVersion` 2.0, where resources are keyed by their symbolic names (declared out of order here). */
const COMPILED_SYMBOLIC = JSON.stringify(
  {
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    languageVersion: '2.0',
    contentVersion: '1.0.0.0',
    resources: {
      fic: { type: 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials', apiVersion: '2023-01-31', name: "[format('{0}/{1}', 'id-payments', 'payments')]", properties: FIC_PROPERTIES, dependsOn: ['identity'] },
      identity: { type: 'Microsoft.ManagedIdentity/userAssignedIdentities', apiVersion: '2023-01-31', name: 'id-payments' },
    },
  },
  null,
  2,
);

let savedPath: string | undefined;
let root: string;

beforeEach(() => {
  savedPath = process.env['PATH'];
  root = realpathSync(mkdtempSync(join(tmpdir(), 'podtrust-bicep-')));
  write(root, { 'infra/main.bicep': MAIN, 'modules/roles.bicep': "param principalId string = ''\n" });
});
afterEach(() => {
  process.env['PATH'] = savedPath;
});

function onPath(bin: string): void {
  process.env['PATH'] = [bin, dirname(process.execPath), '/usr/bin', '/bin'].join(delimiter);
}

describe('Bicep files', () => {
  it('without bicep: a warning per file, unless its compiled template is in the repository', async () => {
    process.env['PATH'] = mkdtempSync(join(tmpdir(), 'podtrust-empty-path-'));
    const inventory = await collectInventory({ paths: [join(root, 'infra')], root });
    expect(inventory.notes).toEqual([{ kind: 'unsupported', level: 'warning', file: join(root, 'infra/main.bicep'), line: 1, message: 'Bicep: run `bicep build` first, or install bicep' }]);

    writeFileSync(join(root, 'infra/main.json'), COMPILED);
    const built = await collectInventory({ paths: [join(root, 'infra')], root });
    expect(built.notes).toEqual([]);
    expect(built.resources.map((r) => [r.type, relative(root, r.file)])).toContainEqual(['azure.msi.FederatedIdentityCredential', 'infra/main.json']);
  });

  it('compiles each file with bicep (a stand-in) in a copy, without restoring modules, and places findings in the Bicep file', async () => {
    const tool = standInTool('bicep', `print:${COMPILED}`);
    onPath(tool.bin);
    const result = await scan({ paths: [join(root, 'infra')], root });
    const [run, ...more] = tool.records();
    expect(more).toEqual([]);
    expect(run!.argv).toEqual(['build', '--stdout', '--no-restore', './infra/main.bicep']);
    expect(relative(root, run!.cwd).startsWith('..')).toBe(true);
    // The module it names is copied with it, though it lies outside the path scanned.
    expect(run!.files.filter((f) => f.type === 'file').map((f) => f.path).sort()).toEqual(['infra/main.bicep', 'modules/roles.bicep']);
    expect(run!.env['DOTNET_GCHeapHardLimit']).toBe((2 * 1024 ** 3).toString(16));
    expect(Object.keys(run!.env).filter((k) => /AWS|AZURE|GITHUB|TOKEN|SECRET/.test(k))).toEqual([]);

    expect(result.findings.map((f) => [f.ruleId, relative(root, f.location.file), f.location.position?.line])).toEqual([['azure-fic-audience-nonstandard', 'infra/main.bicep', 14]]);
    const inventory = await collectInventory({ paths: [join(root, 'infra')], root });
    const byType = Object.fromEntries(inventory.resources.map((r) => [r.type, r]));
    expect(byType['azure.msi.UserAssignedIdentity']).toMatchObject({ file: join(root, 'infra/main.bicep'), positions: { '': { line: 3 } } });
    expect(byType['azure.msi.FederatedIdentityCredential']!.positions['/properties/subject']).toMatchObject({ line: 13 });
  });

  it('finds resources by their symbolic names when the template has them', async () => {
    onPath(standInTool('bicep', `print:${COMPILED_SYMBOLIC}`).bin);
    const inventory = await collectInventory({ paths: [join(root, 'infra')], root });
    const lines = inventory.resources.map((r) => [r.type, r.positions['']?.line]);
    expect(lines).toEqual(expect.arrayContaining([
      ['azure.msi.UserAssignedIdentity', 3],
      ['azure.msi.FederatedIdentityCredential', 8],
    ]));
  });

  it('names a file bicep cannot compile, and stops bicep at the time cap', async () => {
    onPath(standInTool('bicep', 'fail').bin);
    const failed = await scan({ paths: [join(root, 'infra')], root });
    expect(failed.notes).toContainEqual(expect.objectContaining({ kind: 'parse-error', level: 'error', file: join(root, 'infra/main.bicep'), message: expect.stringContaining('Bicep: bicep build exited with status 1') }));

    onPath(standInTool('bicep', 'sleep').bin);
    const slow = await scan({ paths: [join(root, 'infra')], root, tools: { timeoutMs: 500 } });
    expect(slow.notes).toContainEqual(expect.objectContaining({ kind: 'limit', level: 'error', file: join(root, 'infra/main.bicep'), message: expect.stringContaining('did not finish within 0.5 s') }));
  });
});
