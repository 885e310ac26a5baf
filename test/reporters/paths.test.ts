import { describe, expect, it } from 'vitest';
import { displayPath, encodeUriPath } from '../../src/reporters/paths.js';
import { clampRegion } from '../../src/reporters/location.js';
import { pascalCase } from '../../src/reporters/pascal-case.js';

describe('displayPath', () => {
  it('is relative inside the root and the file as given outside it', () => {
    expect(displayPath('/r', '/r/a/b.yaml')).toEqual({ path: 'a/b.yaml', outsideRoot: false });
    expect(displayPath('/r', '/rx/b.yaml')).toEqual({ path: '/rx/b.yaml', outsideRoot: true });
    expect(displayPath('/r', './k8s/x.yaml')).toEqual({ path: 'k8s/x.yaml', outsideRoot: false });
    expect(displayPath('/r', '../x.yaml')).toEqual({ path: '../x.yaml', outsideRoot: true });
    expect(displayPath('C:\\repo', 'C:\\repo\\iam\\a.json')).toEqual({ path: 'iam/a.json', outsideRoot: false });
  });
});

describe('encodeUriPath', () => {
  it('encodes each segment and keeps the separators', () => {
    expect(encodeUriPath('a b/c#d/ü.yaml')).toBe('a%20b/c%23d/%C3%BC.yaml');
    expect(encodeUriPath("x(1)!'*.tf")).toBe('x%281%29%21%27%2A.tf');
  });
});

describe('clampRegion', () => {
  it('never ends before it starts and never is empty', () => {
    expect(clampRegion({ line: 3, column: 5, endLine: 2, endColumn: 1 })).toEqual({ startLine: 3, startColumn: 5, endLine: 3, endColumn: 6 });
    expect(clampRegion({ line: 0, column: -4, endLine: 0, endColumn: 0 })).toEqual({ startLine: 1, startColumn: 1, endLine: 1, endColumn: 2 });
    expect(clampRegion({ line: 2, column: 9, endLine: 4, endColumn: 0 })).toEqual({ startLine: 2, startColumn: 9, endLine: 4, endColumn: 1 });
  });
});

describe('pascalCase', () => {
  it('joins kebab-case words', () => {
    expect(pascalCase('k8s-identity-on-default-sa')).toBe('K8sIdentityOnDefaultSa');
  });
});
