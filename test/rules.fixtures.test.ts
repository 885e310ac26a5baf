/**
 * The one generic rule test: every fixture case under fixtures/rules/<rule-id>/ (a case folder,
 * or an entry of cases.yaml scanned as a folder holding its one file) runs through the real
 * scan(), and the rule's findings must equal its expectations exactly (file, line, resource,
 * severity, and for a rule that declares `meta.messages` the message id). Pass cases expect none,
 * and must hold at least one resource of a type the rule reads (a pass case the rule never looks at
 * proves nothing).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { auditInventory, collectInventory } from '../src/scan.js';
import type { Inventory, Resource, ResourceType } from '../src/model/types.js';
import { Model } from '../src/model/model.js';
import { allRules } from '../src/engine/rules.js';
import { runRules } from '../src/engine/engine.js';
import { emptyConfig, loadConfig } from '../src/engine/config.js';
import { actualOf, caseFolder, listFixtureCases, type ExpectedFinding, type FixtureCase } from './helpers/fixtures.js';

const cases = listFixtureCases();

/** A model that counts the resources a rule is handed, through any lookup (its own or the model's views). */
class ReadingModel extends Model {
  read = 0;
  override get resources(): readonly Resource[] {
    const all = super.resources;
    this.read += all.length;
    return all;
  }
  override ofType(type: ResourceType): readonly Resource[] {
    const list = super.ofType(type);
    this.read += list.length;
    return list;
  }
  override ofTypePrefix(prefix: string): Resource[] {
    const list = super.ofTypePrefix(prefix);
    this.read += list.length;
    return list;
  }
}

function normalize(list: ExpectedFinding[], withMessageId: boolean): ExpectedFinding[] {
  return list
    .map((e) => {
      const out: ExpectedFinding = { file: e.file, line: e.line, resource: e.resource, severity: e.severity };
      if (e.suppressed) out.suppressed = true;
      if (withMessageId) out.messageId = e.messageId;
      return out;
    })
    .sort((a, b) => (a.file + a.line + a.resource < b.file + b.line + b.resource ? -1 : 1));
}

describe('rule fixtures', () => {
  it('every rule has at least one fail and one pass case (folders and cases.yaml alike), and every fixture folder names a rule', () => {
    const ids = new Set(allRules().map((r) => r.meta.id));
    const byRule = new Map<string, Set<string>>();
    for (const c of cases) {
      expect(ids.has(c.ruleId), `fixtures/rules/${c.ruleId} matches no rule`).toBe(true);
      (byRule.get(c.ruleId) ?? byRule.set(c.ruleId, new Set()).get(c.ruleId)!).add(c.kind);
    }
    for (const id of ids) {
      expect(byRule.get(id)?.has('fail'), `${id} has no fail- fixture`).toBe(true);
      expect(byRule.get(id)?.has('pass'), `${id} has no pass- fixture`).toBe(true);
    }
  });

  it('every message a rule declares is a fixture\'s, and every expectation of such a rule names its message', () => {
    const unexpected: string[] = [];
    for (const { meta } of allRules()) {
      if (!meta.messages) continue;
      const ofRule = cases.filter((c) => c.ruleId === meta.id);
      const named = new Set(ofRule.flatMap((c) => c.expected.map((e) => e.messageId)));
      for (const id of Object.keys(meta.messages)) if (!named.has(id)) unexpected.push(`${meta.id}: ${id}`);
      for (const c of ofRule) {
        for (const e of c.expected) {
          expect(e.messageId, `${c.source}: the finding at line ${e.line} names no messageId (one of ${Object.keys(meta.messages).join(', ')})`).toBeDefined();
          expect(Object.keys(meta.messages), `${c.source}: line ${e.line}`).toContain(e.messageId);
        }
      }
    }
    expect(unexpected, 'messages no fixture expects').toEqual([]);
  });

  it('every rule\'s metadata is written (no TODO left by npm run new-rule)', () => {
    for (const { meta } of allRules()) {
      expect(meta.messages, `${meta.id} declares no meta.messages`).toBeDefined();
      const text = JSON.stringify([meta.title, meta.description, meta.remediation, meta.examples ?? {}, meta.messages ?? {}]);
      expect(text, `${meta.id}: its metadata still holds a TODO of npm run new-rule`).not.toMatch(/\bTODO\b/);
    }
  });

  it.each(cases.map((c) => [`${c.ruleId}/${c.name}`, c] as const))('%s', async (_name, c) => {
    expect(c.todo, `${c.source} is still a placeholder: write the case and remove its todo`).toBeUndefined();
    const { dir, done } = caseFolder(c);
    try {
      await expectCase(c, dir);
    } finally {
      done();
    }
  });
});

async function expectCase(c: FixtureCase, dir: string): Promise<void> {
  const config = existsSync(join(dir, '.podtrust.yaml')) ? loadConfig(dir) : undefined;
  // A saved inventory (a live cluster snapshot) in the case folder is audited with it, as `--inventory` would.
  const inventoryFile = join(dir, 'inventory.json');
  const inventories = existsSync(inventoryFile) ? [JSON.parse(readFileSync(inventoryFile, 'utf8')) as Inventory] : undefined;
  const options = { paths: [dir], root: dir, ...(config ? { config } : {}), ...(inventories ? { inventories } : {}), now: new Date('2026-11-01T00:00:00Z') };
  const inventory = await collectInventory(options);
  const result = auditInventory(inventory, options);
  const errors = result.notes.filter((n) => n.level === 'error' && n.kind !== 'rule-error');
  const ruleErrors = result.notes.filter((n) => n.kind === 'rule-error');
  expect(ruleErrors).toEqual([]);
  if (!c.name.includes('invalid')) expect(errors).toEqual([]);
  const withMessageId = allRules().find((r) => r.meta.id === c.ruleId)?.meta.messages !== undefined;
  const findings = result.findings.filter((f) => f.ruleId === c.ruleId);
  for (const f of findings) expect(f.message, 'a message shows an unresolved value as its expression').not.toContain('"$unknown"');
  const actual = normalize(findings.map((f) => actualOf(f, dir)), withMessageId);
  if (c.undecided) {
    const undecided = result.notes
      .filter((n) => n.kind === 'unresolved' && n.message.endsWith(`; ${c.ruleId} did not decide it`))
      .map((n) => ({ file: relative(dir, n.file ?? '').split(sep).join('/'), line: n.line ?? 0 }));
    expect(undecided, `${c.source}: the values the rule left undecided`).toEqual(c.undecided);
  }
  // An expectation may also spell the message out, where the wording itself is the point.
  for (const e of c.expected.filter((x) => x.message !== undefined)) {
    const f = findings.find((x) => actualOf(x, dir).file === e.file && x.location.position?.line === e.line && x.resource.name === e.resource);
    expect(f?.message, `${c.source}: the message at line ${e.line}`).toBe(e.message);
  }
  if (c.kind === 'pass') {
    expect(actual).toEqual([]);
    const reading = new ReadingModel(inventory);
    runRules(reading, allRules().filter((r) => r.meta.id === c.ruleId), config ?? emptyConfig(), dir, options.now);
    expect(reading.read, `${c.source}: holds no resource of a type ${c.ruleId} reads`).toBeGreaterThan(0);
  }
  else expect(c.expected.length, `a fail- case lists its findings (${c.source})`).toBeGreaterThan(0);
  expect(actual).toEqual(normalize(c.expected, withMessageId));
}
