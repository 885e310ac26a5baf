/**
 * `commonLabels`, `labels` and `commonAnnotations`: on every object's metadata and, as
 * Kustomize does, on pod templates (where a label such as `azure.workload.identity/use`
 * matters) and workload selectors.
 */
import type { Position } from '../../model/types.js';
import { ensurePath, setChild } from './located.js';
import { kindOf, type KObject } from './objects.js';

const TEMPLATE_PATHS: Record<string, string[][]> = {
  Deployment: [['spec', 'template', 'metadata']],
  ReplicaSet: [['spec', 'template', 'metadata']],
  DaemonSet: [['spec', 'template', 'metadata']],
  StatefulSet: [['spec', 'template', 'metadata']],
  Job: [['spec', 'template', 'metadata']],
  ReplicationController: [['spec', 'template', 'metadata']],
  CronJob: [['spec', 'jobTemplate', 'metadata'], ['spec', 'jobTemplate', 'spec', 'template', 'metadata']],
};

const SELECTOR_PATHS: Record<string, string[]> = {
  Deployment: ['spec', 'selector', 'matchLabels'],
  ReplicaSet: ['spec', 'selector', 'matchLabels'],
  DaemonSet: ['spec', 'selector', 'matchLabels'],
  StatefulSet: ['spec', 'selector', 'matchLabels'],
  Service: ['spec', 'selector'],
  ReplicationController: ['spec', 'selector'],
};

export interface Pairs {
  values: [string, string, Position | undefined][];
}

function put(o: KObject, path: string[], pairs: Pairs): void {
  const target = ensurePath(o.body, path, undefined);
  if (target) for (const [k, v, at] of pairs.values) setChild(target, k, v, at);
}

export interface LabelOptions {
  templates: boolean;
  selectors: boolean;
}

export function addLabels(objects: KObject[], pairs: Pairs, options: LabelOptions): void {
  for (const o of objects) {
    const kind = kindOf(o);
    put(o, ['metadata', 'labels'], pairs);
    if (options.templates || options.selectors) for (const p of TEMPLATE_PATHS[kind] ?? []) put(o, [...p, 'labels'], pairs);
    if (options.selectors && SELECTOR_PATHS[kind]) put(o, SELECTOR_PATHS[kind]!, pairs);
  }
}

export function addAnnotations(objects: KObject[], pairs: Pairs): void {
  for (const o of objects) {
    put(o, ['metadata', 'annotations'], pairs);
    for (const p of TEMPLATE_PATHS[kindOf(o)] ?? []) put(o, [...p, 'annotations'], pairs);
  }
}
