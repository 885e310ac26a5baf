// A hostile repository, as a pull request could write it: injected names, links out of the
// repository, device files, a FIFO, pathological patterns, merge-key and nesting bombs, planted
// secrets — beside ordinary files whose findings must all still be reported. Used by the
// end-to-end hardening test and by `npm run bench -- hostile` (time and memory bounds).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Text that must never appear in any output: it lives outside the repository. */
export const OUTSIDE_MARKER = 'outside-marker-6f1c2a';
/** A planted AWS secret access key (40 characters, invented). */
export const PLANTED_SECRET = 'Qm9ndXNTZWNyZXRLZXlGb3JUZXN0aW5nMDEyMzQ1';

const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789';

/** An IAM role (as `aws iam get-role` prints it) trusting the EKS issuer with `StringLike` on the given claims. */
function irsaRole(name, claims) {
  const condition = Object.fromEntries(Object.entries(claims).map(([claim, value]) => [`${ISSUER}:${claim}`, value]));
  return JSON.stringify({
    Role: {
      RoleName: name,
      Arn: `arn:aws:iam::111122223333:role/${name}`,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${ISSUER}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: condition } }],
      },
    },
  }, null, 2);
}

/** Writes the repository to `dir/repo` (and what it links to beside it); returns the paths. */
export function generateHostile(dir) {
  rmSync(dir, { recursive: true, force: true });
  const repo = join(dir, 'repo');
  const outside = join(dir, 'outside');
  mkdirSync(repo, { recursive: true });
  mkdirSync(outside, { recursive: true });
  const write = (rel, text) => {
    mkdirSync(join(repo, rel, '..'), { recursive: true });
    writeFileSync(join(repo, rel), text);
  };

  // Ordinary files with known findings: every one must still be reported.
  write('good/irsa-role.json', irsaRole('payments', { sub: 'system:serviceaccount:*' }));
  write('good/default-sa.yaml', [
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  name: default',
    '  namespace: shop',
    '  annotations:',
    '    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/shop',
    '',
  ].join('\n'));

  // Workflow commands in names and values.
  write('names/ ::error title=forged::x.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: "ns##[error]forged"\n  annotations:\n    eks.amazonaws.com/role-arn: "arn:aws:iam::111122223333:role/x ::stop-commands::tok"\n');
  write('names/line\n::error::break.yaml', 'a: [\n');

  // Links out of the repository, devices, a FIFO.
  writeFileSync(join(outside, 'evil.tf'), `resource "aws_iam_role" "${OUTSIDE_MARKER}" {\n  name = "${OUTSIDE_MARKER}"\n  assume_role_policy = "{}"\n}\n`);
  writeFileSync(join(outside, 'config.yaml'), `${OUTSIDE_MARKER}: true\n`);
  mkdirSync(join(repo, 'stack', '.terraform', 'modules', 'm'), { recursive: true });
  write('stack/main.tf', 'module "m" {\n  source = "./mod"\n}\n');
  write('stack/.terraform/modules/modules.json', JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, { Key: 'm', Source: './mod', Dir: '.terraform/modules/m' }] }));
  symlinkSync(join(outside, 'evil.tf'), join(repo, 'stack', '.terraform', 'modules', 'm', 'evil.tf'));
  symlinkSync('/dev/zero', join(repo, 'stack', '.terraform', 'modules', 'm', 'zero.tf'));
  symlinkSync(join(outside, 'config.yaml'), join(repo, '.podtrust.yaml'));
  symlinkSync('/dev/zero', join(repo, 'zero.yaml'));
  symlinkSync('/dev/stdin', join(repo, 'stdin.json'));
  symlinkSync(outside, join(repo, 'outside-folder'));
  try {
    execFileSync('mkfifo', [join(repo, 'fifo.yaml')]);
  } catch {
    // no mkfifo here: the other hostile files still stand
  }

  // Unbounded work.
  const stars = '*'.repeat(100);
  const patterns = Array.from({ length: 50 }, (_, i) => `${stars}${i}${stars}`);
  write('bombs/stringlike.json', irsaRole('stars', { sub: patterns, aud: patterns }));
  const merges = ['a0: &a0 {x: 1, y: 2}'];
  for (let i = 1; i <= 40; i++) merges.push(`a${i}: &a${i} {<<: [*a${i - 1}, *a${i - 1}], k${i}: ${i}}`);
  write('bombs/merge.yaml', merges.join('\n') + '\n');
  write('bombs/arrays.json', '['.repeat(200_000) + ']'.repeat(200_000));
  write('bombs/objects.json', '{"a":'.repeat(4_000) + '1' + '}'.repeat(4_000));
  // Used by a role, so it is evaluated (a local nothing reads is never evaluated).
  write('bombs/for/main.tf', 'locals {\n  x = [for a in range(1024) : [for b in range(1024) : [for c in range(1024) : "${a}-${b}-${c}"]]]\n}\nresource "aws_iam_role" "r" {\n  name = "r"\n  assume_role_policy = jsonencode(local.x)\n}\n');
  write('bombs/deep.yaml', 'a: ' + '['.repeat(50_000) + ']'.repeat(50_000) + '\n');

  // A secret where only Secrets used to be searched.
  write('secrets/custom.yaml', [
    'apiVersion: example.com/v1',
    'kind: Backup',
    'metadata:',
    '  name: nightly',
    '  namespace: ops',
    'spec:',
    '  aws:',
    '    accessKeyId: AKIAZZZZZZZZZZZZZZZZ',
    `    secretAccessKey: ${PLANTED_SECRET}`,
    '',
  ].join('\n'));
  return { repo, outside };
}
