/**
 * Grants wider than a workload should hold, read from the statements as written and confirmed
 * by evaluation (a Deny or a boundary that removes them removes the finding): broad AWS managed
 * policies by name, `*` actions, service wildcards and IAM/STS write powers on `Resource: "*"`.
 */
import { evaluate, isGranted } from './evaluate.js';
import type { PolicyInput, RolePolicies } from './role-policies.js';
import { isBroadManagedPolicyName } from './aws-managed-policies.js';

export interface BroadGrant {
  /** What is granted, for the message: `s3:*`, `AdministratorAccess`, `iam:PassRole`. */
  what: string;
  /** Pointer to the action as written (into the role, or into a customer managed policy); the attachment for a managed policy named as a whole. */
  pointer: string;
  policy: PolicyInput;
  conditional: boolean;
}

const READ_ONLY_IAM = /^(?:iam|sts):(?:Get|List|Describe|Simulate|Generate)/i;

/** A concrete action a pattern covers, to ask the evaluator whether the grant survives Denies and the boundary. */
function probeFor(pattern: string): string {
  return pattern.replace(/\*/g, 'PodtrustProbe').replace(/\?/g, 'Z');
}

function describePattern(pattern: string): string | undefined {
  if (/^\*+$/.test(pattern) || /^\*+:\*+$/.test(pattern)) return '`*` (every action)';
  const colon = pattern.indexOf(':');
  if (colon <= 0) return undefined;
  const service = pattern.slice(0, colon).toLowerCase();
  const name = pattern.slice(colon + 1);
  if (/^\*+$/.test(name)) return `\`${pattern}\``;
  if ((service === 'iam' || service === 'sts') && !READ_ONLY_IAM.test(pattern)) return `\`${pattern}\``;
  return undefined;
}

/** The broad grants of every policy except those named in `exempt` (AWS managed policy names). */
export function broadGrants(policies: RolePolicies, exempt: readonly string[] = []): BroadGrant[] {
  const out: BroadGrant[] = [];
  for (const policy of policies.identity) {
    if (policy.kind === 'aws-managed') {
      if (exempt.includes(policy.name) || !isBroadManagedPolicyName(policy.name)) continue;
      out.push({ what: `the AWS managed policy ${policy.name}`, pointer: policy.pointer, policy, conditional: false });
      continue;
    }
    for (const statement of policy.statements ?? []) {
      if (statement.effect !== 'Allow' || !statement.resources) continue;
      const onEverything = statement.notResource ? !statement.resources.known.some((r) => r.value === '*') : statement.resources.known.some((r) => /^\*+$/.test(r.value));
      if (!onEverything) continue;
      if (statement.notAction) {
        if (!isGranted(evaluate(policies, 'podtrustprobe:AnyAction').decision)) continue;
        const excluded = statement.actions.known.map((a) => a.value).join(', ');
        out.push({ what: `every action except ${excluded || 'none'} (\`NotAction\`)`, pointer: statement.actionPointer, policy, conditional: statement.conditional });
        continue;
      }
      for (const action of statement.actions.known) {
        const what = describePattern(action.value);
        if (!what) continue;
        if (!isGranted(evaluate(policies, probeFor(action.value)).decision)) continue;
        out.push({ what, pointer: action.pointer, policy, conditional: statement.conditional });
      }
    }
  }
  return out;
}
