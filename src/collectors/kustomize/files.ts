/**
 * What a rendering reads: kustomization files, resources, patches. Every read goes through the
 * scan's input reader (files the walk read already are taken from it, not read twice); each
 * file is parsed once, and every file a root reads is remembered as consumed by it.
 */
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { CoverageNote, JsonValue, Position, PositionMap } from '../../model/types.js';
import type { SourceFile } from '../types.js';
import { InputReader, type ReadPolicy } from '../../util/input-reader.js';
import { parseYaml } from '../../util/yaml.js';
import type { StructuredLimits } from '../../util/structured.js';
import { attach } from './located.js';
import { shown } from '../../util/input-text.js';

export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export interface LoadedDocument {
  value: JsonValue;
  /** The document's first position (its line in the file). */
  at: Position | undefined;
  /** Its positions by pointer, in the file's lines (for the comments written in it). */
  positions: PositionMap;
  source: SourceFile;
}

export interface Loaded {
  file: string;
  text: string;
  documents: LoadedDocument[];
}

export class KustomizeFiles {
  readonly notes: CoverageNote[] = [];
  /** Every file read through a root (kustomizations, resources, patches). */
  readonly consumed = new Set<string>();
  private readonly reader: InputReader;
  private readonly texts = new Map<string, string>();
  /** One source per file, for the comment reader (it splits a file's lines once). */
  private readonly sources = new Map<string, SourceFile>();

  constructor(
    known: readonly SourceFile[],
    policy: ReadPolicy,
    private readonly limits: StructuredLimits,
  ) {
    this.reader = new InputReader(policy);
    for (const f of known) this.texts.set(f.path, f.text);
  }

  /** The kustomization file of a folder, or a note saying why there is none. */
  kustomizationIn(dir: string, from: { file: string; line?: number }): string | undefined {
    const listed = this.reader.listFolder(dir);
    if (!listed.ok) {
      this.noteRefusal(listed.note, from, dir, listed.why);
      return undefined;
    }
    const names = KUSTOMIZATION_NAMES.filter((n) => listed.entries.some((e) => e.name === n));
    if (names.length === 0) {
      this.note({ kind: 'unresolved', level: 'error', file: from.file, ...(from.line ? { line: from.line } : {}), message: `Kustomize: no kustomization.yaml in ${this.pathShown(dir, from.file)}` });
      return undefined;
    }
    if (names.length > 1) this.note({ kind: 'unresolved', level: 'warning', file: resolve(dir, names[0]!), message: `Kustomize: ${names.join(' and ')} in one folder; ${names[0]} was read (kustomize build refuses this)` });
    return resolve(dir, names[0]!);
  }

  /** What a `resources` entry names: a folder (the reader lists it), a file, or nothing readable (noted). */
  entryKind(path: string, from: { file: string; line?: number }): 'folder' | 'file' | undefined {
    const listed = this.reader.listFolder(path);
    if (listed.ok) return 'folder';
    if (listed.reason === 'not-regular') return 'file';
    // A missing resource fails `kustomize build`: the rendering is incomplete.
    if (listed.reason === 'missing') this.note({ kind: 'unresolved', level: 'error', file: from.file, ...(from.line ? { line: from.line } : {}), message: `Kustomize: ${this.pathShown(path, from.file)}: no such file or folder` });
    else this.noteRefusal(listed.note, from, path, listed.why);
    return undefined;
  }

  /** A file's documents, each located, parsed afresh (callers change them). Undefined when unreadable (noted). */
  load(path: string, from?: { file: string; line?: number }): Loaded | undefined {
    let text = this.texts.get(path);
    if (text === undefined) {
      const read = this.reader.readText(path);
      if (!read.ok) {
        this.noteRefusal(read.note, from, path, read.why);
        return undefined;
      }
      text = read.text;
      this.texts.set(path, text);
    }
    this.consumed.add(path);
    return { file: path, text, documents: this.parse(text, path, { line: 0, column: 0 }) };
  }

  /**
   * The documents of a patch written inline in a kustomization (`patch: |-`), located in the
   * kustomization: a block scalar's lines are the lines below its indicator.
   */
  parseInline(source: string, kustomization: Loaded, at: Position | undefined): LoadedDocument[] {
    const lines = kustomization.text.split(/\r?\n/);
    // A mapping entry's position starts at its key (`patch: |-`), a list item's at its value.
    const rest = at ? (lines[at.line - 1] ?? '').slice(at.column - 1) : '';
    const block = /^(?:[|>]|[^:'"]*:\s+[|>])/.test(rest);
    if (!at || !block) return this.parse(source, kustomization.file, at ? { line: 0, column: 0, fixed: at } : { line: 0, column: 0 });
    const body = lines.slice(at.line).find((l) => l.trim() !== '') ?? '';
    const indent = body.length - body.trimStart().length;
    return this.parse(source, kustomization.file, { line: at.line, column: indent });
  }

  private parse(text: string, file: string, shift: { line: number; column: number; fixed?: Position }): LoadedDocument[] {
    let source = this.sources.get(file);
    if (!source) this.sources.set(file, (source = { path: file, text: this.texts.get(file) ?? text }));
    const parsed = parseYaml(text, { limits: this.limits });
    for (const e of parsed.errors) this.note({ kind: e.limit ? 'limit' : 'parse-error', level: 'error', file, line: e.line + shift.line, column: e.column + shift.column, message: e.message });
    return parsed.documents.map((doc) => {
      const positions = doc.positions;
      for (const k of Object.keys(positions)) {
        const p = positions[k]!;
        positions[k] = shift.fixed ?? { ...p, line: p.line + shift.line, endLine: p.endLine + shift.line, column: p.column + shift.column, endColumn: p.endColumn + shift.column };
      }
      attach(doc.value, positions, file);
      const root = positions[''];
      return { value: doc.value, at: root ? { ...root, file } : undefined, positions, source: source! };
    });
  }

  note(n: CoverageNote): void {
    if (!this.notes.some((m) => m.file === n.file && m.line === n.line && m.message === n.message)) this.notes.push(n);
  }

  /** A refusal of the reader, said at the kustomization line that asked for the path. */
  private noteRefusal(refusal: CoverageNote | undefined, from: { file: string; line?: number } | undefined, path: string, why: string): void {
    if (!from) {
      if (refusal) this.note(refusal);
      return;
    }
    const level = refusal?.level ?? 'error';
    this.note({ kind: refusal?.kind ?? 'unresolved', level, file: from.file, ...(from.line ? { line: from.line } : {}), message: `Kustomize: ${this.pathShown(path, from.file)}: ${why}` });
  }

  /** A path as the kustomization that names it would write it (cut as messages cut input). */
  pathShown(path: string, from: string): string {
    const rel = relative(dirname(from), path);
    return shown(rel === '' ? '.' : isAbsolute(rel) ? path : rel);
  }
}
