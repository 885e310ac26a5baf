/**
 * The evaluation of one Terraform root module (with the modules it calls): its step budget, and
 * which file is being evaluated, to name the place when the budget runs out or evaluation fails.
 *
 * Steps are expression nodes evaluated, `for` iterations, `count`/`for_each` instances and module
 * instances. Once the budget is spent every further evaluation in the root fails with
 * BudgetExceeded: the values not computed yet stay unknown and the root ends promptly.
 */
import { failureInjection } from '../isolate.js';
import { BudgetExceeded, EvaluationError } from './evaluation-error.js';

/**
 * Steps one root module may take. Measured: a root of the benchmark monorepo takes ~600 steps, the
 * largest fixture root ~100, the largest root among the examples and tests of
 * terraform-aws-modules/eks (v21.19) and /iam ~10,000. A hundred times that still ends a hostile
 * root (three nested `for` over `range(1024)`) in about a second.
 */
export const ROOT_STEP_BUDGET = 1_000_000;

export interface EvaluationPlace {
  /** Undefined when no attribute was being evaluated (an instance count). */
  file: string | undefined;
  line: number;
}

export class EvaluationBudget {
  private used = 0;
  /** File of the attribute being evaluated: every expression node between two `enter`s is in it. */
  private file: string | undefined;
  private spent: BudgetExceeded | undefined;
  private readonly inject = failureInjection();
  /** Where the budget ran out. */
  hit: EvaluationPlace | undefined;
  /** The innermost attribute an unexpected exception (not an EvaluationError) came out of. */
  failed: EvaluationPlace | undefined;

  constructor(readonly limit = ROOT_STEP_BUDGET) {}

  /** The file of the attribute being evaluated. */
  get evaluating(): string | undefined {
    return this.file;
  }

  /** One step at `line` of the current file; throws once the budget is spent. */
  step(line: number): void {
    if (++this.used > this.limit) throw this.exceeded(line);
  }

  /** `n` steps that are not evaluations (instances of a block or module): recorded, never thrown here. */
  charge(n: number, file: string, line: number): void {
    this.used += n;
    if (this.used > this.limit) this.hit ??= { file, line };
  }

  /** Evaluation moves to an attribute at `line` of `file`; returns what `leave` restores. */
  enter(file: string, line: number): string | undefined {
    const outer = this.file;
    this.file = file;
    if (this.inject) {
      try {
        this.inject(file);
      } catch (e) {
        this.passing(e, line);
        throw e;
      }
    }
    return outer;
  }

  leave(outer: string | undefined): void {
    this.file = outer;
  }

  /** An exception leaves the attribute at `line` of the current file. */
  passing(e: unknown, line: number): void {
    if (!(e instanceof EvaluationError)) this.failed ??= { file: this.file, line };
  }

  private exceeded(line: number): BudgetExceeded {
    this.hit ??= { file: this.file, line };
    // One error for every later step: thrown thousands of times, it must not build a stack trace each time.
    return (this.spent ??= new BudgetExceeded(`evaluation budget of ${this.limit} steps spent`));
  }
}
