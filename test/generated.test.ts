/** Generated files must match what the generators produce from the current sources. */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error plain JavaScript build script without type declarations
import { INDEX_PATH, renderRuleIndex } from '../scripts/rule-index.mjs';
import { generatedDocs } from '../src/docs/generate.js';
import { REPO } from './helpers/fixtures.js';
import { allRules, ruleIdOfFile } from '../src/engine/rules.js';

describe('generated files', () => {
  it('the rule index is up to date (npm run build)', () => {
    expect(readFileSync(join(REPO, INDEX_PATH as string), 'utf8')).toBe((renderRuleIndex as (r: string) => string)(REPO));
  });

  it('the rule docs and the README rule list are up to date (npm run gen)', () => {
    const files = generatedDocs(REPO);
    for (const [rel, text] of files) {
      expect(existsSync(join(REPO, rel)), `${rel} is missing: run npm run gen`).toBe(true);
      expect(readFileSync(join(REPO, rel), 'utf8'), `${rel} is stale: run npm run gen`).toBe(text);
    }
    const docs = readdirSync(join(REPO, 'docs', 'rules'));
    expect(docs.sort()).toEqual(allRules().map((r) => `${r.meta.id}.md`).sort());
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
