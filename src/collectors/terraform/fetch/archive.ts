/**
 * Unpacks a downloaded module archive into a fresh folder, safely: every entry must stay inside the
 * folder; links and device files are not created (a link or hard link that leads out refuses the
 * whole archive); the number of files and the unpacked bytes are bounded. Nothing is executed.
 */
import { gunzipSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, posix, resolve, sep } from 'node:path';
import { extract } from 'tar-stream';

export type ArchiveKind = 'tar.gz' | 'tar' | 'zip' | 'tar.bz2' | 'tar.xz';

export interface ExtractLimits {
  maxFiles: number;
  /** Unpacked bytes in all. */
  maxBytes: number;
}

export interface Extracted {
  files: number;
  bytes: number;
  /** Links and other entries not created. */
  skipped: number;
}

export class ArchiveRefused extends Error {}

const EXTENSIONS: [string, ArchiveKind][] = [
  ['.tar.gz', 'tar.gz'],
  ['.tgz', 'tar.gz'],
  ['.tar.bz2', 'tar.bz2'],
  ['.tbz2', 'tar.bz2'],
  ['.tar.xz', 'tar.xz'],
  ['.txz', 'tar.xz'],
  ['.zip', 'zip'],
  ['.tar', 'tar'],
];

/** The archive kind `?archive=` names, or the path's extension says (as go-getter decides). */
export function archiveKind(param: string | null, path: string): ArchiveKind | undefined {
  if (param !== null) return EXTENSIONS.find(([ext]) => ext.slice(1) === param.toLowerCase())?.[1];
  const lower = path.toLowerCase();
  return EXTENSIONS.find(([ext]) => lower.endsWith(ext))?.[1];
}

/** An entry name inside the target folder, or undefined when it would leave it. */
export function safeEntryPath(root: string, name: string): string | undefined {
  const clean = posix.normalize(name.replace(/\\/g, '/'));
  if (clean.startsWith('../') || clean === '..' || isAbsolute(clean) || /^[A-Za-z]:/.test(clean)) return undefined;
  const full = normalize(join(root, clean));
  return inside(root, full) ? full : undefined;
}

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep);
}

export async function extractArchive(kind: ArchiveKind, data: Buffer, into: string, limits: ExtractLimits): Promise<Extracted> {
  switch (kind) {
    case 'tar.gz': {
      let tar: Buffer;
      try {
        tar = gunzipSync(data, { maxOutputLength: limits.maxBytes + 1024 * 1024 });
      } catch (e) {
        throw new ArchiveRefused((e as Error).name === 'RangeError' ? `unpacks to more than ${limits.maxBytes} bytes` : 'not a gzip archive');
      }
      return extractTar(tar, into, limits);
    }
    case 'tar':
      return extractTar(data, into, limits);
    default:
      // Not read yet: podtrust would need a reader for these (yauzl for zip).
      throw new ArchiveRefused(`${kind} archives are not read by podtrust yet`);
  }
}

async function extractTar(tar: Buffer, into: string, limits: ExtractLimits): Promise<Extracted> {
  const out: Extracted = { files: 0, bytes: 0, skipped: 0 };
  const reader = extract();
  const done = (async () => {
    for await (const entry of reader) {
      const { header } = entry;
      const target = safeEntryPath(into, header.name);
      if (target === undefined) throw new ArchiveRefused(`entry ${JSON.stringify(header.name.slice(0, 200))} leads outside the module folder`);
      if (header.type === 'directory') {
        mkdirSync(target, { recursive: true });
        entry.resume();
        continue;
      }
      if (header.type === 'symlink' || header.type === 'link') {
        const pointsTo = header.type === 'symlink' ? resolve(dirname(target), header.linkname) : resolve(into, header.linkname);
        if (!inside(into, pointsTo)) throw new ArchiveRefused(`link ${JSON.stringify(header.name.slice(0, 200))} leads outside the module folder`);
        out.skipped++;
        entry.resume();
        continue;
      }
      if (header.type !== 'file' && header.type !== 'contiguous-file') {
        if (header.type !== undefined && /device|fifo/.test(header.type)) throw new ArchiveRefused(`entry ${JSON.stringify(header.name.slice(0, 200))} is a ${header.type}`);
        out.skipped++;
        entry.resume();
        continue;
      }
      if (++out.files > limits.maxFiles) throw new ArchiveRefused(`more than ${limits.maxFiles} files`);
      const chunks: Buffer[] = [];
      for await (const chunk of entry) {
        out.bytes += (chunk as Buffer).length;
        if (out.bytes > limits.maxBytes) throw new ArchiveRefused(`unpacks to more than ${limits.maxBytes} bytes`);
        chunks.push(chunk as Buffer);
      }
      mkdirSync(dirname(target), { recursive: true });
      // Plain files only, never executable: the code is parsed, not run.
      writeFileSync(target, Buffer.concat(chunks), { mode: 0o644, flag: 'wx' });
    }
  })();
  reader.end(tar);
  try {
    await done;
  } catch (e) {
    reader.destroy();
    if (e instanceof ArchiveRefused) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ArchiveRefused(code === 'EEXIST' ? 'an entry is written twice' : `not a readable tar archive (${(e as Error).message.slice(0, 100)})`);
  }
  return out;
}
