/**
 * Unpacks a downloaded module archive into a fresh folder under the one extraction contract
 * (extraction.ts): tar (plain or gzip, inflated as it streams, never whole in memory) through
 * tar-stream, zip through yauzl (zip.ts). bzip2 and xz are named, not read.
 */
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import { ArchiveRefused, type ExtractLimits, type Extracted, Unpacker, asRefusal, maxEntries } from './extraction.js';
import { extractZip } from './zip.js';

export type ArchiveKind = 'tar.gz' | 'tar' | 'zip' | 'tar.bz2' | 'tar.xz';

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

/** A tar block (header or padding) per entry at most, beyond the files' own bytes. */
const TAR_BLOCK = 512;

export async function extractArchive(kind: ArchiveKind, data: Buffer, into: string, limits: ExtractLimits): Promise<Extracted> {
  switch (kind) {
    case 'tar.gz':
      return extractTar(Readable.from([data]).pipe(createGunzip()), into, limits);
    case 'tar':
      return extractTar(Readable.from([data]), into, limits);
    case 'zip':
      return extractZip(data, into, limits);
    default:
      throw new ArchiveRefused(`${kind} archives are not read by podtrust (tar, tar.gz and zip are)`);
  }
}

/** Ends the stream once it carries more than `max` bytes: a gzip bomb of zeros stops here, inflating. */
function capped(max: number, limitBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      seen += chunk.length;
      if (seen > max) return done(new ArchiveRefused(`unpacks to more than ${limitBytes} bytes`));
      done(null, chunk);
    },
  });
}

async function extractTar(source: Readable, into: string, limits: ExtractLimits): Promise<Extracted> {
  const unpacker = new Unpacker(into, limits);
  const reader = extract();
  const stream = source.pipe(capped(limits.maxBytes + maxEntries(limits) * 2 * TAR_BLOCK + 2 * TAR_BLOCK, limits.maxBytes));
  source.on('error', (e) => reader.destroy(e));
  stream.on('error', (e) => reader.destroy(e));
  stream.pipe(reader);
  try {
    for await (const entry of reader) {
      const { header } = entry;
      const name = header.name;
      switch (header.type) {
        case 'directory':
          unpacker.directory(name);
          entry.resume();
          break;
        case 'symlink':
        case 'link':
          unpacker.link(name, header.linkname ?? '', header.type === 'link');
          entry.resume();
          break;
        case 'file':
        case 'contiguous-file':
          await unpacker.file(name, entry as AsyncIterable<Buffer>);
          break;
        case 'character-device':
        case 'block-device':
        case 'fifo':
          throw unpacker.special(name, header.type);
        default:
          unpacker.skip(name);
          entry.resume();
      }
    }
  } catch (e) {
    source.destroy();
    stream.destroy();
    reader.destroy();
    throw asRefusal(e, 'tar');
  }
  return unpacker.result;
}
