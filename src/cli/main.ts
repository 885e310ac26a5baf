/**
 * The `podtrust` command: a thin adapter over `scan()`. Only this module ends the process
 * (through the exit status it returns).
 */
import { PodtrustError } from '../errors.js';
import { VERSION } from '../version.js';
import { inertForLog } from '../reporters/sanitize.js';

export async function main(argv: string[]): Promise<number> {
  endQuietlyOnClosedPipe();
  try {
    const status = await run(argv);
    if (outputError === undefined) return status;
    process.stderr.write(`podtrust: cannot write to standard output: ${outputError}\n`);
    return Math.max(status, 2);
  } catch (e) {
    if (e instanceof PodtrustError) {
      process.stderr.write(`${inertForLog(`podtrust: ${e.message}`)}\n`);
      return e.code === 'internal' ? 3 : 2;
    }
    process.stderr.write(`${inertForLog(`podtrust: internal error: ${(e as Error).message}`)}\n`);
    if (process.env.PODTRUST_DEBUG) process.stderr.write(`${(e as Error).stack ?? ''}\n`);
    return 3;
  }
}

/** A write error on stdout other than a closed pipe: the report is incomplete (exit 2). */
let outputError: string | undefined;

/**
 * `podtrust scan … | head`: once the reader of stdout or stderr has gone, the rest of the output
 * is dropped (EPIPE) instead of ending the process with a stack trace; the exit status is the scan's.
 */
function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED' || stream === process.stderr) return;
      outputError ??= e.code ?? e.message;
    });
  }
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write((await import('./help.js')).HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-V' || command === 'version') {
    process.stdout.write(`podtrust ${VERSION}\n`);
    return 0;
  }
  // Each command loads what it needs: `--version` loads nothing more.
  if (command === 'scan' || command === 'collect') return (await import('./commands.js')).runScan(command, rest);
  if (command === 'rules') return (await import('./commands.js')).runRules(rest);
  const { didYouMean } = await import('../util/suggest.js');
  throw new PodtrustError('usage', `unknown command "${command}"${didYouMean(command, ['scan', 'collect', 'rules'])}; see podtrust --help`);
}
