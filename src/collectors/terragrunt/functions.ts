/**
 * Terragrunt's built-in functions, evaluated where the answer lies in the scanned tree: paths of the
 * unit and the files it includes, files found in parent folders (never above the scan root). What
 * depends on the machine or the cloud account (`get_env` without a default, `get_aws_account_id`,
 * `run_cmd`, ...) stays unknown: the real environment is never read.
 */
import { existsSync } from 'node:fs';
import { dirname, join, posix as posixPath, relative, resolve, sep } from 'node:path';
import { isInside } from '../../util/input-reader.js';
import { EvaluationError } from '../terraform/evaluation-error.js';
import { type Value, toStr } from '../terraform/values.js';
import type { TerragruntConfig } from './config.js';

export interface FunctionContext {
  /** The unit being evaluated (the child of its includes). */
  unit: TerragruntConfig;
  /** The configuration the call is written in. */
  caller: TerragruntConfig;
  /** An included configuration of the unit by label; no label: the first. */
  include(label?: string): TerragruntConfig | undefined;
  /** Searches stop here: nothing above the scan root is looked at. */
  root: string;
  /** The value of a configuration read by `read_terragrunt_config`, if it was read. */
  readConfig(path: string): Value | undefined;
}

type TerragruntFunction = (args: Value[], ctx: FunctionContext) => Value | undefined;

function posixRelative(from: string, to: string): string {
  return relative(from, to).split(sep).join('/') || '.';
}

function stringArg(args: Value[], i: number): string | undefined {
  const v = args[i];
  return v === undefined ? undefined : toStr(v);
}

/** Where the calling configuration's functions look from: a file read with `read_terragrunt_config` is its own unit. */
function workingDir(ctx: FunctionContext): string {
  return ctx.caller.role === 'read' ? ctx.caller.dir : ctx.unit.dir;
}

/** The first `name` in a folder above the folder `from`, within the scan root (the file too, not only the folder). */
export function findInParents(from: string, name: string, root: string): string | undefined {
  let dir = dirname(from);
  while (isInside(dir, root)) {
    const candidate = join(dir, name);
    // A name that climbs (`../../x`) must not probe for files above the scan root.
    if (isInside(candidate, root) && existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

function repoRoot(ctx: FunctionContext): string {
  let dir = workingDir(ctx);
  while (isInside(dir, ctx.root)) {
    if (existsSync(join(dir, '.git'))) return dir;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new EvaluationError('no repository root inside the scanned folder');
}

/** The include a path function is about: the calling file itself when it is the included one. */
function includeFor(args: Value[], ctx: FunctionContext): TerragruntConfig | undefined {
  if (ctx.caller.role === 'included') return ctx.caller;
  return ctx.include(stringArg(args, 0));
}

const FUNCTIONS: Record<string, TerragruntFunction> = {
  find_in_parent_folders: (args, ctx) => {
    const name = args.length === 0 ? 'terragrunt.hcl' : stringArg(args, 0);
    if (name === undefined) return undefined;
    // Searches start at the unit even when the call is written in an included parent.
    const found = findInParents(workingDir(ctx), name, ctx.root);
    if (found !== undefined) return found;
    if (args.length > 1) return args[1]!;
    throw new EvaluationError(`no ${name} in a parent folder`);
  },
  get_terragrunt_dir: (_args, ctx) => workingDir(ctx),
  get_original_terragrunt_dir: (_args, ctx) => ctx.unit.dir,
  get_parent_terragrunt_dir: (args, ctx) => (includeFor(args, ctx) ?? ctx.caller).dir,
  path_relative_to_include: (args, ctx) => {
    const inc = includeFor(args, ctx);
    return inc ? posixRelative(inc.dir, ctx.unit.dir) : '.';
  },
  path_relative_from_include: (args, ctx) => {
    const inc = includeFor(args, ctx);
    return inc ? posixRelative(ctx.unit.dir, inc.dir) : '.';
  },
  get_repo_root: (_args, ctx) => repoRoot(ctx),
  get_path_to_repo_root: (_args, ctx) => posixRelative(workingDir(ctx), repoRoot(ctx)),
  get_path_from_repo_root: (_args, ctx) => posixRelative(repoRoot(ctx), workingDir(ctx)),
  // The environment of the machine that runs podtrust is not the one Terragrunt runs in: only the default is known.
  get_env: (args) => (args.length > 1 ? args[1]! : undefined),
  read_terragrunt_config: (args, ctx) => {
    const path = stringArg(args, 0);
    if (path === undefined) return undefined;
    return ctx.readConfig(resolve(workingDir(ctx), path)) ?? (args.length > 1 ? args[1]! : undefined);
  },
  mark_as_read: (args) => args[0],
  // Terraform's path functions, which Terragrunt configurations use on the paths above.
  dirname: (args) => {
    const p = stringArg(args, 0);
    return p === undefined ? undefined : posixPath.dirname(p);
  },
  basename: (args) => {
    const p = stringArg(args, 0);
    return p === undefined ? undefined : posixPath.basename(p);
  },
};

/** A Terragrunt function's value; undefined when it is not one or its value is not known here. */
export function callTerragruntFunction(name: string, args: Value[], ctx: FunctionContext): Value | undefined {
  const fn = FUNCTIONS[name];
  return fn ? fn(args, ctx) : undefined;
}

