/** Says what is wrong at the first syntax error of a tree-sitter HCL tree, without quoting values from the file. */
import type { Node } from 'web-tree-sitter';

export interface SyntaxProblem {
  /** 0-based offset (UTF-16) into the file text where the problem is. */
  offset: number;
  message: string;
}

/** The first ERROR or MISSING node, depth first; with an explicit stack, as broken input can nest without end. */
export function firstError(root: Node): Node | undefined {
  const stack = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    if (node.type === 'ERROR' || node.isMissing) return node;
    if (!node.hasError) continue;
    const children = node.children;
    for (let i = children.length - 1; i >= 0; i--) if (children[i]) stack.push(children[i]!);
  }
  return undefined;
}

/** Block types written with one label: `provider "aws"` without `{` is a block missing its brace. */
const ONE_LABEL_BLOCKS = new Set(['provider', 'module', 'variable', 'output', 'backend', 'check', 'removed', 'moved', 'import', 'dynamic', 'provisioner']);

const KEYWORDS = new Set(['for', 'in', 'if', 'else', 'endif', 'endfor', 'true', 'false', 'null']);

/**
 * A token named in a message. Only punctuation, keywords and short lower-case names are quoted: anything
 * else could be part of a secret written on the broken line.
 */
function describeToken(token: string): string {
  if (token.startsWith('"') || token.startsWith("'")) return 'string';
  if (token.startsWith('<<')) return 'heredoc';
  if (/^[0-9]/.test(token)) return 'number';
  if (/^[^\w\s]{1,3}$/.test(token)) return `"${token}"`;
  if (KEYWORDS.has(token) || /^[a-z][a-z0-9_-]{0,15}$/.test(token)) return `"${token}"`;
  return 'text';
}

/** Named node types a MISSING node can have, in words. */
function describeMissing(type: string): string {
  if (/^[^\w\s]{1,3}$/.test(type)) return `"${type}"`;
  if (type === 'identifier') return 'a name';
  return type.replace(/_/g, ' ');
}

function children(node: Node): Node[] {
  return node.children.filter((c): c is Node => c !== null);
}

function missingProblem(node: Node, text: string): SyntaxProblem {
  const parent = node.parent;
  // `name "x"` parses as a block header waiting for `{`: most often an attribute missing its `=`.
  if (node.type === '{' && parent?.type === 'block_start') {
    const block = parent.parent;
    const header = block ? children(block).filter((c) => c.endIndex <= parent.startIndex && c.type !== 'comment' && c.type !== 'block_start') : [];
    const last = header[header.length - 1];
    if (last && header.length === 2 && !ONE_LABEL_BLOCKS.has(header[0]!.text)) return { offset: last.startIndex, message: 'syntax error: missing "=" before the value (or "{" to open a block)' };
    if (last) return { offset: last.endIndex, message: 'syntax error: missing "{" to open the block' };
  }
  if (node.type === 'quoted_template_end' && parent) {
    const open = children(parent).find((c) => c.type === 'quoted_template_start');
    if (open) return { offset: open.startIndex, message: 'syntax error: unterminated string' };
  }
  const what = node.type === 'identifier' && parent?.type === 'variable_expr' ? 'a value' : describeMissing(node.type);
  return { offset: afterPreviousToken(text, node.startIndex), message: `syntax error: missing ${what}` };
}

/** Where something missing belongs: right after the last token before it, not on a later line. */
function afterPreviousToken(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && /\s/.test(text[i - 1]!)) i--;
  return i;
}

function errorProblem(node: Node, text: string): SyntaxProblem {
  const kids = children(node);
  const quote = kids.findIndex((c) => c.type === 'quoted_template_start');
  if (quote >= 0 && !kids.slice(quote + 1).some((c) => c.type === 'quoted_template_end')) {
    return { offset: kids[quote]!.startIndex, message: 'syntax error: unterminated string' };
  }
  const meaningful = kids.filter((c) => c.type !== 'comment' && c.endIndex > c.startIndex);
  const last = meaningful[meaningful.length - 1];
  if (last?.type === '=' && meaningful.length >= 2 && meaningful[meaningful.length - 2]!.type === 'identifier') {
    return { offset: last.startIndex, message: 'syntax error: missing value after "="' };
  }
  const raw = text.slice(node.startIndex, node.endIndex);
  const lead = /^\s*/.exec(raw)![0].length;
  const token = /^(<<-?|"|'|[\w.-]+|[^\w\s]{1,3})/.exec(raw.slice(lead))?.[0];
  if (token === undefined) return { offset: node.startIndex, message: 'syntax error: unexpected end of file' };
  return { offset: node.startIndex + lead, message: `syntax error: unexpected ${describeToken(token)}` };
}

/** What is wrong at the first syntax error of a tree, and where; undefined when the tree has none. */
export function syntaxProblem(root: Node, text: string): SyntaxProblem | undefined {
  const err = firstError(root);
  if (!err) return undefined;
  return err.isMissing ? missingProblem(err, text) : errorProblem(err, text);
}
