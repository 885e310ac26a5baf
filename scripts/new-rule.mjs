// `npm run new-rule -- <rule-id>`: writes rules/<provider>/<rule-id>.ts from a template and
// fixtures/rules/<rule-id>/cases.yaml with a fail and a pass placeholder, then runs `npm run gen`.
// The placeholders fail the rule fixture test until they are written, and the `TODO:` texts of
// the metadata fail it too, so a half-written rule never passes.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Id prefix → provider folder, the resource type a skeleton reads, and the file of its cases. */
const PROVIDERS = {
  aws: { provider: 'aws', type: 'aws.iam.Role', file: 'main.tf' },
  azure: { provider: 'azure', type: 'azure.msi.FederatedIdentityCredential', file: 'main.tf' },
  gcp: { provider: 'gcp', type: 'gcp.iam.ServiceAccount', file: 'main.tf' },
  k8s: { provider: 'kubernetes', type: 'k8s.ServiceAccount', file: 'manifest.yaml' },
  iac: { provider: 'cross', type: 'aws.iam.Role', file: 'main.tf' },
};

function fail(message) {
  process.stderr.write(`new-rule: ${message}\n`);
  process.exit(1);
}


const args = process.argv.slice(2);
if (args.length !== 1 || args[0].startsWith('-')) fail('usage: npm run new-rule -- <rule-id>   (e.g. aws-trust-sub-wildcard)');
const id = args[0];
const prefix = id.split('-')[0];
if (!Object.hasOwn(PROVIDERS, prefix)) fail(`"${id}": a rule id starts with the provider: aws-, azure-, gcp-, k8s- (Kubernetes) or iac- (across clouds)`);
if (!/^[a-z0-9]+(?:-[a-z0-9]+)+$/.test(id)) fail(`"${id}": a rule id is lower-case words and digits joined by single hyphens, naming the problem (aws-trust-sub-wildcard)`);
const taken = readdirSync(join(repo, 'rules'), { recursive: true }).find((f) => basename(f).replace(/\.(ya?ml|ts)$/, '') === id);
if (taken) fail(`rule ${id} exists already: rules/${taken}`);
const fixtures = join(repo, 'fixtures', 'rules', id);
if (existsSync(fixtures)) fail(`${relative(repo, fixtures)} exists already`);

const { provider, type, file } = PROVIDERS[prefix];
const comment = file.endsWith('.tf') || file.endsWith('.yaml') ? '#' : '//';

const rule = `import type { CodeRule } from '../../src/engine/rule-api.js';

const rule: CodeRule = {
  meta: {
    id: '${id}',
    title: 'TODO: the problem in one line, as the rule list and SARIF show it',
    severity: 'medium',
    provider: '${provider}',
    tags: [],
    description: \`TODO: why it matters (Markdown): who can get which cloud credentials, and how.\`,
    remediation: 'TODO: how to fix it (Markdown).',
    references: [],
    messages: {
      problem: 'TODO: what a finding says, in one sentence: {{name}} stands for the report\\'s data.name.',
    },
    examples: {
      bad: \`TODO: a short input that is reported\`,
      good: \`TODO: the same input, fixed\`,
    },
  },
  check(ctx) {
    for (const resource of ctx.model.ofType('${type}')) {
      // TODO: find the problem in resource.body (the provider's API shape; see src/model/types.ts)
      // and report the JSON pointer of the value to change; the engine finds its file and line.
      const problem: boolean = false;
      if (problem) ctx.report({ resource, at: '/pointer/into/body', messageId: 'problem', data: { name: resource.name } });
    }
  },
};

export default rule;
`;

const cases = `# yaml-language-server: $schema=../../../test/helpers/rule-cases.schema.json
# One-file cases: each runs as a folder holding \`file\` with \`content\` (line 1 = its first line).
# Rename each case after its situation; a case needing several files is a fail-/pass- folder.

- name: fail-todo
  file: ${file}
  content: |
    ${comment} An input with the problem.
  todo: write an input the rule must report, list its findings under expect (line, resource, severity, messageId), and remove this todo
  expect: []

- name: pass-todo
  file: ${file}
  content: |
    ${comment} A close input without the problem.
  todo: write a close input the rule must not report, and remove this todo
`;

const ruleFile = join(repo, 'rules', provider, `${id}.ts`);
mkdirSync(dirname(ruleFile), { recursive: true });
writeFileSync(ruleFile, rule);
mkdirSync(fixtures, { recursive: true });
writeFileSync(join(fixtures, 'cases.yaml'), cases);
process.stdout.write(`wrote ${relative(repo, ruleFile)}\nwrote ${relative(repo, join(fixtures, 'cases.yaml'))}\n`);
execFileSync(process.execPath, [join(repo, 'scripts', 'gen.mjs')], { stdio: 'inherit' });
process.stdout.write(`
Next: write the metadata and check() of ${relative(repo, ruleFile)}, and the cases in
${relative(repo, join(fixtures, 'cases.yaml'))} (the rule's fixture test fails until every TODO and todo is gone):
  npx vitest run test/rules.fixtures.test.ts -t ${id}
then \`npm run gen\` again for its documentation.
`);
