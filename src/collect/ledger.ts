/**
 * The input ledger: every file given or found ends in exactly one state, decided here from what
 * the walk met, what the collectors accounted for and the notes they left.
 *
 * - `unparsable`: an error note names the file (it could not be parsed, or was refused), even when
 *   some of its documents were read: the scan is partial;
 * - `analysed`: a collector read it (`account(…, 'analysed')`);
 * - `not-analysed`: a collector recognised its format but could not read it (with its warning);
 * - `not-infrastructure`: no collector recognised it (a CI workflow, a values file, package.json);
 * - `excluded`: an exclude glob, or a folder never walked (one entry per folder).
 */
import { INPUT_STATES, INPUT_STATE_LABEL, type CoverageNote, type InputLedger, type InputState, type LedgerEntry, type Resource } from '../model/types.js';
import type { FileAccount } from '../collectors/types.js';
import type { InputSet } from './inputs.js';
import { unreadObjects } from '../model/read-kinds.js';


export function buildLedger(inputs: Pick<InputSet, 'files' | 'excluded'>, accounts: readonly FileAccount[], notes: readonly CoverageNote[], resources: readonly Resource[]): InputLedger {
  const errors = new Map<string, string>();
  for (const n of notes) if (n.level === 'error' && n.file !== undefined && !errors.has(n.file)) errors.set(n.file, n.message);
  const formats = new Map<string, { analysed: Set<string>; notAnalysed: Set<string> }>();
  for (const a of accounts) {
    let f = formats.get(a.file);
    if (!f) formats.set(a.file, (f = { analysed: new Set(), notAnalysed: new Set() }));
    (a.state === 'analysed' ? f.analysed : f.notAnalysed).add(a.format);
  }
  const perFile = resourcesPerFile(resources);
  const entries: LedgerEntry[] = [];
  for (const file of new Set(inputs.files)) {
    const error = errors.get(file);
    const f = formats.get(file);
    if (error !== undefined) entries.push({ file, state: 'unparsable', reason: error });
    else if (f && f.analysed.size > 0) entries.push({ file, state: 'analysed', format: [...f.analysed].sort().join(', '), resources: perFile.get(file) ?? 0 });
    else if (f && f.notAnalysed.size > 0) entries.push({ file, state: 'not-analysed', format: [...f.notAnalysed].sort().join(', ') });
    else entries.push({ file, state: 'not-infrastructure' });
  }
  // Overlapping paths (a folder and one inside it) meet an excluded folder twice: it is one entry.
  const excluded = new Set<string>();
  for (const e of inputs.excluded) {
    if (excluded.has(e.path)) continue;
    excluded.add(e.path);
    entries.push({ file: e.path, state: 'excluded', folder: e.folder, reason: e.reason });
  }
  entries.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { entries };
}

/** Resources each file produced, objects of kinds no rule reads left out; a module's resources count for the file that calls it. */
function resourcesPerFile(resources: readonly Resource[]): Map<string, number> {
  const { unread } = unreadObjects(resources);
  const out = new Map<string, number>();
  for (const r of resources) {
    if (unread.has(r)) continue;
    const file = r.via?.file ?? r.file;
    out.set(file, (out.get(file) ?? 0) + 1);
  }
  return out;
}

export function ledgerCounts(ledger: InputLedger | undefined): Record<InputState, number> {
  const counts = Object.fromEntries(INPUT_STATES.map((s) => [s, 0])) as Record<InputState, number>;
  for (const e of ledger?.entries ?? []) counts[e.state]++;
  return counts;
}

/**
 * Warnings that keep a scan from looking like a clean pass: a file named on the command line
 * from which nothing was analysed, and a scan that analysed nothing at all while no other note
 * says why.
 */
export function ledgerNotes(ledger: InputLedger, named: ReadonlySet<string>, resources: readonly Resource[]): CoverageNote[] {
  const notes: CoverageNote[] = [];
  for (const e of ledger.entries) {
    if (!named.has(e.file)) continue;
    // Unparsable and not-analysed files have their own error or warning already.
    if (e.state === 'not-infrastructure' || (e.state === 'analysed' && e.resources === 0)) {
      notes.push({ kind: 'nothing-analysed', level: 'warning', file: e.file, line: 1, message: 'named on the command line but holds no infrastructure podtrust reads' });
    }
  }
  const { unread } = unreadObjects(resources);
  const counts = ledgerCounts(ledger);
  // A file that could not be read or analysed already carries its own error or warning.
  if (resources.length === unread.size && counts['not-analysed'] + counts.unparsable === 0) {
    const files = ledger.entries.filter((e) => e.state !== 'excluded').length;
    const states = (['not-analysed', 'not-infrastructure', 'excluded', 'unparsable'] as const).filter((s) => counts[s] > 0).map((s) => `${counts[s]} ${INPUT_STATE_LABEL[s]}`);
    notes.push({
      kind: 'nothing-analysed',
      level: 'warning',
      message:
        files === 0
          ? 'nothing was analysed: no input file was found'
          : `nothing was analysed: none of the ${files} input file(s) holds infrastructure podtrust reads${states.length > 0 ? ` (${states.join(', ')})` : ''}`,
    });
  }
  return notes;
}
