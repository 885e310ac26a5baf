/**
 * The repository-level Kustomize pass. Files are collected one by one as they are read (maybe in
 * worker threads), so a Kustomize base or patch has been read on its own by then; this pass
 * renders every root kustomization, then replaces what was collected from the files the roots
 * consumed (kustomizations, bases, patches) with the rendered objects. A rendered object belongs
 * to its root kustomization file; each of its fields points at the file and line that set it.
 */
import type { CollectOptions, CollectResult, SourceFile } from '../types.js';
import { account, mergeResults, withinDepth } from '../types.js';
import { readPolicy } from '../../util/input-reader.js';
import type { CoverageNote } from '../../model/types.js';
import { collectKubernetes } from '../kubernetes.js';
import { documentCommentSuppressions } from '../kubernetes-comments.js';
import { redactResources } from '../../credentials/redact.js';
import { errorSummary, internalErrorNote } from '../isolate.js';
import { dirname } from 'node:path';
import { relativeId } from '../ids.js';
import { KustomizeFiles } from './files.js';
import { findRoots, isKustomizationFile } from './roots.js';
import { renderRoot } from './build.js';
import { positionMap, ValueBudgetExceeded, withValueBudget } from './located.js';
import type { KObject } from './objects.js';

/** Renders the roots among `structured` and puts their objects in place of what their files gave on their own. */
export function renderKustomizations(collected: CollectResult, structured: readonly SourceFile[], options: CollectOptions): void {
  if (!structured.some((f) => isKustomizationFile(f.path))) return;
  const files = new KustomizeFiles(structured, options.read ?? readPolicy(options.root), options.limits);
  const rendered: CollectResult = { resources: [], clusters: [], notes: [] };
  for (const root of findRoots(structured, options.limits)) {
    try {
      const out = withValueBudget(options.limits.maxNodes, () => renderRoot(root, files));
      if (!out) continue;
      const seenIds = new Map<string, number>();
      for (const o of out.objects) mergeResults(rendered, objectResources(root, o, options, seenIds, files));
    } catch (e) {
      if (e instanceof ValueBudgetExceeded) rendered.notes.push({ kind: 'limit', level: 'error', file: root, line: 1, message: `Kustomize: rendering copies more than ${options.limits.maxNodes} values (--max-document-values); not rendered` });
      else rendered.notes.push(internalErrorNote(errorSummary(e), root, 1));
    }
  }
  const consumed = files.consumed;
  collected.resources = collected.resources.filter((r) => !consumed.has(r.file));
  collected.notes = collected.notes.filter((n) => n.file === undefined || !consumed.has(n.file));
  if (collected.accounts) collected.accounts = collected.accounts.filter((a) => !consumed.has(a.file));
  redactResources(rendered.resources);
  withinDepth(rendered, options.limits);
  mergeResults(collected, { resources: rendered.resources, clusters: [], notes: [...files.notes, ...rendered.notes] });
  for (const f of consumed) account(collected, f, 'Kustomize', 'analysed');
}

/** The inventory resource of one rendered object, owned by its root kustomization file. */
function objectResources(root: string, o: KObject, options: CollectOptions, seenIds: Map<string, number>, files: KustomizeFiles): CollectResult {
  const doc = { value: o.body, positions: positionMap(o.body, o.at), index: 0 };
  const got = collectKubernetes({ path: root, text: '' }, doc, options, seenIds);
  // An object a base or component defines: its definition is a related location of its findings.
  if (o.at?.file !== undefined && o.at.file !== root) {
    const { file: definedIn, ...position } = o.at;
    const via = { file: root, position: { line: 1, column: 1, endLine: 1, endColumn: 1 }, module: `kustomization ${relativeId(options.root, dirname(root))}`, definedAt: { file: definedIn, position } };
    for (const r of got.resources) r.via = via;
  }
  // `# podtrust:ignore` comments in the files that wrote the object (its base, its patches).
  const notes: CoverageNote[] = [];
  for (const { document, prefix } of o.origins) {
    const parsed = { value: document.value, positions: document.positions, index: 0 };
    documentCommentSuppressions(document.source, parsed, got.resources.map((resource) => ({ prefix, resource })), notes);
  }
  for (const n of notes) files.note(n);
  return got;
}
