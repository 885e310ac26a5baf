import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import type { Finding } from '../../src/model/types.js';
import casesSchema from './rule-cases.schema.json' with { type: 'json' };

export const REPO = join(import.meta.dirname, '..', '..');
export const RULE_FIXTURES = join(REPO, 'fixtures', 'rules');
/** The one-file cases of a rule, beside its case folders. */
export const CASES_FILE = 'cases.yaml';

export interface ExpectedFinding {
  file: string;
  line: number;
  resource: string;
  severity?: string;
  suppressed?: boolean;
  message?: string;
  /** Which of the rule's `meta.messages` the finding uses. */
  messageId?: string;
}

/** A value the rule could not decide, named in the coverage notes (`undecided` in expect.yaml). */
export interface ExpectedUndecided {
  file: string;
  line: number;
}

export interface FixtureCase {
  ruleId: string;
  name: string;
  kind: 'pass' | 'fail';
  expected: ExpectedFinding[];
  /** When listed, exactly the places where the rule reported an undecided value. */
  undecided?: ExpectedUndecided[];
  /** Where the case is written, relative to the repository: its folder, or `cases.yaml#name`. */
  source: string;
  /** A folder case: the folder with the inputs. */
  dir?: string;
  /** A case of cases.yaml: the one file of its folder. */
  file?: { name: string; content: string };
  /** A placeholder left by `npm run new-rule`: what is still to be written. */
  todo?: string;
}

interface InlineCase {
  name: string;
  file: string;
  content: string;
  expect?: (Omit<ExpectedFinding, 'file'> & { file?: string })[];
  undecided?: (Omit<ExpectedUndecided, 'file'> & { file?: string })[];
  todo?: string;
}

let validateCases: ReturnType<Ajv['compile']> | undefined;

function kindOf(name: string): 'pass' | 'fail' | undefined {
  return name.startsWith('fail-') ? 'fail' : name.startsWith('pass-') ? 'pass' : undefined;
}

function inlineCases(ruleId: string, path: string, root: string): FixtureCase[] {
  const rel = relative(root, path).split(sep).join('/');
  const list = parse(readFileSync(path, 'utf8')) as unknown;
  validateCases ??= new Ajv({ allErrors: true }).compile(casesSchema);
  if (!validateCases(list)) {
    const problems = (validateCases.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
    throw new Error(`${rel}: ${problems}`);
  }
  return (list as InlineCase[]).map((c) => ({
    ruleId,
    name: c.name,
    kind: kindOf(c.name)!,
    expected: (c.expect ?? []).map((e) => ({ ...e, file: e.file ?? c.file })),
    ...(c.undecided ? { undecided: c.undecided.map((u) => ({ ...u, file: u.file ?? c.file })) } : {}),
    source: `${rel}#${c.name}`,
    file: { name: c.file, content: c.content },
    ...(c.todo !== undefined ? { todo: c.todo } : {}),
  }));
}

/**
 * Every case under `<root>/fixtures/rules/<rule-id>/`: the `fail-*` and `pass-*` folders and the
 * entries of `cases.yaml`. Anything else there, or two cases of one name, is an error.
 */
export function listFixtureCases(root = REPO): FixtureCase[] {
  const fixtures = join(root, 'fixtures', 'rules');
  const cases: FixtureCase[] = [];
  if (!existsSync(fixtures)) return cases;
  for (const ruleId of readdirSync(fixtures).sort()) {
    const ruleDir = join(fixtures, ruleId);
    if (!statSync(ruleDir).isDirectory()) continue;
    const ofRule: FixtureCase[] = [];
    for (const name of readdirSync(ruleDir).sort()) {
      const path = join(ruleDir, name);
      const rel = relative(root, path).split(sep).join('/');
      if (!statSync(path).isDirectory()) {
        if (name !== CASES_FILE) throw new Error(`${rel}: a rule's fixtures are pass-/fail- folders and ${CASES_FILE}`);
        ofRule.push(...inlineCases(ruleId, path, root));
        continue;
      }
      const kind = kindOf(name);
      if (!kind) throw new Error(`fixture folder ${rel} must start with pass- or fail-`);
      const expectFile = join(path, 'expect.yaml');
      const written = existsSync(expectFile) ? (parse(readFileSync(expectFile, 'utf8')) as { findings?: ExpectedFinding[]; undecided?: ExpectedUndecided[] } | null) : null;
      const expected = written?.findings ?? [];
      ofRule.push({ ruleId, name, kind, expected, ...(written?.undecided ? { undecided: written.undecided } : {}), source: rel, dir: path });
    }
    const names = ofRule.map((c) => c.name);
    const twice = names.filter((n, i) => names.indexOf(n) !== i);
    if (twice.length > 0) throw new Error(`fixtures/rules/${ruleId}: more than one case named ${twice.join(', ')}`);
    cases.push(...ofRule);
  }
  return cases;
}

/**
 * The folder a case is scanned in: a folder case's own, or a new temporary folder holding the
 * one file of a cases.yaml case exactly as written there. `done` removes what was created.
 */
export function caseFolder(c: FixtureCase): { dir: string; done: () => void } {
  if (c.dir) return { dir: c.dir, done: () => {} };
  const dir = mkdtempSync(join(tmpdir(), `podtrust-case-${c.ruleId}-`));
  const path = join(dir, c.file!.name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, c.file!.content);
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The comparable shape of a finding, relative to the case folder. */
export function actualOf(f: Finding, dir: string): ExpectedFinding {
  const out: ExpectedFinding = {
    file: relative(dir, f.location.file).split(sep).join('/'),
    line: f.location.position?.line ?? 0,
    resource: f.resource.name,
    severity: f.severity,
  };
  if (f.suppression) out.suppressed = true;
  if (f.messageId !== undefined) out.messageId = f.messageId;
  return out;
}
