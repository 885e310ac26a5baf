/**
 * Keys as long as a pull request can make them. V8 hashes a string longer than 16,383 characters
 * by its length alone, so many keys (or paths of keys) of one such length collide in its tables and
 * cost time growing with the square of their number. Such a document is refused with an error
 * naming the file and line; a key or path just within the bound is read as before.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { parseJson } from '../../src/util/structured.js';
import { parseYaml } from '../../src/util/yaml.js';

interface Report {
  findings: { ruleId: string; location: { file: string } }[];
  notes: { kind: string; level: string; file?: string; line?: number; message: string }[];
}

const LIMIT = 16_383;
const GOOD = ['apiVersion: v1', 'kind: ServiceAccount', 'metadata:', '  name: default', '  namespace: web', '  annotations:', '    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/web', ''].join('\n');

/** Many distinct keys of one length past V8's hashing bound: the shape that used to take minutes. */
function collidingKeysJson(count: number, length: number): string {
  const keys = Array.from({ length: count }, (_, i) => `"${'k'.repeat(length - 8)}${String(i).padStart(8, '0')}": ${i}`);
  return '{\n' + keys.join(',\n') + '\n}\n';
}

describe('keys and paths longer than V8 hashes', () => {
  it('reads a key whose path is exactly at the bound and refuses one a character longer', () => {
    const atBound = 'k'.repeat(LIMIT - 1);
    expect(parseJson(`{"${atBound}": 1}`).documents[0]!.value).toEqual({ [atBound]: 1 });
    expect(parseYaml(`${atBound}: 1\n`).documents[0]!.value).toEqual({ [atBound]: 1 });
    const json = parseJson(`{"a": 1,\n"${atBound}k": 1}`);
    expect(json.documents).toHaveLength(0);
    expect(json.errors[0]).toMatchObject({ line: 2 });
    expect(json.errors[0]!.message).toContain(`longer than ${LIMIT} characters`);
    const yaml = parseYaml(`a: 1\n${atBound}k: 1\n`);
    expect(yaml.errors[0]).toMatchObject({ line: 2 });
  });

  it('refuses a path of short keys that grows past the bound', () => {
    const key = 'k'.repeat(99);
    const lines = Array.from({ length: 200 }, (_, i) => ' '.repeat(i) + key + ':');
    const out = parseYaml(lines.join('\n') + ' 1\n');
    expect(out.errors[0]!.message).toContain(`longer than ${LIMIT} characters`);
    // The 164th key is the first whose path passes 16,383 characters (100 per level).
    expect(out.errors[0]).toMatchObject({ line: 164 });
  });

  describe('through the CLI', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-keys-'));
    writeFileSync(join(dir, 'good.yaml'), GOOD);
    writeFileSync(join(dir, 'keys.json'), collidingKeysJson(400, 20_000));
    writeFileSync(join(dir, 'keys.yaml'), 'apiVersion: v1\nkind: ConfigMap\ndata:\n  ' + 'x'.repeat(20_000) + ': v\n');
    const r = runCli(['scan', dir, '--root', dir, '--format', 'json', '--fail-on', 'none']);
    const report = JSON.parse(r.stdout) as Report;

    it('ends as a partial scan that still reports the good file', () => {
      expect(r.status).toBe(2);
      expect(report.findings.map((f) => `${f.ruleId} ${f.location.file}`)).toContain('k8s-identity-on-default-sa good.yaml');
    });

    it('names each refused file and the line of the long key', () => {
      const errors = report.notes.filter((n) => n.level === 'error' && /longer than 16383 characters/.test(n.message));
      expect(errors.map((n) => [n.file, n.line])).toEqual(expect.arrayContaining([['keys.json', 2], ['keys.yaml', 4]]));
    });
  });
});
