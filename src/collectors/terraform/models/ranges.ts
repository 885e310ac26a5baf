/** Major versions a model covers, written as ranges (both ends included). */

export function majors(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** terraform-google-modules/kubernetes-engine: the cluster modules and `workload-identity` share one range. */
export const GKE_MAJORS = majors(30, 44);
