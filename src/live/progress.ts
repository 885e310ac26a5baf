/**
 * Progress of live collection on stderr: one line per source being read (a cluster, an account, a
 * project), with the resource type and count, redrawn in place; a finished source leaves its
 * summary above the lines of those still being read. Silent unless the stream is a terminal, and
 * always silent with `--quiet`.
 */
import { sanitizeTerminal } from '../reporters/sanitize.js';

export interface Progress {
  /** `source` is a cluster or account, `what` a resource type. */
  update(source: string, what: string, count: number): void;
  done(source: string, summary: string): void;
}

export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export const SILENT_PROGRESS: Progress = { update() {}, done() {} };

/** Sources read side by side share one block of lines per stream, whichever source created them. */
const boards = new WeakMap<ProgressStream, Board>();

export function createProgress(options: { quiet?: boolean; stream?: ProgressStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || stream.isTTY !== true) return SILENT_PROGRESS;
  let board = boards.get(stream);
  if (!board) boards.set(stream, (board = new Board(stream)));
  const shared = board;
  return {
    update: (source, what, count) => shared.update(source, `${source}: ${what} ${count}`),
    done: (source, summary) => shared.done(source, `${source}: ${summary}`),
  };
}

class Board {
  private readonly lines = new Map<string, string>();
  /** Lines drawn last time, which the cursor sits below. */
  private drawn = 0;

  constructor(private readonly stream: ProgressStream) {}

  update(source: string, line: string): void {
    this.lines.set(source, line);
    this.draw();
  }

  done(source: string, line: string): void {
    this.lines.delete(source);
    this.draw(line);
  }

  private draw(finished?: string): void {
    // Up to the first line of the block (column 1), cleared to the end of the screen.
    let out = `${this.drawn > 0 ? `\u001b[${this.drawn}F` : '\r'}\u001b[J`;
    if (finished !== undefined) out += `${this.fit(finished)}\n`;
    for (const line of this.lines.values()) out += `${this.fit(line)}\n`;
    this.drawn = this.lines.size;
    this.stream.write(out);
  }

  /** One terminal line (a wrapped line would break the redraw), without control characters a kubeconfig name could carry. */
  private fit(line: string): string {
    const plain = sanitizeTerminal(line);
    const width = (this.stream.columns ?? 0) > 1 ? this.stream.columns! - 1 : Infinity;
    return plain.length > width ? plain.slice(0, width) : plain;
  }
}
