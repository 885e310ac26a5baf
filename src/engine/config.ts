/**
 * `.podtrust.yaml`: rules on/off and severity overrides, `ignore` entries (always with a
 * reason, optionally expiring), the `clusters` map and extra excludes. Validated with ajv;
 * errors name the file and line.
 */
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { CoverageNote, Finding, Severity } from '../model/types.js';
import { InputReader, readPolicy } from '../util/input-reader.js';
import { parseYaml } from '../util/yaml.js';
import { PodtrustError } from '../errors.js';
import { checkGlob, globMatch } from '../util/glob.js';
import { rootRelative } from '../util/paths.js';
import { escapeToken, split } from '../util/pointer.js';
import { allRules } from './rules.js';

export type RuleSetting = 'on' | 'off' | Severity;

export interface IgnoreEntry {
  /** Where the entry is written, for notes about it. */
  line?: number;
  rule: string;
  resource?: string;
  path?: string;
  reason: string;
  expires?: string;
}

export interface ClusterMapping {
  paths: string[];
  name: string;
  provider?: 'aws' | 'azure' | 'gcp' | 'other';
  account?: string;
  project?: string;
  subscription?: string;
  issuer?: string;
  environment?: string;
}

export interface PodtrustConfig {
  rules: Record<string, RuleSetting>;
  ignore: IgnoreEntry[];
  clusters: ClusterMapping[];
  exclude: string[];
  /** The file it was read from, when any. */
  file?: string;
  /** Why the config file was not read (outside the root, not a regular file, too large): the scan runs without it, partial. */
  notes?: CoverageNote[];
}

export const CONFIG_FILE_NAME = '.podtrust.yaml';

export const configSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    rules: {
      type: 'object',
      additionalProperties: { enum: ['on', 'off', 'critical', 'high', 'medium', 'low'] },
    },
    ignore: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['rule', 'reason'],
        properties: {
          rule: { type: 'string', minLength: 1 },
          resource: { type: 'string' },
          path: { type: 'string' },
          reason: { type: 'string', minLength: 1 },
          expires: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
        },
      },
    },
    clusters: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['paths', 'name'],
        properties: {
          paths: { type: 'array', minItems: 1, items: { type: 'string' } },
          name: { type: 'string', minLength: 1 },
          provider: { enum: ['aws', 'azure', 'gcp', 'other'] },
          account: { type: 'string' },
          project: { type: 'string' },
          subscription: { type: 'string' },
          issuer: { type: 'string' },
          environment: { type: 'string' },
        },
      },
    },
    exclude: { type: 'array', items: { type: 'string' } },
  },
} as const;

export function emptyConfig(): PodtrustConfig {
  return { rules: {}, ignore: [], clusters: [], exclude: [] };
}

let validate: ReturnType<Ajv['compile']> | undefined;

/**
 * Reads the config: the given file (must exist, may lie anywhere: the user named it), else
 * `.podtrust.yaml` in the root when present, which must lie inside the root. A file the reader
 * refuses is not read at all: the scan runs without it and its notes make the scan partial.
 */
export function loadConfig(root: string, explicit?: string, maxFileBytes?: number): PodtrustConfig {
  const file = explicit ?? join(root, CONFIG_FILE_NAME);
  const reader = new InputReader(readPolicy(root, [], maxFileBytes !== undefined ? { maxFileBytes } : {}));
  const read = reader.readText(file, { named: explicit !== undefined });
  if (read.ok) return parseConfig(read.text, file);
  if (read.reason === 'missing' && !explicit) return emptyConfig();
  if (read.reason === 'missing') throw new PodtrustError('config', `${explicit}: config file not found`);
  return { ...emptyConfig(), notes: [{ kind: read.note?.kind ?? 'skipped', level: 'error', file, line: 1, message: `configuration file not read: ${read.why}; the scan ran without it` }] };
}

export function parseConfig(text: string, file: string): PodtrustConfig {
  const parsed = parseYaml(text);
  if (parsed.errors.length > 0) {
    const e = parsed.errors[0]!;
    throw new PodtrustError('config', `${file}:${e.line}: ${e.message}`);
  }
  const doc = parsed.documents[0];
  if (!doc) return { ...emptyConfig(), file };
  validate ??= new Ajv({ allErrors: true }).compile(configSchema);
  // ajv needs ordinary objects; the parser returns null-prototype ones.
  const data = JSON.parse(JSON.stringify(doc.value)) as unknown;
  if (!validate(data)) {
    const err = validate.errors![0]!;
    let pointer = err.instancePath;
    if (err.keyword === 'additionalProperties') pointer += '/' + String((err.params as { additionalProperty: string }).additionalProperty);
    let line = doc.positions[pointer]?.line;
    for (let p = split(pointer); line === undefined && p.length > 0; p = p.slice(0, -1)) {
      line = doc.positions['/' + p.slice(0, -1).join('/')]?.line;
    }
    const what = err.keyword === 'additionalProperties' ? `unknown setting "${(err.params as { additionalProperty: string }).additionalProperty}"` : `${err.instancePath || 'config'} ${err.message ?? 'is invalid'}`;
    throw new PodtrustError('config', `${file}:${line ?? 1}: ${what}`);
  }
  const cfg = data as Partial<PodtrustConfig>;
  const lineOf = (pointer: string): number => doc.positions[pointer]?.line ?? 1;
  const known = new Set(allRules().map((r) => r.meta.id));
  for (const id of Object.keys(cfg.rules ?? {})) {
    if (!known.has(id)) throw new PodtrustError('config', `${file}:${lineOf(`/rules/${escapeToken(id)}`)}: unknown rule "${id}" (podtrust rules lists them)`);
  }
  (cfg.ignore ?? []).forEach((entry, i) => {
    entry.line = lineOf(`/ignore/${i}`);
    if (entry.rule !== '*' && !known.has(entry.rule)) throw new PodtrustError('config', `${file}:${lineOf(`/ignore/${i}/rule`)}: unknown rule "${entry.rule}" (podtrust rules lists them; "*" means every rule)`);
    if (entry.expires !== undefined && !isCalendarDate(entry.expires)) throw new PodtrustError('config', `${file}:${lineOf(`/ignore/${i}/expires`)}: "${entry.expires}" is not a date (YYYY-MM-DD)`);
  });
  const globAt = (glob: string, pointer: string): void => {
    try {
      checkGlob(glob);
    } catch (e) {
      throw new PodtrustError('config', `${file}:${lineOf(pointer)}: ${(e as Error).message}`);
    }
  };
  (cfg.exclude ?? []).forEach((g, i) => globAt(g, `/exclude/${i}`));
  (cfg.ignore ?? []).forEach((entry, i) => {
    if (entry.path !== undefined) globAt(entry.path, `/ignore/${i}/path`);
    if (entry.resource !== undefined) globAt(entry.resource, `/ignore/${i}/resource`);
  });
  (cfg.clusters ?? []).forEach((c, i) => c.paths.forEach((g, j) => globAt(g, `/clusters/${i}/paths/${j}`)));
  return { rules: cfg.rules ?? {}, ignore: cfg.ignore ?? [], clusters: cfg.clusters ?? [], exclude: cfg.exclude ?? [], file };
}

function isCalendarDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** The reason of the first unexpired `ignore` entry that matches the finding, if any. */
export interface ExternalMatch {
  /** The reason of the first unexpired entry that matches. */
  reason?: string;
  /** Entries that would match but have expired: their findings are reported again. */
  expired: IgnoreEntry[];
}

/** The `ignore` entries of the config that match a finding. */
export function externalSuppression(config: PodtrustConfig, finding: Finding, root: string, now: Date): ExternalMatch {
  const rel = rootRelative(root, finding.location.file);
  const expired: IgnoreEntry[] = [];
  for (const entry of config.ignore) {
    if (entry.rule !== '*' && entry.rule !== finding.ruleId) continue;
    if (entry.path && !globMatch(entry.path, rel)) continue;
    if (entry.resource && !globMatch(entry.resource, finding.resource.name) && !globMatch(entry.resource, finding.resource.id)) continue;
    if (entry.expires && new Date(`${entry.expires}T23:59:59Z`) < now) {
      expired.push(entry);
      continue;
    }
    return { reason: entry.reason, expired };
  }
  return { expired };
}
