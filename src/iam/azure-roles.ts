/**
 * Azure built-in role definitions by their fixed GUIDs (the same in every tenant), from
 * https://learn.microsoft.com/azure/role-based-access-control/built-in-roles .
 */
import type { JsonValue, Unknown } from '../model/types.js';
import { isUnknown } from '../model/unknown.js';

export const BUILTIN_ROLES: Readonly<Record<string, string>> = {
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': 'Owner',
  'b24988ac-6180-42a0-ab88-20f7382dd24c': 'Contributor',
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9': 'User Access Administrator',
  'f58310d9-a9f6-439a-9e8d-f62e7b41a168': 'Role Based Access Control Administrator',
  'acdd72a7-3385-48ef-bd42-f606fba81ae7': 'Reader',
};

const GUID = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\s*$/i;

/** The built-in role name a role definition id names (a bare GUID or a full id; an Unknown by its known suffix). */
export function builtinRoleName(definitionId: JsonValue | Unknown | undefined): string | undefined {
  const text = typeof definitionId === 'string' ? definitionId : isUnknown(definitionId) ? definitionId.suffix : undefined;
  if (text === undefined) return undefined;
  const m = GUID.exec(text);
  if (!m) return undefined;
  // An Unknown's suffix must hold the whole last segment, not a tail of it.
  if (typeof definitionId !== 'string' && !/\/[0-9a-f-]{36}\s*$/i.test(text)) return undefined;
  return BUILTIN_ROLES[m[1]!.toLowerCase()];
}
