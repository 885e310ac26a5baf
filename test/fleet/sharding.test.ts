/** Sharding a fleet's live targets, saving each share's coverage, and naming what the union lacks. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { shardFrom } from '../../src/cli/shard-options.js';
import { fleetGapNotes, shareOf } from '../../src/fleet/coverage.js';
import { coveredTargets, planShard, recordShard, AWS_CREDENTIALS_TARGET } from '../../src/fleet/shard-plan.js';
import { inventoryFiles } from '../../src/fleet/inventory-files.js';
import { loadInventory, renderInventory } from '../../src/model/snapshot.js';
import type { FleetCoverage, Inventory } from '../../src/model/types.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'podtrust-fleet-'));
}

function inventoryOf(fleet?: FleetCoverage): Inventory {
  return { version: fleet ? 2 : 1, resources: [], clusters: [], notes: [], ...(fleet ? { fleet } : {}) };
}

describe('--shard and --shard-count', () => {
  it('reads INDEX/COUNT, or COUNT with the index of a Kubernetes Indexed Job', () => {
    expect(shardFrom({ shard: '2/3' })).toEqual({ index: 2, count: 3 });
    expect(shardFrom({ 'shard-count': '4' }, { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 3, count: 4 });
    expect(shardFrom({})).toBeUndefined();
  });

  it('refuses what names no shard, with the flag in the message', () => {
    expect(() => shardFrom({ shard: '3/3' })).toThrow(/shards are numbered 0 to 2/);
    expect(() => shardFrom({ shard: '1of3' })).toThrow(/--shard takes INDEX\/COUNT/);
    expect(() => shardFrom({ shard: '0/0' })).toThrow(/--shard takes a number of shards/);
    expect(() => shardFrom({ 'shard-count': '2' }, {})).toThrow(/JOB_COMPLETION_INDEX/);
    expect(() => shardFrom({ 'shard-count': '2' }, { JOB_COMPLETION_INDEX: '-1' })).toThrow(/must be a number/);
    expect(() => shardFrom({ shard: '0/2', 'shard-count': '2' })).toThrow(/exclude each other/);
  });
});

describe('shares of a fleet', () => {
  it('are disjoint, cover every target, differ in size by at most one, whatever order the targets are listed in', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 40 }), fc.integer({ min: 1, max: 9 }), (targets, count) => {
        const shares = Array.from({ length: count }, (_, index) => shareOf(targets, { index, count }));
        const reversed = Array.from({ length: count }, (_, index) => shareOf([...targets].reverse(), { index, count }));
        expect(reversed).toEqual(shares);
        const all = shares.flat();
        expect(new Set(all).size).toBe(all.length);
        expect(new Set(all)).toEqual(new Set(targets));
        const sizes = shares.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('narrow the live options to the share, and record every target and the share', async () => {
    const live = {
      kubernetes: { contexts: ['prod-eu', 'prod-us', 'dev'], allContexts: false },
      aws: { regions: ['eu-west-1'] },
      gcp: { projects: ['acme-prod', 'acme-dev'] },
      azure: { subscriptions: ['0000-sub'] },
    };
    const plans = await Promise.all([0, 1, 2].map((index) => planShard(live, { index, count: 3 })));
    const targets = ['aws:credentials', 'azure:0000-sub', 'gcp:acme-dev', 'gcp:acme-prod', 'k8s:dev', 'k8s:prod-eu', 'k8s:prod-us'];
    for (const p of plans) expect(p.fleet.targets).toEqual(targets);
    expect(plans.map((p) => p.fleet.covered)).toEqual([
      ['aws:credentials', 'gcp:acme-prod', 'k8s:prod-us'],
      ['azure:0000-sub', 'k8s:dev'],
      ['gcp:acme-dev', 'k8s:prod-eu'],
    ]);
    expect(plans[0]!.live).toEqual({ kubernetes: { contexts: ['prod-us'], allContexts: false }, aws: { regions: ['eu-west-1'] }, gcp: { projects: ['acme-prod'] } });
    expect(plans[1]!.live).toEqual({ kubernetes: { contexts: ['dev'], allContexts: false }, azure: { subscriptions: ['0000-sub'] } });
    expect(plans[2]!.live).toEqual({ kubernetes: { contexts: ['prod-eu'], allContexts: false }, gcp: { projects: ['acme-dev'] } });
    const empty = await planShard({ gcp: { projects: ['only'] } }, { index: 1, count: 2 });
    expect(empty.live).toBeUndefined();
    expect(empty.fleet.covered).toEqual([]);
  });

  it('record the notes of a share that holds only targets named and not read, without saying no target fell to it', () => {
    const suspended = { kind: 'skipped' as const, level: 'note' as const, message: 'aws account 200000000000: suspended in the organization; not read' };
    const inventory = { ...inventoryOf(), notes: [{ kind: 'nothing-analysed' as const, level: 'warning' as const, message: 'nothing was analysed' }] };
    const fleet: FleetCoverage = { shard: { index: 1, count: 2 }, targets: ['aws:100000000000', 'aws:200000000000'], covered: ['aws:200000000000'] };
    recordShard(inventory, { live: undefined, fleet, notes: [suspended] }, false);
    expect(inventory.notes).toEqual([suspended]);
    expect(inventory.fleet).toEqual(fleet);
  });

  it('count a context as read only when its cluster is in the inventory, an account or project only when the inventory holds or names it, and nothing else after a cancellation', () => {
    const others = ['aws:111111111111', 'aws:222222222222', 'aws:333333333333', 'gcp:acme-prod', 'gcp:acme-dev', 'gcp:folders/1004'];
    const fleet: FleetCoverage = { shard: { index: 0, count: 1 }, targets: ['k8s:a', 'k8s:b', AWS_CREDENTIALS_TARGET, ...others], covered: ['k8s:a', 'k8s:b', AWS_CREDENTIALS_TARGET, ...others] };
    const read = { clusters: new Set(['a']), named: new Set(['aws:111111111111', 'aws:333333333333', 'gcp:acme-dev']) };
    expect(coveredTargets(fleet, read, false)).toEqual(['k8s:a', AWS_CREDENTIALS_TARGET, 'aws:111111111111', 'aws:333333333333', 'gcp:acme-dev', 'gcp:folders/1004']);
    expect(coveredTargets(fleet, read, true)).toEqual(['k8s:a']);
  });

  it('find what an inventory read in the files of its resources and the notes that name a target', () => {
    const fleet: FleetCoverage = { shard: { index: 0, count: 1 }, targets: ['gcp:acme-prod', 'gcp:example.com:legacy', 'gcp:pay-old', 'gcp:silent'], covered: ['gcp:acme-prod', 'gcp:example.com:legacy', 'gcp:pay-old', 'gcp:silent'] };
    const binding = { id: 'gcp:projects/acme-prod:binding/roles/owner', type: 'gcp.iam.Binding', name: 'acme-prod roles/owner', file: 'gcp/acme-prod/iam/project-policy/roles_owner.json', body: {} };
    const inventory: Inventory = {
      ...inventoryOf(),
      resources: [binding as unknown as Inventory['resources'][number]],
      notes: [
        { kind: 'permission', level: 'warning', message: 'gcp project example.com:legacy: not allowed to read service accounts (HTTP 403): findings that need them are missing' },
        { kind: 'skipped', level: 'note', message: 'gcp project pay-old (in folders/1003): delete requested; not read' },
        { kind: 'skipped', level: 'error', message: 'gcp: cannot load the Google API clients: gcp project silent: is not named here' },
      ],
    };
    recordShard(inventory, { live: { gcp: { projects: ['acme-prod'] } }, fleet, notes: [] }, false);
    expect(inventory.fleet?.covered).toEqual(['gcp:acme-prod', 'gcp:example.com:legacy', 'gcp:pay-old']);
  });

  it('count the accounts of a shard whose credentials failed as not read, so that the union names them', () => {
    const fleet: FleetCoverage = { shard: { index: 1, count: 2 }, targets: ['aws:111111111111', 'aws:222222222222', 'aws:333333333333'], covered: ['aws:222222222222'] };
    const failed = { ...inventoryOf(), notes: [{ kind: 'skipped' as const, level: 'error' as const, message: 'aws: cannot authenticate (sts:GetCallerIdentity): ExpiredToken' }] };
    recordShard(failed, { live: { aws: { regions: [], accounts: ['222222222222'] } }, fleet, notes: [] }, false);
    expect(failed.fleet?.covered).toEqual([]);
    const refused = { ...inventoryOf(), notes: [{ kind: 'skipped' as const, level: 'error' as const, message: 'aws account 222222222222: cannot assume arn:aws:iam::222222222222:role/r (sts:AssumeRole): AccessDenied; not read' }] };
    recordShard(refused, { live: { aws: { regions: [], accounts: ['222222222222'] } }, fleet, notes: [] }, false);
    expect(refused.fleet?.covered).toEqual(['aws:222222222222']);
    expect(fleetGapNotes([failed, inventoryOf({ ...fleet, shard: { index: 0, count: 2 }, covered: ['aws:111111111111', 'aws:333333333333'] })]).map((n) => n.message)).toEqual([
      'fleet: target aws:222222222222 is in no inventory (shard 1/2 did not read it): its findings are missing',
    ]);
  });
});

describe('the union of shards', () => {
  const targets = ['k8s:a', 'k8s:b', 'k8s:c', 'k8s:d'];
  const shard = (index: number, covered: string[]): Inventory => inventoryOf({ shard: { index, count: 2 }, targets, covered });

  it('names nothing when every target was read', () => {
    expect(fleetGapNotes([shard(0, ['k8s:a', 'k8s:c']), shard(1, ['k8s:b', 'k8s:d'])])).toEqual([]);
  });

  it('names each target of a missing shard, and each target a shard could not read', () => {
    const notes = fleetGapNotes([shard(0, ['k8s:a'])]);
    expect(notes.map((n) => [n.kind, n.level, n.message])).toEqual([
      ['skipped', 'error', 'fleet: target k8s:b is in no inventory (the inventory of shard 1/2 is missing): its findings are missing'],
      ['skipped', 'error', 'fleet: target k8s:c is in no inventory (shard 0/2 did not read it): its findings are missing'],
      ['skipped', 'error', 'fleet: target k8s:d is in no inventory (the inventory of shard 1/2 is missing): its findings are missing'],
    ]);
  });

  it('warns when shards dealt their shares from different lists of targets', () => {
    // Shard 1 could not list an organization's accounts: it kept the organization as one target.
    const other = inventoryOf({ shard: { index: 1, count: 2 }, targets: ['aws:organization', 'k8s:a'], covered: ['k8s:a'] });
    const notes = fleetGapNotes([shard(0, ['k8s:a', 'k8s:c']), other]);
    expect(notes[0]).toEqual({
      kind: 'skipped',
      level: 'warning',
      message: 'fleet: shard 0/2 (4 targets) and shard 1/2 (2 targets) listed different targets, so their shares may overlap or leave gaps; the targets no inventory read are named: rerun the shards to read them',
    });
    expect(notes.slice(1).map((n) => n.message)).toEqual([
      'fleet: target aws:organization is in no inventory (shard 0/2 did not read it): its findings are missing',
      'fleet: target k8s:b is in no inventory (shard 1/2 did not read it): its findings are missing',
      'fleet: target k8s:d is in no inventory (shard 1/2 did not read it): its findings are missing',
    ]);
    // The same targets listed in another order are the same list.
    expect(fleetGapNotes([shard(0, ['k8s:a', 'k8s:c']), inventoryOf({ shard: { index: 1, count: 2 }, targets: [...targets].reverse(), covered: ['k8s:b', 'k8s:d'] })])).toEqual([]);
  });

  it('ignores inventories without fleet coverage', () => {
    expect(fleetGapNotes([inventoryOf()])).toEqual([]);
  });
});

describe('--inventory arguments', () => {
  it('expand a folder to its .json files and a glob to what it matches, each file once, in a stable order', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'shards', 'nested'), { recursive: true });
    for (const name of ['shard-1.json', 'shard-0.json', 'notes.txt']) writeFileSync(join(dir, 'shards', name), '{}');
    writeFileSync(join(dir, 'shards', 'nested', 'shard-2.json'), '{}');
    const shards = join(dir, 'shards');
    expect(inventoryFiles(['shards'], dir)).toEqual([join(shards, 'shard-0.json'), join(shards, 'shard-1.json')]);
    expect(inventoryFiles(['shards/*.json', 'shards/shard-0.json'], dir)).toEqual([join(shards, 'shard-0.json'), join(shards, 'shard-1.json')]);
    expect(inventoryFiles(['shards/**/shard-*.json'], dir)).toEqual([join(shards, 'nested', 'shard-2.json'), join(shards, 'shard-0.json'), join(shards, 'shard-1.json')]);
    expect(inventoryFiles(['one.json'], dir)).toEqual([join(dir, 'one.json')]);
  });

  it('refuse a glob that matches nothing and a folder without inventories', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'empty'));
    expect(() => inventoryFiles(['out/*.json'], dir)).toThrow('--inventory out/*.json: matches no file');
    expect(() => inventoryFiles(['empty'], dir)).toThrow('--inventory empty: holds no .json file');
  });
});

describe('inventory versions', () => {
  it('saves fleet coverage as version 2 and reads it back; version 1 is still read', () => {
    const dir = tempDir();
    const fleet: FleetCoverage = { shard: { index: 1, count: 3 }, targets: ['k8s:a', 'k8s:b'], covered: ['k8s:b'] };
    const v2 = join(dir, 'v2.json');
    writeFileSync(v2, renderInventory(inventoryOf(fleet)));
    expect(renderInventory(inventoryOf(fleet))).toMatch(/^\{\n {2}"version": 2,/);
    expect(loadInventory(v2).fleet).toEqual(fleet);
    const v1 = join(dir, 'v1.json');
    writeFileSync(v1, renderInventory(inventoryOf()));
    expect(loadInventory(v1)).toMatchObject({ version: 1, resources: [] });
    expect(loadInventory(v1).fleet).toBeUndefined();
  });

  it('refuses fleet coverage in a version 1 inventory', () => {
    const file = join(tempDir(), 'forged.json');
    writeFileSync(file, JSON.stringify({ version: 1, resources: [], clusters: [], notes: [], fleet: { shard: { index: 0, count: 1 }, targets: [], covered: [] } }));
    expect(() => loadInventory(file)).toThrow(/not a podtrust inventory \(version 1 or 2\)/);
  });
});

describe('shares of AWS accounts', () => {
  it('deal out an explicit list of accounts', async () => {
    const aws = { regions: ['eu-west-1'], accounts: ['111111111111', '222222222222', '333333333333'], assumeRole: 'podtrust-reader' };
    const plans = await Promise.all([0, 1].map((index) => planShard({ aws }, { index, count: 2 })));
    expect(plans.map((p) => p.live?.aws?.accounts)).toEqual([['111111111111', '333333333333'], ['222222222222']]);
    expect(plans[0]!.live?.aws?.assumeRole).toBe('podtrust-reader');
  });
});
