/**
 * Module archives as an attacker writes them (the registry or archive host a pull request names may
 * be theirs): every spelling of a way out, links, bombs and broken archives. Each is refused in
 * words that name the entry, or unpacked harmlessly; nothing is ever written beside the target.
 */
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { extractArchive } from '../../../../src/collectors/terraform/fetch/archive.js';
import { type TarEntry, tarGz } from './registry-server.js';
import { type ZipEntry, unicodePath, zip } from './zip-writer.js';

const limits = { maxFiles: 10, maxBytes: 1024 * 1024, maxFileBytes: 512 * 1024 };

/** A target folder inside a parent of its own: whatever leaks out shows up beside it. */
function target(): { parent: string; into: string } {
  const parent = mkdtempSync(join(tmpdir(), 'podtrust-hostile-'));
  const into = join(parent, 'pkg');
  mkdirSync(into);
  return { parent, into };
}

async function refusedZip(entries: ZipEntry[], refusal: string | RegExp): Promise<void> {
  const { parent, into } = target();
  await expect(extractArchive('zip', zip(entries), into, limits), entries.map((e) => e.name).join(',')).rejects.toThrow(refusal);
  expect(readdirSync(parent)).toEqual(['pkg']);
}

async function refusedTar(entries: TarEntry[], refusal: string | RegExp): Promise<void> {
  const { parent, into } = target();
  await expect(extractArchive('tar.gz', await tarGz(entries), into, limits), entries.map((e) => e.name).join(',')).rejects.toThrow(refusal);
  expect(readdirSync(parent)).toEqual(['pkg']);
}

describe('zip entry names that lead out, in every spelling', () => {
  it.each(['../x.tf', './../x.tf', 'a/../../x.tf', 'a/./../../x.tf', '/etc/x.tf', '..\\x.tf', 'a\\..\\..\\x.tf', '\\x.tf', 'C:/x.tf', 'C:x.tf', 'c:\\x.tf', '..'])('refuses %j', async (name) => {
    await refusedZip([{ name: 'main.tf', body: 'x' }, { name, body: 'x' }], /leads outside the module folder/);
  });

  it('refuses a way out named only in the Unicode path extra field, which replaces the plain name', async () => {
    await refusedZip([{ name: 'main.tf', body: 'x', extra: unicodePath('main.tf', '../../x.tf') }], 'entry "../../x.tf" leads outside the module folder');
  });

  it('writes lookalike dots and slashes as the plain names they are, inside the folder', async () => {
    const { parent, into } = target();
    // FULLWIDTH FULL STOP, ONE DOT LEADER, TWO DOT LEADER, DIVISION SLASH, FULLWIDTH SOLIDUS.
    const names = ['\uff0e\uff0e\u2215x.tf', '\u2024\u2024\u2044y.tf', '\u2025\uff0fz.tf'];
    expect(await extractArchive('zip', zip(names.map((name) => ({ name, body: 'x' }))), into, limits)).toMatchObject({ files: 3 });
    expect(readdirSync(into).sort()).toEqual([...names].sort());
    expect(readdirSync(parent)).toEqual(['pkg']);
  });

  it('refuses two names for one file, a file and a folder of one name, and a NUL in a name', async () => {
    await refusedZip([{ name: 'a.tf', body: 'x' }, { name: './a.tf', body: 'y' }], 'an entry is written twice');
    await refusedZip([{ name: 'd/a.tf', body: 'x' }, { name: 'd//a.tf', body: 'y' }], 'an entry is written twice');
    await refusedZip([{ name: 'a', body: 'x' }, { name: 'a/b.tf', body: 'y' }], 'an entry is both a file and a folder');
    await refusedZip([{ name: 'a/', mode: 0o040755 }, { name: 'a', body: 'y' }], 'an entry is both a file and a folder');
    await refusedZip([{ name: 'a\u0000/../../x.tf', body: 'x' }], /leads outside|NUL/);
    await refusedZip([{ name: 'main.tf\u0000.txt', body: 'x' }], 'entry "main.tf\\u0000.txt" has a NUL character in its name');
    // A tar header's name ends at its first NUL, as tar defines it.
    const tar = target();
    await extractArchive('tar.gz', await tarGz([{ name: 'main.tf\u0000.txt', body: 'x' }]), tar.into, limits);
    expect(readdirSync(tar.into)).toEqual(['main.tf']);
  });

  it('refuses a name too long for the file system, quoting at most 200 characters of it and no local folder', async () => {
    const name = `${'a'.repeat(5000)}.tf`;
    const refusal = await extractArchive('zip', zip([{ name, body: 'x' }]), target().into, limits).catch((e: Error) => e.message);
    expect(refusal).toBe(`entry "${'a'.repeat(200)}" has a name part longer than 255 bytes`);
    await refusedTar([{ name: `d/${'b'.repeat(300)}.tf`, body: 'x' }], 'has a name part longer than 255 bytes');
    // A path long in all but short in each part is not refused for its length.
    const deep = `${'d'.repeat(200)}/`.repeat(30);
    const { into } = target();
    const result = await extractArchive('zip', zip([{ name: `${deep}main.tf`, body: 'x' }]), into, limits).catch((e: Error) => e.message);
    expect(typeof result === 'string' ? result : 'unpacked').toMatch(/^unpacked$|^not a readable zip archive \(ENAMETOOLONG\)$/);
  });
});

describe('zip links', () => {
  it('refuses links out: relative, absolute, by backslash, through a chain, and a link named out', async () => {
    const link = 0o120777;
    await refusedZip([{ name: 'l.tf', body: '../../etc/passwd', mode: link }], 'link "l.tf" leads outside the module folder');
    await refusedZip([{ name: 'l.tf', body: '/etc/passwd', mode: link }], 'link "l.tf" leads outside the module folder');
    await refusedZip([{ name: 'd/l.tf', body: '../../x', mode: link }], 'link "d/l.tf" leads outside the module folder');
    await refusedZip([{ name: 'a', body: 'b', mode: link }, { name: 'b', body: '..', mode: link }], 'link "b" leads outside the module folder');
    await refusedZip([{ name: '../l.tf', body: 'main.tf', mode: link }], /leads outside the module folder/);
  });

  it('never creates a link, so a file written "through" one lands in a plain folder inside', async () => {
    const { parent, into } = target();
    const entries: ZipEntry[] = [{ name: 'up', body: '.', mode: 0o120777 }, { name: 'up/main.tf', body: 'x' }];
    expect(await extractArchive('zip', zip(entries), into, limits)).toEqual({ files: 1, bytes: 1, skipped: 1 });
    expect(readdirSync(join(into, 'up'))).toEqual(['main.tf']);
    expect(readdirSync(parent)).toEqual(['pkg']);
  });

  it('refuses a link whose target is longer than a path can be', async () => {
    await refusedZip([{ name: 'l.tf', body: 'a/'.repeat(4000), mode: 0o120777 }], 'link "l.tf" names a target longer than 4096 bytes');
  });
});

describe('broken and lying zip archives', () => {
  it('refuses a truncated archive, unknown compression, and a lying declared size', async () => {
    const whole = zip([{ name: 'main.tf', body: 'resource "x" "y" {}\n'.repeat(50) }]);
    for (const cut of [10, whole.length / 2, whole.length - 10]) {
      await expect(extractArchive('zip', whole.subarray(0, Math.floor(cut)), target().into, limits)).rejects.toThrow(/not a readable zip archive/);
    }
    await refusedZip([{ name: 'm.tf', body: 'x', method: 99 }], 'entry "m.tf" is compressed with method 99, which podtrust does not read');
    // Declared bigger than it is: caught as the entry ends.
    await refusedZip([{ name: 'm.tf', body: 'x'.repeat(100), declaredSize: 200 }], /not a readable zip archive/);
  });

  it('reads past a huge comment (the most a comment can be), and a central directory that claims fewer entries than there are', async () => {
    const { into } = target();
    const comment = Buffer.alloc(65535, 0x41);
    expect(await extractArchive('zip', zip([{ name: 'main.tf', body: 'x' }], { comment }), into, limits)).toMatchObject({ files: 1 });
    // The end record says 1 entry; the archive holds 3 local headers: only what the directory lists is read.
    const three = zip([{ name: 'a.tf', body: 'x' }, { name: 'b.tf', body: 'x' }, { name: 'c.tf', body: 'x' }]);
    const end = three.length - 22;
    three.writeUInt16LE(1, end + 8);
    three.writeUInt16LE(1, end + 10);
    const few = target();
    expect(await extractArchive('zip', three, few.into, limits)).toMatchObject({ files: 1 });
    expect(readdirSync(few.into)).toEqual(['a.tf']);
  });

  it('refuses an end record that claims a zip64 count beyond the limit before listing', async () => {
    const many = zip([{ name: 'a.tf', body: 'x' }]);
    const end = many.length - 22;
    many.writeUInt16LE(0xffff, end + 8);
    many.writeUInt16LE(0xffff, end + 10);
    await expect(extractArchive('zip', many, target().into, limits)).rejects.toThrow(/more than 40 entries|not a readable zip archive/);
  });
});

describe('tar.gz as an attacker streams it', () => {
  it('refuses long pax names and link paths that lead out, and hard links out through a chain', async () => {
    const deep = `${'d/'.repeat(120)}${'../'.repeat(125)}x.tf`;
    await refusedTar([{ name: deep, body: 'x' }], /leads outside the module folder/);
    await refusedTar([{ name: 'l.tf', type: 'symlink', linkname: `${'a/'.repeat(100)}${'../'.repeat(102)}etc/passwd` }], 'link "l.tf" leads outside the module folder');
    await refusedTar([{ name: 'main.tf', body: 'x' }, { name: 'h1.tf', type: 'link', linkname: 'main.tf' }, { name: 'h2.tf', type: 'link', linkname: 'h1.tf/../../x' }], 'link "h2.tf" leads outside the module folder');
  });

  it('reads concatenated gzip members as one stream, as gzip does, and stops a bomb in a later member', async () => {
    const tar = await tarGz([{ name: 'a.tf', body: 'x' }, { name: 'b.tf', body: 'y' }]);
    const { gunzipSync } = await import('node:zlib');
    const raw = gunzipSync(tar);
    const split = Buffer.concat([gzipSync(raw.subarray(0, 512)), gzipSync(raw.subarray(512))]);
    const { into } = target();
    expect(await extractArchive('tar.gz', split, into, limits)).toMatchObject({ files: 2 });
    const bomb = Buffer.concat([gzipSync(raw.subarray(0, 1024)), gzipSync(Buffer.alloc(64 * 1024 * 1024))]);
    await expect(extractArchive('tar.gz', bomb, target().into, limits)).rejects.toThrow(/unpacks to more than|not a readable tar archive/);
  });

  it('ignores or refuses trailing garbage, and refuses a truncated stream', async () => {
    const tar = await tarGz([{ name: 'a.tf', body: 'x' }]);
    const garbage = Buffer.concat([tar, Buffer.from('garbage after the archive')]);
    const result = await extractArchive('tar.gz', garbage, target().into, limits).then(
      (r) => r.files,
      (e: Error) => e.message,
    );
    expect([1, expect.stringMatching(/not a readable tar archive/)]).toContainEqual(result);
    await expect(extractArchive('tar.gz', tar.subarray(0, tar.length - 12), target().into, limits)).rejects.toThrow(/not a readable tar archive/);
  });
});
