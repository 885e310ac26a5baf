/** The input ledger as JSON and SARIF carry it: counts in the summary, and one list per state. */
import type { InputLedger, InputState, LedgerEntry } from '../model/types.js';
import type { ScanSummary } from '../engine/result.js';

/** Keys of the per-state lists and counts (the JSON report's keys are camelCase). */
const KEY: Readonly<Record<InputState, string>> = {
  analysed: 'analysed',
  'not-analysed': 'notAnalysed',
  'not-infrastructure': 'notInfrastructure',
  excluded: 'excluded',
  unparsable: 'unparsable',
};

export interface LedgerItem {
  file: string;
  format?: string;
  resources?: number;
  folder?: true;
  reason?: string;
}

/** `{ analysed: 3, notAnalysed: 1, … }` */
export function ledgerCountsJson(summary: ScanSummary): Record<string, number> | undefined {
  const inputs = summary.inputs;
  if (inputs === undefined) return undefined;
  return Object.fromEntries((Object.keys(KEY) as InputState[]).map((s) => [KEY[s], inputs[s]]));
}

/** `{ analysed: [{ file, format, resources }], notAnalysed: [{ file, format }], …, excluded: [{ file, folder?, reason }], unparsable: [{ file, reason }] }`, files as `path` shows them. */
export function ledgerListsJson(ledger: InputLedger, path: (file: string) => string): Record<string, LedgerItem[]> {
  const lists: Record<string, LedgerItem[]> = Object.fromEntries(Object.values(KEY).map((k) => [k, []]));
  for (const e of ledger.entries) lists[KEY[e.state]]!.push(item(e, path));
  return lists;
}

function item(e: LedgerEntry, path: (file: string) => string): LedgerItem {
  return {
    file: path(e.file),
    ...(e.format !== undefined ? { format: e.format } : {}),
    ...(e.resources !== undefined ? { resources: e.resources } : {}),
    ...(e.folder ? { folder: true as const } : {}),
    ...(e.reason !== undefined ? { reason: e.reason } : {}),
  };
}
