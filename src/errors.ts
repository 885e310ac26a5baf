/** The one error type of podtrust: a code the CLI maps to an exit status, a message a user can act on. */
export type ErrorCode = 'usage' | 'config' | 'input' | 'internal';

export class PodtrustError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'PodtrustError';
  }
}
