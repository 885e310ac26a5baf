/** Registry and Git module sources, and which major versions a version constraint admits. */

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

type Version = [number, number, number];

function parseVersion(text: string): { v: Version; parts: number } | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:[-+].*)?$/.exec(text.trim());
  if (!m) return undefined;
  const parts = m[3] !== undefined ? 3 : m[2] !== undefined ? 2 : 1;
  return { v: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)], parts };
}

function cmp(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** A half-open range [lo, hi) of versions; hi undefined = unbounded. */
interface Range {
  lo: Version;
  loInclusive: boolean;
  hi?: Version;
  hiInclusive: boolean;
}

function constraintRange(op: string, ver: { v: Version; parts: number }): Range | 'any' | undefined {
  const v = ver.v;
  switch (op) {
    case '':
    case '=':
      return { lo: v, loInclusive: true, hi: v, hiInclusive: true };
    case '!=':
      return 'any';
    case '>':
      return { lo: v, loInclusive: false, hiInclusive: false };
    case '>=':
      return { lo: v, loInclusive: true, hiInclusive: false };
    case '<':
      return { lo: [0, 0, 0], loInclusive: true, hi: v, hiInclusive: false };
    case '<=':
      return { lo: [0, 0, 0], loInclusive: true, hi: v, hiInclusive: true };
    case '~>': {
      // `~> 1` fixes no segment: Terraform (hashicorp/go-version) admits 2.0 and later too.
      if (ver.parts === 1) return { lo: v, loInclusive: true, hiInclusive: false };
      const hi: Version = ver.parts <= 2 ? [v[0] + 1, 0, 0] : [v[0], v[1] + 1, 0];
      return { lo: v, loInclusive: true, hi, hiInclusive: false };
    }
    default:
      return undefined;
  }
}

/**
 * The majors among `candidates` that a Terraform version constraint (`~> 5.0`, `>= 5.1, < 7`, `5.39.0`)
 * admits; every candidate when there is no constraint; undefined when the constraint cannot be read.
 */
export function admittedMajors(constraint: string | undefined, candidates: readonly number[]): number[] | undefined {
  if (constraint === undefined || constraint.trim() === '') return [...candidates];
  const ranges: Range[] = [];
  for (const part of constraint.split(',')) {
    const m = /^\s*(~>|>=|<=|!=|=|>|<)?\s*(\S+)\s*$/.exec(part);
    if (!m) return undefined;
    const ver = parseVersion(m[2]!);
    if (!ver) return undefined;
    const r = constraintRange(m[1] ?? '', ver);
    if (r === undefined) return undefined;
    if (r !== 'any') ranges.push(r);
  }
  return candidates.filter((major) => {
    let lo: Version = [major, 0, 0];
    let loInc = true;
    let hi: Version = [major + 1, 0, 0];
    let hiInc = false;
    for (const r of ranges) {
      const c = cmp(r.lo, lo);
      if (c > 0 || (c === 0 && !r.loInclusive)) {
        lo = r.lo;
        loInc = r.loInclusive;
      }
      if (r.hi) {
        const d = cmp(r.hi, hi);
        if (d < 0 || (d === 0 && !r.hiInclusive)) {
          hi = r.hi;
          hiInc = r.hiInclusive;
        }
      }
    }
    const c = cmp(lo, hi);
    return c < 0 || (c === 0 && loInc && hiInc);
  });
}
