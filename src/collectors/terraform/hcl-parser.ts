/** Parses HCL with tree-sitter (WebAssembly) into the syntax tree of ast.ts. */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Parser, Language, type Tree } from 'web-tree-sitter';
import type { Position } from '../../model/types.js';
import { DEFAULT_LIMITS, lineStarts, offsetToLineCol } from '../../util/structured.js';
import { MAX_DEPTH_CEILING, NestingTooDeep } from '../../util/nesting.js';
import type { Attribute, Block, Body, Expr, ParsedFile, TemplatePart, TraversalStep } from './ast.js';
import { leanSource, type LeanSource } from './lean-source.js';
import { syntaxProblem } from './syntax-error.js';
import { cursorBinding, RawCursor, type CursorBinding } from './tree-cursor.js';

interface LoadedParser {
  parser: Parser;
  binding: CursorBinding;
  /** Whether each node type is named, by type id; read once, since a walk may make no other call into the binding. */
  named: boolean[];
}

let loading: Promise<LoadedParser> | undefined;

function beside(name: string): string | undefined {
  try {
    const candidate = join(dirname(fileURLToPath(import.meta.url)), name);
    return existsSync(candidate) ? candidate : undefined;
  } catch {
    // import.meta.url is not a file URL (a bundle loaded another way): the files beside it cannot be found
    return undefined;
  }
}

function fromNodeModules(specifier: string): string {
  return createRequire(import.meta.url).resolve(specifier);
}

/**
 * The options given to `Parser.init`, which Emscripten makes the module whose exports the tree
 * reader calls directly. One object for the thread: web-tree-sitter keeps the first module it
 * initialised, so a load tried again (after the grammar failed to load) finds the exports here.
 */
const runtimeModule: Record<string, unknown> = {};

async function load(): Promise<LoadedParser> {
  const runtimeWasm = beside('web-tree-sitter.wasm');
  if (runtimeWasm) runtimeModule.locateFile = () => runtimeWasm;
  await Parser.init(runtimeModule);
  const binding = cursorBinding(runtimeModule);
  const grammar = beside('tree-sitter-hcl.wasm') ?? fromNodeModules('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm');
  const language = await Language.load(grammar);
  const parser = new Parser();
  parser.setLanguage(language);
  const named = language.types.map((_, id) => language.nodeTypeIsNamed(id));
  return { parser, binding, named };
}

function loaded(): Promise<LoadedParser> {
  if (!loading) {
    loading = load();
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}

/** The shared parser, created on first use. */
export async function hclParser(): Promise<Parser> {
  return (await loaded()).parser;
}

/** The binding's cursor functions of the shared parser's module. */
export async function hclCursorBinding(): Promise<CursorBinding> {
  return (await loaded()).binding;
}

/** One node of the tree as plain data, read once through a cursor instead of through per-node WebAssembly calls. */
interface SyntaxNode {
  type: string;
  named: boolean;
  /** -1 for punctuation and markers whose place is never used. */
  start: number;
  end: number;
  /** Field name within the parent; read only for object elements, the one place it is used. */
  field: string | null;
  /** Exactly as long as the node has children (an array grown by `push` takes 17 slots at its first). */
  children: readonly SyntaxNode[];
}

/** The children of a node that has none, or whose children are never read. */
const NO_CHILDREN: readonly SyntaxNode[] = Object.freeze([]);

/** Named nodes whose place the conversion never reads: reading it would be two calls into WebAssembly each. */
const UNPLACED = new Set([
  'block_start',
  'block_end',
  'object_start',
  'object_end',
  'tuple_start',
  'tuple_end',
  'template_literal',
  'comment',
  'ellipsis',
  'strip_marker',
  'template_interpolation_start',
  'template_interpolation_end',
  'template_directive_start',
  'template_directive_end',
]);

/**
 * Nodes whose children the conversion never looks at: per the grammar they have no named children
 * (or, for variable_expr, only the identifier that is its whole text).
 */
const OPAQUE = new Set([
  ...UNPLACED,
  'bool_lit',
  'numeric_lit',
  'null_lit',
  'legacy_index',
  'heredoc_start',
  'heredoc_identifier',
  'identifier',
  'quoted_template_start',
  'quoted_template_end',
  'variable_expr',
]);

/**
 * Deepest syntax tree converted, whatever its kind of nodes (each bracket or call is three or four
 * levels): a backstop behind the `--max-depth` count of nesting nodes, since the conversion and the
 * evaluator recurse once per level.
 */
const MAX_SYNTAX_DEPTH = 4 * MAX_DEPTH_CEILING;

/** Anonymous tokens are only ever read as operators. */
const OPERATOR_PARENTS = new Set(['unary_operation', 'binary_operation']);

/**
 * The only nodes whose anonymous tokens the conversion reads: operators and the parentheses around
 * a term. Elsewhere (`=`, `,`, brackets, braces) they are left out of the tree.
 */
const TOKEN_PARENTS = new Set([...OPERATOR_PARENTS, 'expression']);

const IDENTIFIER_AFTER_DOT = /^\.[^\s/#]+$/;

/**
 * The nodes the conversion (and later the evaluation) recurses through, one level each: nested
 * expressions (tuples, objects, calls, parentheses, interpolations), operators and blocks.
 */
const NESTING = new Set(['expression', 'operation', 'block']);

/**
 * Each cursor move and read crosses into WebAssembly, which costs more than the conversion itself,
 * so the walk reads only what the conversion uses, does not enter nodes it never looks inside and,
 * in a tree without errors, fills in the children of the most frequent small nodes from the text.
 */
class TreeReader {
  private readonly types: string[];
  private readonly fields: (string | null)[];
  private readonly canonical: boolean;

  constructor(
    private readonly loaded: LoadedParser,
    private readonly tree: Tree,
    private readonly text: string,
    private readonly maxDepth: number,
    /** Set when the tree was parsed from the lean copy of the text. */
    private readonly lean?: LeanSource,
  ) {
    this.types = tree.language.types;
    this.fields = tree.language.fields;
    this.canonical = !tree.rootNode.hasError;
  }

  read(): SyntaxNode {
    const cursor = new RawCursor(this.loaded.binding, this.tree);
    try {
      const root = this.current(cursor, undefined, cursor.typeId());
      if (!cursor.gotoFirstChild()) return root;
      const parents = [root];
      // The children of the open nodes, in order; `firsts` holds where each open node's begin.
      // A node's are cut into an array of their number when the walk leaves it.
      const pending: SyntaxNode[] = [];
      const firsts = [0];
      // Levels of NESTING among the parents: checked here, where nothing recurses yet.
      let nesting = 0;
      for (;;) {
        const parent = parents[parents.length - 1]!;
        const id = cursor.typeId();
        if (this.isNamed(id) || TOKEN_PARENTS.has(parent.type)) {
          const node = this.current(cursor, parent, id);
          pending.push(node);
          if (this.entered(node) && cursor.gotoFirstChild()) {
            if (NESTING.has(node.type) && ++nesting > this.maxDepth + 1) throw new NestingTooDeep(this.maxDepth, { offset: node.start });
            parents.push(node);
            firsts.push(pending.length);
            if (parents.length > MAX_SYNTAX_DEPTH) throw new NestingTooDeep(this.maxDepth, { offset: node.start });
            continue;
          }
        }
        while (!cursor.gotoNextSibling()) {
          cursor.gotoParent();
          const done = parents.pop()!;
          const first = firsts.pop()!;
          done.children = pending.slice(first);
          pending.length = first;
          if (NESTING.has(done.type)) nesting--;
          if (parents.length === 0) return root;
        }
      }
    } finally {
      cursor.close();
    }
  }

  private isNamed(id: number): boolean {
    // The ERROR symbol's id is past the language's types: it is named.
    return this.loaded.named[id] ?? true;
  }

  private current(cursor: RawCursor, parent: SyntaxNode | undefined, id: number): SyntaxNode {
    const type = this.types[id] || 'ERROR';
    const named = this.isNamed(id);
    const placed = named ? !UNPLACED.has(type) : parent === undefined || OPERATOR_PARENTS.has(parent.type);
    const lean = this.lean;
    return {
      type,
      named,
      start: placed ? (lean ? lean.toSource(cursor.startIndex()) : cursor.startIndex()) : -1,
      end: placed ? (lean ? lean.toSource(cursor.endIndex()) : cursor.endIndex()) : -1,
      field: parent?.type === 'object_elem' ? (this.fields[cursor.fieldId()] ?? null) : null,
      children: NO_CHILDREN,
    };
  }

  /** Whether the walk goes into the node; false when its children are never needed or were filled in here. */
  private entered(node: SyntaxNode): boolean {
    if (!node.named || OPAQUE.has(node.type)) return false;
    if (!this.canonical) return true;
    switch (node.type) {
      case 'literal_value':
        node.children = [this.literalFromText(node.start, node.end)];
        return false;
      case 'string_lit':
        stringLitFromText(node);
        return false;
      case 'get_attr':
        if (!IDENTIFIER_AFTER_DOT.test(this.text.slice(node.start, node.end))) return true;
        node.children = [{ ...leaf('.', -1, -1), named: false }, leaf('identifier', node.start + 1, node.end)];
        return false;
      default:
        return true;
    }
  }

  /** Without errors a literal value is exactly one literal, told apart by how it starts. */
  private literalFromText(start: number, end: number): SyntaxNode {
    const text = this.text;
    const is = (word: string): boolean => end - start === word.length && text.startsWith(word, start);
    if (text.charCodeAt(start) === 0x22) return stringLitFromText(leaf('string_lit', start, end));
    if (is('true') || is('false')) return leaf('bool_lit', start, end);
    if (is('null')) return leaf('null_lit', start, end);
    return leaf('numeric_lit', start, end);
  }
}

/** Without errors a string literal is `"`, its text, `"`. */
function stringLitFromText(node: SyntaxNode): SyntaxNode {
  node.children = [leaf('quoted_template_start', node.start, node.start + 1), leaf('quoted_template_end', node.end - 1, node.end)];
  return node;
}

function leaf(type: string, start: number, end: number): SyntaxNode {
  return { type, named: true, start, end, field: null, children: NO_CHILDREN };
}

/** A node's children without comments: the same array when it has none, as most have not. */
function withoutComments(node: SyntaxNode): readonly SyntaxNode[] {
  return node.children.some((c) => c.type === 'comment') ? node.children.filter((c) => c.type !== 'comment') : node.children;
}

function namedChildren(node: SyntaxNode): SyntaxNode[] {
  return node.children.filter((c) => c.named);
}

function firstNamed(node: SyntaxNode): SyntaxNode | undefined {
  return node.children.find((c) => c.named);
}

function namedOfType(node: SyntaxNode, type: string): SyntaxNode[] {
  return node.children.filter((c) => c.named && c.type === type);
}

function firstNamedOfType(node: SyntaxNode | undefined, type: string): SyntaxNode | undefined {
  return node?.children.find((c) => c.named && c.type === type);
}

function childOfType(node: SyntaxNode, type: string): SyntaxNode | undefined {
  return node.children.find((c) => c.type === type);
}

function isDynamicPart(node: SyntaxNode): boolean {
  return node.type === 'template_interpolation' || node.type === 'template_directive';
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

  pos(node: SyntaxNode): Position {
    return this.span(node.start, node.end);
  }

  source(node: SyntaxNode): string {
    return this.text.slice(node.start, node.end);
  }

  body(node: SyntaxNode | undefined): Body {
    const body: Body = { attributes: [], blocks: [] };
    if (!node) return body;
    for (const child of node.children) {
      if (!child.named) continue;
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

  attribute(node: SyntaxNode): Attribute | undefined {
    const name = firstNamedOfType(node, 'identifier');
    const exprNode = firstNamedOfType(node, 'expression');
    if (!name) return undefined;
    const expr = exprNode ? this.expr(exprNode) : this.invalid(node);
    return { name: this.source(name), expr, pos: this.pos(node), file: this.file };
  }

  block(node: SyntaxNode): Block | undefined {
    let type: string | undefined;
    const labels: string[] = [];
    let bodyNode: SyntaxNode | undefined;
    for (const c of node.children) {
      if (!c.named) continue;
      if (c.type === 'identifier') {
        if (type === undefined) type = this.source(c);
        else labels.push(this.source(c));
      } else if (c.type === 'string_lit') {
        labels.push(this.stringLit(c));
      } else if (c.type === 'body') {
        bodyNode = c;
      }
    }
    if (type === undefined) return undefined;
    return { type, labels, body: this.body(bodyNode), pos: this.pos(node), file: this.file };
  }

  stringLit(node: SyntaxNode): string {
    const open = childOfType(node, 'quoted_template_start');
    const close = childOfType(node, 'quoted_template_end');
    const start = open ? open.end : node.start;
    const end = close ? close.start : node.end;
    return unescapeQuoted(this.text.slice(start, end));
  }

  invalid(node: SyntaxNode): Expr {
    return { kind: 'invalid', ...this.base(node) };
  }

  base(node: SyntaxNode) {
    return { pos: this.pos(node), start: node.start, end: node.end, text: this.source(node) };
  }

  expr(node: SyntaxNode): Expr {
    switch (node.type) {
      case 'expression': {
        const parts = withoutComments(node);
        return this.term(parts, node.start, node.end) ?? this.invalid(node);
      }
      case 'literal_value':
        return this.literal(node);
      case 'template_expr':
      case 'collection_value':
      case 'operation': {
        const t = firstNamed(node);
        return t ? this.expr(t) : this.invalid(node);
      }
      case 'quoted_template':
        return { kind: 'template', heredoc: false, parts: this.templateParts(node), ...this.base(node) };
      case 'heredoc_template':
        return { kind: 'template', heredoc: true, parts: this.heredocParts(node), ...this.base(node) };
      case 'tuple':
        return { kind: 'tuple', items: namedOfType(node, 'expression').map((c) => this.expr(c)), ...this.base(node) };
      case 'object': {
        const items = namedOfType(node, 'object_elem').map((el) => {
          const keyNode = el.children.find((c) => c.field === 'key');
          const valNode = el.children.find((c) => c.field === 'val');
          const key = keyNode ? this.expr(keyNode) : this.invalid(el);
          const keyName = key.kind === 'variable' ? key.name : undefined;
          return { key, keyName, value: valNode ? this.expr(valNode) : this.invalid(el), pos: this.pos(el) };
        });
        return { kind: 'object', items, ...this.base(node) };
      }
      case 'variable_expr':
        return { kind: 'variable', name: this.source(node), ...this.base(node) };
      case 'function_call': {
        const nameNode = firstNamedOfType(node, 'identifier');
        const name = nameNode ? this.source(nameNode) : '';
        const argsNode = firstNamedOfType(node, 'function_arguments');
        const args = argsNode ? namedOfType(argsNode, 'expression').map((c) => this.expr(c)) : [];
        const expandLast = argsNode ? firstNamedOfType(argsNode, 'ellipsis') !== undefined : false;
        return { kind: 'call', name, args, expandLast, ...this.base(node) };
      }
      case 'conditional': {
        const parts = namedOfType(node, 'expression').map((c) => this.expr(c));
        if (parts.length < 3) return this.invalid(node);
        return { kind: 'conditional', cond: parts[0]!, then: parts[1]!, else: parts[2]!, ...this.base(node) };
      }
      case 'unary_operation': {
        const [opNode, ...parts] = withoutComments(node);
        const operand = parts.length > 0 ? this.term(parts, parts[0]!.start, parts[parts.length - 1]!.end) : undefined;
        return opNode && operand ? { kind: 'unary', op: this.source(opNode), operand, ...this.base(node) } : this.invalid(node);
      }
      case 'binary_operation': {
        // The operator is the one token outside the operands' parentheses.
        const kids = withoutComments(node);
        let depth = 0;
        const at = kids.findIndex((c) => {
          if (c.named) return false;
          if (c.type === '(') depth++;
          else if (c.type === ')') depth--;
          else return depth === 0;
          return false;
        });
        const left = kids.slice(0, Math.max(at, 0));
        const right = kids.slice(at + 1);
        const l = at > 0 ? this.term(left, left[0]!.start, left[left.length - 1]!.end) : undefined;
        const r = at > 0 && right.length > 0 ? this.term(right, right[0]!.start, right[right.length - 1]!.end) : undefined;
        if (!l || !r) return this.invalid(node);
        return { kind: 'binary', op: this.source(kids[at]!), left: l, right: r, ...this.base(node) };
      }
      case 'for_expr': {
        const t = firstNamed(node);
        return t ? this.forExpr(t, node) : this.invalid(node);
      }
      default:
        return this.invalid(node);
    }
  }

  /**
   * An expression term. The grammar inlines a term's parts into its parent: a base (or a
   * parenthesized expression) followed by traversal steps, as siblings.
   */
  term(parts: readonly SyntaxNode[], start: number, end: number): Expr | undefined {
    // Most terms are one node with no traversal after it.
    if (parts.length === 1 && parts[0]!.named) return this.expr(parts[0]!);
    let base: Expr | undefined;
    let rest: SyntaxNode[];
    if (parts[0]?.type === '(' && !parts[0].named) {
      let depth = 0;
      const close = parts.findIndex((c) => !c.named && (c.type === '(' ? (depth++, false) : c.type === ')' ? --depth === 0 : false));
      const inner = parts.slice(1, close < 0 ? parts.length : close).find((c) => c.named && c.type === 'expression');
      base = inner ? this.expr(inner) : undefined;
      rest = close < 0 ? [] : parts.slice(close + 1).filter((c) => c.named);
    } else {
      const named = parts.filter((c) => c.named);
      base = named[0] ? this.expr(named[0]) : undefined;
      rest = named.slice(1);
    }
    if (!base || rest.length === 0) return base;
    return { kind: 'traversal', base, steps: this.steps(rest), pos: this.span(start, end), start, end, text: this.text.slice(start, end) };
  }

  forExpr(node: SyntaxNode, outer: SyntaxNode): Expr {
    const object = node.type === 'for_object_expr';
    const intro = firstNamedOfType(node, 'for_intro');
    if (!intro) return this.invalid(outer);
    const idents = namedOfType(intro, 'identifier').map((c) => this.source(c));
    const collNode = firstNamedOfType(intro, 'expression');
    const exprs = namedOfType(node, 'expression');
    const condNode = firstNamedOfType(firstNamedOfType(node, 'for_cond'), 'expression');
    if (!collNode || exprs.length < (object ? 2 : 1) || idents.length === 0) return this.invalid(outer);
    const keyVar = idents.length > 1 ? idents[0] : undefined;
    const valueVar = idents.length > 1 ? idents[1]! : idents[0]!;
    const result: Expr = {
      kind: 'for',
      object,
      valueVar,
      collection: this.expr(collNode),
      valueExpr: this.expr(object ? exprs[1]! : exprs[0]!),
      group: firstNamedOfType(node, 'ellipsis') !== undefined,
      ...this.base(outer),
    };
    if (keyVar !== undefined) result.keyVar = keyVar;
    if (object) result.keyExpr = this.expr(exprs[0]!);
    if (condNode) result.cond = this.expr(condNode);
    return result;
  }

  steps(nodes: SyntaxNode[]): TraversalStep[] {
    const steps: TraversalStep[] = [];
    for (const n of nodes) {
      if (n.type === 'get_attr') {
        const name = firstNamedOfType(n, 'identifier');
        steps.push({ kind: 'attr', name: name ? this.source(name) : '' });
      } else if (n.type === 'index') {
        const inner = firstNamed(n);
        if (inner?.type === 'legacy_index') {
          const digits = this.source(inner).replace(/^\./, '');
          const key: Expr = { kind: 'literal', value: Number(digits), ...this.base(inner) };
          steps.push({ kind: 'index', key });
        } else {
          const e = firstNamedOfType(inner, 'expression');
          steps.push({ kind: 'index', key: e ? this.expr(e) : this.invalid(n) });
        }
      } else if (n.type === 'splat') {
        const inner = firstNamed(n);
        steps.push({ kind: 'splat', steps: inner ? this.steps(namedChildren(inner)) : [] });
      }
    }
    return steps;
  }

  literal(node: SyntaxNode): Expr {
    const inner = firstNamed(node);
    if (!inner) return this.invalid(node);
    const b = this.base(node);
    switch (inner.type) {
      case 'numeric_lit':
        return { kind: 'literal', value: Number(this.source(inner)), ...b };
      case 'bool_lit':
        return { kind: 'literal', value: this.source(inner) === 'true', ...b };
      case 'null_lit':
        return { kind: 'literal', value: null, ...b };
      case 'string_lit':
        return { kind: 'literal', value: this.stringLit(inner), ...b };
      default:
        return this.invalid(node);
    }
  }

  /** Literal text is taken from the source between parts, since the grammar drops some whitespace. */
  templateParts(node: SyntaxNode): TemplatePart[] {
    const open = childOfType(node, 'quoted_template_start');
    const close = childOfType(node, 'quoted_template_end');
    const from = open ? open.end : node.start;
    const to = close ? close.start : node.end;
    return this.partsBetween(node.children.filter(isDynamicPart), from, to, false);
  }

  partsBetween(dynamic: SyntaxNode[], from: number, to: number, heredoc: boolean): TemplatePart[] {
    const parts: TemplatePart[] = [];
    let cursor = from;
    const pushLiteral = (a: number, b: number) => {
      if (b <= a) return;
      const raw = this.text.slice(a, b);
      parts.push({ kind: 'literal', text: heredoc ? unescapeTemplateMarkers(raw) : unescapeQuoted(raw), pos: this.span(a, b), start: a });
    };
    for (const d of dynamic) {
      if (d.start < from || d.end > to) continue;
      pushLiteral(cursor, d.start);
      if (d.type === 'template_interpolation') {
        const e = firstNamedOfType(d, 'expression');
        if (e) parts.push({ kind: 'interpolation', expr: this.expr(e) });
      } else {
        const directive = this.directive(d, heredoc);
        if (directive) parts.push(directive);
      }
      cursor = d.end;
    }
    pushLiteral(cursor, to);
    return parts;
  }

  directive(node: SyntaxNode, heredoc: boolean): TemplatePart | undefined {
    const inner = firstNamed(node);
    if (!inner) return undefined;
    const dynamic = inner.children.filter((c) => c.named && isDynamicPart(c));
    if (inner.type === 'template_if') {
      const intro = firstNamedOfType(inner, 'template_if_intro');
      const elseIntro = firstNamedOfType(inner, 'template_else_intro');
      const end = firstNamedOfType(inner, 'template_if_end');
      const condNode = firstNamedOfType(intro, 'expression');
      if (!intro || !end || !condNode) return undefined;
      const thenEnd = elseIntro ? elseIntro.start : end.start;
      return {
        kind: 'if',
        cond: this.expr(condNode),
        then: this.partsBetween(dynamic, intro.end, thenEnd, heredoc),
        else: elseIntro ? this.partsBetween(dynamic, elseIntro.end, end.start, heredoc) : [],
      };
    }
    if (inner.type === 'template_for') {
      const start = firstNamedOfType(inner, 'template_for_start');
      const end = firstNamedOfType(inner, 'template_for_end');
      if (!start || !end) return undefined;
      const idents = namedOfType(start, 'identifier').map((c) => this.source(c));
      const coll = firstNamedOfType(start, 'expression');
      if (!coll || idents.length === 0) return undefined;
      const part: TemplatePart = {
        kind: 'for',
        valueVar: idents.length > 1 ? idents[1]! : idents[0]!,
        collection: this.expr(coll),
        body: this.partsBetween(dynamic, start.end, end.start, heredoc),
      };
      if (idents.length > 1) part.keyVar = idents[0]!;
      return part;
    }
    return undefined;
  }

  heredocParts(node: SyntaxNode): TemplatePart[] {
    const kids = node.children;
    const idents = kids.filter((c) => c.type === 'heredoc_identifier');
    const startNode = childOfType(node, 'heredoc_start');
    const strip = startNode ? this.source(startNode).startsWith('<<-') : false;
    const openEnd = idents[0]?.end ?? node.start;
    const nl = this.text.indexOf('\n', openEnd);
    const from = nl < 0 ? openEnd : nl + 1;
    const closing = idents.length > 1 ? idents[idents.length - 1]! : undefined;
    // The closing marker's line starts the end; its indentation is not content.
    let to = closing ? closing.start : node.end;
    while (to > from && (this.text[to - 1] === ' ' || this.text[to - 1] === '\t')) to--;
    const parts = this.partsBetween(kids.filter(isDynamicPart), from, to, true);
    return strip ? stripIndent(parts, this.text, (a, b) => this.span(a, b)) : parts;
  }
}

/** `<<-` heredocs drop the smallest indentation shared by all lines. */
function stripIndent(parts: TemplatePart[], source: string, span: (start: number, end: number) => Position): TemplatePart[] {
  let min = Infinity;
  let atLineStart = true;
  parts.forEach((p, partIndex) => {
    if (p.kind !== 'literal') {
      // A line that starts with an interpolation or directive has no indentation.
      if (atLineStart) min = 0;
      atLineStart = false;
      return;
    }
    const lines = p.text.split('\n');
    // After the heredoc's last newline there is no line, only the closing marker's.
    const endsHeredoc = partIndex === parts.length - 1;
    lines.forEach((line, i) => {
      if (i > 0) atLineStart = true;
      if (!atLineStart) return;
      if (line.trim() === '' && i < lines.length - 1) return;
      if (line === '' && endsHeredoc) return;
      const indent = /^[ \t]*/.exec(line)![0].length;
      if (line.length > indent || i === lines.length - 1) min = Math.min(min, indent);
    });
    atLineStart = p.text.endsWith('\n');
  });
  if (!Number.isFinite(min) || min === 0) return parts;
  // One literal per line, each starting where its kept text starts in the file, so positions
  // found in the text (a JSON policy's lines) still map back to the source.
  atLineStart = true;
  const out: TemplatePart[] = [];
  for (const p of parts) {
    if (p.kind !== 'literal') {
      atLineStart = false;
      out.push(p);
      continue;
    }
    const lines = p.text.split('\n');
    // Lines are found in the file, not by length: an escaped `$${` is one character shorter in the text.
    let lineStart = p.start;
    const before = out.length;
    lines.forEach((line, i) => {
      const blank = line.trim() === '' && i < lines.length - 1;
      const cut = !blank && (i > 0 || atLineStart) ? Math.min(min, /^[ \t]*/.exec(line)![0].length) : 0;
      const text = line.slice(cut) + (i < lines.length - 1 ? '\n' : '');
      const start = lineStart + cut;
      const newline = source.indexOf('\n', lineStart);
      if (text !== '') out.push({ kind: 'literal', text, start, pos: span(start, i < lines.length - 1 && newline >= 0 ? newline + 1 : start + text.length) });
      lineStart = newline + 1;
    });
    if (out.length === before) out.push({ ...p, text: '' });
    atLineStart = p.text.endsWith('\n');
  }
  return out;
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

export interface HclParseOptions {
  /** `--max-depth`: a file nested deeper is an error, and nothing of it is kept. */
  maxDepth?: number;
  /** Skips the lean copy (see lean-source.ts), for the tests that compare the two. */
  asWritten?: boolean;
}

/** Parses one file; a syntax error is reported with its line and what parsed is kept. */
export async function parseHcl(path: string, text: string, options: HclParseOptions = {}): Promise<ParsedFile> {
  const ready = await loaded();
  const parser = ready.parser;
  const maxDepth = options.maxDepth ?? DEFAULT_LIMITS.maxDepth;
  let lean = options.asWritten ? undefined : leanSource(text);
  let tree = parser.parse(lean ? lean.text : text);
  // A syntax error is found and described in the file as written.
  if (lean && tree?.rootNode.hasError) {
    tree.delete();
    lean = undefined;
    tree = parser.parse(text);
  }
  if (!tree) return { path, text, body: { attributes: [], blocks: [] }, error: { line: 1, column: 1, message: 'cannot parse HCL' } };
  try {
    const conv = new Converter(text, path);
    let syntax: SyntaxNode;
    try {
      syntax = new TreeReader(ready, tree, text, maxDepth, lean).read();
    } catch (e) {
      if (!(e instanceof NestingTooDeep)) throw e;
      const p = conv.span(e.at.offset ?? 0, e.at.offset ?? 0);
      return { path, text, body: { attributes: [], blocks: [] }, error: { line: p.line, column: p.column, message: e.message, limit: true } };
    }
    const result: ParsedFile = { path, text, body: conv.body(firstNamedOfType(syntax, 'body')) };
    const problem = syntaxProblem(tree.rootNode, text);
    if (problem) {
      const p = conv.span(problem.offset, problem.offset);
      result.error = { line: p.line, column: p.column, message: problem.message };
    }
    return result;
  } finally {
    tree.delete();
  }
}
