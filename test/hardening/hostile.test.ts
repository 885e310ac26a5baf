/**
 * Hostile repositories scanned end to end through the built CLI: escape sequences and control
 * characters in names, annotations and file names; paths that try to leave --root; a trust
 * policy with a pathological wildcard.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const ESC = '\u001b';
const BEL = '\u0007';
const CSI8 = '\u009b';
/** Anything that can move the cursor, retitle the window, make links or hide text. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function controlsIn(text: string): string[] {
  // eslint-disable-next-line no-control-regex
  return [...new Set(text.match(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g) ?? [])].map((c) => `U+${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

describe('escape sequences and control characters in the input', () => {
  const dir = tempDir('podtrust-hostile-');
  const namespace = `web${ESC}[2J${ESC}]0;pwned${BEL}${CSI8}31m`;
  const roleArn = `arn:aws:iam::123456789012:role/x${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\`;
  const manifestName = `sa${ESC}[31m${BEL}.yaml`;
  // YAML double-quoted escapes: the file itself is plain text, the parsed values hold the controls.
  const yamlQuoted = (s: string): string => JSON.stringify(s).replace(/\\u001b/g, '\\e').replace(/\\u0007/g, '\\a').replace(/\u009b/g, '\\x9b');
  writeFileSync(join(dir, manifestName), [
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  name: default',
    `  namespace: ${yamlQuoted(namespace)}`,
    '  annotations:',
    `    eks.amazonaws.com/role-arn: ${yamlQuoted(roleArn)}`,
    '',
  ].join('\n'));
  // A broken file whose name carries an OSC title sequence: its note names the file.
  writeFileSync(join(dir, `bad${ESC}]0;owned${BEL}.yaml`), 'a: [\n');

  it('the table, stderr notes and the markdown summary carry no control character', () => {
    const table = runCli(['scan', dir, '--root', dir, '--fail-on', 'none']);
    expect(table.stdout).toContain('default');
    expect(table.stdout).toMatch(/bad.*\.yaml/);
    expect(controlsIn(table.stdout)).toEqual([]);
    expect(controlsIn(table.stderr)).toEqual([]);

    const markdown = runCli(['scan', dir, '--root', dir, '--fail-on', 'none', '--format', 'markdown']);
    expect(markdown.stdout).toContain('k8s-identity-on-default-sa');
    expect(controlsIn(markdown.stdout)).toEqual([]);
    // Notes go to stderr with every format but the table.
    expect(markdown.stderr).toMatch(/bad.*\.yaml:2: error:/);
    expect(controlsIn(markdown.stderr)).toEqual([]);

    const html = runCli(['scan', dir, '--root', dir, '--fail-on', 'none', '--format', 'html']);
    expect(controlsIn(html.stdout)).toEqual([]);
  });

  it('JSON and SARIF keep the values as data, escaped', () => {
    const json = runCli(['scan', dir, '--root', dir, '--fail-on', 'none', '--format', 'json']);
    expect(controlsIn(json.stdout)).toEqual([]);
    const report = JSON.parse(json.stdout) as { findings: { ruleId: string; resource: { name: string }; location: { file: string } }[] };
    const finding = report.findings.find((f) => f.ruleId === 'k8s-identity-on-default-sa')!;
    expect(finding.resource.name).toBe(`${namespace}/default`);
    expect(finding.location.file).toBe(manifestName);

    const sarif = runCli(['scan', dir, '--root', dir, '--fail-on', 'none', '--format', 'sarif']);
    expect(controlsIn(sarif.stdout)).toEqual([]);
    const log = JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const result = log.runs[0]!.results.find((r) => r.ruleId === 'k8s-identity-on-default-sa')!;
    // A URI: the escape bytes are percent-encoded, never raw.
    expect(result.locations[0]!.physicalLocation.artifactLocation.uri).toBe(encodeURI(manifestName));
    expect(CONTROL.test(result.locations[0]!.physicalLocation.artifactLocation.uri)).toBe(false);
  });
});

interface SarifLog {
  runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string; properties?: { outsideRoot?: boolean } } } }[]; relatedLocations?: { physicalLocation?: { artifactLocation: { uri: string } } }[] }[] }[];
}

function uris(log: SarifLog): string[] {
  return log.runs.flatMap((r) => r.results.flatMap((x) => [...x.locations, ...(x.relatedLocations ?? [])].map((l) => l.physicalLocation?.artifactLocation.uri ?? '')));
}

const SA_WITH_ROLE = (namespace: string): string =>
  `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: ${namespace}\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/${namespace}\n`;

describe('paths that try to leave --root', () => {
  const base = tempDir('podtrust-traversal-');
  const outside = join(base, 'outside');
  const repo = join(base, 'repo');
  mkdirSync(outside);
  mkdirSync(join(repo, 'infra'), { recursive: true });
  mkdirSync(join(repo, 'k8s', '...'), { recursive: true });
  writeFileSync(join(outside, 'sa.yaml'), SA_WITH_ROLE('stolen'));
  writeFileSync(join(outside, 'main.tf'), [
    'resource "aws_iam_role" "outside" {',
    '  name = "outside-role"',
    '  assume_role_policy = jsonencode({',
    '    Version = "2012-10-17"',
    '    Statement = [{ Effect = "Allow", Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC" }, Action = "sts:AssumeRoleWithWebIdentity", Condition = { StringLike = { "oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub" = "*" } } }]',
    '  })',
    '}',
    '',
  ].join('\n'));
  symlinkSync(join(outside, 'sa.yaml'), join(repo, 'k8s', 'linked.yaml'));
  symlinkSync(outside, join(repo, 'k8s', 'linked-dir'));
  writeFileSync(join(repo, 'infra', 'main.tf'), 'module "escape" {\n  source = "../../outside"\n}\n');
  // Names made of dots are ordinary names, not parent references.
  writeFileSync(join(repo, 'k8s', '...', '..web..yaml'), SA_WITH_ROLE('web'));

  it('symlinks out of the scanned folder are not followed; nothing points outside --root', () => {
    const r = runCli(['scan', repo, '--root', repo, '--format', 'sarif', '--fail-on', 'none']);
    expect(r.stdout).not.toContain('stolen');
    // A file refused is an error (the scan is partial); a folder not followed, a warning.
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/k8s\/linked\.yaml:1: error: symbolic link leads outside the scanned folders \(--root and the paths given\); not read/);
    expect(r.stderr).toMatch(/k8s\/linked-dir: warning: symbolic link leads outside the scanned folders \(--root and the paths given\); not followed/);
    const log = JSON.parse(r.stdout) as SarifLog;
    const all = uris(log);
    expect(all).toContain('k8s/.../..web..yaml');
    for (const uri of all) {
      expect(uri).not.toMatch(/^(\.\.(\/|$)|\/)/);
      expect(uri).not.toMatch(/(^|\/)\.\.(\/|$)/);
    }
    // The module called with ../../outside is not read at all: the call is named in a note instead.
    expect(r.stdout).not.toContain('outside-role');
    expect(r.stderr).toMatch(/infra\/main\.tf:1: warning: module "escape" \(\.\.\/\.\.\/outside\) is not analysed: its folder is outside the scan root/);
  });

  it('a file named with dots is reported at its own name', () => {
    const r = runCli(['scan', join(repo, 'k8s'), '--root', repo, '--format', 'json', '--fail-on', 'none']);
    const report = JSON.parse(r.stdout) as { findings: { resource: { name: string }; location: { file: string } }[] };
    expect(report.findings.map((f) => `${f.resource.name} ${f.location.file}`)).toEqual(['web/default k8s/.../..web..yaml']);
  });
});

describe('a pathological wildcard in a trust policy', () => {
  it('a 5,000-character *a*a*a… subject condition is scanned end to end', () => {
    const dir = tempDir('podtrust-wildcard-');
    const issuer = 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
    const role = {
      Role: {
        Path: '/',
        RoleName: 'pathological',
        Arn: 'arn:aws:iam::111122223333:role/pathological',
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${issuer}` },
              Action: 'sts:AssumeRoleWithWebIdentity',
              Condition: { StringLike: { [`${issuer}:sub`]: '*a'.repeat(2500) }, StringEquals: { [`${issuer}:aud`]: 'sts.amazonaws.com' } },
            },
          ],
        },
      },
    };
    writeFileSync(join(dir, 'role.json'), JSON.stringify(role, null, 2));
    writeFileSync(join(dir, 'sa.yaml'), `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${'a'.repeat(200)}\n  namespace: ${'a'.repeat(60)}\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/pathological\n`);
    const r = runCli(['scan', dir, '--root', dir, '--format', 'json', '--fail-on', 'none']);
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { summary: { resources: number }; findings: { ruleId: string; resource: { name: string } }[]; notes: { level: string }[] };
    expect(report.summary.resources).toBe(2);
    expect(report.notes.filter((n) => n.level === 'error')).toEqual([]);
    expect(report.findings.map((f) => f.ruleId)).toContain('aws-trust-sub-wildcard');
  });
});

describe('regular expressions from scanned Terraform', () => {
  it('runs only patterns that cannot backtrack catastrophically', async () => {
    const { isSafeRegex } = await import('../../src/collectors/terraform/functions.js');
    for (const safe of ['^(.*provider/)', '^arn:aws:iam::[0-9]{12}:', '[a-z0-9-]+', '^https://']) expect(isSafeRegex(safe), safe).toBe(true);
    for (const unsafe of ['^(a+)+$', '(a|aa)+', '(.*a){3,}', '(x*)*y', '(a)\\1', '(?=a)b', 'a*b*c*d*', '^' + 'a{0,40}'.repeat(12) + '$', '^' + '(a|a)?'.repeat(30) + '$', '(a|a)(a|a)(a|a)']) expect(isSafeRegex(unsafe), unsafe).toBe(false);
  });

  it('a hostile pattern in replace() or regex() leaves the value unknown instead of hanging', async () => {
    const { collectTerraform } = await import('../../src/collectors/terraform/index.js');
    const text = [
      'resource "aws_iam_role" "r" {',
      '  name = replace("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", "/^(a+)+$/", "b")',
      '  description = regex("^(a|aa)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")',
      '  assume_role_policy = jsonencode({ Statement = [] })',
      '}',
    ].join('\n');
    const result = await collectTerraform([{ path: '/hostile/main.tf', text }], { root: '/hostile', limits: { maxNodes: 1000, maxDepth: 64 } });
    const role = result.resources.find((r) => r.type === 'aws.iam.Role')!;
    expect((role.body as { RoleName: unknown }).RoleName).toMatchObject({ $unknown: expect.any(String) });
  });
});
