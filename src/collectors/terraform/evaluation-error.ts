/**
 * The Terraform evaluator's own failure: a value that cannot be computed (a function called with
 * arguments it rejects, a type mismatch, a missing key, the evaluation budget spent). Callers turn
 * it into an unknown value; any other exception is a programming error and goes on to the
 * per-input boundary (src/engine/isolate.ts), which names the input instead of guessing.
 */
export class EvaluationError extends Error {
  override name = 'EvaluationError';
}

/**
 * The root module's evaluation budget is spent. Unlike other evaluation errors, `try()` and
 * `can()` do not catch it: their fallback would be a guess, not Terraform's answer.
 */
export class BudgetExceeded extends EvaluationError {
  override name = 'BudgetExceeded';
}

/**
 * A bound of the evaluator's own, which Terraform does not have, was reached (a `for` over too many
 * items): the value is unknown, and as with the budget, `try()` and `can()` must not take their
 * fallback for it.
 */
export class EvaluationLimit extends EvaluationError {
  override name = 'EvaluationLimit';
}

/** What `try()` and `can()` catch, as Terraform does: an invalid value, never a bound of the evaluator's own or a programming error. */
export function isRecoverable(e: unknown): e is EvaluationError {
  return e instanceof EvaluationError && !(e instanceof BudgetExceeded) && !(e instanceof EvaluationLimit);
}

/** Runs `work`; an evaluation error gives `fallback`'s value, anything else is rethrown. */
export function orElse<T>(work: () => T, fallback: (e: EvaluationError) => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof EvaluationError) return fallback(e);
    throw e;
  }
}
