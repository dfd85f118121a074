/**
 * The template's code space against the count asked for, before anything is generated: a template that cannot
 * hold the count is refused; one that would be more than 1/10,000 full is allowed with a warning that gives the
 * odds of guessing a valid code with one try (a client typing random codes finds one that often).
 */
import { codeSpace, type CodeTemplate } from './template';

/** Above this share of the space taken, a guesser's odds are worth a warning. */
export const WARN_FILL_DENOMINATOR = 10_000n;

export interface SpaceCheck {
  readonly space: bigint;
  /** Why the count cannot be generated; undefined when it can. */
  readonly refusal?: string;
  readonly warning?: string;
}

/** `taken`: codes of the template's shape already in the table (they share the space). */
export function checkSpace(template: CodeTemplate, count: number, taken = 0): SpaceCheck {
  const space = codeSpace(template);
  const wanted = BigInt(count) + BigInt(taken);
  if (wanted > space) {
    const room = space > BigInt(taken) ? space - BigInt(taken) : 0n;
    return {
      space,
      refusal:
        `the template '${template.text}' makes ${space} different codes` +
        `${taken > 0 ? ` (${taken} taken already)` : ''}: it cannot hold ${count} more (room for ${room}); ` +
        'add ? characters',
    };
  }
  if (wanted * WARN_FILL_DENOMINATOR > space) {
    const oneIn = space / wanted;
    return {
      space,
      warning:
        `the template '${template.text}' makes ${space} different codes; with ${wanted} of them valid, ` +
        `one guess in ${oneIn} finds a code: add ? characters to make guessing harder`,
    };
  }
  return { space };
}
