/** The gcloud kubectl wrapper's model: which commands it reads as a ServiceAccount annotation, and what it names. */
import { describe, expect, it } from 'vitest';
import model from '../../../src/collectors/terraform/models/gcp-kubectl-wrapper.js';
import type { ModelCall } from '../../../src/collectors/terraform/models/types.js';
import { type Value, mkUnknown, newObject, templatePieces } from '../../../src/collectors/terraform/values.js';

function call(inputs: Record<string, Value>): { call: ModelCall; unread: string[]; undecided: string[] } {
  const unread: string[] = [];
  const undecided: string[] = [];
  return {
    unread,
    undecided,
    call: {
      major: 4,
      inputs: Object.assign(newObject(), inputs),
      inputPositions: { '/kubectl_create_command': { line: 7, column: 3, endLine: 7, endColumn: 40 } },
      callPosition: { file: 'main.tf', line: 1, column: 1, endLine: 9, endColumn: 2 },
      idFor: (a) => `id:${a}`,
      unread: (reason) => unread.push(reason),
      undecided: (what) => undecided.push(what),
    },
  };
}

function annotation(command: Value, extra: Record<string, Value> = {}) {
  const c = call({ kubectl_create_command: command, ...extra });
  const out = model.resources(c.call);
  return { out, unread: c.unread, undecided: c.undecided, values: out[0]?.values as any };
}

describe('kubectl-wrapper model', () => {
  it('reads `kubectl annotate sa` with -n, --namespace=, and the serviceaccount spelling', () => {
    const a = annotation('kubectl annotate --overwrite sa -n jobs default iam.gke.io/gcp-service-account=gsa@p.iam.gserviceaccount.com');
    expect(a.values).toMatchObject({ kind: 'ServiceAccount', metadata: [{ name: 'default', namespace: 'jobs' }], annotations: { 'iam.gke.io/gcp-service-account': 'gsa@p.iam.gserviceaccount.com' } });
    expect(a.out[0]!.positions['/annotations/iam.gke.io~1gcp-service-account']).toMatchObject({ line: 7 });
    const b = annotation('kubectl annotate serviceaccount --namespace=web api a=1 b=2');
    expect(b.values).toMatchObject({ metadata: [{ name: 'api', namespace: 'web' }], annotations: { a: '1', b: '2' } });
    expect(annotation('kubectl annotate sa api x=y').values.metadata[0].namespace).toBe('default');
  });

  it('keeps an unresolved annotation value, with the resource it names', () => {
    const email = mkUnknown('google_service_account.main.email', { ref: { id: 'gsa', attribute: 'email' } });
    const command = mkUnknown('kubectl annotate …');
    templatePieces.set(command, [{ text: 'kubectl annotate --overwrite sa -n jobs default iam.gke.io/gcp-service-account=' }, { unknown: email }]);
    expect(annotation(command).values.annotations['iam.gke.io/gcp-service-account']).toBe(email);
  });

  it('creates nothing when disabled', () => {
    const a = annotation('kubectl annotate sa -n jobs default a=b', { enabled: false });
    expect(a.out).toEqual([]);
    expect(a.unread).toEqual([]);
  });

  it('names a wrapper whose enabled is not known statically, rather than dropping its annotation unsaid', () => {
    const a = annotation('kubectl annotate sa -n jobs default a=b', { enabled: mkUnknown('var.annotate') });
    expect(a.out).toEqual([]);
    expect(a.unread).toEqual([expect.stringContaining('enabled')]);
    // Said once, as the warning it is: not also as a note about an undecided switch.
    expect(a.undecided).toEqual([]);
  });

  it('names any other command, or one it cannot read, as not analysed', () => {
    for (const command of ['kubectl apply -f sa.yaml', 'kubectl annotate pod -n x p a=b', 'kubectl annotate sa -n x a b c=d', 'kubectl annotate sa -n x a', mkUnknown('var.command')]) {
      const a = annotation(command);
      expect(a.out, String(command)).toEqual([]);
      expect(a.unread, String(command)).toHaveLength(1);
    }
  });
});
