/**
 * What the AWS, Azure and GCP live collectors share: a log of the API operations they call
 * (the API-call count of the summary, and what the least-privilege documents must allow),
 * live resources rendered as JSON with real positions, and the collection summary line.
 */
import type { CoverageNote, JsonObject, JsonValue, PositionMap, Resource } from '../model/types.js';
import { DEFAULT_LIMITS, parseJson } from '../util/structured.js';
import { valueNestingOverflow } from '../util/nesting.js';
import { isCancelled } from './cancel.js';
import { redactBody } from '../credentials/redact.js';
import { lazyPositions } from '../model/lazy-positions.js';

export type CloudProvider = 'aws' | 'azure' | 'gcp';

/** One API operation called: `iam:GetAccountAuthorizationDetails`, `Microsoft.Authorization/roleAssignments/read`, `iam.serviceAccounts.list`. */
export interface ApiCall {
  provider: CloudProvider;
  operation: string;
}

export class ApiCallLog {
  readonly calls: ApiCall[] = [];
  record(provider: CloudProvider, operation: string): void {
    this.calls.push({ provider, operation });
  }
  count(provider?: CloudProvider): number {
    return provider === undefined ? this.calls.length : this.calls.filter((c) => c.provider === provider).length;
  }
  operations(provider?: CloudProvider): string[] {
    return [...new Set(this.calls.filter((c) => provider === undefined || c.provider === provider).map((c) => c.operation))].sort();
  }
}

export interface LiveResourceSpec {
  id: string;
  type: string;
  name: string;
  /** Stable per-object path (`aws/<account>/iam/roles/<name>.json`). */
  file: string;
  /** ARN, Azure resource id or Google resource name. */
  logicalLocation: string;
  body: JsonObject;
  cluster?: string;
}

/**
 * SDK output as plain JSON: dates become ISO strings, class instances plain objects, `undefined`
 * fields disappear. An answer nested deeper than the default `--max-depth` is refused before
 * JSON.stringify recurses into it.
 */
export function plain(value: unknown): JsonObject {
  if (valueNestingOverflow((value ?? {}) as JsonValue, DEFAULT_LIMITS.maxDepth) !== undefined) throw new Error(`the answer nests deeper than ${DEFAULT_LIMITS.maxDepth} levels`);
  return JSON.parse(JSON.stringify(value ?? {})) as JsonObject;
}

/**
 * A live object as a resource: positions come from the object's own JSON rendering (two-space
 * indentation, the text a snapshot folder would hold), so SARIF regions are real. They are
 * computed when first read: an account's roles are many, and few are pointed at.
 */
export function liveResource(spec: LiveResourceSpec): Resource {
  // Redacted before it is rendered: positions are those of what is kept.
  const credentials = redactBody(spec.type, spec.body);
  const body = (parseJson(JSON.stringify(spec.body)).documents[0]?.value as JsonValue | undefined) ?? spec.body;
  const positions = lazyPositions(jsonPositions, undefined, body);
  const r: Resource = { id: spec.id, type: spec.type, name: spec.name, file: spec.file, format: 'live', body, positions, logicalLocation: spec.logicalLocation };
  if (spec.cluster !== undefined) r.cluster = spec.cluster;
  if (credentials.length > 0) r.credentials = credentials;
  return r;
}

/** The positions of a body in its two-space JSON rendering (the body is what parsing that text gives, so the text is the same). */
function jsonPositions(body: JsonValue): PositionMap {
  return parseJson(JSON.stringify(body, null, 2)).documents[0]?.positions ?? (Object.create(null) as PositionMap);
}

/** `aws account 123456789012: 12 aws.iam.Role, 2 aws.eks.Cluster; 9 API calls in 1.2 s`. */
export function collectionSummary(source: string, resources: Resource[], apiCalls: number, elapsedMs: number): string {
  const counts = new Map<string, number>();
  for (const r of resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const parts = [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([t, n]) => `${n} ${t}`);
  return `${source}: ${parts.length > 0 ? parts.join(', ') : 'nothing'}; ${apiCalls} API call(s) in ${(elapsedMs / 1000).toFixed(1)} s`;
}

/** A message safe for a note: no tokens, no response bodies, only the first line. */
export function errorText(e: unknown): string {
  const err = e as { name?: string; message?: string; code?: string; statusCode?: number; $metadata?: { httpStatusCode?: number } };
  const status = err?.$metadata?.httpStatusCode ?? err?.statusCode;
  const first = String(err?.message ?? e).split('\n')[0]!.slice(0, 300);
  const code = err?.name && err.name !== 'Error' ? err.name : err?.code;
  return [status !== undefined ? `HTTP ${status}` : undefined, code, first].filter((x) => x !== undefined && x !== '').join(': ');
}

export function permissionNote(source: string, what: string, e: unknown): CoverageNote {
  return { kind: 'permission', level: 'warning', message: `${source}: not allowed to read ${what} (${errorText(e)}): findings that need them are missing` };
}

export function failureNote(source: string, what: string, e: unknown): CoverageNote {
  return { kind: 'skipped', level: 'error', message: `${source}: cannot read ${what}: ${errorText(e)}` };
}

/** How a failed read is classified: it decides the note and whether the source stops. */
export type ReadFailure = 'permission' | 'authentication' | 'timeout' | 'other';

export interface SourceRun {
  notes: CoverageNote[];
  /** Set once the source cannot go on (cancelled, credentials refused). */
  stopped: boolean;
}

/**
 * Runs one read of a live source. Whatever goes wrong becomes a coverage note naming the
 * source and what was being read; cancellation and refused credentials stop the source,
 * everything else lets it go on with its other reads.
 */
export async function attemptRead(
  run: SourceRun,
  source: string,
  what: string,
  signal: AbortSignal | undefined,
  classify: (e: unknown) => ReadFailure,
  timeoutSeconds: number,
  work: () => Promise<void>,
): Promise<void> {
  if (run.stopped) return;
  if (isCancelled(signal)) {
    run.notes.push({ kind: 'skipped', level: 'error', message: `${source}: cancelled: what was not read yet is missing` });
    run.stopped = true;
    return;
  }
  try {
    await work();
  } catch (e) {
    if (isCancelled(signal)) {
      if (!run.stopped) run.notes.push({ kind: 'skipped', level: 'error', message: `${source}: cancelled while reading ${what}: what was not read yet is missing` });
      run.stopped = true;
      return;
    }
    switch (classify(e)) {
      case 'timeout':
        run.notes.push({ kind: 'skipped', level: 'error', message: `${source}: cannot read ${what}: no answer within ${timeoutSeconds} s` });
        break;
      case 'permission':
        run.notes.push(permissionNote(source, what, e));
        break;
      case 'authentication':
        run.notes.push({ kind: 'skipped', level: 'error', message: `${source}: cannot authenticate: ${errorText(e)}` });
        run.stopped = true;
        break;
      default:
        run.notes.push(failureNote(source, what, e));
    }
  }
}

