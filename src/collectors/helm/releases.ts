/**
 * What Argo CD `Application`s and Flux `HelmRelease`s of the same repository give a local chart:
 * release name, namespace, and the values in the order Helm applies them. Each such release is
 * one rendering of the chart. A source counts as local when its path (Argo CD `spec.source.path`,
 * Flux `spec.chart.spec.chart` from a `GitRepository` or `Bucket`) names a chart folder of the
 * scan, relative to the scan root; podtrust cannot tell whether `repoURL` is this repository.
 */
import { resolve } from 'node:path';
import type { CoverageNote, JsonObject, JsonValue, Position, Resource } from '../../model/types.js';
import { escapeToken } from '../../util/pointer.js';
import { rebase } from '../kubernetes.js';
import { isObject } from '../../util/json-object.js';

/** Values given to a rendering, in the order Helm applies them (later wins). */
export type ValuesSource =
  /** A values file of the repository (absolute path). */
  | { kind: 'file'; path: string }
  /** Values written inside another file: YAML text (a block scalar) or an object, with where it is. */
  | { kind: 'inline'; file: string; text?: string; value?: JsonValue; positions: Record<string, Position>; at: Position };

/** One `--set`/`--set-string` of an Argo CD parameter. */
export interface SetValue {
  name: string;
  value: string;
  string: boolean;
  file: string;
  at?: Position;
}

export interface Release {
  chart: string;
  name: string;
  namespace: string;
  values: ValuesSource[];
  sets: SetValue[];
  /** The Application or HelmRelease: where the release is declared. */
  declaredIn: { file: string; position: Position; label: string };
}

const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Finds the releases of `charts` (absolute chart folders) in the collected Kubernetes objects. */
export function releasesOf(resources: readonly Resource[], charts: readonly string[], root: string): { releases: Release[]; notes: CoverageNote[] } {
  const out = { releases: [] as Release[], notes: [] as CoverageNote[] };
  const chartAt = (path: string): string | undefined => {
    const want = resolve(root, path);
    return charts.find((c) => resolve(c) === want);
  };
  for (const r of resources) {
    if (!isObject(r.body) || typeof r.body['apiVersion'] !== 'string') continue;
    const group = r.body['apiVersion'].split('/')[0];
    if (r.type === 'k8s.Application' && group === 'argoproj.io') argoRelease(r, r.body, chartAt, root, out);
    else if (r.type === 'k8s.HelmRelease' && group === 'helm.toolkit.fluxcd.io') fluxRelease(r, r.body, chartAt, root, resources, out);
  }
  return out;
}

function positionOf(r: Resource, pointer: string): Position | undefined {
  return r.positions[pointer];
}

function declared(r: Resource, pointer: string, label: string): Release['declaredIn'] {
  return { file: r.file, position: positionOf(r, pointer) ?? positionOf(r, '') ?? { line: 1, column: 1, endLine: 1, endColumn: 1 }, label };
}

function inline(r: Resource, pointer: string, value: JsonValue): ValuesSource {
  const at = positionOf(r, pointer) ?? positionOf(r, '')!;
  return typeof value === 'string' ? { kind: 'inline', file: r.file, text: value, positions: {}, at } : { kind: 'inline', file: r.file, value, positions: rebase(r.positions, pointer), at };
}

function argoRelease(r: Resource, app: JsonObject, chartAt: (p: string) => string | undefined, root: string, out: { releases: Release[]; notes: CoverageNote[] }): void {
  const spec = isObject(app['spec']) ? app['spec'] : {};
  const sources: { source: JsonObject; pointer: string }[] = [];
  if (isObject(spec['source'])) sources.push({ source: spec['source'], pointer: '/spec/source' });
  if (Array.isArray(spec['sources'])) spec['sources'].forEach((s, i) => isObject(s) && sources.push({ source: s, pointer: `/spec/sources/${i}` }));
  // `$ref/...` value files come from the source with that `ref`; taken to be this repository.
  const refs = new Set(sources.map((s) => str(s.source['ref'])).filter((x): x is string => x !== undefined));
  const metadata = isObject(app['metadata']) ? app['metadata'] : {};
  const destination = isObject(spec['destination']) ? spec['destination'] : {};
  for (const { source, pointer } of sources) {
    const path = str(source['path']);
    const chart = path !== undefined && str(source['chart']) === undefined ? chartAt(path) : undefined;
    if (!chart) continue;
    const helm = isObject(source['helm']) ? source['helm'] : {};
    const hp = `${pointer}/helm`;
    const name = str(helm['releaseName']) ?? str(metadata['name']) ?? 'release';
    const release: Release = {
      chart,
      name,
      namespace: str(destination['namespace']) ?? 'default',
      values: [],
      sets: [],
      declaredIn: declared(r, `${pointer}/path`, `Argo CD Application ${str(metadata['name']) ?? name}`),
    };
    if (Array.isArray(helm['valueFiles'])) {
      helm['valueFiles'].forEach((f, i) => {
        if (typeof f !== 'string') return;
        const ref = /^\$([^/]+)\/(.*)$/.exec(f);
        if (ref && !refs.has(ref[1]!)) {
          const at = positionOf(r, `${hp}/valueFiles/${i}`);
          out.notes.push({ kind: 'unresolved', level: 'warning', file: r.file, ...(at ? { line: at.line } : {}), message: `Helm values file ${f}: no source of the Application has ref ${ref[1]}; not used` });
          return;
        }
        if (/^[a-z]+:\/\//i.test(f)) {
          const at = positionOf(r, `${hp}/valueFiles/${i}`);
          out.notes.push({ kind: 'unresolved', level: 'warning', file: r.file, ...(at ? { line: at.line } : {}), message: `Helm values file ${f} is remote; podtrust does not download it` });
          return;
        }
        release.values.push({ kind: 'file', path: ref ? resolve(root, ref[2]!) : resolve(chart, f) });
      });
    }
    if (str(helm['values'])) release.values.push(inline(r, `${hp}/values`, helm['values']!));
    if (isObject(helm['valuesObject'])) release.values.push(inline(r, `${hp}/valuesObject`, helm['valuesObject']));
    if (Array.isArray(helm['parameters'])) {
      helm['parameters'].forEach((p, i) => {
        if (!isObject(p) || !str(p['name'])) return;
        const at = positionOf(r, `${hp}/parameters/${i}/value`) ?? positionOf(r, `${hp}/parameters/${i}`);
        const value = p['value'];
        release.sets.push({ name: str(p['name'])!, value: value === undefined || value === null ? '' : String(value), string: p['forceString'] === true, file: r.file, ...(at ? { at } : {}) });
      });
    }
    out.releases.push(release);
  }
}

function fluxRelease(r: Resource, hr: JsonObject, chartAt: (p: string) => string | undefined, root: string, resources: readonly Resource[], out: { releases: Release[]; notes: CoverageNote[] }): void {
  const spec = isObject(hr['spec']) ? hr['spec'] : {};
  const chartSpec = isObject(spec['chart']) && isObject(spec['chart']['spec']) ? spec['chart']['spec'] : undefined;
  if (!chartSpec) return;
  const sourceKind = isObject(chartSpec['sourceRef']) ? str(chartSpec['sourceRef']['kind']) : undefined;
  const path = str(chartSpec['chart']);
  if (path === undefined || (sourceKind !== 'GitRepository' && sourceKind !== 'Bucket')) return;
  const chart = chartAt(path);
  if (!chart) return;
  const metadata = isObject(hr['metadata']) ? hr['metadata'] : {};
  const hrName = str(metadata['name']) ?? 'release';
  const target = str(spec['targetNamespace']);
  const namespace = target ?? str(metadata['namespace']) ?? 'default';
  const release: Release = {
    chart,
    name: str(spec['releaseName']) ?? (target ? `${target}-${hrName}` : hrName),
    namespace,
    values: [],
    sets: [],
    declaredIn: declared(r, '/spec/chart/spec/chart', `Flux HelmRelease ${hrName}`),
  };
  // Flux applies the chart's values files, then valuesFrom in order, then spec.values.
  if (Array.isArray(chartSpec['valuesFiles'])) {
    for (const f of chartSpec['valuesFiles']) if (typeof f === 'string') release.values.push({ kind: 'file', path: resolve(root, f) });
  }
  if (Array.isArray(spec['valuesFrom'])) {
    spec['valuesFrom'].forEach((ref, i) => {
      if (!isObject(ref)) return;
      const source = valuesFrom(ref, str(metadata['namespace']), resources);
      if (typeof source === 'string') {
        const at = positionOf(r, `/spec/valuesFrom/${i}`);
        out.notes.push({ kind: 'unresolved', level: 'warning', file: r.file, ...(at ? { line: at.line } : {}), message: `Flux HelmRelease ${hrName}: valuesFrom ${str(ref['kind']) ?? '?'} ${str(ref['name']) ?? '?'} ${source}; rendered without it` });
      } else release.values.push(source);
    });
  }
  if (isObject(spec['values'])) release.values.push(inline(r, '/spec/values', spec['values']));
  out.releases.push(release);
}

/** A `valuesFrom` entry resolved to a ConfigMap of the repository, or why not. */
function valuesFrom(ref: JsonObject, namespace: string | undefined, resources: readonly Resource[]): ValuesSource | string {
  const kind = str(ref['kind']);
  if (kind !== 'ConfigMap') return 'is not in the repository (Secrets are not read for values)';
  if (str(ref['targetPath'])) return 'uses targetPath, which podtrust does not apply';
  const key = str(ref['valuesKey']) ?? 'values.yaml';
  const cm = resources.find((x) => x.type === 'k8s.ConfigMap' && isObject(x.body) && isObject(x.body['metadata']) && x.body['metadata']['name'] === ref['name'] && (x.namespace ?? namespace) === namespace);
  const data = cm && isObject(cm.body) && isObject(cm.body['data']) ? cm.body['data'][key] : undefined;
  if (!cm || typeof data !== 'string') return `is not in the repository (or has no key ${key})`;
  return inline(cm, `/data/${escapeToken(key)}`, data);
}
