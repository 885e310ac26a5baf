/**
 * Module version constraints as Terraform reads them (hashicorp/go-version operators, comma lists)
 * and which published version `terraform init` would choose: the newest that meets every term,
 * a pre-release only when a term pins exactly that version.
 */

export interface ModuleVersion {
  text: string;
  segments: number[];
  /** How many segments were written (`~> 1.2` differs from `~> 1.2.0`). */
  written: number;
  prerelease: string;
}

const VERSION = /^v?(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

export function parseModuleVersion(text: string): ModuleVersion | undefined {
  const m = VERSION.exec(text.trim());
  if (!m) return undefined;
  const written = m[1]!.split('.').map(Number);
  if (written.length > 4 || written.some((n) => !Number.isSafeInteger(n))) return undefined;
  const segments = [...written];
  while (segments.length < 3) segments.push(0);
  return { text: text.trim(), segments, written: written.length, prerelease: m[2] ?? '' };
}

function compareSegments(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** Semantic-versioning precedence of two pre-release tags; `''` (a release) ranks above any tag. */
function comparePrerelease(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '') return 1;
  if (b === '') return -1;
  const x = a.split('.');
  const y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i];
    const q = y[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) {
      const d = Number(p) - Number(q);
      if (d !== 0) return Math.sign(d);
    } else if (pn !== qn) return pn ? -1 : 1;
    else if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: ModuleVersion, b: ModuleVersion): number {
  return compareSegments(a.segments, b.segments) || comparePrerelease(a.prerelease, b.prerelease);
}

export interface Term {
  op: string;
  /** No operator written (`1.2.0`, not `= 1.2.0`). */
  bare: boolean;
  version: ModuleVersion;
}

/** The terms of a constraint; undefined when a term cannot be read (Terraform refuses it too). */
export function parseConstraint(text: string | undefined): Term[] | undefined {
  if (text === undefined || text.trim() === '') return [];
  const terms: Term[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(~>|>=|<=|!=|=|>|<)?\s*(\S+)\s*$/.exec(part);
    const version = m ? parseModuleVersion(m[2]!) : undefined;
    if (!m || !version) return undefined;
    terms.push({ op: m[1] ?? '=', bare: m[1] === undefined, version });
  }
  return terms;
}

function meets(v: ModuleVersion, t: Term): boolean {
  const c = compareVersions(v, t.version);
  switch (t.op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    default: {
      // `~> 1.2` admits 1.x from 1.2; `~> 1.2.3` admits 1.2.x from 1.2.3; `~> 1` fixes nothing
      // (hashicorp/go-version: it admits 2.0 too, and terraform get takes it).
      if (c < 0) return false;
      const fixed = t.version.written - 1;
      return compareSegments(v.segments.slice(0, fixed), t.version.segments.slice(0, fixed)) === 0;
    }
  }
}

/**
 * Whether a version meets every term. A pre-release only when the constraint is exactly that
 * version as Terraform writes it, alone and without an operator: Terraform (1.11) compares the
 * strings, so `= 1.2.0-rc1`, `v1.2.0-rc1` and `1.2.0-rc1, >= 1.0` admit no pre-release.
 */
export function satisfies(v: ModuleVersion, terms: readonly Term[]): boolean {
  if (v.prerelease !== '') return terms.length === 1 && terms[0]!.bare && terms[0]!.version.text === versionText(v);
  return terms.every((t) => meets(v, t));
}

/** A version as Terraform writes it (hashicorp/go-version's String): no `v`, at least three segments. */
export function versionText(v: ModuleVersion): string {
  const meta = /\+([0-9A-Za-z.-]+)$/.exec(v.text)?.[1];
  return v.segments.join('.') + (v.prerelease !== '' ? `-${v.prerelease}` : '') + (meta !== undefined ? `+${meta}` : '');
}

/** The newest of `available` that meets the constraint, as `terraform init` chooses. */
export function chooseVersion(available: readonly string[], terms: readonly Term[]): ModuleVersion | undefined {
  let best: ModuleVersion | undefined;
  for (const text of available) {
    const v = parseModuleVersion(text);
    if (v && satisfies(v, terms) && (!best || compareVersions(v, best) > 0)) best = v;
  }
  return best;
}
