/** Azure RBAC scopes: which level a scope string names (management group, subscription, resource group, resource). */
import type { JsonValue, Unknown } from '../model/types.js';
import { isUnknown } from '../model/unknown.js';

export type ScopeLevel = 'root' | 'managementGroup' | 'subscription' | 'resourceGroup' | 'resource';

/** The parsed scope kept next to a role assignment's `properties` (`scopeInfo`). Parts stay absent when unknown. */
export interface ScopeInfo {
  level: ScopeLevel;
  managementGroup?: string;
  subscription?: string;
  resourceGroup?: string;
  /** The provider path of a resource scope (`Microsoft.Storage/storageAccounts/data`). */
  resource?: string;
}

/** Stands for an unresolved path segment while the shape of a partly known scope is read. */
const UNKNOWN_SEGMENT = '\u0000';

/** Parses a literal scope; undefined when it has no recognizable shape. */
export function parseScope(scope: string): ScopeInfo | undefined {
  const trimmed = scope.trim();
  if (trimmed === '/') return { level: 'root' };
  const parts = trimmed.split('/').filter((p) => p !== '');
  if (trimmed.startsWith('/') === false || parts.length < 2) return undefined;
  const lower = parts.map((p) => p.toLowerCase());
  const named = (v: string | undefined) => (v === undefined || v === UNKNOWN_SEGMENT ? undefined : v);
  if (lower[0] === 'providers' && lower[1] === 'microsoft.management' && lower[2] === 'managementgroups' && parts.length === 4) {
    return withParts({ level: 'managementGroup' }, { managementGroup: named(parts[3]) });
  }
  if (lower[0] !== 'subscriptions') return undefined;
  const subscription = named(parts[1]);
  if (parts.length === 2) return withParts({ level: 'subscription' }, { subscription });
  if (lower[2] === 'resourcegroups' && parts.length >= 4) {
    const resourceGroup = named(parts[3]);
    if (parts.length === 4) return withParts({ level: 'resourceGroup' }, { subscription, resourceGroup });
    if (lower[4] === 'providers' && parts.length >= 7) {
      return withParts({ level: 'resource' }, { subscription, resourceGroup, resource: parts.slice(5).join('/').replaceAll(UNKNOWN_SEGMENT, '*') });
    }
    return undefined;
  }
  if (lower[2] === 'providers' && parts.length >= 5) {
    return withParts({ level: 'resource' }, { subscription, resource: parts.slice(3).join('/').replaceAll(UNKNOWN_SEGMENT, '*') });
  }
  return undefined;
}

function withParts(info: ScopeInfo, parts: Omit<ScopeInfo, 'level'>): ScopeInfo {
  for (const [k, v] of Object.entries(parts)) if (v !== undefined) (info as unknown as Record<string, string>)[k] = v;
  return info;
}

/**
 * The scope of a value: a literal, or a template whose unresolved pieces are whole path
 * segments (`/subscriptions/${var.subscription_id}/resourceGroups/${var.rg}`). Undefined when
 * the level cannot be told.
 */
export function scopeOf(value: JsonValue | Unknown | undefined): ScopeInfo | undefined {
  if (typeof value === 'string') return parseScope(value);
  if (!isUnknown(value)) return undefined;
  const text = value.$unknown;
  if (!text.startsWith('/')) return undefined;
  const shaped = text.replace(/\$\{[^}]*\}/g, UNKNOWN_SEGMENT);
  // A piece inside a segment (`rg-${var.env}`) still names one segment; one spanning '/' cannot be read.
  if (/\$\{|\}/.test(shaped)) return undefined;
  const segments = shaped.split('/');
  const normalized = segments.map((s) => (s.includes(UNKNOWN_SEGMENT) && s !== UNKNOWN_SEGMENT ? UNKNOWN_SEGMENT : s)).join('/');
  return parseScope(normalized);
}
