/** A Terraform/HCL syntax tree with 1-based positions, independent of the parser library. */
import type { Position } from '../../model/types.js';

export type TemplatePart =
  | { kind: 'literal'; text: string; pos: Position; start: number }
  | { kind: 'interpolation'; expr: Expr }
  | { kind: 'if'; cond: Expr; then: TemplatePart[]; else: TemplatePart[] }
  | { kind: 'for'; keyVar?: string; valueVar: string; collection: Expr; body: TemplatePart[] };

export type TraversalStep =
  | { kind: 'attr'; name: string }
  | { kind: 'index'; key: Expr }
  | { kind: 'splat'; steps: TraversalStep[] };

interface ExprBase {
  pos: Position;
  /** Offsets (UTF-16) into the file text. */
  start: number;
  end: number;
  text: string;
}

export type Expr = ExprBase &
  (
    | { kind: 'literal'; value: string | number | boolean | null }
    | { kind: 'template'; heredoc: boolean; parts: TemplatePart[] }
    | { kind: 'tuple'; items: Expr[] }
    | { kind: 'object'; items: { key: Expr; keyName?: string; value: Expr; pos: Position }[] }
    | { kind: 'variable'; name: string }
    | { kind: 'traversal'; base: Expr; steps: TraversalStep[] }
    | { kind: 'call'; name: string; args: Expr[]; expandLast: boolean }
    | { kind: 'conditional'; cond: Expr; then: Expr; else: Expr }
    | { kind: 'unary'; op: string; operand: Expr }
    | { kind: 'binary'; op: string; left: Expr; right: Expr }
    | {
        kind: 'for';
        object: boolean;
        keyVar?: string;
        valueVar: string;
        collection: Expr;
        keyExpr?: Expr;
        valueExpr: Expr;
        cond?: Expr;
        group: boolean;
      }
    | { kind: 'invalid' }
  );

export interface Attribute {
  name: string;
  expr: Expr;
  pos: Position;
  file: string;
}

export interface Block {
  type: string;
  labels: string[];
  body: Body;
  pos: Position;
  file: string;
}

export interface Body {
  attributes: Attribute[];
  blocks: Block[];
}

export interface ParsedFile {
  path: string;
  text: string;
  body: Body;
  /** First syntax error, if any; `limit` when the file is over `--max-depth` rather than malformed. */
  error?: { line: number; column: number; message: string; limit?: true };
}
