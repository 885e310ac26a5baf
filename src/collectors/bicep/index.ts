/**
 * The Bicep pass: each `.bicep` file is compiled with `bicep build --stdout --no-restore` (in a
 * copy, through src/util/external-tool.ts; `--no-restore`: registry modules are never
 * fetched) and the ARM template it prints is read by the ARM collector. Findings are placed in
 * the Bicep file: at the resource's declaration, or at a property's line where its key is
 * written once in the declaration (see declarations.ts); line 1 when the declaration cannot be
 * told. Without bicep, each file is a warning — unless its compiled template (`x.json` next to
 * `x.bicep`) is in the repository, which the ARM collector reads.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CoverageNote, Position, PositionMap, Resource } from '../../model/types.js';
import type { CollectOptions, CollectResult, SourceFile } from '../types.js';
import { account, emptyResult, withinDepth } from '../types.js';
import { relativeId } from '../ids.js';
import { collectArm, isArmTemplate } from '../arm/index.js';
import { redactResources } from '../../credentials/redact.js';
import { InputReader, readPolicy } from '../../util/input-reader.js';
import { parseJson } from '../../util/structured.js';
import { escapeToken, split } from '../../util/pointer.js';
import { failedRunNote, runBudgeted, toolProgram, type ExternalToolOptions } from '../../util/external-tool.js';
import { ToolWorkspace } from '../../util/tool-workspace.js';
import { declarationPosition, declarations, propertyPosition, type Declaration } from './declarations.js';

const FORMAT = 'Bicep';
const START: Position = { line: 1, column: 1, endLine: 1, endColumn: 1 };
/** .NET reserves far more address space than it uses, so Bicep's memory is capped through its GC instead of `ulimit -v`. */
const BICEP_HEAP = 2 * 1024 * 1024 * 1024;

export async function compileBicep(files: SourceFile[], opts: CollectOptions, tools: ExternalToolOptions = {}): Promise<CollectResult> {
  const result = emptyResult();
  const tool = toolProgram('bicep', tools);
  if ('missing' in tool) {
    for (const f of files) {
      // A template compiled next to it is read as ARM: the file is analysed through it.
      if (existsSync(f.path.replace(/\.bicep$/, '.json'))) account(result, f.path, FORMAT);
      else {
        account(result, f.path, FORMAT, 'not-analysed');
        result.notes.push({ kind: 'unsupported', level: 'warning', file: f.path, line: 1, message: `Bicep: run \`bicep build\` first, or install bicep${tool.missing === 'bicep is not installed' ? '' : ` (${tool.missing})`}` });
      }
    }
    return result;
  }
  const ws = ToolWorkspace.create('bicep');
  try {
    const places = copyFiles(files, opts, ws);
    result.notes.push(...ws.notes);
    for (const f of files) {
      const rel = places.get(f.path);
      if (rel === undefined) continue;
      const run = await runBudgeted(tools, {
        program: tool.program,
        args: ['build', '--stdout', '--no-restore', `./${rel}`],
        cwd: ws.copy,
        scratch: ws.scratch,
        env: { DOTNET_CLI_TELEMETRY_OPTOUT: '1', DOTNET_gcServer: '0', DOTNET_GCHeapHardLimit: BICEP_HEAP.toString(16) },
        maxOutputBytes: (opts.read ?? readPolicy(opts.root)).maxFileBytes,
      });
      if (!run.ok) {
        result.notes.push(failedRunNote(run, { file: f.path, line: 1 }, 'Bicep: bicep build', ws.copy));
        account(result, f.path, FORMAT, 'not-analysed');
        continue;
      }
      account(result, f.path, FORMAT);
      readTemplate(f, run.stdout, opts, result);
    }
  } finally {
    ws.dispose();
  }
  return result;
}

/**
 * Copies the Bicep files, and the local files they name (`module x './m.bicep'`,
 * `loadTextContent('x.json')`), at their root-relative places; returns those places.
 */
function copyFiles(files: SourceFile[], opts: CollectOptions, ws: ToolWorkspace): Map<string, string> {
  const reader = new InputReader(opts.read ?? readPolicy(opts.root));
  const places = new Map<string, string>();
  const queue = files.map((f) => f.path);
  for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
    if (places.has(path)) continue;
    const rel = relativeId(opts.root, path);
    if (rel.startsWith('..') || !ws.copyFile(reader, path, rel)) continue;
    places.set(path, rel);
    const given = files.find((f) => f.path === path)?.text;
    if (given === undefined || !path.endsWith('.bicep')) continue;
    for (const m of given.matchAll(/(?:\bmodule\s+\w+\s+|\bload\w*Content\(\s*)'([^'$:]+)'/g)) queue.push(resolve(dirname(path), m[1]!));
  }
  return places;
}

/** Reads the compiled template as ARM and places what it holds in the Bicep file. */
function readTemplate(f: SourceFile, json: string, opts: CollectOptions, result: CollectResult): void {
  const parsed = parseJson(json, opts.limits);
  const doc = parsed.documents[0];
  if (!doc || !isArmTemplate(doc.value)) {
    result.notes.push({ kind: 'parse-error', level: 'error', file: f.path, line: 1, message: 'Bicep: bicep build did not print an ARM template' });
    return;
  }
  const collected = withinDepth(collectArm(f, doc, opts), opts.limits);
  redactResources(collected.resources);
  const nodes = armNodes(doc.value, doc.positions, declarations(f.text));
  const declarationAt = (line: number): Declaration | undefined => [...nodes].reverse().find((n) => n.line <= line)?.declaration;
  for (const r of collected.resources) {
    const d = nodes.find((n) => n.line === r.positions['']?.line && n.column === r.positions['']?.column)?.declaration;
    r.positions = d ? bicepPositions(r, d, f.text) : { '': START };
    result.resources.push(r);
  }
  result.clusters.push(...collected.clusters);
  for (const n of collected.notes) result.notes.push(placeNote(n, f, n.line !== undefined ? declarationAt(n.line) : undefined));
}

interface ArmNode {
  line: number;
  column: number;
  declaration?: Declaration;
}

/** The top-level resources of the template with the Bicep declaration each comes from, where it can be told. */
function armNodes(template: unknown, positions: PositionMap, decls: Declaration[]): ArmNode[] {
  const resources = (template as { resources?: unknown }).resources;
  const entries: { key?: string; pointer: string; type: string }[] = [];
  const typeOf = (v: unknown): string => (typeof (v as { type?: unknown })?.type === 'string' ? (v as { type: string }).type : '');
  if (Array.isArray(resources)) resources.forEach((v, i) => entries.push({ pointer: `/resources/${i}`, type: typeOf(v) }));
  else if (resources && typeof resources === 'object') for (const [k, v] of Object.entries(resources)) entries.push({ key: k, pointer: `/resources/${escapeToken(k)}`, type: typeOf(v) });
  const sameType = (t: string) => (x: { type: string }): boolean => x.type.toLowerCase() === t.toLowerCase();
  return entries.map((e) => {
    const at = positions[e.pointer] ?? START;
    let declaration = e.key !== undefined ? decls.find((d) => d.symbolic === e.key) : undefined;
    if (!declaration && e.key === undefined) {
      // Without symbolic names (the default output), the order among resources of one type: only when the counts agree.
      const ofType = entries.filter(sameType(e.type));
      const declared = decls.filter((d) => !d.existing).filter(sameType(e.type));
      if (ofType.length === declared.length) declaration = declared[ofType.indexOf(e)];
    }
    return { line: at.line, column: at.column, ...(declaration ? { declaration } : {}) };
  });
}

function bicepPositions(r: Resource, d: Declaration, text: string): PositionMap {
  const positions: PositionMap = { '': declarationPosition(d, text) };
  for (const pointer of Object.keys(r.positions)) {
    const key = split(pointer).pop();
    const at = pointer !== '' && key !== undefined ? propertyPosition(d, text, key) : undefined;
    if (at) positions[pointer] = at;
  }
  return positions;
}

function placeNote(n: CoverageNote, f: SourceFile, d: Declaration | undefined): CoverageNote {
  const { column: _column, ...rest } = n;
  return { ...rest, file: f.path, line: d?.line ?? 1 };
}
