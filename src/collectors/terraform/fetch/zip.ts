/**
 * Zip module archives, read with yauzl under the one extraction contract (extraction.ts). Zip adds
 * its own tricks: symbolic links are entries whose Unix mode (the high half of the external
 * attributes) says S_IFLNK, their target being the entry's data; and a zip bomb may point many
 * central-directory entries at one compressed stream (overlapping entries), so entries whose data
 * overlap refuse the archive before anything is inflated. A zip inside the package is a plain file:
 * nothing is unpacked twice.
 */
import { type Entry, type ZipFile, fromBufferPromise } from 'yauzl';
import { ArchiveRefused, type ExtractLimits, type Extracted, Unpacker, asRefusal, maxEntries, shownEntry } from './extraction.js';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const SPECIAL: Record<number, string> = { 0o010000: 'fifo', 0o020000: 'character device', 0o060000: 'block device', 0o140000: 'socket' };
/** Hosts whose external attributes carry a Unix mode (APPNOTE 4.4.2: 3 = Unix, 19 = OS X). */
const UNIX_HOSTS = new Set([3, 19]);
/** The fixed part of a local file header, before its name. */
const LOCAL_HEADER = 30;
const MAX_LINK_BYTES = 4096;

function unixMode(entry: Entry): number {
  return UNIX_HOSTS.has(entry.versionMadeBy >> 8) ? (entry.externalFileAttributes >>> 16) & S_IFMT : 0;
}

/** yauzl refuses unsafe names itself; said as every format says it. */
function nameRefusal(e: unknown): ArchiveRefused | undefined {
  const m = /^(?:absolute path|invalid relative path): (.*)$/s.exec((e as Error)?.message ?? '');
  return m ? new ArchiveRefused(`entry ${shownEntry(m[1]!)} leads outside the module folder`) : undefined;
}

/** Refuses entries whose data overlap another's: the same compressed bytes counted twice. */
function refuseOverlaps(entries: readonly Entry[]): void {
  const spans = entries.map((e) => ({ name: e.fileName, start: e.relativeOffsetOfLocalHeader, end: e.relativeOffsetOfLocalHeader + LOCAL_HEADER + e.fileNameLength + e.compressedSize })).sort((a, b) => a.start - b.start);
  for (let i = 1; i < spans.length; i++) {
    if (spans[i]!.start < spans[i - 1]!.end) throw new ArchiveRefused(`entries ${shownEntry(spans[i - 1]!.name)} and ${shownEntry(spans[i]!.name)} overlap (a zip bomb)`);
  }
}

async function* bounded(stream: AsyncIterable<Buffer>, max: number, name: string): AsyncIterable<Buffer> {
  let size = 0;
  for await (const chunk of stream) {
    size += chunk.length;
    if (size > max) throw new ArchiveRefused(`link ${shownEntry(name)} names a target longer than ${max} bytes`);
    yield chunk;
  }
}

async function text(stream: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c);
  return Buffer.concat(chunks).toString('utf8');
}

async function unpack(zip: ZipFile, into: string, limits: ExtractLimits): Promise<Extracted> {
  // The count the end record declares bounds the listing before it is read.
  if (zip.entryCount > maxEntries(limits)) throw new ArchiveRefused(`more than ${maxEntries(limits)} entries`);
  const entries: Entry[] = [];
  for await (const entry of zip.eachEntry()) entries.push(entry);
  refuseOverlaps(entries);
  const unpacker = new Unpacker(into, limits);
  for (const entry of entries) {
    const name = entry.fileName;
    const mode = unixMode(entry);
    if (name.endsWith('/') || mode === S_IFDIR) {
      unpacker.directory(name);
      continue;
    }
    if (SPECIAL[mode] !== undefined) throw unpacker.special(name, SPECIAL[mode]);
    if (!entry.canDecodeFileData()) throw new ArchiveRefused(`entry ${shownEntry(name)} is ${entry.isEncrypted() ? 'encrypted' : `compressed with method ${entry.compressionMethod}, which podtrust does not read`}`);
    const data = await zip.openReadStreamPromise(entry);
    if (mode === S_IFLNK) {
      unpacker.link(name, await text(bounded(data, MAX_LINK_BYTES, name)), false);
      continue;
    }
    await unpacker.file(name, data);
  }
  return unpacker.result;
}

export async function extractZip(data: Buffer, into: string, limits: ExtractLimits): Promise<Extracted> {
  let zip: ZipFile | undefined;
  try {
    zip = await fromBufferPromise(data, { autoClose: false, validateEntrySizes: true, strictFileNames: false, decodeStrings: true });
    return await unpack(zip, into, limits);
  } catch (e) {
    throw nameRefusal(e) ?? asRefusal(e, 'zip');
  } finally {
    zip?.close();
  }
}
