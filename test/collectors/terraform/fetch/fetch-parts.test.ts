/** The parts of module fetching on their own: sources, constraints, the CLI configuration, archives, addresses. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { classifyGetterAddress, classifySource, shownSource } from '../../../../src/collectors/terraform/fetch/source.js';
import { collectLines } from '../../../helpers/module-calls.js';
import { chooseVersion, parseConstraint } from '../../../../src/collectors/terraform/fetch/constraints.js';
import { readCliConfig, tokenVariableHost, tokenVariableName } from '../../../../src/collectors/terraform/fetch/cli-config.js';
import { extractArchive } from '../../../../src/collectors/terraform/fetch/archive.js';
import { defaultCacheDir, moduleFolder } from '../../../../src/collectors/terraform/fetch/cache.js';
import { isPrivateAddress } from '../../../../src/collectors/terraform/fetch/https-get.js';
import { type TarEntry, tarGz } from './registry-server.js';
import { zip } from './zip-writer.js';

function temp(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

describe('module sources', () => {
  it('reads registry addresses as Terraform does (a host needs a dot)', () => {
    expect(classifySource('terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts')).toEqual({ kind: 'registry', host: 'registry.terraform.io', address: 'terraform-aws-modules/iam/aws', subdir: 'modules/iam-role-for-service-accounts' });
    expect(classifySource('app.terraform.io/acme/eks/aws')).toMatchObject({ kind: 'registry', host: 'app.terraform.io', address: 'acme/eks/aws' });
    expect(classifySource('localhost:8443/acme/eks/aws').kind).toBe('refused');
    expect(classifySource('./modules/x')).toEqual({ kind: 'local' });
  });

  it('reads go-getter addresses: GitHub shorthand, git over https with ref and subdir, archives', () => {
    const gh = classifySource('github.com/terraform-aws-modules/terraform-aws-iam//modules/x?ref=v5.1.0');
    expect(gh).toMatchObject({ kind: 'git', ref: 'v5.1.0', subdir: 'modules/x' });
    expect(gh.kind === 'git' && gh.url.toString()).toBe('https://github.com/terraform-aws-modules/terraform-aws-iam');
    const archive = classifyGetterAddress('https://example.com/m/v1?archive=tar.gz');
    expect(archive).toMatchObject({ kind: 'archive', archive: 'tar.gz' });
    expect(archive.kind === 'archive' && archive.url.search).toBe('');
    expect(classifyGetterAddress('https://example.com/m.zip//sub')).toMatchObject({ kind: 'archive', archive: 'zip', subdir: 'sub' });
  });

  it('refuses every other scheme with the reason', () => {
    const why = (s: string): string => {
      const c = classifySource(s);
      return c.kind === 'refused' ? c.why : c.kind;
    };
    expect(why('git::ssh://git@github.com/org/repo.git')).toContain('git over ssh');
    expect(why('git::http://example.com/repo.git')).toContain('https only');
    expect(why('hg::https://example.com/repo')).toContain('hg sources are not fetched');
    expect(why('https://example.com/module')).toContain('not an archive');
    expect(why('git::https://example.com/r.git?sshkey=abc')).toContain('ssh key');
    expect(why('bitbucket.org/org/repo')).toContain('bitbucket');
  });
});

describe('module sources in messages', () => {
  it('masks the user part of a URL and every query value but ref, depth, archive, version and region', () => {
    expect(shownSource('git::https://oauth2:ghp_s3cr3t@github.com/org/repo.git?ref=v1.2.0')).toBe('git::https://***@github.com/org/repo.git?ref=v1.2.0');
    expect(shownSource('https://tok3n@example.com/m.tgz//sub?archive=tgz')).toBe('https://***@example.com/m.tgz//sub?archive=tgz');
    expect(shownSource('git::https://example.com/r.git?ref=main&sshkey=LS0tLS1CRUdJTg')).toBe('git::https://example.com/r.git?ref=main&sshkey=***');
    expect(shownSource('s3::https://s3-eu-west-1.amazonaws.com/b/m.zip?aws_access_key_id=AKIA&aws_access_key_secret=wJalr')).toBe('s3::https://s3-eu-west-1.amazonaws.com/b/m.zip?aws_access_key_id=***&aws_access_key_secret=***');
    expect(shownSource('git@github.com:org/repo.git')).toBe('git@github.com:org/repo.git');
    expect(shownSource('terraform-aws-modules/iam/aws//modules/x')).toBe('terraform-aws-modules/iam/aws//modules/x');
  });

  it('a note on a module it does not analyse holds no part of a credential in its source', async () => {
    const { result } = await collectLines('/repo/main.tf', [
      'module "a" {',
      '  source = "git::https://oauth2:ghp_s3cr3tT0k3n@github.com/org/repo.git?ref=v1&sshkey=LS0tS3cr3tK3y"',
      '}',
    ]);
    const text = JSON.stringify(result.notes);
    expect(text).toContain('module \\"a\\" (git::https://***@github.com/org/repo.git?ref=v1&sshkey=***)');
    expect(text).not.toMatch(/ghp_|S3cr3t|oauth2/);
  });
});

describe('version constraints', () => {
  const published = ['1.0.0', '1.2.0', '1.2.5', '1.3.0-rc1', '2.0.0'];
  const pick = (c: string | undefined): string | undefined => chooseVersion(published, parseConstraint(c)!)?.text;

  it('takes the newest version every term admits', () => {
    expect(pick('~> 1.2')).toBe('1.2.5');
    expect(pick('~> 1.2.0')).toBe('1.2.5');
    expect(pick('>= 1.0, != 1.2.5, < 2')).toBe('1.2.0');
    expect(pick(undefined)).toBe('2.0.0');
    expect(pick('> 2.0.0')).toBeUndefined();
  });

  it('takes a pre-release only when the constraint is exactly it', () => {
    expect(pick('1.3.0-rc1')).toBe('1.3.0-rc1');
    expect(pick('= 1.3.0-rc1')).toBeUndefined();
    expect(pick('~> 1.3.0-rc1')).toBeUndefined();
  });

  it('refuses a constraint it cannot read', () => {
    expect(parseConstraint('~> banana')).toBeUndefined();
    expect(parseConstraint('>= 1.0,')).toBeUndefined();
  });
});

describe('the Terraform CLI configuration', () => {
  it('decodes TF_TOKEN_<host> names as Terraform does', () => {
    expect(tokenVariableHost('TF_TOKEN_app_terraform_io')).toBe('app.terraform.io');
    expect(tokenVariableHost('TF_TOKEN_my__registry_example_com')).toBe('my-registry.example.com');
    expect(tokenVariableHost('TF_TOKEN_')).toBeUndefined();
    expect(tokenVariableHost('AWS_TOKEN_x')).toBeUndefined();
    expect(tokenVariableName('My-Registry.example.com')).toBe('TF_TOKEN_my__registry_example_com');
    expect(tokenVariableHost(tokenVariableName('a-b.c-d.example')!)).toBe('a-b.c-d.example');
    // A host with a port has no variable name.
    expect(tokenVariableName('registry.example.com:8443')).toBeUndefined();
    expect(tokenVariableName('registry.example.com:443')).toBe('TF_TOKEN_registry_example_com');
  });

  it('reads the name of a credentials_helper block', async () => {
    const home = temp('podtrust-home-');
    const rc = join(home, 'rc');
    writeFileSync(rc, 'credentials_helper "vault" {\n  args = ["--profile", "ci"]\n}\n');
    expect((await readCliConfig({ HOME: home, TF_CLI_CONFIG_FILE: rc })).credentialsHelper).toBe('vault');
    expect((await readCliConfig({ HOME: home, TF_CLI_CONFIG_FILE: join(home, 'none') })).credentialsHelper).toBeUndefined();
  });

  it('reads host and credentials blocks, credentials.tfrc.json, and lets the environment win', async () => {
    const home = temp('podtrust-home-');
    const rc = join(home, 'rc');
    writeFileSync(rc, 'host "Registry.Example.com:443" {\n  services = {\n    "modules.v1" = "https://mirror.example.com/modules/"\n  }\n}\ncredentials "a.example.com" {\n  token = "from-block"\n}\n');
    mkdirSync(join(home, '.terraform.d'));
    writeFileSync(join(home, '.terraform.d', 'credentials.tfrc.json'), JSON.stringify({ credentials: { 'a.example.com': { token: 'from-json' }, 'b.example.com': { token: 'json-b' } } }));
    const config = await readCliConfig({ HOME: home, TF_CLI_CONFIG_FILE: rc, TF_TOKEN_b_example_com: 'from-env' });
    expect(config.hosts.get('registry.example.com')).toEqual({ 'modules.v1': 'https://mirror.example.com/modules/' });
    expect(config.tokens.get('a.example.com')).toBe('from-block');
    expect(config.tokens.get('b.example.com')).toBe('from-env');
    expect(config.problems).toEqual([]);
  });
});

describe('archives', () => {
  const limits = { maxFiles: 10, maxBytes: 1024 * 1024 };

  it('unpacks plain files, never executable, and skips links that stay inside', async () => {
    const into = temp('podtrust-x-');
    const data = await tarGz([{ name: 'a/main.tf', body: 'x' }, { name: 'a/link.tf', type: 'symlink', linkname: 'main.tf' }]);
    expect(await extractArchive('tar.gz', data, into, limits)).toEqual({ files: 1, bytes: 1, skipped: 1 });
    expect(readdirSync(join(into, 'a'))).toEqual(['main.tf']);
    expect(statSync(join(into, 'a', 'main.tf')).mode & 0o111).toBe(0);
  });

  it('refuses too many files, too many bytes, and a gzip bomb, before writing them all', async () => {
    await expect(extractArchive('tar.gz', await tarGz(Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.tf`, body: 'x' }))), temp('podtrust-x-'), limits)).rejects.toThrow('more than 10 files');
    await expect(extractArchive('tar.gz', await tarGz([{ name: 'big.tf', body: 'x'.repeat(2 * 1024 * 1024) }]), temp('podtrust-x-'), limits)).rejects.toThrow(/more than 1048576 bytes/);
    // 64 MB of zeros compress to ~64 kB: refused while inflating.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const into = temp('podtrust-x-');
    await expect(extractArchive('tar.gz', bomb, into, limits)).rejects.toThrow(/unpacks to more than/);
    expect(readdirSync(into)).toEqual([]);
  });

  it('refuses hard links out and absolute names; names bzip2 and xz, which it does not read', async () => {
    const into = temp('podtrust-x-');
    await expect(extractArchive('tar.gz', await tarGz([{ name: 'h.tf', type: 'link', linkname: '../../etc/passwd' }]), into, limits)).rejects.toThrow('leads outside');
    await expect(extractArchive('tar.gz', await tarGz([{ name: '/abs.tf', body: 'x' }]), into, limits)).rejects.toThrow('leads outside');
    expect(existsSync('/abs.tf')).toBe(false);
    await expect(extractArchive('tar.bz2', Buffer.from('BZh9'), into, limits)).rejects.toThrow('tar.bz2 archives are not read by podtrust (tar, tar.gz and zip are)');
    await expect(extractArchive('tar.xz', Buffer.from('x'), into, limits)).rejects.toThrow('tar.xz archives are not read');
  });
});

describe('zip archives, under the same extraction contract as tar', () => {
  const limits = { maxFiles: 10, maxBytes: 1024 * 1024, maxFileBytes: 512 * 1024 };

  it('unpacks stored and deflated files, never executable, and skips links that stay inside', async () => {
    const into = temp('podtrust-z-');
    const data = zip([{ name: 'a/', mode: 0o040755 }, { name: 'a/main.tf', body: 'deflated', mode: 0o100755 }, { name: 'a/b.tf', body: 'stored', method: 0 }, { name: 'a/link.tf', body: 'main.tf', mode: 0o120777 }]);
    expect(await extractArchive('zip', data, into, limits)).toEqual({ files: 2, bytes: 14, skipped: 1 });
    expect(readdirSync(join(into, 'a')).sort()).toEqual(['b.tf', 'main.tf']);
    expect(readFileSync(join(into, 'a', 'main.tf'), 'utf8')).toBe('deflated');
    expect(statSync(join(into, 'a', 'main.tf')).mode & 0o111).toBe(0);
  });

  it('reads the zip git archive writes (as GitHub zipballs are made): folders, files, a link inside skipped, a link out refused', async () => {
    const work = temp('podtrust-gitzip-');
    const git = (...args: string[]): Buffer => execFileSync('git', args, { cwd: work, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
    mkdirSync(join(work, 'modules', 'role'), { recursive: true });
    const root = 'variable "x" {}\n';
    const role = 'resource "null_resource" "r" {}\n'.repeat(50);
    writeFileSync(join(work, 'main.tf'), root);
    writeFileSync(join(work, 'modules', 'role', 'main.tf'), role);
    symlinkSync('../../main.tf', join(work, 'modules', 'role', 'root.tf'));
    git('init', '-q');
    git('add', '.');
    git('commit', '-q', '-m', 'm');
    const inside = git('archive', '--format=zip', '--prefix=repo-1.0.0/', 'HEAD');
    const into = temp('podtrust-z-');
    expect(await extractArchive('zip', inside, into, limits)).toEqual({ files: 2, bytes: root.length + role.length, skipped: 1 });
    expect((readdirSync(into, { recursive: true }) as string[]).sort()).toEqual(['repo-1.0.0', 'repo-1.0.0/main.tf', 'repo-1.0.0/modules', 'repo-1.0.0/modules/role', 'repo-1.0.0/modules/role/main.tf']);
    symlinkSync('/etc/passwd', join(work, 'secrets.tf'));
    git('add', '.');
    git('commit', '-q', '-m', 'out');
    const out = git('archive', '--format=zip', 'HEAD');
    await expect(extractArchive('zip', out, temp('podtrust-z-'), limits)).rejects.toThrow('link "secrets.tf" leads outside the module folder');
  });

  it('refuses what tar refuses, in the same words', async () => {
    const big = 'x'.repeat(600 * 1024);
    const cases: { entries: TarEntry[]; refusal: string | RegExp }[] = [
      { entries: [{ name: 'main.tf', body: 'x' }, { name: '../../escaped.tf', body: 'x' }], refusal: 'entry "../../escaped.tf" leads outside the module folder' },
      { entries: [{ name: '/abs.tf', body: 'x' }], refusal: 'entry "/abs.tf" leads outside the module folder' },
      { entries: [{ name: 'secrets.tf', type: 'symlink', linkname: '/etc/passwd' }], refusal: 'link "secrets.tf" leads outside the module folder' },
      { entries: [{ name: 'd/up.tf', type: 'symlink', linkname: '../../x' }], refusal: 'link "d/up.tf" leads outside the module folder' },
      { entries: Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.tf`, body: 'x' })), refusal: 'more than 10 files' },
      { entries: [{ name: 'big.tf', body: big }], refusal: 'file "big.tf" unpacks to more than 524288 bytes' },
      { entries: [{ name: 'a.tf', body: big.slice(0, 400 * 1024) }, { name: 'b.tf', body: big.slice(0, 400 * 1024) }, { name: 'c.tf', body: big.slice(0, 400 * 1024) }], refusal: 'unpacks to more than 1048576 bytes' },
      { entries: [{ name: 'twice.tf', body: 'a' }, { name: 'twice.tf', body: 'b' }], refusal: 'an entry is written twice' },
    ];
    const asZip = (entries: TarEntry[]): Buffer => zip(entries.map((e) => (e.type === 'symlink' ? { name: e.name, body: e.linkname ?? '', mode: 0o120777 } : { name: e.name, body: e.body ?? '' })));
    for (const { entries, refusal } of cases) {
      const tarInto = temp('podtrust-x-');
      const zipInto = temp('podtrust-z-');
      await expect(extractArchive('tar.gz', await tarGz(entries), tarInto, limits), String(refusal)).rejects.toThrow(refusal);
      await expect(extractArchive('zip', asZip(entries), zipInto, limits), String(refusal)).rejects.toThrow(refusal);
    }
    expect(existsSync(join(tmpdir(), 'escaped.tf'))).toBe(false);
  });

  it('refuses devices, fifos, encrypted entries and compression it cannot read', async () => {
    const into = (): string => temp('podtrust-z-');
    await expect(extractArchive('zip', zip([{ name: 'dev', mode: 0o020644 }]), into(), limits)).rejects.toThrow('entry "dev" is a character device');
    await expect(extractArchive('zip', zip([{ name: 'pipe', mode: 0o010644 }]), into(), limits)).rejects.toThrow('entry "pipe" is a fifo');
    await expect(extractArchive('zip', zip([{ name: 'e.tf', body: 'x', encrypted: true }]), into(), limits)).rejects.toThrow('entry "e.tf" is encrypted');
    await expect(extractArchive('zip', Buffer.from('PK not a zip'), into(), limits)).rejects.toThrow(/not a readable zip archive/);
  });

  it('refuses zip bombs: inflating past the limit whatever the header says, and entries that share their data', async () => {
    // 64 MB of zeros deflate to ~64 kB.
    const zeros = Buffer.alloc(64 * 1024 * 1024);
    const honest = temp('podtrust-z-');
    await expect(extractArchive('zip', zip([{ name: 'bomb.tf', body: zeros }]), honest, { ...limits, maxFileBytes: 10 * 1024 * 1024 })).rejects.toThrow('unpacks to more than 1048576 bytes');
    // A header that claims 10 bytes: the bytes are counted as they come, not taken from it.
    const lying = temp('podtrust-z-');
    await expect(extractArchive('zip', zip([{ name: 'bomb.tf', body: zeros, declaredSize: 10 }]), lying, limits)).rejects.toThrow(/unpacks to more than|too many bytes/);
    expect(readdirSync(honest)).toEqual([]);
    expect(readdirSync(lying)).toEqual([]);
    // Many names for one compressed stream (the overlapping-entries bomb): refused before inflating any.
    const overlap = temp('podtrust-z-');
    const entries = [{ name: 'a.tf', body: 'x'.repeat(1000) }, ...Array.from({ length: 5 }, (_, i) => ({ name: `copy${i}.tf`, sameDataAs: 0 }))];
    await expect(extractArchive('zip', zip(entries), overlap, limits)).rejects.toThrow('entries "a.tf" and "copy0.tf" overlap (a zip bomb)');
    expect(readdirSync(overlap)).toEqual([]);
    // A zip inside (a nested bomb) is a plain file: never unpacked, counted at its own size.
    const inner = zip([{ name: 'bomb.tf', body: zeros }]);
    const nested = temp('podtrust-z-');
    expect(await extractArchive('zip', zip([{ name: 'inner.zip', body: inner, method: 0 }]), nested, limits)).toEqual({ files: 1, bytes: inner.length, skipped: 0 });
    expect(readdirSync(nested)).toEqual(['inner.zip']);
  });

  it('refuses a listing of more entries than the limits allow before reading it', async () => {
    const many = zip(Array.from({ length: 41 }, (_, i) => ({ name: `d${i}/`, mode: 0o040755 })));
    await expect(extractArchive('zip', many, temp('podtrust-z-'), limits)).rejects.toThrow('more than 40 entries');
    await expect(extractArchive('tar.gz', await tarGz(Array.from({ length: 41 }, (_, i) => ({ name: `d${i}`, type: 'directory' as const }))), temp('podtrust-x-'), limits)).rejects.toThrow('more than 40 entries');
  });
});

describe('addresses and the cache folder', () => {
  it('knows loopback, private, link-local and mapped addresses', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::127.0.0.1', 'fec0::1', '0.0.0.0', '100.64.0.1']) expect(isPrivateAddress(a), a).toBe(true);
    for (const a of ['140.82.112.3', '2606:50c0:8000::153', '::ffff:8.8.8.8']) expect(isPrivateAddress(a), a).toBe(false);
  });

  it('finds the module folder of a package: a glob part must match one folder, and nothing leads out', () => {
    const pkg = temp('podtrust-pkg-');
    mkdirSync(join(pkg, 'repo-1.0.0', 'modules', 'role'), { recursive: true });
    expect(moduleFolder(pkg, '*/modules/role')).toBe(join(pkg, 'repo-1.0.0', 'modules', 'role'));
    expect(() => moduleFolder(pkg, '../x')).toThrow('leads outside');
    expect(() => moduleFolder(pkg, '*/missing')).toThrow('has no subdirectory');
    mkdirSync(join(pkg, 'repo-2.0.0'));
    expect(() => moduleFolder(pkg, '*')).toThrow('several folders');
  });

  it('lives under XDG_CACHE_HOME, else ~/.cache', () => {
    expect(defaultCacheDir({ XDG_CACHE_HOME: '/c', HOME: '/h' })).toBe('/c/podtrust');
    expect(defaultCacheDir({ HOME: '/h' })).toBe('/h/.cache/podtrust');
    expect(defaultCacheDir({ XDG_CACHE_HOME: 'relative', HOME: '/h' })).toBe('/h/.cache/podtrust');
  });
});
