/**
 * Permissions that amount to administrator access: `*` on `*`, the whole IAM service, or one of
 * the known escalation paths (each lets its holder grant itself anything).
 */
import { evaluate, isGranted, type Decision, type Evaluation } from './evaluate.js';
import type { RolePolicies } from './role-policies.js';

export interface EscalationProbe {
  /** What the finding says it grants. */
  reason: string;
  /** All of these must be granted on `*`. */
  actions: readonly string[];
  /** And at least one of these on some resource, when given (a compute service to pass a role to). */
  anyOf?: readonly string[];
}

/** An action of a service no policy names: only service-wide patterns (`*`, `*:*`, `NotAction`) grant it. */
const ANY_SERVICE_PROBE = 'podtrustprobe:AnyAction';
const ANY_IAM_PROBE = 'iam:PodtrustProbeAnyAction';

/** Services that run code with a role passed to them (`iam:PassRole` then yields that role's access). */
export const PASS_ROLE_COMPUTE_ACTIONS: readonly string[] = [
  'ec2:RunInstances',
  'lambda:CreateFunction',
  'ecs:RunTask',
  'ecs:RegisterTaskDefinition',
  'cloudformation:CreateStack',
  'glue:CreateDevEndpoint',
  'glue:CreateJob',
  'sagemaker:CreateNotebookInstance',
  'codebuild:CreateProject',
  'datapipeline:CreatePipeline',
  'eks:CreateNodegroup',
];

export const ESCALATION_PROBES: readonly EscalationProbe[] = [
  { reason: 'iam:PassRole on `*` with a compute service', actions: ['iam:PassRole'], anyOf: PASS_ROLE_COMPUTE_ACTIONS },
  { reason: 'iam:CreatePolicyVersion (rewrites any customer managed policy)', actions: ['iam:CreatePolicyVersion'] },
  { reason: 'iam:AttachRolePolicy (attaches any policy to a role)', actions: ['iam:AttachRolePolicy'] },
  { reason: 'iam:AttachUserPolicy (attaches any policy to a user)', actions: ['iam:AttachUserPolicy'] },
  { reason: 'iam:AttachGroupPolicy (attaches any policy to a group)', actions: ['iam:AttachGroupPolicy'] },
  { reason: 'iam:PutRolePolicy (writes an inline policy on a role)', actions: ['iam:PutRolePolicy'] },
  { reason: 'iam:PutUserPolicy (writes an inline policy on a user)', actions: ['iam:PutUserPolicy'] },
  { reason: 'iam:PutGroupPolicy (writes an inline policy on a group)', actions: ['iam:PutGroupPolicy'] },
  { reason: 'iam:CreateAccessKey (creates keys for any user)', actions: ['iam:CreateAccessKey'] },
  { reason: 'iam:UpdateAssumeRolePolicy (rewrites any role\'s trust)', actions: ['iam:UpdateAssumeRolePolicy'] },
  { reason: 'sts:AssumeRole on `*` (assumes any role that trusts the account)', actions: ['sts:AssumeRole'] },
];

export interface AdminFinding {
  reason: string;
  /** The evaluation of the action that grants it (its `grants` locate the statement). */
  evaluation: Evaluation;
  decision: Decision;
}

function granted(policies: RolePolicies, action: string): Evaluation | undefined {
  const e = evaluate(policies, action, '*');
  return isGranted(e.decision) ? e : undefined;
}

/**
 * Whether the action is granted on at least one resource: on `*`, or on a resource pattern an
 * Allow statement names (a pattern matches itself, so asking with it as the resource is exact).
 */
function grantedSomewhere(policies: RolePolicies, action: string): boolean {
  if (granted(policies, action)) return true;
  const patterns = new Set<string>();
  for (const p of policies.identity) {
    for (const s of p.statements ?? []) if (s.effect === 'Allow' && s.resources && !s.notResource) for (const r of s.resources.known) patterns.add(r.value);
  }
  for (const r of patterns) if (isGranted(evaluate(policies, action, r).decision)) return true;
  return false;
}

/** The admin-equivalent grants of a set of policies, most sweeping first; empty when none is certain. */
export function adminEquivalentGrants(policies: RolePolicies): AdminFinding[] {
  const any = granted(policies, ANY_SERVICE_PROBE);
  const iamAny = granted(policies, ANY_IAM_PROBE);
  if (any && iamAny) return [{ reason: 'every action on every resource (`*` on `*`)', evaluation: any, decision: weakerOf(any, iamAny) }];
  if (iamAny) return [{ reason: 'every IAM action (`iam:*`)', evaluation: iamAny, decision: iamAny.decision }];
  const out: AdminFinding[] = [];
  for (const probe of ESCALATION_PROBES) {
    const evals = probe.actions.map((a) => granted(policies, a));
    if (evals.some((e) => e === undefined)) continue;
    if (probe.anyOf && !probe.anyOf.some((a) => grantedSomewhere(policies, a))) continue;
    const first = evals[0]!;
    const conditional = evals.some((e) => e!.decision === 'conditional');
    out.push({ reason: probe.reason, evaluation: first, decision: conditional ? 'conditional' : 'allow' });
  }
  return out;
}

function weakerOf(a: Evaluation, b: Evaluation): Decision {
  return a.decision === 'conditional' || b.decision === 'conditional' ? 'conditional' : 'allow';
}
