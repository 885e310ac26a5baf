/**
 * Progress of live collection on stderr: one line per source and resource type with counts.
 * Silent unless the stream is a terminal, and always silent with `--quiet`.
 */

export interface Progress {
  /** `source` is a cluster or account, `what` a resource type. */
  update(source: string, what: string, count: number): void;
  done(source: string, summary: string): void;
}

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export const SILENT_PROGRESS: Progress = { update() {}, done() {} };

export function createProgress(options: { quiet?: boolean; stream?: ProgressStream } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.quiet || stream.isTTY !== true) return SILENT_PROGRESS;
  return {
    update(source, what, count) {
      stream.write(`\r\u001b[2K${source}: ${what} ${count}`);
    },
    done(source, summary) {
      stream.write(`\r\u001b[2K${source}: ${summary}\n`);
    },
  };
}
