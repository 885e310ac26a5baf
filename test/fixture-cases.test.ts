/** How rule fixture cases are read: case folders and cases.yaml alike. */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { caseFolder, listFixtureCases } from './helpers/fixtures.js';
import { tempTree } from './helpers/temp-tree.js';

function repoWith(files: Record<string, string>): string {
  return tempTree('podtrust-fixture-cases-', files);
}

const CASES = `- name: fail-inline
  file: manifests/sa.yaml
  content: |
    apiVersion: v1
    kind: ServiceAccount
  expect:
    - { line: 2, resource: ns/sa, severity: high }
- name: pass-inline
  file: main.tf
  content: |-
    resource "x" "y" {}
`;

describe('rule fixture cases', () => {
  it('lists folder cases and cases.yaml entries together, each cases.yaml entry with its one file', () => {
    const root = repoWith({
      'fixtures/rules/k8s-x/fail-folder/sa.yaml': 'kind: ServiceAccount\n',
      'fixtures/rules/k8s-x/fail-folder/expect.yaml': 'findings:\n  - { file: sa.yaml, line: 1, resource: sa }\n',
      'fixtures/rules/k8s-x/cases.yaml': CASES,
    });
    const cases = listFixtureCases(root);
    expect(cases.map((c) => [c.name, c.kind, c.source])).toEqual([
      ['fail-inline', 'fail', 'fixtures/rules/k8s-x/cases.yaml#fail-inline'],
      ['pass-inline', 'pass', 'fixtures/rules/k8s-x/cases.yaml#pass-inline'],
      ['fail-folder', 'fail', 'fixtures/rules/k8s-x/fail-folder'],
    ]);
    // An expectation's file defaults to the case's file.
    expect(cases[0]!.expected).toEqual([{ file: 'manifests/sa.yaml', line: 2, resource: 'ns/sa', severity: 'high' }]);
    expect(cases[1]!.expected).toEqual([]);
    expect(cases[2]!.expected).toEqual([{ file: 'sa.yaml', line: 1, resource: 'sa' }]);
  });

  it('scans a cases.yaml entry in a new folder holding exactly its content, and removes the folder after', () => {
    const root = repoWith({ 'fixtures/rules/k8s-x/cases.yaml': CASES });
    const [inline, tf] = listFixtureCases(root);
    const { dir, done } = caseFolder(inline!);
    expect(readFileSync(join(dir, 'manifests', 'sa.yaml'), 'utf8')).toBe('apiVersion: v1\nkind: ServiceAccount\n');
    done();
    expect(existsSync(dir)).toBe(false);
    const second = caseFolder(tf!);
    expect(readFileSync(join(second.dir, 'main.tf'), 'utf8')).toBe('resource "x" "y" {}');
    second.done();
  });

  it('keeps the placeholder of a case still to be written', () => {
    const root = repoWith({ 'fixtures/rules/k8s-x/cases.yaml': '- name: fail-todo\n  file: a.yaml\n  content: ""\n  todo: write an input the rule reports\n' });
    expect(listFixtureCases(root)[0]!.todo).toBe('write an input the rule reports');
  });

  it('rejects a malformed cases.yaml, a stray file and two cases of one name, naming the file', () => {
    const bad = (files: Record<string, string>) => () => listFixtureCases(repoWith(files));
    expect(bad({ 'fixtures/rules/k8s-x/cases.yaml': '- name: fail-x\n  file: a.yaml\n' })).toThrow(/fixtures\/rules\/k8s-x\/cases\.yaml: \/0 must have required property 'content'/);
    expect(bad({ 'fixtures/rules/k8s-x/cases.yaml': '- name: broken-x\n  file: a.yaml\n  content: x\n' })).toThrow(/cases\.yaml: \/0\/name must match pattern/);
    expect(bad({ 'fixtures/rules/k8s-x/cases.yaml': '- name: fail-x\n  file: ../escape.yaml\n  content: x\n' })).toThrow(/cases\.yaml: \/0\/file must match pattern/);
    expect(bad({ 'fixtures/rules/k8s-x/cases.yaml': '- name: fail-x\n  file: a.yaml\n  content: x\n  expect: [{ line: 1 }]\n' })).toThrow(/\/0\/expect\/0 must have required property 'resource'/);
    expect(bad({ 'fixtures/rules/k8s-x/case.yaml': '[]\n' })).toThrow(/fixtures\/rules\/k8s-x\/case\.yaml: a rule's fixtures are pass-\/fail- folders and cases\.yaml/);
    expect(bad({ 'fixtures/rules/k8s-x/fail-x/a.yaml': 'a: 1\n', 'fixtures/rules/k8s-x/cases.yaml': '- name: fail-x\n  file: a.yaml\n  content: x\n' })).toThrow(/k8s-x: more than one case named fail-x/);
  });
});
