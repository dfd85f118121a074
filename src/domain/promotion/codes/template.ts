/**
 * Code templates and the normalised key of a code (seed 002: "add '?' characters to the template, which will be
 * replaced by random values"; "Only digits" limits them to digits).
 *
 * The key folds what a client may type differently for the same code: case, spaces and hyphens, and the
 * look-alike characters O -> 0 and I, L -> 1. Random characters are drawn from alphabets that hold no character
 * a client could misread: letters and digits without 0, 1, O, I and L (31 characters), or the ten digits (a
 * digits-only code has no letters to confuse with them, and a typed O, I or L still folds onto 0 or 1).
 */

/** Letters and digits a client cannot misread: no 0/O, no 1/I/L. */
export const ALPHANUMERIC_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const DIGIT_ALPHABET = '0123456789';

/** The longest code (and key) the code table holds. */
export const MAX_CODE_LENGTH = 64;

const TEMPLATE_CHARACTERS = /^[A-Za-z0-9_?-]+$/;
const LOOK_ALIKES: Readonly<Record<string, string>> = { O: '0', I: '1', L: '1' };

export interface CodeTemplate {
  /** As typed. */
  readonly text: string;
  /** The characters a random position is drawn from. */
  readonly alphabet: string;
  /** How many `?` the template holds. */
  readonly randomPositions: number;
}

/** Every problem of a template, or none. */
export function templateProblems(text: string): string[] {
  const problems: string[] = [];
  if (text.length === 0) problems.push('the template is empty');
  if (text.length > MAX_CODE_LENGTH)
    problems.push(`the template is longer than ${MAX_CODE_LENGTH} characters`);
  if (text.length > 0 && !TEMPLATE_CHARACTERS.test(text))
    problems.push("the template may hold only letters, digits, '-', '_' and '?'");
  if (text.length > 0 && codeKey(text).length === 0)
    problems.push('the template has no character that identifies a code');
  return problems;
}

/** The template, assuming `templateProblems(text)` found none. */
export function parseTemplate(text: string, { digitsOnly }: { digitsOnly: boolean }): CodeTemplate {
  return {
    text,
    alphabet: digitsOnly ? DIGIT_ALPHABET : ALPHANUMERIC_ALPHABET,
    randomPositions: [...text].filter((c) => c === '?').length,
  };
}

/** How many different codes the template can make: alphabet size to the power of the `?` count. */
export function codeSpace(template: CodeTemplate): bigint {
  return BigInt(template.alphabet.length) ** BigInt(template.randomPositions);
}

/** A code as shown: the template's fixed characters upper-cased, each `?` one character from `pick`. */
export function fillTemplate(template: CodeTemplate, pick: (alphabetSize: number) => number): string {
  let code = '';
  for (const c of template.text) {
    code += c === '?' ? (template.alphabet[pick(template.alphabet.length)] ?? '') : c.toUpperCase();
  }
  return code;
}

/**
 * Fills the template as `fillTemplate` does and gives the code's key with it, without folding the whole code again:
 * the fixed characters' keys are worked out once, and a random character is its own key (neither alphabet holds
 * a character that folds). What generation uses for a million codes; `codeKey(code)` gives the same key.
 */
export function keyedFiller(template: CodeTemplate): (pick: (alphabetSize: number) => number) => {
  code: string;
  key: string;
} {
  const parts = [...template.text].map((c) =>
    c === '?' ? null : { code: c.toUpperCase(), key: codeKey(c) },
  );
  const { alphabet } = template;
  return (pick) => {
    let code = '';
    let key = '';
    for (const part of parts) {
      if (part === null) {
        const c = alphabet[pick(alphabet.length)] ?? '';
        code += c;
        key += c;
      } else {
        code += part.code;
        key += part.key;
      }
    }
    return { code, key };
  };
}

/** The key a code is unique by and looked up by: upper case, no spaces or hyphens, O -> 0, I/L -> 1. */
export function codeKey(typed: string): string {
  let key = '';
  for (const c of typed.normalize('NFKC').toUpperCase()) {
    if (c === '-' || /\s/.test(c)) continue;
    key += LOOK_ALIKES[c] ?? c;
  }
  return key;
}
