import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..', '..');
const schemaPath = path.join(repoRoot, 'test', 'vendor', 'sarif-schema-2.1.0.json');
const multitoolPath = path.join(repoRoot, 'node_modules', '@microsoft', 'sarif-multitool-linux', 'Sarif.Multitool');

const runFile = promisify(execFile);

type Validate = ((data: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
let compiled: Validate | undefined;

function schemaValidator(): Validate {
  if (compiled) return compiled;
  // A CommonJS module seen from ESM: the class is the default export or its `default` property.
  const Ajv = ((AjvDraft04 as unknown as { default?: unknown }).default ?? AjvDraft04) as typeof AjvDraft04.default;
  const ajv = new Ajv({ allErrors: true, strict: false });
  (addFormats as unknown as (a: unknown) => void)(ajv);
  compiled = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8'))) as Validate;
  return compiled;
}

function schemaErrors(log: unknown): string[] {
  const validate = schemaValidator();
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`);
}

function ensureExecutable(file: string): void {
  if ((statSync(file).mode & 0o111) !== 0o111) chmodSync(file, 0o755);
}

interface MultitoolResult {
  ruleId?: string;
  level?: string;
  message?: { text?: string; arguments?: string[] };
}

/** Microsoft's validator with the SARIF and GitHub rule sets; it exits 0 even when it finds errors. */
async function multitoolErrors(text: string): Promise<string[]> {
  ensureExecutable(multitoolPath);
  const dir = mkdtempSync(path.join(tmpdir(), 'podtrust-sarif-'));
  try {
    const input = path.join(dir, 'input.sarif');
    const output = path.join(dir, 'validation.sarif');
    writeFileSync(input, text);
    await runFile(multitoolPath, ['validate', input, '-o', output, '--rule-kind', 'Sarif;Gh'], {
      // Invariant globalization lets the bundled .NET runtime start on machines without libicu.
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 120_000,
    });
    const report = JSON.parse(readFileSync(output, 'utf8')) as { runs?: { results?: MultitoolResult[] }[] };
    return (report.runs?.[0]?.results ?? [])
      .filter((r) => r.level === 'error')
      .map((r) => `${r.ruleId ?? '?'}: ${r.message?.text ?? (r.message?.arguments ?? []).join(' | ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Validates SARIF text against the OASIS 2.1.0 schema and Microsoft's multitool (SARIF + GitHub rules). */
export async function validateSarif(text: string): Promise<{ schemaErrors: string[]; multitoolErrors: string[] }> {
  let log: unknown;
  try {
    log = JSON.parse(text);
  } catch (error) {
    return { schemaErrors: [`not JSON: ${(error as Error).message}`], multitoolErrors: [] };
  }
  return { schemaErrors: schemaErrors(log), multitoolErrors: await multitoolErrors(text) };
}
