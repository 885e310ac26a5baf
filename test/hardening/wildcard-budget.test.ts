/**
 * Trust policies whose wildcard patterns would take the set analysis exponential time, scanned
 * through the built CLI as the table the GitHub Action prints: the scan completes, and what
 * the analysis could not decide within its step budget is a coverage note, never a pass.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const SA = 'system:serviceaccount:';
const BUDGET = /the wildcard analysis stopped at its budget of 250,000 steps/;

/** Fifty patterns of a hundred stars, each star followed by one of ten letters in turn. */
function starPatterns(prefix: string, letters: string): string[] {
  return Array.from({ length: 50 }, (_, i) => prefix + Array.from({ length: 100 }, (_, k) => `*${letters[(i + k) % letters.length]}`).join(''));
}

function scanTrust(condition: Record<string, Record<string, string[]>>, args: string[] = []): ReturnType<typeof runCli> {
  const dir = mkdtempSync(join(tmpdir(), 'podtrust-budget-'));
  const statement = { Effect: 'Allow', Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${ISSUER}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition };
  writeFileSync(join(dir, 'trust.json'), JSON.stringify({ Version: '2012-10-17', Statement: [statement] }, null, 2));
  return runCli(['scan', dir, '--root', dir, '--fail-on', 'none', ...args]);
}

/** The coverage notes of a table, each on one line. */
function notesOf(table: string): string[] {
  const section = table.slice(table.indexOf('Coverage notes:'));
  return section.split(/\n(?=  \S)/).slice(1).map((note) => note.replace(/\s+/g, ' ').trim());
}

describe('wildcard patterns past the analysis budget', () => {
  it('fifty patterns of a hundred stars on sub and aud: the table lists the proven finding and names the limit', () => {
    const r = scanTrust({ StringLike: { [`${ISSUER}:sub`]: starPatterns(SA, 'abcdefghij'), [`${ISSUER}:aud`]: starPatterns('', 'abcdefghij') } });
    expect(r.status).toBe(0);
    // Two namespaces are proven by sample subjects: the finding stands, at its severity.
    expect(r.stdout).toMatch(/│ critical │ aws-trust-sub-wildcard/);
    // The message quotes ten patterns of two hundred characters: its cell is cut, visibly.
    expect(r.stdout).toMatch(/…\s+│\n└/);
    expect(r.stdout).not.toContain('aws-trust-unsatisfiable');
    const notes = notesOf(r.stdout);
    expect(notes).toEqual([expect.stringMatching(/^warning trust\.json:10 trust: how many namespaces the subject conditions admit was not fully decided/)]);
    expect(notes[0]).toMatch(BUDGET);
    expect(notes[0]).toMatch(/\(limit\)$/);
  });

  it('an AND of two such lists: undecided, reported as notes and not as a dead or a safe role', () => {
    const r = scanTrust(
      { StringLike: { [`${ISSUER}:sub`]: starPatterns(SA, 'abcdefghij') }, 'ForAnyValue:StringLike': { [`${ISSUER}:sub`]: starPatterns(SA, 'jihgfedcba') } },
      ['--format', 'table'],
    );
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('aws-trust-unsatisfiable');
    const notes = notesOf(r.stdout);
    expect(notes.some((n) => /^warning trust\.json:\d+ trust: whether any token satisfies the conditions on sub was not decided/.test(n) && BUDGET.test(n))).toBe(true);
    expect(notes.some((n) => /how many namespaces the subject conditions admit was not fully decided/.test(n))).toBe(true);

    const json = JSON.parse(
      scanTrust(
        { StringLike: { [`${ISSUER}:sub`]: starPatterns(SA, 'abcdefghij') }, 'ForAnyValue:StringLike': { [`${ISSUER}:sub`]: starPatterns(SA, 'jihgfedcba') } },
        ['--format', 'json'],
      ).stdout,
    ) as { notes: { kind: string; level: string; file: string }[] };
    expect(json.notes.filter((n) => n.kind === 'limit')).toEqual([
      expect.objectContaining({ level: 'warning', file: 'trust.json' }),
      expect.objectContaining({ level: 'warning', file: 'trust.json' }),
    ]);
  });
});
