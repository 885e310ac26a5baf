/** Workflow annotations at file and line, most severe first, within GitHub's per-step limits. */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { CoverageNote, Finding } from '../model/types.js';
import type { ScanResult } from '../engine/result.js';
import { displayPath, shownPath } from '../reporters/paths.js';
import { clampRegion, locationFile } from '../reporters/location.js';
import { sarifLevel } from '../reporters/severity.js';
import { countFindings } from '../reporters/counts.js';
import { isExactCommandProperty } from '../reporters/sanitize.js';

/** GitHub shows at most this many annotations of each kind per step. */
export const ANNOTATION_LIMIT = 10;

export type AnnotationKind = 'error' | 'warning' | 'notice';

export interface Annotation {
  kind: AnnotationKind;
  message: string;
  title: string;
  file?: string;
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
}

export interface AnnotationPlan {
  annotations: Annotation[];
  /** Findings GitHub would not show: left to the job summary. */
  leftOut: number;
}

function kindOf(finding: Finding): AnnotationKind {
  const level = sarifLevel(finding.severity);
  return level === 'note' ? 'notice' : level;
}

/**
 * The repository-relative path GitHub attaches the annotation to: only a regular file that
 * exists under the root, named by a path the command carries exactly.
 */
function annotatedFile(root: string, file: string): string | undefined {
  const shown = displayPath(root, file);
  if (shown.outsideRoot || !isExactCommandProperty(shown.path)) return undefined;
  try {
    return statSync(join(root, shown.path)).isFile() ? shown.path : undefined;
  } catch {
    return undefined;
  }
}

function annotation(result: ScanResult, finding: Finding): Annotation {
  const file = annotatedFile(result.root, locationFile(finding.location));
  const base: Annotation = { kind: kindOf(finding), message: finding.message, title: `${finding.severity}: ${finding.ruleId}` };
  if (file === undefined) {
    // Not attachable: the message says where instead.
    const line = finding.location.position ? `:${clampRegion(finding.location.position).startLine}` : '';
    return { ...base, message: `${shownPath(result.root, locationFile(finding.location))}${line}: ${finding.message}` };
  }
  const where: Annotation = { ...base, file };
  if (!finding.location.position) return where;
  const region = clampRegion(finding.location.position);
  // GitHub ignores columns on annotations that span several lines.
  return region.startLine === region.endLine
    ? { ...where, startLine: region.startLine, endLine: region.endLine, startColumn: region.startColumn, endColumn: region.endColumn }
    : { ...where, startLine: region.startLine, endLine: region.endLine };
}

/**
 * Annotates unsuppressed findings (only the new ones when a baseline marked them), most
 * severe first, at most {@link ANNOTATION_LIMIT} of each kind.
 */
export function planAnnotations(result: ScanResult): AnnotationPlan {
  const candidates = countFindings(result.findings).active.filter((f) => f.baselineState !== 'unchanged');
  const used: Record<AnnotationKind, number> = { error: 0, warning: 0, notice: 0 };
  const annotations: Annotation[] = [];
  let leftOut = 0;
  for (const finding of candidates) {
    const kind = kindOf(finding);
    if (used[kind] >= ANNOTATION_LIMIT) {
      leftOut++;
      continue;
    }
    used[kind]++;
    annotations.push(annotation(result, finding));
  }
  // What made the scan incomplete, at its file and line: an input that could not be read or analysed.
  for (const note of result.notes) {
    if (note.level !== 'error' || note.file === undefined || used.error >= ANNOTATION_LIMIT) continue;
    used.error++;
    annotations.push(noteAnnotation(result, note, note.file, 'error'));
  }
  // An input recognised but not analysed, or named and holding nothing podtrust reads: a warning at the file.
  for (const note of result.notes) {
    if (note.level !== 'warning' || !LEDGER_WARNINGS.has(note.kind) || note.file === undefined || used.warning >= ANNOTATION_LIMIT) continue;
    used.warning++;
    annotations.push(noteAnnotation(result, note, note.file, 'warning'));
  }
  return { annotations, leftOut };
}

const LEDGER_WARNINGS: ReadonlySet<CoverageNote['kind']> = new Set(['unsupported', 'nothing-analysed']);

function noteAnnotation(result: ScanResult, note: CoverageNote, noteFile: string, kind: AnnotationKind): Annotation {
  const base: Annotation = { kind, title: `podtrust: ${note.kind}`, message: note.message };
  const file = annotatedFile(result.root, noteFile);
  if (file === undefined) return { ...base, message: `${shownPath(result.root, noteFile)}${note.line ? `:${note.line}` : ''}: ${note.message}` };
  return note.line ? { ...base, file, startLine: note.line, endLine: note.line } : { ...base, file };
}
