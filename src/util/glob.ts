/**
 * Path globs for `--exclude`, config `exclude`/`ignore` entries and cluster maps, with the syntax of
 * picomatch and .gitignore: `*` and `?` within a segment, `**` for any number of segments, classes
 * (`[ab]`, `[a-z]`, `[!ab]`, `[^ab]`), braces (`{a,b}`, nested, `{1..3}`), a leading `!` to negate,
 * `\` to escape. A glob without a slash matches a name at any depth, as .gitignore does.
 *
 * Globs come from the repository (`.podtrust.yaml`), so they are hostile input: the matchers that
 * compile globs to RegExps backtrack exponentially in the number of stars (picomatch: `*a*a*a*b`
 * takes a second on one 255-character name, `*a*a*a*a*b` 48 s). Here a segment is compared by the
 * two-pointer star algorithm (O(name × glob) at worst), `**` by a memoised walk over segments, and
 * brace expansion is capped.
 */
import { PodtrustError } from '../errors.js';

/** One character class or literal, `?`, or a star. */
type Token = { t: 'char'; c: string } | { t: 'any' } | { t: 'class'; negated: boolean; ranges: Array<[string, string]> } | { t: 'star' };
type Segment = Token[] | 'globstar';

interface CompiledGlob {
  negated: boolean;
  /** One alternative per brace expansion; each a list of segments. */
  alternatives: Segment[][];
  /** No slash in the glob: it matches one name at any depth. */
  anyDepth: boolean;
}

export const MAX_BRACE_EXPANSIONS = 256;
const MAX_GLOB_LENGTH = 4096;

const compiled = new Map<string, CompiledGlob>();

export function globMatch(glob: string, path: string): boolean {
  const g = compileGlob(glob);
  const matched = matchCompiled(g, splitPath(path));
  return g.negated ? !matched : matched;
}

/** True when a glob matches the path or one of its parent directories (excluding a folder excludes its content). */
export function globMatchesPathOrParent(glob: string, path: string): boolean {
  const g = compileGlob(glob);
  const parts = splitPath(path);
  let matched = false;
  for (let i = parts.length; i > 0 && !matched; i--) matched = matchCompiled(g, parts.slice(0, i));
  return g.negated ? !matched : matched;
}

/**
 * Whether a list of excludes leaves a path out, the way .gitignore reads its lines: the last glob
 * that matches the path (or a parent) decides, and a `!glob` brings a path back in.
 */
export function excludedBy(globs: readonly string[], path: string): boolean {
  return excludingGlob(globs, path) !== undefined;
}

/** The glob that leaves the path out (see {@link excludedBy}), or undefined when the path stays in. */
export function excludingGlob(globs: readonly string[], path: string): string | undefined {
  let deciding: string | undefined;
  const parts = splitPath(path);
  for (const glob of globs) {
    const g = compileGlob(glob);
    let matched = false;
    for (let i = parts.length; i > 0 && !matched; i--) matched = matchCompiled(g, parts.slice(0, i));
    if (matched) deciding = g.negated ? undefined : glob;
  }
  return deciding;
}

/** Throws a usage error naming the problem when a glob cannot be read (an unclosed class, too many expansions). */
export function checkGlob(glob: string): void {
  compileGlob(glob);
}

function splitPath(path: string): string[] {
  return path.replace(/\\/g, '/').replace(/^\.\//, '').split('/').filter((s) => s !== '');
}

function matchCompiled(g: CompiledGlob, parts: string[]): boolean {
  for (const alt of g.alternatives) {
    if (g.anyDepth) {
      const only = alt[0]!;
      if (only === 'globstar' || parts.some((name) => matchSegment(only, name))) return true;
    } else if (matchSegments(alt, 0, parts, 0, new Map())) return true;
  }
  return false;
}

function matchSegments(gs: Segment[], gi: number, ps: string[], pi: number, memo: Map<number, boolean>): boolean {
  const key = gi * (ps.length + 1) + pi;
  const cached = memo.get(key);
  if (cached !== undefined) return cached;
  let result: boolean;
  const seg = gs[gi];
  if (seg === undefined) result = pi === ps.length;
  else if (seg === 'globstar') result = matchSegments(gs, gi + 1, ps, pi, memo) || (pi < ps.length && matchSegments(gs, gi, ps, pi + 1, memo));
  else result = pi < ps.length && matchSegment(seg, ps[pi]!) && matchSegments(gs, gi + 1, ps, pi + 1, memo);
  memo.set(key, result);
  return result;
}

/** The two-pointer star algorithm: on a mismatch, retry from the last star one character further. */
function matchSegment(tokens: Token[], name: string): boolean {
  let ti = 0;
  let ni = 0;
  let starAt = -1;
  let starName = 0;
  while (ni < name.length) {
    const tok = tokens[ti];
    if (tok && tok.t === 'star') {
      starAt = ti++;
      starName = ni;
    } else if (tok && matchChar(tok, name[ni]!)) {
      ti++;
      ni++;
    } else if (starAt >= 0) {
      ti = starAt + 1;
      ni = ++starName;
    } else return false;
  }
  while (tokens[ti]?.t === 'star') ti++;
  return ti === tokens.length;
}

function matchChar(tok: Token, c: string): boolean {
  switch (tok.t) {
    case 'char':
      return tok.c === c;
    case 'any':
      return true;
    case 'class': {
      const inside = tok.ranges.some(([lo, hi]) => c >= lo && c <= hi);
      return inside !== tok.negated;
    }
    default:
      return false;
  }
}

function compileGlob(glob: string): CompiledGlob {
  const hit = compiled.get(glob);
  if (hit) return hit;
  if (glob.length > MAX_GLOB_LENGTH) throw new PodtrustError('usage', `glob is longer than ${MAX_GLOB_LENGTH} characters`);
  let text = glob.replace(/\\(?=[^*?[\]{}!\\,])/g, '/');
  const negated = text.startsWith('!');
  if (negated) text = text.slice(1);
  text = text.replace(/^\.\//, '');
  const expansions = expandBraces(text, glob);
  const anyDepth = expansions.every((e) => !stripTrailingSlash(e).includes('/'));
  const alternatives = expansions.map((e) => {
    const segs = splitGlobSegments(stripTrailingSlash(e)).filter((s) => s !== '');
    return segs.map((s): Segment => (s === '**' ? 'globstar' : tokenize(s, glob)));
  });
  const out: CompiledGlob = { negated, alternatives: alternatives.filter((a) => a.length > 0), anyDepth };
  if (out.alternatives.length === 0) out.alternatives.push(['globstar']);
  compiled.set(glob, out);
  return out;
}

function stripTrailingSlash(s: string): string {
  return s.replace(/\/+$/, '');
}

/** Splits at `/` outside classes (a class cannot hold a slash in a path glob, but `\/` stays literal). */
function splitGlobSegments(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[++i]!;
    } else if (c === '/') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function tokenize(segment: string, glob: string): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '\\' && i + 1 < segment.length) tokens.push({ t: 'char', c: segment[++i]! });
    else if (c === '*') {
      if (tokens[tokens.length - 1]?.t !== 'star') tokens.push({ t: 'star' });
    } else if (c === '?') tokens.push({ t: 'any' });
    else if (c === '[') {
      const end = classEnd(segment, i);
      if (end < 0) throw new PodtrustError('usage', `glob "${glob}": "[" has no closing "]"`);
      tokens.push(parseClass(segment.slice(i + 1, end)));
      i = end;
    } else tokens.push({ t: 'char', c });
  }
  return tokens;
}

/** Index of the `]` closing the class opened at `open` (a `]` right after `[`, `[!` or `[^` is a member). */
function classEnd(s: string, open: number): number {
  let i = open + 1;
  if (s[i] === '!' || s[i] === '^') i++;
  if (s[i] === ']') i++;
  for (; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === ']') return i;
  }
  return -1;
}

function parseClass(body: string): Token {
  let i = 0;
  const negated = body[0] === '!' || body[0] === '^';
  if (negated) i++;
  const ranges: Array<[string, string]> = [];
  while (i < body.length) {
    let lo = body[i]!;
    if (lo === '\\' && i + 1 < body.length) lo = body[++i]!;
    i++;
    if (body[i] === '-' && i + 1 < body.length) {
      let hi = body[i + 1]!;
      i += 2;
      if (hi === '\\' && i < body.length) hi = body[i++]!;
      ranges.push([lo, hi]);
    } else ranges.push([lo, lo]);
  }
  return { t: 'class', negated, ranges };
}

/** `{a,b}` and `{1..3}` expansions, nested, at most {@link MAX_BRACE_EXPANSIONS}; a brace without a comma or range is literal. */
function expandBraces(s: string, glob: string): string[] {
  const open = findOpenBrace(s);
  if (open < 0) return [s];
  const close = matchingBrace(s, open);
  if (close < 0) return [s];
  const inner = s.slice(open + 1, close);
  const options = braceOptions(inner);
  const head = s.slice(0, open);
  const tails = expandBraces(s.slice(close + 1), glob);
  if (options === undefined) return tails.map((t) => `${head}\\{${inner}\\}${t}`);
  const out: string[] = [];
  for (const o of options) {
    for (const inner of expandBraces(o, glob)) {
      for (const t of tails) {
        out.push(head + inner + t);
        if (out.length > MAX_BRACE_EXPANSIONS) throw new PodtrustError('usage', `glob "${glob}" expands to more than ${MAX_BRACE_EXPANSIONS} patterns`);
      }
    }
  }
  return out;
}

function findOpenBrace(s: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '{') return i;
  }
  return -1;
}

function matchingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '\\') i++;
    else if (s[i] === '{') depth++;
    else if (s[i] === '}' && --depth === 0) return i;
  }
  return -1;
}

/** The comma-separated options of a brace body (top level only), its numeric or letter range, or undefined when it is literal. */
function braceOptions(body: string): string[] | undefined {
  const range = /^(-?\d+|[a-zA-Z])\.\.(-?\d+|[a-zA-Z])$/.exec(body);
  if (range) {
    const [, a, b] = range as unknown as [string, string, string];
    const numeric = /\d/.test(a) && /\d/.test(b);
    const from = numeric ? Number(a) : a.charCodeAt(0);
    const to = numeric ? Number(b) : b.charCodeAt(0);
    if (Math.abs(to - from) >= MAX_BRACE_EXPANSIONS) return undefined;
    const step = from <= to ? 1 : -1;
    const out: string[] = [];
    for (let v = from; step > 0 ? v <= to : v >= to; v += step) out.push(numeric ? String(v) : String.fromCharCode(v));
    return out;
  }
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\' && i + 1 < body.length) {
      cur += c + body[++i]!;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  return parts.length > 1 ? parts : undefined;
}
