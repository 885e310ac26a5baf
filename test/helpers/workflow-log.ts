/**
 * How the GitHub Actions runner reads a step's output, after actions/runner
 * (src/Runner.Common/ActionCommand.cs, src/Runner.Worker/ActionCommandManager.cs): lines split
 * at CR, LF and CRLF; a line is a command when, after TrimStart(), it starts with `::` (and
 * `::name props::data` follows), or when it contains `##[name props]data` anywhere. The runner
 * compares with the current culture, which skips control and format characters: they are
 * dropped here before matching, so a check never misses what the runner would see.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface LogCommand {
  name: string;
  /** Property values unescaped as the runner does. */
  props: Record<string, string>;
  /** Raw property text, before unescaping. */
  rawProps: string;
  data: string;
  line: string;
}

const IGNORED = /[\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}]/gu;
// char.IsWhiteSpace: what TrimStart() removes.
const TRIM = /^[\t-\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** The runner's order: %0D, %0A, %3A, %2C, then %25 last. */
function unescapeProperty(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

export function logLines(log: string): string[] {
  return log.split(/\r\n|\r|\n/);
}

/** A line as the runner's culture-aware comparison sees it. */
export function runnerView(line: string): string {
  return line.replace(IGNORED, '').replace(TRIM, '');
}

/** The `::name props::data` command of a line, as TryParseV2 reads it (any name). */
export function parseCommand(line: string): LogCommand | undefined {
  const message = runnerView(line);
  if (!message.startsWith('::')) return undefined;
  const end = message.indexOf('::', 2);
  if (end < 0) return undefined;
  const info = message.slice(2, end);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  const rawProps = space < 0 ? '' : info.slice(space + 1).trim();
  const props: Record<string, string> = {};
  for (const pair of rawProps.split(',').filter((p) => p !== '')) {
    const eq = pair.indexOf('=');
    if (eq > 0 && eq < pair.length - 1) props[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
  }
  return { name, props, rawProps, data: unescapeData(message.slice(end + 2)), line };
}

export interface LogCheck {
  /** Every way the log breaks the rules; empty when it keeps them. */
  problems: string[];
  /** podtrust's annotations, in order. */
  annotations: LogCommand[];
  /** The tokens of its stop-commands, in order. */
  tokens: string[];
}

const ANNOTATIONS = new Set(['error', 'warning', 'notice']);
const TOKEN = /^podtrust-[0-9a-f]{32}$/;
// Written by the runner's escaping: never a raw `:` or `,` inside a value, nor a line break.
const ESCAPED_PROPERTY = /^[^:,\r\n]*$/;

/**
 * Checks a captured log: no `##[` anywhere; every line that reads as a command is one of
 * podtrust's own (an annotation, or stop-commands with a random token of its own and the
 * matching resume), and none of them comes while commands are stopped; each stop-commands is
 * resumed; annotation properties are escaped and `file=` names a regular file of the workspace.
 */
export function checkWorkflowLog(log: string, workspace: string): LogCheck {
  const problems: string[] = [];
  const annotations: LogCommand[] = [];
  const tokens: string[] = [];
  let stopped: string | undefined;
  for (const line of logLines(log)) {
    if (runnerView(line).includes('##[') || line.includes('##[')) problems.push(`legacy command marker: ${JSON.stringify(line)}`);
    const command = parseCommand(line);
    if (/::stop-commands::/i.test(runnerView(line)) && command?.name !== 'stop-commands') problems.push(`stop-commands in text: ${JSON.stringify(line)}`);
    if (!command) {
      if (runnerView(line).startsWith('::')) problems.push(`line starting with :: : ${JSON.stringify(line)}`);
      continue;
    }
    if (stopped !== undefined) {
      if (command.name === stopped && command.rawProps === '' && command.data === '') stopped = undefined;
      else problems.push(`command-like line while commands are stopped: ${JSON.stringify(line)}`);
      continue;
    }
    if (command.name === 'stop-commands') {
      if (!TOKEN.test(command.data) || tokens.includes(command.data)) problems.push(`stop-commands with a token podtrust did not generate: ${JSON.stringify(line)}`);
      tokens.push(command.data);
      stopped = command.data;
      continue;
    }
    if (!ANNOTATIONS.has(command.name)) {
      problems.push(`foreign command ${command.name}: ${JSON.stringify(line)}`);
      continue;
    }
    for (const raw of command.rawProps.split(',').filter((p) => p !== '')) {
      if (!ESCAPED_PROPERTY.test(raw.slice(raw.indexOf('=') + 1))) problems.push(`unescaped property ${raw}`);
    }
    const file = command.props.file;
    if (file !== undefined && !(existsSync(join(workspace, file)) && statSync(join(workspace, file)).isFile())) {
      problems.push(`file= names no file of the workspace: ${JSON.stringify(file)}`);
    }
    annotations.push(command);
  }
  if (stopped !== undefined) problems.push(`stop-commands ${stopped} never resumed`);
  return { problems, annotations, tokens };
}
