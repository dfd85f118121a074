/** Validation that collects every problem of an input and throws them together, once. */
import { ValidationError } from '../errors';

export class Problems {
  private readonly list: string[] = [];

  add(problem: string): void {
    this.list.push(problem);
  }

  get all(): readonly string[] {
    return this.list;
  }

  throwIfAny(subject: string): void {
    if (this.list.length > 0) throw new ValidationError(subject, [...this.list]);
  }
}
