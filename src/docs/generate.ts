/** Writes the generated documentation: docs/rules/<id>.md and the README's rule list. */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../engine/rules.js';
import { readmeWithRules, ruleDoc } from './catalog.js';

export function generatedDocs(repo: string): Map<string, string> {
  const rules = allRules().map((r) => r.meta);
  const files = new Map<string, string>();
  for (const r of rules) files.set(join('docs', 'rules', `${r.id}.md`), ruleDoc(r));
  files.set('README.md', readmeWithRules(readFileSync(join(repo, 'README.md'), 'utf8'), rules));
  return files;
}

export function writeGeneratedDocs(repo: string): void {
  const files = generatedDocs(repo);
  const dir = join(repo, 'docs', 'rules');
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) if (!files.has(join('docs', 'rules', name))) rmSync(join(dir, name));
  for (const [rel, text] of files) writeFileSync(join(repo, rel), text);
}

if (process.argv[1] && /generate\.(js|ts)$/.test(process.argv[1])) writeGeneratedDocs(process.cwd());
