/** Generated files must match what `npm run gen` produces from the current sources. */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { INDEX_PATH } from '../scripts/rule-index.mjs';
import { generatedFiles, RULE_DOCS_DIR } from '../src/docs/generate.js';
import { REPO } from './helpers/fixtures.js';
import { allRules, ruleIdOfFile } from '../src/engine/rules.js';

describe('generated files', () => {
  const files = generatedFiles(REPO);

  it('covers the rule index, a page per rule and the README', () => {
    expect([...files.keys()].sort()).toEqual([INDEX_PATH, 'README.md', ...allRules().map((r) => join(RULE_DOCS_DIR, `${r.meta.id}.md`))].sort());
  });

  it.each([...files.keys()])('%s is up to date (npm run gen)', (rel) => {
    expect(existsSync(join(REPO, rel)), `${rel} is missing: run npm run gen`).toBe(true);
    expect(readFileSync(join(REPO, rel), 'utf8'), `${rel} is stale: run npm run gen`).toBe(files.get(rel));
  });

  it('docs/rules holds nothing but the generated pages (npm run gen removes the others)', () => {
    const pages = readdirSync(join(REPO, RULE_DOCS_DIR)).map((name) => join(RULE_DOCS_DIR, name));
    expect(pages.filter((p) => !files.has(p))).toEqual([]);
  });

  it('every rule id equals its file name, and every file under rules/ is a TypeScript rule', () => {
    const entries = readdirSync(join(REPO, 'rules'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(entries.filter((e) => !e.name.endsWith('.ts')).map((e) => e.name)).toEqual([]);
    const ruleFiles = entries
      .filter((e) => !e.name.startsWith('_'))
      .map((e) => ruleIdOfFile(e.name))
      .sort();
    expect(ruleFiles).toEqual(allRules().map((r) => r.meta.id).sort());
  });
});
