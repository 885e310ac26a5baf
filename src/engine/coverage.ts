/**
 * Coverage notes for what the rules could not decide: a rule that meets an unresolved value
 * reports nothing on it, and the scan says so here, once per identity.
 */
import type { CoverageNote } from '../model/types.js';
import type { Model } from '../model/model.js';
import { isUnknown } from '../model/unknown.js';
import { positionOf } from '../model/locate.js';
import { shown } from '../util/input-text.js';

const IDENTITY_TYPES = ['aws.iam.Role', 'azure.msi.UserAssignedIdentity', 'gcp.iam.ServiceAccount'];

export function undecidedTrustNotes(model: Model): CoverageNote[] {
  const notes: CoverageNote[] = [];
  for (const type of IDENTITY_TYPES) {
    for (const identity of model.ofType(type)) {
      const doc = type === 'aws.iam.Role' ? (identity.body as Record<string, unknown> | null)?.AssumeRolePolicyDocument : undefined;
      // A wholly unknown trust document is noted by the collector that met it.
      if (isUnknown(doc)) continue;
      const undecided = model.federationsOf(identity).filter((f) => f.subject.unknown || f.audience.unknown);
      if (undecided.length === 0) continue;
      const first = undecided[0]!;
      const claims = [first.subject.unknown ? 'subjects' : '', first.audience.unknown ? 'audiences' : ''].filter(Boolean).join(' and ');
      // Azure credentials and GCP bindings are resources of their own: point at them.
      const where = (first.sourceId !== undefined ? model.resourceById(first.sourceId) : undefined) ?? identity;
      const note: CoverageNote = {
        kind: 'unresolved',
        level: 'note',
        file: where.file,
        message: `${shown(where.name)}: the trusted ${claims} are not known statically; rules that need them stayed silent`,
      };
      const pos = positionOf(where, where === identity ? first.pointer : '');
      if (pos) note.line = pos.line;
      notes.push(note);
    }
  }
  return notes;
}
