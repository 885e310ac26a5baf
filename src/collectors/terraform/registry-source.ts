/** Registry and Git module sources, and which major versions a version constraint admits. */
import { parseConstraint, parseModuleVersion, satisfies, type ModuleVersion, type Term } from './fetch/constraints.js';

export interface ModuleSource {
  /** `namespace/name/provider` of the registry address (Git sources of the same repository map to it). */
  address: string;
  /** The `//subdir` part, without leading slashes; `''` for the module root. */
  subdir: string;
  /** A version pinned by the source itself (a Git `?ref=v5.39.0`). */
  ref?: string;
}

const GITHUB_REPOS: Record<string, string> = {
  'terraform-aws-modules/terraform-aws-iam': 'terraform-aws-modules/iam/aws',
  'terraform-aws-modules/terraform-aws-eks': 'terraform-aws-modules/eks/aws',
  'terraform-aws-modules/terraform-aws-eks-pod-identity': 'terraform-aws-modules/eks-pod-identity/aws',
  'aws-ia/terraform-aws-eks-blueprints-addons': 'aws-ia/eks-blueprints-addons/aws',
  'terraform-google-modules/terraform-google-kubernetes-engine': 'terraform-google-modules/kubernetes-engine/google',
  'azure/terraform-azurerm-aks': 'Azure/aks/azurerm',
};

function splitSubdir(path: string): { base: string; subdir: string } {
  const i = path.indexOf('//');
  if (i < 0) return { base: path, subdir: '' };
  return { base: path.slice(0, i), subdir: path.slice(i + 2).replace(/^\/+|\/+$/g, '') };
}

/** Reads a registry (`ns/name/provider//sub`, with an optional host) or GitHub Git source; undefined for others. */
export function parseModuleSource(source: string): ModuleSource | undefined {
  let s = source.trim();
  let ref: string | undefined;
  const q = s.indexOf('?');
  if (q >= 0) {
    const params = new URLSearchParams(s.slice(q + 1));
    ref = params.get('ref') ?? undefined;
    s = s.slice(0, q);
  }
  const git = /^(?:git::)?(?:https:\/\/|ssh:\/\/git@|git@)?github\.com[/:]([^/]+\/[^/]+?)(?:\.git)?(\/\/.*)?$/i.exec(s);
  if (git) {
    const address = GITHUB_REPOS[git[1]!.toLowerCase()] ?? GITHUB_REPOS[git[1]!];
    if (!address) return undefined;
    const { subdir } = splitSubdir(git[2] ?? '');
    const out: ModuleSource = { address, subdir };
    if (ref) out.ref = ref;
    return out;
  }
  const { base, subdir } = splitSubdir(s);
  const parts = base.split('/');
  if (parts.length === 4 && parts[0]!.includes('.')) parts.shift();
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(p))) return undefined;
  return { address: parts.join('/'), subdir };
}

/**
 * The majors among `candidates` that a Terraform version constraint (`~> 5.0`, `>= 5.1, < 7`, `5.39.0`)
 * admits, read as `terraform init` reads it; every candidate when there is no constraint;
 * undefined when the constraint cannot be read.
 */
export function admittedMajors(constraint: string | undefined, candidates: readonly number[]): number[] | undefined {
  const terms = parseConstraint(constraint);
  if (terms === undefined) return undefined;
  return candidates.filter((major) => probes(major, terms).some((v) => satisfies(v, terms)));
}

/**
 * Versions of one major where the versions a constraint admits can begin: the major's first
 * version, each term's own version and the next two after it (past a `>` and a `!=`). Versions are
 * whole numbers, so if any version of the major meets every term, one of these does.
 */
function probes(major: number, terms: readonly Term[]): ModuleVersion[] {
  const out = [parseModuleVersion(`${major}.0.0`)!];
  for (const t of terms) {
    const [a, b, c] = t.version.segments as [number, number, number];
    if (a !== major) continue;
    out.push(t.version);
    for (const next of [c + 1, c + 2]) out.push(parseModuleVersion(`${a}.${b}.${next}`)!);
  }
  return out;
}
