import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeDirs } from '../../src/util/make-dirs.js';
import { runCli } from '../helpers/cli.js';

const PROC = existsSync('/proc/self');

describe('makeDirs', () => {
  it('makes every missing level, with the mode asked for, and accepts a folder that is already there', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-dirs-'));
    const deep = join(dir, 'a', 'b', 'c');
    makeDirs(deep, 0o700);
    expect(statSync(deep).isDirectory()).toBe(true);
    expect(statSync(join(dir, 'a')).mode & 0o777).toBe(0o700);
    makeDirs(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
  });

  it('fails with the error of the level that cannot be made', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-dirs-'));
    writeFileSync(join(dir, 'file'), 'x');
    expect(() => makeDirs(join(dir, 'file', 'sub', 'deeper'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }));
  });

  it('fails through a link to nothing as Node does, not with "already exists"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-dirs-'));
    symlinkSync(join(dir, 'nowhere'), join(dir, 'link'));
    expect(() => makeDirs(join(dir, 'link', 'sub'))).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    symlinkSync(join(dir, 'loop'), join(dir, 'loop'));
    expect(() => makeDirs(join(dir, 'loop', 'sub'))).toThrow(expect.objectContaining({ code: 'ELOOP' }));
  });

  it.runIf(PROC)('fails at once under /proc, where a recursive mkdir never returns', () => {
    expect(() => makeDirs('/proc/self/podtrust/reports')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
  });

  it.runIf(PROC)('turns an --output under /proc into a usage error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-dirs-'));
    writeFileSync(join(dir, 'sa.yaml'), 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n');
    const r = runCli(['scan', dir, '--root', dir, '--format', 'json', '--output', '/proc/self/podtrust/report.json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--output /proc/self/podtrust/report.json: cannot write: ENOENT');
  });
});
