/** Major versions a model covers, written as ranges (both ends included), and how a report names them. */

export function majors(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** terraform-google-modules/kubernetes-engine: the cluster modules and `workload-identity` share one range. */
export const GKE_MAJORS = majors(30, 44);

/** `v30–v44` for a run of majors, `v5` for one, `v5, v7` otherwise. */
export function describeMajors(list: readonly number[]): string {
  const sorted = [...list].sort((a, b) => a - b);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (first === undefined || last === undefined) return 'no version';
  if (first === last) return `v${first}`;
  if (last - first === sorted.length - 1) return `v${first}–v${last}`;
  return sorted.map((m) => `v${m}`).join(', ');
}
