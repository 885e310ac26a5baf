/** A target limit that counts the targets that took a slot. */
import { TargetLimit } from '../../src/live/target-limit.js';

export class CountingLimit extends TargetLimit {
  runs = 0;
  override run<T>(work: () => Promise<T>): Promise<T> {
    this.runs++;
    return super.run(work);
  }
}
