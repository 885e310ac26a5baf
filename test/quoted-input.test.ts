/** Values from the input that a finding's message quotes are bounded, however long or many they are. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../src/scan.js';
import { runRules } from '../src/engine/engine.js';
import { emptyConfig } from '../src/engine/config.js';
import type { CodeRule } from '../src/engine/rule-api.js';
import { Model } from '../src/model/model.js';
import type { Inventory, Resource } from '../src/model/types.js';
import { MESSAGE_CHARACTERS, NAME_CHARACTERS, QUOTED_CHARACTERS, QUOTED_VALUES } from '../src/util/input-text.js';

const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';

function trustPolicy(condition: Record<string, Record<string, string | string[]>>): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${ISSUER}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition }],
  });
}

async function messagesOf(text: string): Promise<Map<string, string>> {
  const dir = mkdtempSync(join(tmpdir(), 'podtrust-quoted-'));
  writeFileSync(join(dir, 'trust.json'), text);
  const result = await scan({ paths: [dir], root: dir });
  return new Map(result.findings.map((f) => [f.ruleId, f.message]));
}

/** The quoted strings of a message (JSON string literals). */
function quotedValues(message: string): string[] {
  return (message.match(/"(?:[^"\\]|\\.)*"/g) ?? []).map((q) => JSON.parse(q) as string);
}

describe('input quoted in messages', () => {
  it('cuts each quoted pattern and lists only the first ones of many', async () => {
    const patterns = Array.from({ length: 30 }, (_, i) => `system:serviceaccount:team-${i}-${'x'.repeat(3000)}:*`);
    const messages = await messagesOf(trustPolicy({ StringLike: { [`${ISSUER}:sub`]: patterns }, StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com' } }));
    const message = messages.get('aws-trust-sub-wildcard')!;
    const quoted = quotedValues(message);
    expect(quoted).toHaveLength(QUOTED_VALUES);
    for (const [i, value] of quoted.entries()) {
      expect(Array.from(value)).toHaveLength(QUOTED_CHARACTERS);
      expect(value.startsWith(`system:serviceaccount:team-${i}-xxx`)).toBe(true);
      expect(value.endsWith('…')).toBe(true);
    }
    expect(message).toContain(`and ${30 - QUOTED_VALUES} more`);
    expect(message.length).toBeLessThan(3000);
  });

  it('cuts a long condition key quoted in a message, and a long issuer named in it', async () => {
    const other = `oidc.eks.eu-west-1.amazonaws.com/id/${'B'.repeat(5000)}`;
    const messages = await messagesOf(
      trustPolicy({ StringEquals: { [`${other}:sub`]: 'system:serviceaccount:a:b', [`${ISSUER}:sub`]: 'system:serviceaccount:a:b', [`${ISSUER}:aud`]: 'sts.amazonaws.com' } }),
    );
    const message = messages.get('aws-trust-issuer-mismatch')!;
    expect(message).toBeDefined();
    for (const value of quotedValues(message)) expect(Array.from(value).length).toBeLessThanOrEqual(QUOTED_CHARACTERS);
    expect(message).not.toContain('B'.repeat(NAME_CHARACTERS));
    expect(message.length).toBeLessThan(1200);
  });

  it('never lets a message grow past its bound, whatever a rule wrote', () => {
    const sa: Resource = { id: 'k8s:ServiceAccount/ns/a', type: 'k8s.ServiceAccount', name: 'ns/a', file: '/repo/sa.yaml', format: 'kubernetes', body: {}, positions: {} };
    const verbose: CodeRule = {
      meta: { id: 'test-verbose', title: 't', severity: 'low', provider: 'kubernetes', description: 'd', remediation: 'r', references: [] },
      check: (ctx) => ctx.report({ resource: sa, at: '', message: `ServiceAccount ${'z'.repeat(20_000)} is named at length.` }),
    };
    const inventory: Inventory = { version: 1, resources: [sa], clusters: [], notes: [] };
    const [finding] = runRules(new Model(inventory), [verbose], emptyConfig(), '/repo').findings;
    expect(Array.from(finding!.message)).toHaveLength(MESSAGE_CHARACTERS);
    expect(finding!.message.startsWith('ServiceAccount zzz')).toBe(true);
    expect(finding!.message.endsWith('…')).toBe(true);
  });
});
