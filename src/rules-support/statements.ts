/** The statements of a role's trust policy, with their pointers, for rules about principals and actions. */
import type { JsonValue, Resource } from '../model/types.js';

export interface TrustStatement {
  pointer: string;
  effect: string;
  principal: JsonValue | undefined;
  actions: string[];
  hasCondition: boolean;
}

export function trustStatements(role: Resource): TrustStatement[] {
  const body = role.body as Record<string, JsonValue> | null;
  const doc = body?.AssumeRolePolicyDocument;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return [];
  const raw = (doc as Record<string, JsonValue>).Statement;
  const list = Array.isArray(raw) ? raw.map((s, i) => [s, `/AssumeRolePolicyDocument/Statement/${i}`] as const) : raw ? [[raw, '/AssumeRolePolicyDocument/Statement'] as const] : [];
  const out: TrustStatement[] = [];
  for (const [s, pointer] of list) {
    if (!s || typeof s !== 'object' || Array.isArray(s)) continue;
    const st = s as Record<string, JsonValue>;
    const action = st.Action;
    const actions = (Array.isArray(action) ? action : [action]).filter((a): a is string => typeof a === 'string');
    const cond = st.Condition;
    out.push({
      pointer,
      effect: typeof st.Effect === 'string' ? st.Effect : 'Allow',
      principal: st.Principal,
      actions,
      hasCondition: !!cond && typeof cond === 'object' && Object.keys(cond).length > 0,
    });
  }
  return out;
}
