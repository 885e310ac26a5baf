/**
 * Which live targets (kube contexts, AWS accounts, GCP projects, Azure subscriptions) a sharded
 * collection was meant to read and which it read, and the gaps in a union of shards.
 *
 * Every shard computes the same sorted list of the fleet's targets and takes every N-th one from
 * its index, so the shares are disjoint, cover the list, and differ in size by at most one.
 */
import type { CoverageNote, FleetCoverage, Inventory } from '../model/types.js';

export interface Shard {
  index: number;
  count: number;
}

/** The targets shard `index` of `count` takes from the fleet's targets. */
export function shareOf(targets: readonly string[], shard: Shard): string[] {
  return sortedTargets(targets).filter((_, i) => i % shard.count === shard.index);
}

export function sortedTargets(targets: Iterable<string>): string[] {
  return [...new Set(targets)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * One error note per target that some inventory planned and none covered (a shard that failed,
 * was not given, or was cut short). Each inventory's list is sorted once: n log n in the targets listed.
 */
export function fleetGapNotes(inventories: readonly Inventory[]): CoverageNote[] {
  const fleets = inventories.map((i) => i.fleet).filter((f): f is FleetCoverage => f !== undefined);
  if (fleets.length === 0) return [];
  const covered = new Set<string>();
  // Each target's owner as the first inventory that lists it dealt the shares.
  const planned = new Map<string, { owner: number; count: number }>();
  const present = new Map<number, Set<number>>();
  const lists: string[] = [];
  for (const f of fleets) {
    for (const t of f.covered) covered.add(t);
    const sorted = sortedTargets(f.targets);
    lists.push(sorted.join('\n'));
    sorted.forEach((t, i) => {
      if (!planned.has(t)) planned.set(t, { owner: i % f.shard.count, count: f.shard.count });
    });
    const seen = present.get(f.shard.count) ?? new Set<number>();
    seen.add(f.shard.index);
    present.set(f.shard.count, seen);
  }
  const notes: CoverageNote[] = differentFleets(fleets, lists);
  for (const target of sortedTargets(planned.keys())) {
    if (covered.has(target)) continue;
    const { owner, count } = planned.get(target)!;
    const why = present.get(count)?.has(owner) ? ` (shard ${owner}/${count} did not read it)` : ` (the inventory of shard ${owner}/${count} is missing)`;
    notes.push({ kind: 'skipped', level: 'error', message: `fleet: target ${target} is in no inventory${why}: its findings are missing` });
  }
  return notes;
}

/**
 * Shards deal their shares from the list of targets each made; when two lists differ (an
 * organization listed by one shard and not by another), the shares may overlap or leave gaps.
 */
function differentFleets(fleets: readonly FleetCoverage[], sortedLists: readonly string[]): CoverageNote[] {
  const first = fleets[0]!;
  const other = fleets.find((_, i) => sortedLists[i] !== sortedLists[0]);
  if (!other) return [];
  const name = (f: FleetCoverage): string => `shard ${f.shard.index}/${f.shard.count} (${f.targets.length} targets)`;
  return [{ kind: 'skipped', level: 'warning', message: `fleet: ${name(first)} and ${name(other)} listed different targets, so their shares may overlap or leave gaps; the targets no inventory read are named: rerun the shards to read them` }];
}
