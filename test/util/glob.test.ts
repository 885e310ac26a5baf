import { describe, expect, it } from 'vitest';
import { checkGlob, excludedBy, globMatch, globMatchesPathOrParent, MAX_BRACE_EXPANSIONS } from '../../src/util/glob.js';
import { closest } from '../../src/util/suggest.js';

describe('path globs', () => {
  it('reads the syntax users write in .gitignore and picomatch', () => {
    const cases: Array<[string, string, boolean]> = [
      ['*.yaml', 'k8s/sa.yaml', true],
      ['*.yaml', 'k8s/sa.yml', false],
      ['k8s/*.yaml', 'k8s/sa.yaml', true],
      ['k8s/*.yaml', 'k8s/sub/sa.yaml', false],
      ['k8s/**/*.yaml', 'k8s/sub/deep/sa.yaml', true],
      ['k8s/**', 'k8s', true],
      ['**/test/**', 'a/test/b.yaml', true],
      ['{dev,staging}/**', 'staging/x.tf', true],
      ['{dev,staging}/**', 'prod/x.tf', false],
      ['env-{a,{b,c}}/*', 'env-c/main.tf', true],
      ['v{1..3}/x', 'v2/x', true],
      ['v{1..3}/x', 'v4/x', false],
      ['[ab]*.tf', 'b-main.tf', true],
      ['[ab]*.tf', 'c-main.tf', false],
      ['[!ab]*.tf', 'c-main.tf', true],
      ['[^ab]*.tf', 'a-main.tf', false],
      ['[a-c]?.tf', 'b1.tf', true],
      ['[a-c]?.tf', 'd1.tf', false],
      ['!legacy/**', 'legacy/x.yaml', false],
      ['!legacy/**', 'new/x.yaml', true],
      ['literal\\*.yaml', 'literal*.yaml', true],
      ['literal\\*.yaml', 'literalx.yaml', false],
      ['{notabrace}', '{notabrace}', true],
      ['.github', 'x/.github/workflows/a.yaml', true],
      ['./examples/', 'examples', true],
    ];
    for (const [glob, path, expected] of cases) expect({ glob, path, match: glob.includes('/') || glob.startsWith('!') ? globMatch(glob, path) : globMatchesPathOrParent(glob, path) }).toEqual({ glob, path, match: expected });
  });

  it('excludes a folder by its bare name, and the last matching glob decides', () => {
    expect(excludedBy(['examples'], 'modules/examples/main.tf')).toBe(true);
    expect(excludedBy(['examples/**', '!examples/keep/**'], 'examples/keep/main.tf')).toBe(false);
    expect(excludedBy(['examples/**', '!examples/keep/**'], 'examples/drop/main.tf')).toBe(true);
    expect(excludedBy(['!x', 'x'], 'x')).toBe(true);
    expect(excludedBy([], 'anything')).toBe(false);
  });

  it('stays linear on globs that make backtracking matchers exponential', () => {
    // picomatch compiles this to a RegExp that takes tens of seconds on one 255-character name.
    const hostile = `${'*a'.repeat(40)}*b`;
    const name = 'a'.repeat(255);
    for (let i = 0; i < 50; i++) expect(globMatch(hostile, `dir/${name}`)).toBe(false);
    expect(globMatch(`${'**/'.repeat(50)}x`, `${'d/'.repeat(200)}y`)).toBe(false);
  });

  it('refuses globs it cannot read, with the reason', () => {
    expect(() => checkGlob('[abc')).toThrow(/no closing "]"/);
    expect(() => checkGlob('{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}')).toThrow(new RegExp(`more than ${MAX_BRACE_EXPANSIONS}`));
    expect(() => checkGlob('{a,b}/*.yaml')).not.toThrow();
  });
});

describe('suggestions', () => {
  it('names the closest candidate for a typo and nothing for a different word', () => {
    expect(closest('fromat', ['format', 'output', 'fail-on'])).toBe('format');
    expect(closest('jsno', ['table', 'json', 'sarif'])).toBe('json');
    expect(closest('aws-trust-sub-wildcrd', ['aws-trust-sub-wildcard', 'aws-trust-sub-missing'])).toBe('aws-trust-sub-wildcard');
    expect(closest('kubernetes', ['table', 'json', 'sarif'])).toBeUndefined();
  });
});
