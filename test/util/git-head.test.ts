import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempTree } from '../helpers/temp-tree.js';
import { gitHead } from '../../src/util/git-head.js';
import { scannedInputs } from '../../src/engine/scanned.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

function repo(files: Record<string, string>): string {
  return tempTree('podtrust-git-', files);
}

describe('the commit a work tree has checked out', () => {
  it('reads a detached HEAD, a loose branch and a packed branch', () => {
    expect(gitHead(repo({ '.git/HEAD': `${A}\n` }))).toBe(A);
    expect(gitHead(repo({ '.git/HEAD': 'ref: refs/heads/main\n', '.git/refs/heads/main': `${B}\n` }))).toBe(B);
    expect(gitHead(repo({ '.git/HEAD': 'ref: refs/heads/w/x\n', '.git/packed-refs': `# pack-refs with: peeled\n${A} refs/heads/main\n${B} refs/heads/w/x\n` }))).toBe(B);
  });

  it('follows a linked work tree to the common directory for its branch', () => {
    const main = repo({ '.git/refs/heads/feature': `${A}\n`, '.git/worktrees/wt/HEAD': 'ref: refs/heads/feature\n', '.git/worktrees/wt/commondir': '../..\n' });
    const linked = repo({});
    writeFileSync(join(linked, '.git'), `gitdir: ${join(main, '.git/worktrees/wt')}\n`);
    expect(gitHead(linked)).toBe(A);
  });

  it('answers nothing rather than guess: no repository, an unborn branch, a ref that climbs out, a HEAD that is not a commit', () => {
    expect(gitHead(repo({ 'a.yaml': 'x: 1\n' }))).toBeUndefined();
    expect(gitHead(repo({ '.git/HEAD': 'ref: refs/heads/main\n' }))).toBeUndefined();
    expect(gitHead(repo({ '.git/HEAD': 'ref: refs/../../secret\n', secret: `${A}\n` }))).toBeUndefined();
    expect(gitHead(repo({ '.git/HEAD': 'ref: refs/heads/main\n', '.git/refs/heads/main': 'not a commit\n' }))).toBeUndefined();
  });

  it('gives the reports the paths relative to the root and the commit', () => {
    const root = repo({ '.git/HEAD': `${A}\n`, 'infra/main.tf': '' });
    expect(scannedInputs({ paths: [root, join(root, 'infra'), '-'], root })).toEqual({ paths: ['.', 'infra', '-'], inventories: 0, commit: A });
    expect(scannedInputs({ paths: [], root, inventories: [{}], commit: B })).toEqual({ paths: [], inventories: 1, commit: B });
  });

  it('names the live sources read', () => {
    const live = { kubernetes: { contexts: ['prod', 'staging'] }, aws: { regions: ['eu-west-1'] }, azure: { subscriptions: ['sub-1'] }, gcp: { projects: ['acme'] } };
    expect(scannedInputs({ paths: [], root: tmpdir(), live }).live).toEqual([
      'Kubernetes context prod',
      'Kubernetes context staging',
      'AWS: the account of the current credentials (eu-west-1)',
      'Azure subscription sub-1',
      'GCP project acme',
    ]);
    expect(scannedInputs({ paths: [], root: tmpdir(), live: { kubernetes: { allContexts: true } } }).live).toEqual(['Kubernetes: every context of the kubeconfig']);
    expect(scannedInputs({ paths: [], root: tmpdir(), live: {} }).live).toBeUndefined();
  });
});
