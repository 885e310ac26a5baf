/** Parses HCL with tree-sitter (WebAssembly) into the syntax tree of ast.ts. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser, Language, type Node } from 'web-tree-sitter';
import type { Position } from '../../model/types.js';
import { lineStarts, offsetToLineCol } from '../../util/structured.js';
import type { Attribute, Block, Body, Expr, ParsedFile, TemplatePart, TraversalStep } from './ast.js';
import { syntaxProblem } from './syntax-error.js';

let loading: Promise<Parser> | undefined;

function beside(name: string): string | undefined {
  try {
    const candidate = join(dirname(fileURLToPath(import.meta.url)), name);
    return existsSync(candidate) ? candidate : undefined;
  } catch {
    return undefined;
  }
}

function fromNodeModules(specifier: string): string {
  return createRequire(import.meta.url).resolve(specifier);
}

async function load(): Promise<Parser> {
  const runtimeWasm = beside('web-tree-sitter.wasm');
  await Parser.init(runtimeWasm ? { locateFile: () => runtimeWasm } : undefined);
  const grammar = beside('tree-sitter-hcl.wasm') ?? fromNodeModules('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm');
  const language = await Language.load(grammar);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}

/** The shared parser, created on first use. */
export function hclParser(): Promise<Parser> {
  if (!loading) {
    loading = load();
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}

class Converter {
  private readonly starts: number[];
  constructor(private readonly text: string, private readonly file: string) {
    this.starts = lineStarts(text);
  }

  span(start: number, end: number): Position {
    const a = offsetToLineCol(this.starts, start);
    const b = offsetToLineCol(this.starts, end);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  pos(node: Node): Position {
    return this.span(node.startIndex, node.endIndex);
  }

  body(node: Node | null | undefined): Body {
    const body: Body = { attributes: [], blocks: [] };
    if (!node) return body;
    for (const child of node.namedChildren) {
      if (!child) continue;
      if (child.type === 'attribute') {
        const attr = this.attribute(child);
        if (attr) body.attributes.push(attr);
      } else if (child.type === 'block') {
        const block = this.block(child);
        if (block) body.blocks.push(block);
      }
    }
    return body;
  }

  attribute(node: Node): Attribute | undefined {
    const name = node.namedChildren.find((c) => c?.type === 'identifier');
    const exprNode = node.namedChildren.find((c) => c?.type === 'expression');
    if (!name) return undefined;
    const expr = exprNode ? this.expr(exprNode) : this.invalid(node);
    return { name: name.text, expr, pos: this.pos(node), file: this.file };
  }

  block(node: Node): Block | undefined {
    let type: string | undefined;
    const labels: string[] = [];
    let bodyNode: Node | undefined;
    for (const c of node.namedChildren) {
      if (!c) continue;
      if (c.type === 'identifier') {
        if (type === undefined) type = c.text;
        else labels.push(c.text);
      } else if (c.type === 'string_lit') {
        labels.push(this.stringLit(c));
      } else if (c.type === 'body') {
        bodyNode = c;
      }
    }
    if (type === undefined) return undefined;
    return { type, labels, body: this.body(bodyNode), pos: this.pos(node), file: this.file };
  }

  stringLit(node: Node): string {
    const open = node.children.find((c) => c?.type === 'quoted_template_start');
    const close = node.children.find((c) => c?.type === 'quoted_template_end');
    const start = open ? open.endIndex : node.startIndex;
    const end = close ? close.startIndex : node.endIndex;
    return unescapeQuoted(this.text.slice(start, end));
  }

  invalid(node: Node): Expr {
    return { kind: 'invalid', pos: this.pos(node), start: node.startIndex, end: node.endIndex, text: node.text };
  }

  base(node: Node) {
    return { pos: this.pos(node), start: node.startIndex, end: node.endIndex, text: this.text.slice(node.startIndex, node.endIndex) };
  }

  expr(node: Node): Expr {
    switch (node.type) {
      case 'expression': {
        const kids = node.children.filter((c): c is Node => c !== null);
        if (kids[0]?.type === '(') {
          const inner = kids.find((c) => c.type === 'expression');
          return inner ? this.expr(inner) : this.invalid(node);
        }
        const named = kids.filter((c) => c.isNamed && c.type !== 'comment');
        if (named.length === 0) return this.invalid(node);
        const first = this.expr(named[0]!);
        if (named.length === 1) return first;
        const steps = this.steps(named.slice(1));
        return { kind: 'traversal', base: first, steps, ...this.base(node) };
      }
      case 'literal_value':
        return this.literal(node);
      case 'template_expr': {
        const t = node.namedChildren[0];
        return t ? this.expr(t) : this.invalid(node);
      }
      case 'quoted_template':
        return { kind: 'template', heredoc: false, parts: this.templateParts(node, false), ...this.base(node) };
      case 'heredoc_template':
        return { kind: 'template', heredoc: true, parts: this.heredocParts(node), ...this.base(node) };
      case 'collection_value': {
        const t = node.namedChildren[0];
        return t ? this.expr(t) : this.invalid(node);
      }
      case 'tuple':
        return { kind: 'tuple', items: node.namedChildren.filter((c): c is Node => c?.type === 'expression').map((c) => this.expr(c)), ...this.base(node) };
      case 'object': {
        const items = node.namedChildren
          .filter((c): c is Node => c?.type === 'object_elem')
          .map((el) => {
            const keyNode = el.childForFieldName('key');
            const valNode = el.childForFieldName('val');
            const key = keyNode ? this.expr(keyNode) : this.invalid(el);
            const keyName = key.kind === 'variable' ? key.name : undefined;
            return { key, keyName, value: valNode ? this.expr(valNode) : this.invalid(el), pos: this.pos(el) };
          });
        return { kind: 'object', items, ...this.base(node) };
      }
      case 'variable_expr':
        return { kind: 'variable', name: node.text, ...this.base(node) };
      case 'function_call': {
        const name = node.namedChildren.find((c) => c?.type === 'identifier')?.text ?? '';
        const argsNode = node.namedChildren.find((c) => c?.type === 'function_arguments');
        const args = argsNode ? argsNode.namedChildren.filter((c): c is Node => c?.type === 'expression').map((c) => this.expr(c)) : [];
        const expandLast = argsNode ? argsNode.namedChildren.some((c) => c?.type === 'ellipsis') : false;
        return { kind: 'call', name, args, expandLast, ...this.base(node) };
      }
      case 'conditional': {
        const parts = node.namedChildren.filter((c): c is Node => c?.type === 'expression').map((c) => this.expr(c));
        if (parts.length < 3) return this.invalid(node);
        return { kind: 'conditional', cond: parts[0]!, then: parts[1]!, else: parts[2]!, ...this.base(node) };
      }
      case 'operation': {
        const t = node.namedChildren[0];
        return t ? this.expr(t) : this.invalid(node);
      }
      case 'unary_operation': {
        const op = node.children[0]?.text ?? '';
        const operand = node.namedChildren[0];
        return operand ? { kind: 'unary', op, operand: this.expr(operand), ...this.base(node) } : this.invalid(node);
      }
      case 'binary_operation': {
        const kids = node.children.filter((c): c is Node => c !== null);
        const named = kids.filter((c) => c.isNamed);
        const opNode = kids.find((c) => !c.isNamed);
        if (named.length < 2 || !opNode) return this.invalid(node);
        return { kind: 'binary', op: opNode.text, left: this.expr(named[0]!), right: this.expr(named[1]!), ...this.base(node) };
      }
      case 'for_expr': {
        const t = node.namedChildren[0];
        return t ? this.forExpr(t, node) : this.invalid(node);
      }
      default:
        return this.invalid(node);
    }
  }

  forExpr(node: Node, outer: Node): Expr {
    const object = node.type === 'for_object_expr';
    const intro = node.namedChildren.find((c) => c?.type === 'for_intro');
    if (!intro) return this.invalid(outer);
    const idents = intro.namedChildren.filter((c): c is Node => c?.type === 'identifier').map((c) => c.text);
    const collNode = intro.namedChildren.find((c) => c?.type === 'expression');
    const exprs = node.namedChildren.filter((c): c is Node => c?.type === 'expression');
    const condNode = node.namedChildren.find((c) => c?.type === 'for_cond')?.namedChildren.find((c) => c?.type === 'expression');
    if (!collNode || exprs.length < (object ? 2 : 1) || idents.length === 0) return this.invalid(outer);
    const keyVar = idents.length > 1 ? idents[0] : undefined;
    const valueVar = idents.length > 1 ? idents[1]! : idents[0]!;
    const result: Expr = {
      kind: 'for',
      object,
      valueVar,
      collection: this.expr(collNode),
      valueExpr: this.expr(object ? exprs[1]! : exprs[0]!),
      group: node.namedChildren.some((c) => c?.type === 'ellipsis'),
      ...this.base(outer),
    };
    if (keyVar !== undefined) result.keyVar = keyVar;
    if (object) result.keyExpr = this.expr(exprs[0]!);
    if (condNode) result.cond = this.expr(condNode);
    return result;
  }

  steps(nodes: Node[]): TraversalStep[] {
    const steps: TraversalStep[] = [];
    for (const n of nodes) {
      if (n.type === 'get_attr') {
        steps.push({ kind: 'attr', name: n.namedChildren.find((c) => c?.type === 'identifier')?.text ?? '' });
      } else if (n.type === 'index') {
        const inner = n.namedChildren[0];
        if (inner?.type === 'legacy_index') {
          const digits = inner.text.replace(/^\./, '');
          const key: Expr = { kind: 'literal', value: Number(digits), ...this.base(inner) };
          steps.push({ kind: 'index', key });
        } else {
          const e = inner?.namedChildren.find((c) => c?.type === 'expression');
          steps.push({ kind: 'index', key: e ? this.expr(e) : this.invalid(n) });
        }
      } else if (n.type === 'splat') {
        const inner = n.namedChildren[0];
        steps.push({ kind: 'splat', steps: inner ? this.steps(inner.namedChildren.filter((c): c is Node => c !== null)) : [] });
      }
    }
    return steps;
  }

  literal(node: Node): Expr {
    const inner = node.namedChildren[0];
    const b = this.base(node);
    if (!inner) return this.invalid(node);
    switch (inner.type) {
      case 'numeric_lit':
        return { kind: 'literal', value: Number(inner.text), ...b };
      case 'bool_lit':
        return { kind: 'literal', value: inner.text === 'true', ...b };
      case 'null_lit':
        return { kind: 'literal', value: null, ...b };
      case 'string_lit':
        return { kind: 'literal', value: this.stringLit(inner), ...b };
      default:
        return this.invalid(node);
    }
  }

  /** Literal text is taken from the source between parts, since the grammar drops some whitespace. */
  templateParts(node: Node, heredoc: boolean, from?: number, to?: number): TemplatePart[] {
    const kids = node.children.filter((c): c is Node => c !== null);
    const open = kids.find((c) => c.type === 'quoted_template_start');
    const close = kids.find((c) => c.type === 'quoted_template_end');
    let cursor = from ?? (open ? open.endIndex : node.startIndex);
    const stop = to ?? (close ? close.startIndex : node.endIndex);
    return this.partsBetween(kids.filter((c) => c.type === 'template_interpolation' || c.type === 'template_directive'), cursor, stop, heredoc);
  }

  partsBetween(dynamic: Node[], from: number, to: number, heredoc: boolean): TemplatePart[] {
    const parts: TemplatePart[] = [];
    let cursor = from;
    const pushLiteral = (a: number, b: number) => {
      if (b <= a) return;
      const raw = this.text.slice(a, b);
      parts.push({ kind: 'literal', text: heredoc ? unescapeTemplateMarkers(raw) : unescapeQuoted(raw), pos: this.span(a, b), start: a });
    };
    for (const d of dynamic) {
      if (d.startIndex < from || d.endIndex > to) continue;
      pushLiteral(cursor, d.startIndex);
      if (d.type === 'template_interpolation') {
        const e = d.namedChildren.find((c) => c?.type === 'expression');
        if (e) parts.push({ kind: 'interpolation', expr: this.expr(e) });
      } else {
        const directive = this.directive(d, heredoc);
        if (directive) parts.push(directive);
      }
      cursor = d.endIndex;
    }
    pushLiteral(cursor, to);
    return parts;
  }

  directive(node: Node, heredoc: boolean): TemplatePart | undefined {
    const inner = node.namedChildren[0];
    if (!inner) return undefined;
    const kids = inner.namedChildren.filter((c): c is Node => c !== null);
    const dynamic = kids.filter((c) => c.type === 'template_interpolation' || c.type === 'template_directive');
    if (inner.type === 'template_if') {
      const intro = kids.find((c) => c.type === 'template_if_intro');
      const elseIntro = kids.find((c) => c.type === 'template_else_intro');
      const end = kids.find((c) => c.type === 'template_if_end');
      const condNode = intro?.namedChildren.find((c) => c?.type === 'expression');
      if (!intro || !end || !condNode) return undefined;
      const thenEnd = elseIntro ? elseIntro.startIndex : end.startIndex;
      return {
        kind: 'if',
        cond: this.expr(condNode),
        then: this.partsBetween(dynamic, intro.endIndex, thenEnd, heredoc),
        else: elseIntro ? this.partsBetween(dynamic, elseIntro.endIndex, end.startIndex, heredoc) : [],
      };
    }
    if (inner.type === 'template_for') {
      const start = kids.find((c) => c.type === 'template_for_start');
      const end = kids.find((c) => c.type === 'template_for_end');
      if (!start || !end) return undefined;
      const idents = start.namedChildren.filter((c): c is Node => c?.type === 'identifier').map((c) => c.text);
      const coll = start.namedChildren.find((c) => c?.type === 'expression');
      if (!coll || idents.length === 0) return undefined;
      const part: TemplatePart = {
        kind: 'for',
        valueVar: idents.length > 1 ? idents[1]! : idents[0]!,
        collection: this.expr(coll),
        body: this.partsBetween(dynamic, start.endIndex, end.startIndex, heredoc),
      };
      if (idents.length > 1) part.keyVar = idents[0]!;
      return part;
    }
    return undefined;
  }

  heredocParts(node: Node): TemplatePart[] {
    const kids = node.children.filter((c): c is Node => c !== null);
    const idents = kids.filter((c) => c.type === 'heredoc_identifier');
    const startNode = kids.find((c) => c.type === 'heredoc_start');
    const strip = startNode?.text.startsWith('<<-') ?? false;
    const openEnd = idents[0]?.endIndex ?? node.startIndex;
    const nl = this.text.indexOf('\n', openEnd);
    const from = nl < 0 ? openEnd : nl + 1;
    const closing = idents.length > 1 ? idents[idents.length - 1]! : undefined;
    // The closing marker's line starts the end; its indentation is not content.
    let to = closing ? closing.startIndex : node.endIndex;
    while (to > from && (this.text[to - 1] === ' ' || this.text[to - 1] === '\t')) to--;
    const parts = this.partsBetween(kids.filter((c) => c.type === 'template_interpolation' || c.type === 'template_directive'), from, to, true);
    return strip ? stripIndent(parts) : parts;
  }
}

/** `<<-` heredocs drop the smallest indentation shared by all lines. */
function stripIndent(parts: TemplatePart[]): TemplatePart[] {
  let min = Infinity;
  let atLineStart = true;
  for (const p of parts) {
    if (p.kind !== 'literal') {
      atLineStart = false;
      continue;
    }
    const lines = p.text.split('\n');
    lines.forEach((line, i) => {
      if (i > 0) atLineStart = true;
      if (!atLineStart) return;
      if (line.trim() === '' && i < lines.length - 1) return;
      const indent = /^[ \t]*/.exec(line)![0].length;
      if (line.length > indent || i === lines.length - 1) min = Math.min(min, indent);
    });
    atLineStart = p.text.endsWith('\n');
  }
  if (!Number.isFinite(min) || min === 0) return parts;
  atLineStart = true;
  return parts.map((p) => {
    if (p.kind !== 'literal') {
      atLineStart = false;
      return p;
    }
    const lines = p.text.split('\n').map((line, i) => (i > 0 || atLineStart ? line.slice(Math.min(min, /^[ \t]*/.exec(line)![0].length)) : line));
    atLineStart = p.text.endsWith('\n');
    return { ...p, text: lines.join('\n') };
  });
}

function unescapeTemplateMarkers(s: string): string {
  return s.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}

function unescapeQuoted(s: string): string {
  return unescapeTemplateMarkers(
    s.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, e: string) => {
      if ((e[0] === 'u' || e[0] === 'U') && e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
      const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
      return map[e] ?? e;
    }),
  );
}

/** Parses one file; a syntax error is reported with its line and what parsed is kept. */
export async function parseHcl(path: string, text: string): Promise<ParsedFile> {
  const parser = await hclParser();
  const tree = parser.parse(text);
  if (!tree) return { path, text, body: { attributes: [], blocks: [] }, error: { line: 1, column: 1, message: 'cannot parse HCL' } };
  try {
    const conv = new Converter(text, path);
    const root = tree.rootNode;
    const result: ParsedFile = { path, text, body: conv.body(root.namedChildren.find((c) => c?.type === 'body')) };
    const problem = syntaxProblem(root, text);
    if (problem) {
      const p = conv.span(problem.offset, problem.offset);
      result.error = { line: p.line, column: p.column, message: problem.message };
    }
    return result;
  } finally {
    tree.delete();
  }
}
