/** Coverage notes for IAM roles whose whole trust policy is not known statically. */
import type { CoverageNote, Resource, Unknown } from '../../model/types.js';
import { isUnknown } from './values.js';

const REFERENCE = /^(?:var|local|module|data|each|count)\.[\w.[\]"*-]+$|^[a-z][a-z0-9]*_[\w-]+\.[\w.[\]"*-]+$/;

/** What the trust policy is written as, without quoting literal text (a function name, a reference). */
export function describeUnknown(u: Unknown): string {
  const text = u.$unknown.trim();
  const call = /^(?:[\w]+::)*([a-z][\w]*)\s*\(/.exec(text);
  if (call) return `${call[1]}(...)`;
  if (text.length <= 80 && REFERENCE.test(text)) return text;
  return 'an expression';
}

/** One note per aws_iam_role whose `assume_role_policy` could not be read at all (templatefile(), file(), an unset variable). */
export function unresolvedTrustNotes(resources: Resource[]): CoverageNote[] {
  const notes: CoverageNote[] = [];
  for (const r of resources) {
    if (r.type !== 'aws.iam.Role') continue;
    const doc = (r.body as { AssumeRolePolicyDocument?: unknown }).AssumeRolePolicyDocument;
    if (!isUnknown(doc as Unknown)) continue;
    const pos = r.positions['/AssumeRolePolicyDocument'] ?? r.positions[''];
    const note: CoverageNote = {
      kind: 'unresolved',
      level: 'note',
      file: pos?.file ?? r.file,
      message: `${r.address ?? r.name}: trust policy is not known statically (${describeUnknown(doc as Unknown)}); rules that need it stayed silent`,
    };
    if (pos) {
      note.line = pos.line;
      note.column = pos.column;
    }
    notes.push(note);
  }
  return notes;
}
