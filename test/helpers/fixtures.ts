import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse } from 'yaml';
import type { Finding } from '../../src/model/types.js';

export const REPO = join(import.meta.dirname, '..', '..');
export const RULE_FIXTURES = join(REPO, 'fixtures', 'rules');

export interface ExpectedFinding {
  file: string;
  line: number;
  resource: string;
  severity?: string;
  suppressed?: boolean;
  message?: string;
}

export interface FixtureCase {
  ruleId: string;
  name: string;
  dir: string;
  kind: 'pass' | 'fail';
  expected: ExpectedFinding[];
}

export function listFixtureCases(): FixtureCase[] {
  const cases: FixtureCase[] = [];
  if (!existsSync(RULE_FIXTURES)) return cases;
  for (const ruleId of readdirSync(RULE_FIXTURES).sort()) {
    const ruleDir = join(RULE_FIXTURES, ruleId);
    if (!statSync(ruleDir).isDirectory()) continue;
    for (const name of readdirSync(ruleDir).sort()) {
      const dir = join(ruleDir, name);
      if (!statSync(dir).isDirectory()) continue;
      const kind = name.startsWith('fail-') ? 'fail' : name.startsWith('pass-') ? 'pass' : undefined;
      if (!kind) throw new Error(`fixture folder ${relative(REPO, dir)} must start with pass- or fail-`);
      const expectFile = join(dir, 'expect.yaml');
      const expected = existsSync(expectFile) ? ((parse(readFileSync(expectFile, 'utf8')) as { findings?: ExpectedFinding[] } | null)?.findings ?? []) : [];
      cases.push({ ruleId, name, dir, kind, expected });
    }
  }
  return cases;
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
  return out;
}
