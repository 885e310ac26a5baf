/** The modelled public modules, and which model (and major) a registry call is evaluated with. */
import { type ModuleSource, admittedMajors, parseModuleSource } from '../registry-source.js';
import awsEks from './aws-eks.js';
import awsIamRoleForServiceAccounts from './aws-iam-role-for-service-accounts.js';
import awsEksPodIdentity from './aws-eks-pod-identity.js';
import awsEksBlueprintsAddons from './aws-eks-blueprints-addons.js';
import gcpWorkloadIdentity from './gcp-workload-identity.js';
import { GKE_CLUSTER_MODELS } from './gcp-kubernetes-engine.js';
import { AKS_MODELS } from './azure-aks.js';
import type { ModuleModel } from './types.js';

export const MODELS: readonly ModuleModel[] = [awsIamRoleForServiceAccounts, awsEks, awsEksPodIdentity, awsEksBlueprintsAddons, gcpWorkloadIdentity, ...GKE_CLUSTER_MODELS, ...AKS_MODELS];

export type ModelChoice =
  | { kind: 'model'; model: ModuleModel; major: number; label: string; assumed: boolean }
  | { kind: 'out-of-range'; label: string; modelled: number[] }
  | { kind: 'none' };

/**
 * Picks the model for a source and version constraint: the newest modelled major the constraint
 * admits; `assumed` when the constraint (or its absence) admits more than that one major.
 */
export function chooseModel(source: string, version: string | undefined): ModelChoice {
  const parsed: ModuleSource | undefined = parseModuleSource(source);
  if (!parsed) return { kind: 'none' };
  const model = MODELS.find((m) => m.address.toLowerCase() === parsed.address.toLowerCase() && Object.values(m.subdirs).includes(parsed.subdir));
  if (!model) return { kind: 'none' };
  const modelled = Object.entries(model.subdirs).filter(([, d]) => d === parsed.subdir).map(([m]) => Number(m)).sort((a, b) => a - b);
  const label = `${model.address}${parsed.subdir ? '//' + parsed.subdir : ''}`;
  const constraint = parsed.ref ?? version;
  const all = admittedMajors(constraint, modelled);
  const exact = constraint !== undefined ? /^\s*=?\s*v?(\d+)\.\d+\.\d+\s*$/.exec(constraint) : null;
  if (!all || all.length === 0) return { kind: 'out-of-range', label, modelled };
  const major = all[all.length - 1]!;
  // Admitting one modelled major is certain only when the constraint also rules out the next major.
  const beyond = admittedMajors(constraint, [major + 1]) ?? [];
  const assumed = constraint === undefined || all.length > 1 || (beyond.length > 0 && exact === null);
  return { kind: 'model', model, major, label, assumed };
}
