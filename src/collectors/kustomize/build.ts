/**
 * Renders one kustomization the way `kustomize build` does, for what identity needs: resources
 * and bases, components, then the transformers in Kustomize's order (strategic-merge patches,
 * `patches`, namespace, name prefix and suffix, labels, annotations, JSON 6902 patches,
 * replacements), and at the end the references that follow renamed objects.
 */
import { dirname, relative, resolve, sep, isAbsolute } from 'node:path';
import type { JsonObject, JsonValue, Position } from '../../model/types.js';
import { positionAt } from './located.js';
import { isObject } from '../../util/json-object.js';
import { KustomizeFiles, type Loaded, type LoadedDocument } from './files.js';
import type { KObject } from './objects.js';
import { addNameAffixes, fixReferences, setNamespace } from './name-transforms.js';
import { addAnnotations, addLabels, type Pairs } from './metadata.js';
import { applyPatches, type PatchSource } from './patches.js';
import { applyReplacement, ReplacementError } from './replacements.js';

/** Kustomizations nested deeper than this are refused (kustomize itself has no limit; a repository has no reason to go near it). */
export const MAX_KUSTOMIZATION_DEPTH = 32;
/** Kustomizations one root may render in all (a base used twice by each level doubles per level). */
export const MAX_KUSTOMIZATIONS_PER_ROOT = 2000;
/**
 * Text and documents one root may parse in all: each use of a file parses it again, so a file
 * listed many times (or reached by many bases) counts each time.
 */
export const MAX_PARSED_BYTES_PER_ROOT = 32 * 1024 * 1024;
export const MAX_DOCUMENTS_PER_ROOT = 20_000;

/** Fields podtrust recognises and does not render: each is a warning naming the field and the file. */
const UNSUPPORTED: Record<string, string> = {
  configMapGenerator: 'generated ConfigMaps are left out',
  secretGenerator: 'generated Secrets are left out',
  helmCharts: 'run `kustomize build --enable-helm` and scan its output',
  helmChartInflationGenerator: 'run `kustomize build --enable-helm` and scan its output',
  helmGlobals: 'run `kustomize build --enable-helm` and scan its output',
  openapi: 'the built-in Kubernetes schema is used instead',
  generators: 'generator plugins are not run',
  transformers: 'transformer plugins are not run',
  validators: 'validator plugins are not run',
  configurations: 'custom transformer configurations are not applied',
  crds: 'custom resource definitions for name references are not read',
  vars: 'vars are not substituted (use replacements)',
};

interface Build {
  files: KustomizeFiles;
  /** The root kustomization: limits are said there. */
  root: string;
  /** Kustomizations rendered so far for this root. */
  count: number;
  /** Text and documents parsed so far for this root. */
  parsedBytes: number;
  parsedDocuments: number;
  /** Set once a limit was reached (and said): the rest of the build is not rendered. */
  exceeded?: boolean;
}

export interface Rendered {
  objects: KObject[];
}

/** Renders the root kustomization `file`; undefined when it cannot be read at all (noted). */
export function renderRoot(file: string, files: KustomizeFiles): Rendered | undefined {
  const build: Build = { files, root: file, count: 0, parsedBytes: 0, parsedDocuments: 0 };
  const objects = renderKustomization(file, build, [], []);
  if (!objects) return undefined;
  fixReferences(objects);
  return { objects };
}

function isRemote(entry: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.startsWith('git@') || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) || entry.includes('?ref=');
}

function isWithin(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return !isAbsolute(rel) && rel !== '..' && !rel.startsWith(`..${sep}`);
}

interface Context {
  file: string;
  dir: string;
  kustomization: Loaded;
  k: JsonObject;
  build: Build;
}

function lineOf(container: JsonObject | JsonValue[], key: string | number): number | undefined {
  return positionAt(container, key)?.line;
}

function strings(v: JsonValue | undefined): [string, number][] {
  return Array.isArray(v) ? v.flatMap((x, i) => (typeof x === 'string' ? [[x, i] as [string, number]] : [])) : [];
}

function renderKustomization(file: string, build: Build, chain: string[], incoming: KObject[]): KObject[] | undefined {
  const { files } = build;
  if (chain.includes(file)) {
    files.note({ kind: 'unresolved', level: 'error', file: chain[chain.length - 1]!, message: `Kustomize: ${files.pathShown(file, chain[chain.length - 1]!)} is part of a cycle of kustomizations; not followed` });
    return undefined;
  }
  if (build.exceeded) return undefined;
  if (chain.length >= MAX_KUSTOMIZATION_DEPTH || build.count >= MAX_KUSTOMIZATIONS_PER_ROOT) {
    build.exceeded = true;
    files.note({ kind: 'limit', level: 'error', file: chain[0] ?? file, message: `Kustomize: over ${chain.length >= MAX_KUSTOMIZATION_DEPTH ? `${MAX_KUSTOMIZATION_DEPTH} nested kustomizations` : `${MAX_KUSTOMIZATIONS_PER_ROOT} kustomizations in one build`} at ${files.pathShown(file, chain[0] ?? file)}; not rendered further` });
    return undefined;
  }
  build.count++;
  const loaded = charge(build, files.load(file));
  if (!loaded) return undefined;
  const doc = loaded.documents[0]?.value;
  if (!isObject(doc)) {
    if (loaded.documents.length > 0) files.note({ kind: 'parse-error', level: 'error', file, line: 1, message: 'Kustomize: a kustomization is a mapping' });
    return loaded.documents.length > 0 ? undefined : incoming;
  }
  const ctx: Context = { file, dir: dirname(file), kustomization: loaded, k: doc, build };
  const inner = [...chain, file];
  for (const [field, what] of Object.entries(UNSUPPORTED)) {
    if (!(field in doc)) continue;
    const line = lineOf(doc, field);
    files.note({ kind: 'unsupported', level: 'warning', file, ...(line ? { line } : {}), message: `Kustomize: ${field} is not supported; ${what}` });
  }
  let objects = [...incoming];
  for (const field of ['resources', 'bases'] as const) {
    for (const [entry, i] of strings(doc[field])) for (const o of readResource(ctx, entry, lineOf(doc[field] as JsonValue[], i), inner)) objects.push(o);
  }
  for (const [entry, i] of strings(doc.components)) {
    const line = lineOf(doc.components as JsonValue[], i);
    if (isRemote(entry)) {
      remote(ctx, 'components', line);
      continue;
    }
    const sub = folderKustomization(ctx, resolve(ctx.dir, entry), line);
    if (!sub) continue;
    const out = renderKustomization(sub, build, inner, objects);
    if (out) objects = out;
  }
  return transform(ctx, objects);
}

function remote(ctx: Context, field: string, line: number | undefined): void {
  ctx.build.files.note({ kind: 'unsupported', level: 'warning', file: ctx.file, ...(line ? { line } : {}), message: `Kustomize: remote ${field} (URLs, git) are not fetched; run \`kustomize build\` and scan its output` });
}

function folderKustomization(ctx: Context, dir: string, line: number | undefined): string | undefined {
  return ctx.build.files.kustomizationIn(dir, { file: ctx.file, ...(line ? { line } : {}) });
}

/** The objects of one `resources` entry: a folder with a kustomization (rendered), or a file of manifests. */
function readResource(ctx: Context, entry: string, line: number | undefined, chain: string[]): KObject[] {
  const { files } = ctx.build;
  if (isRemote(entry)) {
    remote(ctx, 'resources', line);
    return [];
  }
  const path = resolve(ctx.dir, entry);
  const kind = files.entryKind(path, { file: ctx.file, ...(line ? { line } : {}) });
  if (kind === undefined) return [];
  if (kind === 'folder') {
    const sub = folderKustomization(ctx, path, line);
    return (sub && renderKustomization(sub, ctx.build, chain, [])) || [];
  }
  const loaded = localFile(ctx, path, line);
  return loaded ? objectsOf(loaded.documents) : [];
}

/** A file a kustomization names: like kustomize, only in or below the kustomization's folder. */
function localFile(ctx: Context, path: string, line: number | undefined): Loaded | undefined {
  const { files } = ctx.build;
  const from = { file: ctx.file, ...(line ? { line } : {}) };
  if (!isWithin(path, ctx.dir)) {
    files.note({ kind: 'skipped', level: 'error', file: ctx.file, ...(line ? { line } : {}), message: `Kustomize: ${files.pathShown(path, ctx.file)} lies outside the kustomization's folder; not read (kustomize build refuses it too)` });
    return undefined;
  }
  if (ctx.build.exceeded) return undefined;
  return charge(ctx.build, files.load(path, from));
}

/** A loaded file counted against the root's parse budget; undefined once the budget is spent (said once, at the root). */
function charge(build: Build, loaded: Loaded | undefined): Loaded | undefined {
  if (!loaded) return undefined;
  build.parsedBytes += loaded.text.length;
  build.parsedDocuments += loaded.documents.length;
  const over = build.parsedBytes > MAX_PARSED_BYTES_PER_ROOT ? `${MAX_PARSED_BYTES_PER_ROOT / (1024 * 1024)} MiB of manifests` : build.parsedDocuments > MAX_DOCUMENTS_PER_ROOT ? `${MAX_DOCUMENTS_PER_ROOT} documents` : undefined;
  if (over === undefined) return loaded;
  if (!build.exceeded) {
    build.exceeded = true;
    build.files.note({ kind: 'limit', level: 'error', file: build.root, message: `Kustomize: over ${over} parsed in one build (a file used many times counts each time); not rendered further` });
  }
  return undefined;
}

function objectsOf(documents: LoadedDocument[]): KObject[] {
  const out: KObject[] = [];
  const add = (document: LoadedDocument, value: JsonValue, at: Position | undefined, prefix: string): void => {
    if (!isObject(value) || typeof value.kind !== 'string') return;
    if (value.kind.endsWith('List') && Array.isArray(value.items)) {
      const items = value.items;
      items.forEach((item, i) => add(document, item, positionAt(items, i), `${prefix}/items/${i}`));
      return;
    }
    if (typeof value.apiVersion !== 'string') return;
    out.push({ body: value, at, previous: [], origins: [{ document, prefix }] });
  };
  for (const d of documents) add(d, d.value, d.at, '');
  return out;
}

/** The patches of one field, read from their files or inline. */
function patchSources(ctx: Context, field: 'patchesStrategicMerge' | 'patches' | 'patchesJson6902'): PatchSource[] {
  const list = ctx.k[field];
  if (!Array.isArray(list)) return [];
  const out: PatchSource[] = [];
  list.forEach((entry, i) => {
    const line = lineOf(list, i);
    let documents: LoadedDocument[] | undefined;
    let target: JsonValue | undefined;
    let where = { file: ctx.file, line: line ?? 1 };
    if (typeof entry === 'string') {
      // patchesStrategicMerge: a file, or the patch itself written inline.
      documents = /\n/.test(entry) || /^\s*apiVersion\s*:/.test(entry) ? ctx.build.files.parseInline(entry, ctx.kustomization, positionAt(list, i)) : localFile(ctx, resolve(ctx.dir, entry), line)?.documents;
    } else if (isObject(entry)) {
      target = entry.target;
      if (typeof entry.path === 'string') {
        const loaded = localFile(ctx, resolve(ctx.dir, entry.path), lineOf(entry, 'path') ?? line);
        documents = loaded?.documents;
        if (loaded) where = { file: loaded.file, line: 1 };
      } else if (typeof entry.patch === 'string') documents = ctx.build.files.parseInline(entry.patch, ctx.kustomization, positionAt(entry, 'patch'));
    }
    if (documents) out.push({ documents, target, where: { ...where, entryLine: line ?? 1, kustomization: ctx.file } });
  });
  return out;
}

function pairsOf(v: JsonValue | undefined): Pairs {
  const values: Pairs['values'] = [];
  if (isObject(v)) for (const [k, x] of Object.entries(v)) if (x !== null && typeof x !== 'object') values.push([k, String(x), positionAt(v, k)]);
  return { values };
}

function transform(ctx: Context, objects: KObject[]): KObject[] {
  const { k, build } = ctx;
  const { files } = build;
  let out = applyPatches(objects, patchSources(ctx, 'patchesStrategicMerge'), files);
  out = applyPatches(out, patchSources(ctx, 'patches'), files);
  if (typeof k.namespace === 'string' && k.namespace !== '') setNamespace(out, k.namespace, positionAt(k, 'namespace'));
  const prefix = typeof k.namePrefix === 'string' ? k.namePrefix : '';
  const suffix = typeof k.nameSuffix === 'string' ? k.nameSuffix : '';
  if (prefix !== '' || suffix !== '') {
    const at: { prefix?: Position; suffix?: Position } = {};
    const p = positionAt(k, 'namePrefix');
    const s = positionAt(k, 'nameSuffix');
    if (p && prefix !== '') at.prefix = p;
    if (s && suffix !== '') at.suffix = s;
    addNameAffixes(out, prefix, suffix, at);
  }
  if (isObject(k.commonLabels)) addLabels(out, pairsOf(k.commonLabels), { templates: true, selectors: true });
  if (Array.isArray(k.labels)) {
    for (const l of k.labels) {
      if (!isObject(l)) continue;
      const selectors = l.includeSelectors === true;
      addLabels(out, pairsOf(l.pairs), { selectors, templates: selectors || l.includeTemplates === true });
    }
  }
  if (isObject(k.commonAnnotations)) addAnnotations(out, pairsOf(k.commonAnnotations));
  out = applyPatches(out, patchSources(ctx, 'patchesJson6902'), files);
  for (const r of replacementsOf(ctx)) {
    try {
      applyReplacement(out, r.value);
    } catch (e) {
      if (!(e instanceof ReplacementError)) throw e;
      files.note({ kind: e.message.startsWith('unsupported: ') ? 'unsupported' : 'unresolved', level: 'warning', file: r.file, line: r.line, message: `Kustomize: replacement not applied: ${e.message.replace(/^unsupported: /, '')}` });
    }
  }
  return out;
}

/** The replacements of a kustomization: inline, or `- path: file` entries holding a list of them. */
function replacementsOf(ctx: Context): { value: JsonObject; file: string; line: number }[] {
  const list = ctx.k.replacements;
  if (!Array.isArray(list)) return [];
  const out: { value: JsonObject; file: string; line: number }[] = [];
  list.forEach((entry, i) => {
    if (!isObject(entry)) return;
    const line = lineOf(list, i) ?? 1;
    if (typeof entry.path === 'string' && !('source' in entry)) {
      const loaded = localFile(ctx, resolve(ctx.dir, entry.path), line);
      for (const d of loaded?.documents ?? []) {
        const items = Array.isArray(d.value) ? d.value : [d.value];
        items.forEach((item, j) => isObject(item) && out.push({ value: item, file: loaded!.file, line: (Array.isArray(d.value) ? lineOf(d.value, j) : d.at?.line) ?? 1 }));
      }
    } else out.push({ value: entry, file: ctx.file, line });
  });
  return out;
}

