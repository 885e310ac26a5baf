/**
 * Makes untrusted text safe to print: a resource name, file name or message taken from scanned
 * input must not be able to move the cursor, recolour, retitle or spoof lines on a terminal,
 * nor issue a workflow command in a CI log.
 */

// CSI (ESC [ … final byte, or the 8-bit 0x9B form), OSC / DCS / SOS / PM / APC strings up to
// their terminator (BEL or ST), and the remaining two-byte ESC sequences.
const ESCAPE_SEQUENCE =
  /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)|\u001b[\u0020-\u002f]*[\u0030-\u007e]?/g;

// Line breaks and tabs become one space so that input cannot start a line of its own.
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

// Other C0/C1 controls, DEL, and bidirectional overrides that reorder what is displayed.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

// Every character the three patterns above start with: text without one is returned as it is.
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u0085\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** One line of text for a terminal cell: escape sequences and controls gone, line breaks made spaces. */
export function sanitizeTerminal(text: string): string {
  if (!ANY_CONTROL.test(text)) return text;
  return text.replace(ESCAPE_SEQUENCE, '').replace(LINE_BREAKS, ' ').replace(CONTROLS, '');
}

// Backslash too, so that an escape in the output always means one.
const ESCAPED = /[\\\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}\u2028\u2029]/gu;
const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Shows control and invisible characters as escapes (`\n`, `\u{1b}`) instead of dropping them:
 * for file names, where the exact name matters (`a\nb` and `a b` are two files).
 */
export function escapeControls(text: string): string {
  return text.replace(ESCAPED, (c) => NAMED_ESCAPES[c] ?? `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

// The GitHub Actions runner reads every line of a step's output (split at \n, \r and \r\n) and
// takes it as a workflow command when, after .NET's TrimStart(), it starts with `::`, or when
// it contains `##[` anywhere (the legacy form). It compares with the current culture, for which
// control and format characters do not count: `#\u200b#[` is `##[` to it. So every such
// character is removed, and what is left of the two forms is broken with a backslash.
const LOG_LINE_BREAK = /\r\n|[\n\r\u0085\u2028\u2029]/;
// char.IsWhiteSpace, what TrimStart() removes.
const LOG_INDENT = '[\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*';
const COMMAND_START = new RegExp(`^(${LOG_INDENT}):(?=:)`);
const LEGACY_COMMAND = /##\[/g;
// Only a command at the start of a line, but whoever reads the log (or a tool that searches it)
// must find `::stop-commands::` only where podtrust switched commands off itself.
const STOP_COMMANDS = /::(stop-commands)::/gi;
const HAS_STOP_COMMANDS = /::stop-commands::/i;
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}]/gu;
// podtrust's own colours (the table on a terminal): kept unless the line needs a guard.
const SGR = /^\u001b\[[0-9;]*m$/;

function isCommandLike(line: string): boolean {
  return COMMAND_START.test(line) || line.includes('##[') || HAS_STOP_COMMANDS.test(line);
}

function inertLine(line: string): string {
  let shown = '';
  let visible = '';
  let lastEnd = 0;
  const text = (piece: string): string => piece.replace(/\t/g, ' ').replace(INVISIBLE, '');
  for (const m of line.matchAll(ESCAPE_SEQUENCE)) {
    const before = text(line.slice(lastEnd, m.index));
    shown += before;
    visible += before;
    if (SGR.test(m[0])) shown += m[0];
    lastEnd = m.index + m[0].length;
  }
  const rest = text(line.slice(lastEnd));
  shown += rest;
  visible += rest;
  // The runner skips a lone ESC, not the rest of a colour sequence: check what it sees too.
  if (!isCommandLike(visible) && !isCommandLike(shown.replace(/\u001b/g, ''))) return shown;
  return visible.replace(LEGACY_COMMAND, '##\\[').replace(STOP_COMMANDS, '::$1\\::').replace(COMMAND_START, '$1\\:');
}

/**
 * Text for a CI job log or a terminal, line by line: no escape sequence but podtrust's own
 * colours, no control or invisible character, and no line the GitHub Actions runner would take
 * as a workflow command (`::name::` at the start, `##[name]` anywhere), nor `::stop-commands::`
 * anywhere. Line breaks are kept (as `\n`). Every writer to a log or terminal passes what it
 * prints through here.
 */
export function inertForLog(text: string): string {
  return text.split(LOG_LINE_BREAK).map(inertLine).join('\n');
}

// Controls other than CR and LF, format and invisible characters, line and paragraph separators.
const NOT_CARRIED = /[\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}\u2028\u2029]|[^\P{Cc}\r\n]/u;

/**
 * True when a workflow command property escaped as the runner expects (`%`, CR, LF, `:` and
 * `,`) carries the value exactly and inertly: it holds no other control or invisible
 * character and no `##[`.
 */
export function isExactCommandProperty(value: string): boolean {
  return !NOT_CARRIED.test(value) && !value.includes('##[');
}

// What a CI runner printing a report would take for a workflow command or would not show (see
// `inertForLog`): DEL and C1 controls, format and invisible characters, line and paragraph
// separators, `##[` and `::stop-commands::`; with `lineBreaks`, CR and LF as well.
const REPORT_UNSAFE = /[\u007f-\u009f\u2028\u2029\p{Cf}\p{Default_Ignorable_Code_Point}]|##\[|::stop-commands::/giu;
const REPORT_UNSAFE_OR_BREAK = /[\n\r\u007f-\u009f\u2028\u2029\p{Cf}\p{Default_Ignorable_Code_Point}]|##\[|::stop-commands::/giu;

/**
 * Report text (JSON, XML, HTML) a CI runner may print as it is: each such character written with
 * the format's own escape (`escape` gets one character), so the data stays exact for a reader of
 * the format and `##[`, `::stop-commands::` and hidden characters never reach the log.
 */
export function escapeForReport(text: string, escape: (char: string) => string, options: { lineBreaks?: boolean } = {}): string {
  return text.replace(options.lineBreaks ? REPORT_UNSAFE_OR_BREAK : REPORT_UNSAFE, (m) => {
    if (m === '##[') return `##${escape('[')}`;
    if (m.length > 3) return `${m.slice(0, -2)}${escape(':')}:`;
    return escape(m);
  });
}

/** A character as an XML (and HTML) numeric character reference. */
export function characterReference(char: string): string {
  return `&#x${char.codePointAt(0)!.toString(16)};`;
}
