/**
 * A zip writer for tests, written from APPNOTE.TXT: local headers, central directory, end record.
 * It can write what no honest tool writes: a Unix mode of any kind, a declared size that lies,
 * an encrypted flag, and central entries that share another entry's data (overlapping entries).
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  body?: string | Buffer;
  /** Unix mode with its file type bits (e.g. 0o120777 for a symbolic link); written with host "Unix". */
  mode?: number;
  /** Deflate (8) or store (0); default deflate. Any other number is declared with the bytes stored. */
  method?: number;
  /** The uncompressed size to declare instead of the true one. */
  declaredSize?: number;
  encrypted?: boolean;
  /** Points this central entry at the data of the entry with this index (an overlapping entry). */
  sameDataAs?: number;
  /** A central-directory extra field (e.g. 0x7075, the Info-ZIP Unicode path that replaces the name). */
  extra?: { id: number; data: Buffer };
}

export interface ZipOptions {
  /** The archive comment (up to 65535 bytes). */
  comment?: Buffer;
}

/** The Info-ZIP Unicode path extra field for `name`, naming `unicode` instead. */
export function unicodePath(name: string, unicode: string): { id: number; data: Buffer } {
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(crc32(Buffer.from(name, 'utf8')));
  return { id: 0x7075, data: Buffer.concat([Buffer.from([1]), crc, Buffer.from(unicode, 'utf8')]) };
}

export function zip(entries: ZipEntry[], options: ZipOptions = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  const placed: { offset: number; crc: number; csize: number; usize: number; method: number; flags: number }[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    let at: (typeof placed)[number];
    if (e.sameDataAs !== undefined) {
      at = placed[e.sameDataAs]!;
    } else {
      const raw = Buffer.isBuffer(e.body) ? e.body : Buffer.from(e.body ?? '', 'utf8');
      const method = e.method ?? 8;
      const data = method === 8 ? deflateRawSync(raw) : raw;
      const flags = 0x800 | (e.encrypted ? 1 : 0);
      at = { offset, crc: crc32(raw), csize: data.length, usize: e.declaredSize ?? raw.length, method, flags };
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(flags, 6);
      local.writeUInt16LE(method, 8);
      local.writeUInt32LE(at.crc, 14);
      local.writeUInt32LE(at.csize, 18);
      local.writeUInt32LE(at.usize, 22);
      local.writeUInt16LE(name.length, 26);
      locals.push(local, name, data);
      offset += local.length + name.length + data.length;
    }
    placed.push(at);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(e.mode !== undefined ? (3 << 8) | 20 : 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(at.flags, 8);
    central.writeUInt16LE(at.method, 10);
    central.writeUInt32LE(at.crc, 16);
    central.writeUInt32LE(at.csize, 20);
    central.writeUInt32LE(at.usize, 24);
    central.writeUInt16LE(name.length, 28);
    const extra = e.extra ? Buffer.concat([Buffer.from([e.extra.id & 0xff, e.extra.id >> 8, e.extra.data.length & 0xff, e.extra.data.length >> 8]), e.extra.data]) : Buffer.alloc(0);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(e.mode !== undefined ? (e.mode << 16) >>> 0 : 0, 38);
    central.writeUInt32LE(at.offset, 42);
    centrals.push(central, name, extra);
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  const comment = options.comment ?? Buffer.alloc(0);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...locals, directory, end, comment]);
}
