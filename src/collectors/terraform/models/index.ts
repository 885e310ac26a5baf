/** The modelled public modules, and which model (and major) a registry call is evaluated with. */
import { type ModuleSource, admittedMajors, parseModuleSource } from '../registry-source.js';
import awsEks from './aws-eks.js';
import awsEksKarpenter from './aws-eks-karpenter.js';
import { EKS_NODE_GROUP_MODELS } from './aws-eks-node-group-submodules.js';
import awsIamRoleForServiceAccounts from './aws-iam-role-for-service-accounts.js';
import awsEksPodIdentity from './aws-eks-pod-identity.js';
import awsEksBlueprintsAddons from './aws-eks-blueprints-addons.js';
import gcpWorkloadIdentity from './gcp-workload-identity.js';
import gcpKubectlWrapper from './gcp-kubectl-wrapper.js';
import { GKE_CLUSTER_MODELS } from './gcp-kubernetes-engine.js';
import { GKE_SAFER_MODELS } from './gcp-safer-cluster.js';
import { GKE_RESOURCE_MODULE_MODELS } from './gcp-gke-resource-modules.js';
import { AKS_MODELS } from './azure-aks.js';
import type { ModuleModel } from './types.js';
import { describeMajors, majors } from './ranges.js';

export const MODELS: readonly ModuleModel[] = [awsIamRoleForServiceAccounts, awsEks, ...EKS_NODE_GROUP_MODELS, awsEksKarpenter, awsEksPodIdentity, awsEksBlueprintsAddons, gcpWorkloadIdentity, gcpKubectlWrapper, ...GKE_CLUSTER_MODELS, ...GKE_SAFER_MODELS, ...GKE_RESOURCE_MODULE_MODELS, ...AKS_MODELS];

/** How far above a model's newest major a constraint is looked at, to name the version it asks for. */
const LOOK_AHEAD = 100;

export type ModelChoice =
  | { kind: 'model'; model: ModuleModel; major: number; label: string; assumed: boolean }
  /** `newer`: the lowest major above the modelled ones that the constraint admits, when it admits one. */
  | { kind: 'out-of-range'; label: string; modelled: number[]; newer?: number }
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
  if (!all || all.length === 0) {
    const newer = admittedMajors(constraint, majors(modelled[modelled.length - 1]! + 1, modelled[modelled.length - 1]! + LOOK_AHEAD))?.[0];
    return { kind: 'out-of-range', label, modelled, ...(newer !== undefined ? { newer } : {}) };
  }
  const major = all[all.length - 1]!;
  // Admitting one modelled major is certain only when the constraint also rules out the next major.
  const beyond = admittedMajors(constraint, [major + 1]) ?? [];
  const assumed = constraint === undefined || all.length > 1 || (beyond.length > 0 && exact === null);
  return { kind: 'model', model, major, label, assumed };
}

/** Why an out-of-range call is not modelled: the newer major it asks for, or the majors podtrust models. */
export function outOfRangeReason(choice: Extract<ModelChoice, { kind: 'out-of-range' }>): string {
  const covered = describeMajors(choice.modelled);
  if (choice.newer !== undefined) return `${choice.label} v${choice.newer} is newer than podtrust's model of it (${covered})`;
  return `podtrust models ${choice.label} only for ${covered}`;
}
