/**
 * terraform-google-modules/gcloud `//modules/kubectl-wrapper`, majors 3-4: runs `kubectl_create_command` against a
 * cluster when `enabled` (default true). The GKE workload-identity module calls it (as `annotate-sa`) with
 * `kubectl annotate --overwrite sa -n <namespace> <name> iam.gke.io/gcp-service-account=<email>` to annotate an
 * existing ServiceAccount. That command is read as the `kubernetes_annotations` resource that does the same;
 * any other command is named as not analysed.
 */
import { join } from '../../../util/pointer.js';
import { type Piece, type Value, isUnknown, mkUnknown, templatePieces } from '../values.js';
import { ResourceBuilder, flag, input, obj } from './support.js';
import type { ModelCall, ModelledResource, ModuleModel } from './types.js';

/** One word of the command: text, or an unresolved value (with the text written around it). */
type Word = { text: string } | { unknown: Value; before: string; after: string };

const SERVICE_ACCOUNT = new Set(['sa', 'serviceaccount', 'serviceaccounts']);
/** kubectl annotate flags that take a value as the next word. */
const VALUED = new Set(['-n', '--namespace', '--field-manager', '--resource-version', '-l', '--selector', '-o', '--output', '--context', '--kubeconfig']);

/** Splits a command into words; an unresolved piece stays one value inside its word (its reference kept). */
function words(command: Value): Word[] | undefined {
  const pieces: Piece[] | undefined = typeof command === 'string' ? [{ text: command }] : isUnknown(command) ? templatePieces.get(command) : undefined;
  if (!pieces) return undefined;
  const out: Word[] = [];
  let text = '';
  let unknown: { value: Value; before: string } | undefined;
  let after = '';
  const flush = () => {
    if (unknown) out.push({ unknown: unknown.value, before: unknown.before, after });
    else if (text !== '') out.push({ text });
    text = '';
    after = '';
    unknown = undefined;
  };
  for (const p of pieces) {
    if ('unknown' in p) {
      // Two unresolved values in one word: the word cannot be read.
      if (unknown) return undefined;
      unknown = { value: p.unknown, before: text };
      continue;
    }
    for (const ch of p.text) {
      if (/\s/.test(ch)) flush();
      else if (unknown) after += ch;
      else text += ch;
    }
  }
  flush();
  return out;
}

export interface Annotate {
  namespace: Value;
  name: Value;
  annotations: [string, Value][];
}

function valueOf(w: Word): Value {
  if ('text' in w) return w.text;
  return w.before === '' && w.after === '' ? w.unknown : mkUnknown(`${w.before}…${w.after}`);
}

/** `kubectl annotate [--overwrite] sa|serviceaccount [-n NS] NAME key=value...`; undefined for any other command. */
function parseAnnotate(list: Word[]): Annotate | undefined {
  const [kubectl, verb, ...rest] = list;
  if (!kubectl || !('text' in kubectl) || !/(^|\/)kubectl$/.test(kubectl.text) || !verb || !('text' in verb) || verb.text !== 'annotate') return undefined;
  let namespace: Value = 'default';
  const positional: Word[] = [];
  const annotations: [string, Value][] = [];
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    const text = 'text' in w ? w.text : w.before;
    if (text.startsWith('--namespace=')) namespace = 'text' in w ? text.slice('--namespace='.length) : valueOf({ ...w, before: w.before.slice('--namespace='.length) });
    else if (text.startsWith('-') && 'text' in w) {
      if (VALUED.has(text)) {
        const next = rest[++i];
        if (next && (text === '-n' || text === '--namespace')) namespace = valueOf(next);
      }
    } else if (text.includes('=') && ('text' in w ? true : w.before.includes('='))) {
      const eq = text.indexOf('=');
      const key = text.slice(0, eq);
      annotations.push([key, 'text' in w ? text.slice(eq + 1) : valueOf({ ...w, before: w.before.slice(eq + 1) })]);
    } else positional.push(w);
  }
  const [kind, name, extra] = positional;
  if (!kind || !('text' in kind) || !SERVICE_ACCOUNT.has(kind.text.toLowerCase()) || !name || extra || annotations.length === 0) return undefined;
  return { namespace, name: valueOf(name), annotations };
}

/** Address of the annotation inside the wrapper, the same whether the wrapper is downloaded or modelled. */
export const KUBECTL_ANNOTATION = 'kubernetes_annotations.kubectl';

/** Input pointers a `kubectl annotate` of a ServiceAccount is shown at. */
export interface AnnotationPlaces {
  name: string;
  namespace?: string;
  annotations: string;
}

/** The `kubernetes_annotations` resource that does what `kubectl annotate sa` does. */
export function serviceAccountAnnotation(call: ModelCall, target: Annotate, at: AnnotationPlaces, localAddress = KUBECTL_ANNOTATION): ModelledResource {
  const b = new ResourceBuilder(call);
  b.place('', at.name);
  b.set('api_version', 'v1', at.name);
  b.set('kind', 'ServiceAccount', at.name);
  for (const p of ['/metadata', '/metadata/0', '/metadata/0/name']) b.place(p, at.name);
  b.place('/metadata/0/namespace', at.namespace);
  b.values.metadata = [obj({ name: target.name, namespace: target.namespace })];
  b.values.annotations = obj(Object.fromEntries(target.annotations));
  b.place('/annotations', at.annotations);
  for (const [key] of target.annotations) b.place(join('/annotations', key), at.annotations);
  return { type: 'kubernetes_annotations', localAddress, values: b.values, positions: b.positions };
}

function resources(call: ModelCall): ModelledResource[] {
  // Not flag(): an unknown `enabled` leaves the whole wrapper unread, a warning that says more than flag()'s note.
  if (isUnknown(input(call, 'enabled', true))) {
    call.unread?.('its enabled is not known statically, so whether it runs its command is not decided');
    return [];
  }
  if (flag(call, 'enabled', true) !== true) return [];
  const list = words(input(call, 'kubectl_create_command', mkUnknown('kubectl_create_command')));
  const annotate = list ? parseAnnotate(list) : undefined;
  if (!annotate) {
    call.unread?.('its kubectl_create_command is not a `kubectl annotate` of a ServiceAccount that podtrust can read');
    return [];
  }
  const at = '/kubectl_create_command';
  return [serviceAccountAnnotation(call, annotate, { name: at, namespace: at, annotations: at })];
}

const model: ModuleModel = {
  address: 'terraform-google-modules/gcloud/google',
  subdirs: { 3: 'modules/kubectl-wrapper', 4: 'modules/kubectl-wrapper' },
  documentedAt: [
    'https://github.com/terraform-google-modules/terraform-google-gcloud/blob/v4.0.0/modules/kubectl-wrapper/main.tf',
    'https://github.com/terraform-google-modules/terraform-google-kubernetes-engine/blob/v44.0.0/modules/workload-identity/main.tf',
  ],
  resources,
};

export default model;
