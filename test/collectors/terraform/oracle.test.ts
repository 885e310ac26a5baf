/**
 * Differential test: the expressions of oracle/main.tf (format verbs, formatlist, nullable variables,
 * optional() defaults, for expressions, splats, `metadata[0].name`-like references, common functions)
 * evaluated by `terraform console` and by podtrust's evaluator must give the same values. Terraform is
 * the oracle; where it is not installed (or PODTRUST_TERRAFORM names a missing file) the test is skipped with a message saying so.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectTerraform } from '../../../src/collectors/terraform/index.js';

const ORACLE = join(import.meta.dirname, 'oracle');

function findTerraform(): string | undefined {
  // PODTRUST_TERRAFORM, when set, is the only place tried.
  const named = process.env.PODTRUST_TERRAFORM;
  const candidates = named ? [named] : [...(process.env.PATH ?? '').split(delimiter).map((d) => join(d, 'terraform')), '/usr/local/bin/terraform'];
  for (const c of candidates) {
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      // Not there: try the next place.
    }
  }
  return undefined;
}

/** The cases: every `r_<name> = <expression>` local of oracle/main.tf. */
function caseNames(): string[] {
  return [...readFileSync(join(ORACLE, 'main.tf'), 'utf8').matchAll(/^\s*r_(\w+)\s*=/gm)].map((m) => m[1]!);
}

/** One console run for the whole batch: `terraform console` prints only the value of its last line. */
function terraformResults(terraform: string, names: string[]): Record<string, unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'podtrust-oracle-'));
  try {
    cpSync(ORACLE, dir, { recursive: true });
    const env = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
    execFileSync(terraform, ['init', '-backend=false', '-input=false', '-no-color'], { cwd: dir, env, stdio: 'pipe', timeout: 120_000 });
    const all = `base64encode(jsonencode({ ${names.map((n) => `${n} = local.r_${n}`).join(', ')} }))\n`;
    const out = execFileSync(terraform, ['console', '-no-color'], { cwd: dir, env, input: all, stdio: 'pipe', timeout: 120_000 }).toString();
    return JSON.parse(Buffer.from(JSON.parse(out.trim()) as string, 'base64').toString('utf8')) as Record<string, unknown>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One role per case, named by the case's JSON: a case podtrust cannot evaluate leaves only its own role unnamed. */
async function podtrustResults(names: string[]): Promise<Record<string, unknown>> {
  const files = ['main.tf', 'module/main.tf'].map((f) => ({ path: join(ORACLE, f), text: readFileSync(join(ORACLE, f), 'utf8') }));
  const probe = names.map((n) => `resource "aws_iam_role" "r_${n}" {\n  name = jsonencode(local.r_${n})\n}\n`).join('');
  files.push({ path: join(ORACLE, 'probe.tf'), text: probe });
  const result = await collectTerraform(files, { root: ORACLE, limits: { maxNodes: 1_000_000, maxDepth: 256 } });
  const out: Record<string, unknown> = {};
  for (const r of result.resources) {
    const name = /^aws_iam_role\.r_(\w+)$/.exec(r.address ?? '')?.[1];
    if (name !== undefined) out[name] = r.name === r.address ? 'podtrust left this unknown' : (JSON.parse(r.name) as unknown);
  }
  return out;
}

describe('evaluation against terraform console', () => {
  const terraform = findTerraform();

  it('gives the values Terraform gives for every expression of the batch', async (ctx) => {
    if (!terraform) {
      ctx.skip('terraform is not installed (PATH, /usr/local/bin or PODTRUST_TERRAFORM): the differential test needs it as its oracle');
      return;
    }
    const names = caseNames();
    const expected = terraformResults(terraform, names);
    const actual = await podtrustResults(names);
    expect(Object.keys(expected).length).toBeGreaterThan(20);
    for (const key of Object.keys(expected)) expect.soft(actual[key], key).toEqual(expected[key]);
    expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  }, 240_000);
});
