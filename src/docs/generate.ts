/**
 * Every file generated from the sources, for `npm run gen` (scripts/gen.mjs) and the test that
 * fails when one drifts: the rule index, docs/rules/<id>.md and the README's rule list.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../engine/rules.js';
import { readmeWithRules, ruleDoc } from './catalog.js';
import { INDEX_PATH, renderRuleIndex } from '../../scripts/rule-index.mjs';

/** The folder of the rule pages: it holds nothing but generated files. */
export const RULE_DOCS_DIR = join('docs', 'rules');

/** Path relative to the repository → content, of every generated file. */
export function generatedFiles(repo: string): Map<string, string> {
  const rules = allRules().map((r) => r.meta);
  const files = new Map<string, string>();
  files.set(INDEX_PATH, renderRuleIndex(repo));
  for (const r of rules) files.set(join(RULE_DOCS_DIR, `${r.id}.md`), ruleDoc(r));
  files.set('README.md', readmeWithRules(readFileSync(join(repo, 'README.md'), 'utf8'), rules));
  return files;
}

/** Writes the generated files that differ and removes pages of rules that no longer exist; returns what changed. */
export function writeGeneratedFiles(repo: string): string[] {
  const files = generatedFiles(repo);
  const changed: string[] = [];
  mkdirSync(join(repo, RULE_DOCS_DIR), { recursive: true });
  for (const name of readdirSync(join(repo, RULE_DOCS_DIR))) {
    const rel = join(RULE_DOCS_DIR, name);
    if (files.has(rel)) continue;
    rmSync(join(repo, rel));
    changed.push(rel);
  }
  for (const [rel, text] of files) {
    const path = join(repo, rel);
    if (existsSync(path) && readFileSync(path, 'utf8') === text) continue;
    writeFileSync(path, text);
    changed.push(rel);
  }
  return changed;
}
