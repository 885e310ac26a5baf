import { describe, expect, test } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { COLLECTED_TYPES } from '../../src/live/kubernetes/resource-types.js';
import { REPO } from '../helpers/fixtures.js';

const DIR = join(REPO, 'deploy', 'kubernetes');
const READ_VERBS = new Set(['get', 'list']);

type Obj = Record<string, any>;

function objects(): Obj[] {
  const out: Obj[] = [];
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(readFileSync(join(DIR, file), 'utf8'))) {
      expect(doc.errors, file).toEqual([]);
      out.push(doc.toJS() as Obj);
    }
  }
  return out;
}

function grants(role: Obj): Set<string> {
  const out = new Set<string>();
  for (const rule of role.rules ?? []) for (const g of rule.apiGroups ?? []) for (const r of rule.resources ?? []) out.add(`${g}/${r}`);
  return out;
}

describe('deploy/kubernetes', () => {
  const all = objects();
  const roles = all.filter((o) => o.kind === 'ClusterRole');
  const reader = roles.find((r) => r.metadata.name === 'podtrust-reader')!;
  const secrets = roles.find((r) => r.metadata.name === 'podtrust-secrets-reader')!;

  test('the ClusterRoles grant no write verb and no wildcard', () => {
    for (const role of roles) {
      for (const rule of role.rules) {
        for (const verb of rule.verbs) expect(READ_VERBS.has(verb), `${role.metadata.name}: ${verb}`).toBe(true);
        for (const field of ['apiGroups', 'resources', 'nonResourceURLs']) expect(rule[field] ?? []).not.toContain('*');
      }
    }
  });

  test('the reader covers every type the collector lists except Secrets, and nothing else', () => {
    const expected = new Set(COLLECTED_TYPES.filter((t) => !t.sensitive).map((t) => `${t.group}/${t.resource}`));
    expect(grants(reader)).toEqual(expected);
    expect(grants(secrets)).toEqual(new Set(COLLECTED_TYPES.filter((t) => t.sensitive).map((t) => `${t.group}/${t.resource}`)));
  });

  test('every role is bound to the podtrust ServiceAccount', () => {
    const sa = all.find((o) => o.kind === 'ServiceAccount')!;
    for (const role of roles) {
      const binding = all.find((o) => o.kind === 'ClusterRoleBinding' && o.roleRef.name === role.metadata.name);
      expect(binding?.subjects).toEqual([{ kind: 'ServiceAccount', name: sa.metadata.name, namespace: sa.metadata.namespace }]);
    }
  });

  test('the CronJob runs as non-root with a read-only root filesystem, as the podtrust ServiceAccount', () => {
    const cron = all.find((o) => o.kind === 'CronJob')!;
    const pod = cron.spec.jobTemplate.spec.template.spec;
    expect(pod.serviceAccountName).toBe('podtrust');
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    for (const c of pod.containers) {
      expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(c.securityContext.runAsNonRoot).toBe(true);
      expect(c.args[0]).toBe('scan');
    }
  });

  test('the Dockerfile is multi-stage and runs as a non-root user', () => {
    const text = readFileSync(join(DIR, 'Dockerfile'), 'utf8');
    expect(text.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    const user = /^USER (\S+)/m.exec(text)?.[1];
    expect(user).toBeDefined();
    expect(user!.split(':')[0]).not.toMatch(/^(0|root)$/);
  });
});
